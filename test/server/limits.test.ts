import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {DEFAULT_LIMITS, parseLimits} from '../../source/server/limits.js';
import {LineSplitter, type SplitLine} from '../../source/ingest/sources/http/line-splitter.js';

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

describe('LineSplitter', () => {
  const split = (chunks: string[] | Buffer[], max = 100, keep = 4) => {
    const out: SplitLine[] = [];
    const s = new LineSplitter(max, keep);
    for (const c of chunks) s.push(Buffer.isBuffer(c) ? c : Buffer.from(c), (l) => out.push(l));
    s.end((l) => out.push(l));
    return out.map((l) => (l.error ? {no: l.no, error: l.error, bytes: Buffer.from(l.bytes!).toString('latin1')} : {no: l.no, text: l.text}));
  };

  it('joins lines across chunks, drops \\r before \\n and blank lines, keeps numbering', () => {
    assert.deepEqual(split(['ab', 'c\r\n\n  \nd', 'e']), [{no: 1, text: 'abc'}, {no: 4, text: 'de'}]);
  });

  it('keeps only the first bytes of a line over the bound', () => {
    assert.deepEqual(split(['x'.repeat(60), 'y'.repeat(60), '\nok\n']), [
      {no: 1, error: 'line of 120 bytes is longer than the limit of 100; its first 4 bytes are kept', bytes: 'xxxx'},
      {no: 2, text: 'ok'}]);
  });

  it('a UTF-8 character split between chunks is one character; invalid bytes are kept as they came', () => {
    const snow = Buffer.from('☃\n');
    assert.deepEqual(split([snow.subarray(0, 1), snow.subarray(1)]), [{no: 1, text: '☃'}]);
    assert.deepEqual(split([Buffer.from([0x61, 0xff, 0x0a])]), [{no: 1, error: 'not valid UTF-8; the bytes received are kept', bytes: 'a\xff'}]);
  });
});
