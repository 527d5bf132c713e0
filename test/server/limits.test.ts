import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {DEFAULT_LIMITS, parseLimits} from '../../source/server/limits.js';

describe('serve --limit NAME=VALUE', () => {
  it('sets bounds over the defaults, sizes with units', () => {
    assert.deepEqual(parseLimits([]), DEFAULT_LIMITS);
    const l = parseLimits(['cache-bytes=8MiB', 'watch-rows=100', 'line-bytes=64k']);
    assert.equal(l.cacheBytes, 8 * 1024 * 1024);
    assert.equal(l.watchRows, 100);
    assert.equal(l.lineBytes, 64 * 1024);
  });

  it('refuses unknown names and values that are not whole positive numbers', () => {
    assert.throws(() => parseLimits(['nope=1']), /unknown limit 'nope'/);
    for (const bad of ['watch-rows=0', 'watch-rows=-1', 'watch-rows=1.5', 'watch-rows', 'watch-rows=1TB', 'watch-rows=1e3']) {
      assert.throws(() => parseLimits([bad]), /takes a whole number >= 1/, bad);
    }
  });
});
