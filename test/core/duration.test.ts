import {test} from 'node:test';
import assert from 'node:assert/strict';
import {formatG, pyFloatStr, secToStr, secToTimeDecimal, secToTimeFloat, secToTimeInt} from '../../source/core/duration.js';

test('sec_to_time Decimal path: every worked example of docs/api.md §1.9', () => {
  const cases: Array<[number, string]> = [
    [55_500000, '0d 00:00:55.50'],
    [851_710000, '0d 00:14:11.71'],
    [505007_080000, '5d 20:16:47.08'],
    [86400_000000, '1d 00:00:00.00'],
    [20, '0d 00:00:00.00'],
    [-5_500000, '-1d 23:59:550.5'],
    [-500000, '0d 00:00:000.5'],
  ];
  for (const [us, s] of cases) assert.equal(secToTimeDecimal(us), s, String(us));
});

test('sec_to_time Decimal path truncates the suffix', () => {
  assert.equal(secToTimeDecimal(59_999999), '0d 00:00:59.99');
  assert.equal(secToTimeDecimal(10_000000), '0d 00:00:10.00');
  assert.equal(secToTimeDecimal(-10_000000), '-1d 23:59:50.00');
});

test('sec_to_time int path has no fraction', () => {
  assert.equal(secToTimeInt(10), '0d 00:00:10');
  assert.equal(secToTimeInt(15), '0d 00:00:15');
  assert.equal(secToTimeInt(90061), '1d 01:01:01');
});

test('sec_to_time float path: every worked example of docs/api.md §1.9', () => {
  const cases: Array<[number, string]> = [
    [10.0, '0d 00:00:10.0'],
    [6.8, '0d 00:00:06.8'],
    [6.801, '0d 00:00:06.80'],
    [52.88, '0d 00:00:52.88'],
    [0.5, '0d 00:00:00.5'],
    [0.0001, '0d 00:00:00.00'],
    [0.00005, '0d 00:00:00e-0'],
    [0.000012, '0d 00:00:00.2e'],
    [7.00005, '0d 00:00:07.99'],
    [12.000001, '0d 00:00:12.99'],
    [-5.5, '-1d 23:59:550.5'],
  ];
  for (const [x, s] of cases) assert.equal(secToTimeFloat(x), s, String(x));
});

test('Python 2 str(float) is %.12g with .0 added, rounding exact ties to even', () => {
  assert.equal(pyFloatStr(0), '0.0');
  assert.equal(pyFloatStr(-0), '-0.0');
  assert.equal(pyFloatStr(5e-5), '5e-05');
  assert.equal(pyFloatStr(7.00005 - 7), '4.99999999999e-05');
  assert.equal(pyFloatStr(1e20), '1e+20');
  assert.equal(pyFloatStr(123456789012), '123456789012.0');
  assert.equal(formatG(0.5001220703125, 12), '0.500122070312');
  assert.equal(formatG(99999999999.95, 12), '99999999999.9');
});

test('reports sec_to_str (docs/ingest.md §4.5)', () => {
  assert.equal(secToStr(5.9), '5s');
  assert.equal(secToStr(59), '59s');
  assert.equal(secToStr(60), '1:00s');
  assert.equal(secToStr(65), '1:05s');
  assert.equal(secToStr(344), '5:44s');
  assert.equal(secToStr(3723), '01:02:03');
  assert.equal(secToStr(93600), '26:00:00');
});
