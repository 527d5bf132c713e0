import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
  decimalString, parseDateTimeArg, parseDecimalSeconds, parseNotificationTime, plainDateTime,
  secondsString, TimeFormatError, watchDateTime, whenString,
} from '../../source/core/time.js';

test('parses the six str_time_to_unix formats (docs/ingest.md §0.2)', () => {
  const cases: Array<[string, number]> = [
    ['2013-05-15T11:51:11Z', 1368618671000000],
    ['2013-05-15T11:51:11.123Z', 1368618671123000],
    ['2013-06-20T17:31:57.939614', 1371749517939614],
    ['2013-06-20T17:31:57', 1371749517000000],
    ['2013-06-20 17:31:57.939614', 1371749517939614],
    ['2013-06-20 17:31:57', 1371749517000000],
  ];
  for (const [s, us] of cases) assert.equal(parseNotificationTime(s), us, s);
});

test('strptime accepts 1-digit fields and right-pads the fraction', () => {
  assert.equal(parseNotificationTime('2013-1-25 13:38:23.123'), 1359121103123000);
  assert.equal(parseNotificationTime('2013-1-5 7:3:5.1'), Date.UTC(2013, 0, 5, 7, 3, 5, 100) * 1000);
});

test('strptime quirks: the space is \\s+, day may be space-padded, T/Z match any case once the family is chosen', () => {
  assert.equal(parseNotificationTime('2013-01- 5  13:38:23'), Date.UTC(2013, 0, 5, 13, 38, 23) * 1000);
  assert.equal(parseNotificationTime('2013-01-25\t13:38:23'), Date.UTC(2013, 0, 25, 13, 38, 23) * 1000);
  assert.equal(parseNotificationTime('2013-01-25t13:38:23Z'), Date.UTC(2013, 0, 25, 13, 38, 23) * 1000);
});

test('rejects offsets, whitespace, bad dates and non-strings with a clear message', () => {
  assert.throws(() => parseNotificationTime('2014-01-14 15:39:22+00:00'), {
    name: 'TimeFormatError', message: "unparseable timestamp '2014-01-14 15:39:22+00:00'",
  });
  for (const bad of [
    '2014-01-14T15:39:22.574829+00:00', ' 2013-06-20 17:31:57', '2013-06-20 17:31:57 ', '2013-13-01 00:00:00',
    '2013-02-29 00:00:00', '2013-01-25 13:38:60', '2013-01-25 24:00:00', '2013-01-25 13:38:23.1234567',
    '2013-01-25T13:38:23z', '2013-01-25 13:38:23Z', '0000-01-01 00:00:00', '', '2013-01-25',
  ]) assert.throws(() => parseNotificationTime(bad), TimeFormatError, bad);
  assert.throws(() => parseNotificationTime(null), {message: 'unparseable timestamp null'});
  assert.throws(() => parseNotificationTime(1371749517), {message: 'unparseable timestamp 1371749517'});
  assert.throws(() => parseNotificationTime(undefined), TimeFormatError);
});

test('leap day parses; times beyond 2^53 µs are refused rather than rounded', () => {
  assert.equal(parseNotificationTime('2012-02-29T23:59:59'), Date.UTC(2012, 1, 29, 23, 59, 59) * 1000);
  assert.throws(() => parseNotificationTime('2313-05-15T11:51:11Z'), TimeFormatError);
});

test('When string drops a zero fraction (docs/api.md §1.8)', () => {
  assert.equal(whenString(1374056170717219), '2013-07-17 10:16:10.717219');
  assert.equal(whenString(1389892207000000), '2014-01-16 17:10:07');
  assert.equal(whenString(1389892207100000), '2014-01-16 17:10:07.100000');
  assert.equal(whenString(0), '1970-01-01 00:00:00');
  assert.equal(whenString(-1), '1969-12-31 23:59:59.999999');
});

test('watch splits date and time with the same rule', () => {
  assert.deepEqual(watchDateTime(1374056170717219), ['2013-07-17', '10:16:10.717219']);
  assert.deepEqual(watchDateTime(1389892207000000), ['2014-01-16', '17:10:07']);
});

test('plain, seconds, decimal and float renderings', () => {
  assert.equal(plainDateTime(1374056170717219), '2013-07-17 10:16:10');
  assert.equal(secondsString(1389892207999999), '1389892207');
  assert.equal(secondsString(-1), '-1');
  assert.equal(decimalString(1374056170717219), '1374056170.717219');
  assert.equal(decimalString(1389892207000000), '1389892207.000000');
  assert.equal(decimalString(-5500000), '-5.500000');
  assert.equal(decimalString(-500000), '-0.500000');
});

test('decimal <-> datetime round-trips 1356093296.123 exactly (docs/api.md §5.4)', () => {
  const us = parseDecimalSeconds('1356093296.123');
  assert.equal(us, 1356093296123000);
  assert.equal(whenString(us!), '2012-12-21 12:34:56.123000');
  assert.equal(parseNotificationTime(whenString(us!)), us);
  assert.equal(decimalString(us!), '1356093296.123000');
});

test('parseDecimalSeconds follows Python Decimal, minus NaN/Infinity', () => {
  assert.equal(parseDecimalSeconds('1373.5'), 1373500000);
  assert.equal(parseDecimalSeconds(' 1389892207 '), 1389892207000000);
  assert.equal(parseDecimalSeconds('1e3'), 1000000000);
  assert.equal(parseDecimalSeconds('+.5E-1'), 50000);
  assert.equal(parseDecimalSeconds('-2.'), -2000000);
  assert.equal(parseDecimalSeconds('-0'), 0);
  for (const bad of ['abc', '1,5', '', ' ', '.', 'e3', '1e', 'NaN', 'Infinity', '-inf', '1 2']) {
    assert.equal(parseDecimalSeconds(bad), null, bad);
  }
});

test('parseDecimalSeconds truncates sub-µs digits toward zero unless asked to floor or ceil', () => {
  assert.equal(parseDecimalSeconds('1.0000019'), 1000001);
  assert.equal(parseDecimalSeconds('-1.0000019'), -1000001);
  assert.equal(parseDecimalSeconds('1.0000011', 'ceil'), 1000002);
  assert.equal(parseDecimalSeconds('-1.0000011', 'floor'), -1000002);
  assert.equal(parseDecimalSeconds('1e-30', 'ceil'), 1);
  assert.equal(parseDecimalSeconds('1e400'), Number.MAX_SAFE_INTEGER);
  assert.equal(parseDecimalSeconds('-1e400'), -Number.MAX_SAFE_INTEGER);
});

test('parseDateTimeArg takes epoch seconds or a UTC date/datetime', () => {
  assert.equal(parseDateTimeArg('1389892207'), 1389892207000000);
  assert.equal(parseDateTimeArg('1389892207.5'), 1389892207500000);
  assert.equal(parseDateTimeArg('2014-01-16 17:10:07'), 1389892207000000);
  assert.equal(parseDateTimeArg('2014-01-01'), 1388534400000000);
  for (const bad of ['2014-13-01', '2014-01-16 25:00:00', 'yesterday', '', '1e400']) {
    assert.equal(parseDateTimeArg(bad), null, bad);
  }
});
