import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {nestedDeeperThan} from '../../source/core/json-depth.js';

describe('nestedDeeperThan', () => {
  it('counts arrays and objects, not scalars', () => {
    assert.equal(nestedDeeperThan(1, 0), false);
    assert.equal(nestedDeeperThan([], 0), true);
    assert.equal(nestedDeeperThan({a: [{b: 1}]}, 3), false);
    assert.equal(nestedDeeperThan({a: [{b: 1}]}, 2), true);
  });

  it('walks 100,000 levels without recursing', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    assert.equal(nestedDeeperThan(deep, 100), true);
  });
});
