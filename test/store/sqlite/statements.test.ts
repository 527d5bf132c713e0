// source/store/sqlite/statements.ts: LIMIT goes into the SQL as a checked literal, and the
// statements kept per connection are bounded, least recently used first out.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {limitSql, Statements} from '../../../source/store/sqlite/statements.js';

test('limitSql: whole numbers from 0 as text; anything else refused', () => {
  assert.equal(limitSql(0), '0');
  assert.equal(limitSql(5001), '5001');
  assert.equal(limitSql(Number.MAX_SAFE_INTEGER), '9007199254740991');
  for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 53]) assert.throws(() => limitSql(bad), RangeError);
});

test('Statements: one prepare per text while kept; the least recently used goes past the bound', () => {
  const prepared: string[] = [];
  const s = new Statements((sql) => {
    prepared.push(sql);
    return {sql};
  }, 2);
  assert.equal(s.get('a').sql, 'a');
  assert.equal(s.get('b').sql, 'b');
  assert.equal(s.get('a').sql, 'a'); // a is now the most recently used
  s.get('c'); // drops b
  assert.equal(s.size, 2);
  s.get('a');
  s.get('b');
  assert.deepEqual(prepared, ['a', 'b', 'c', 'b']);
});
