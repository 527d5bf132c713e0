import {test} from 'node:test';
import assert from 'node:assert/strict';
import {PyFloat, pyDumps, pyFloatRepr} from '../../source/core/pyjson.js';

test('compact form uses ", " and ": "', () => {
  assert.equal(pyDumps(['monitor.info', {a: 1, b: [true, null, 'x']}]), '["monitor.info", {"a": 1, "b": [true, null, "x"]}]');
  assert.equal(pyDumps({}), '{}');
  assert.equal(pyDumps([]), '[]');
});

test('indent=2 matches Python 2, trailing space after each comma', () => {
  const expected = '{\n  "a": [\n    1, \n    2.5, \n    3.0\n  ], \n  "b": {}, \n  "c": "\\u00e9\\ud83d\\ude00\\n\\u007f", \n  "d": []\n}';
  assert.equal(pyDumps({a: [1, 2.5, new PyFloat(3)], b: {}, c: 'é😀\n\x7f', d: []}, 2), expected);
});

test('strings escape like ensure_ascii', () => {
  assert.equal(pyDumps('"\\\b\f\n\r\t\x01~ '), '"\\"\\\\\\b\\f\\n\\r\\t\\u0001~ "');
  assert.equal(pyDumps('\u2028'), '"\\u2028"');
});

test('floats print as Python repr', () => {
  assert.equal(pyDumps(new PyFloat(1389726000)), '1389726000.0');
  assert.equal(pyDumps(new PyFloat(1389730212.94745)), '1389730212.94745');
  assert.equal(pyDumps(0.015), '0.015');
  assert.equal(pyDumps([new PyFloat(1e16), new PyFloat(1e-5), new PyFloat(0.0001), new PyFloat(-0)]), '[1e+16, 1e-05, 0.0001, -0.0]');
  assert.equal(pyDumps([new PyFloat(NaN), new PyFloat(-Infinity)]), '[NaN, -Infinity]');
  assert.equal(pyFloatRepr(1.5e-7), '1.5e-07');
  assert.equal(pyFloatRepr(9999999999999998), '9999999999999998.0');
  assert.equal(pyFloatRepr(123456789012345680), '1.2345678901234568e+17');
});

test('integral numbers print as ints, even past 1e21', () => {
  assert.equal(pyDumps([1389726000, -0, 1e21, 10n]), '[1389726000, 0, 1000000000000000000000, 10]');
});

test('key order is kept; a Map keeps integer-like keys in place', () => {
  assert.equal(pyDumps({z: 1, a: 2}), '{"z": 1, "a": 2}');
  assert.equal(pyDumps(new Map([['b', 1], ['2', 2]])), '{"b": 1, "2": 2}');
});

test('undefined members are skipped, circular structures refused', () => {
  assert.equal(pyDumps({a: undefined, b: 1}), '{"b": 1}');
  const loop: unknown[] = [];
  loop.push(loop);
  assert.throws(() => pyDumps(loop), /Circular/);
});
