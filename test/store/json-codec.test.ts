// The raw-JSON codec: codec 3 round trips, keyframe references, and rows written by codec 2
// (session 1's databases) still inflate.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {decodeJson, encodeJson, referenceOf, setReference} from '../../source/store/json-codec.js';
import {SAMPLE_NOTIFICATIONS} from '../../source/store/json-samples.js';

const KEY = '["compute.instance.create.start", {"event_type": "compute.instance.create.start", "payload": ' +
  '{"instance_id": "aaaaaaaa-0000-0000-0000-000000000001", "state": "building"}, "publisher_id": ' +
  '"compute.host-1", "timestamp": "2026-01-01 00:00:00.000000", "message_id": "m-1"}]';
const ROW = '["compute.instance.create.end", {"event_type": "compute.instance.create.end", "payload": ' +
  '{"instance_id": "aaaaaaaa-0000-0000-0000-000000000001", "state": "active"}, "publisher_id": ' +
  '"compute.host-1", "timestamp": "2026-01-01 00:00:05.000000", "message_id": "m-2"}]';
// KEY and ROW as codec 2 (deflate-raw-keyframe-2) wrote them, ROW referring to row 1.
const KEY_2 = '018b26e8d26a429e46f71972c986968f13a14017e4423402e26c03703d8e9937c1118223ac40f94217ac8fecb0c9d53554aa8d0500';
const ROW_2 = '02010000000000c31d1890d822362860714bc58080965d540906533cc160040c0600';

const none = () => undefined;

describe('json codec', () => {
  it('a row without a keyframe stands alone and round-trips, non-ASCII included', () => {
    const text = ROW.replace('host-1', 'hôst-✓');
    const blob = encodeJson(text);
    assert.equal(blob[0], 3);
    assert.equal(referenceOf(blob), null);
    assert.equal(decodeJson(blob, none), text);
  });

  it('a row with a keyframe names it and inflates through it', () => {
    const key = encodeJson(KEY);
    const blob = encodeJson(ROW, {id: 0, text: KEY});
    assert.equal(blob[0], 4);
    setReference(blob, 123456789);
    assert.equal(referenceOf(blob), 123456789);
    const asked: number[] = [];
    assert.equal(decodeJson(blob, (id) => (asked.push(id), key)), ROW);
    assert.deepEqual(asked, [123456789]);
    assert.ok(blob.length < encodeJson(ROW).length, 'the keyframe makes the row smaller');
  });

  it('round-trips keyframes and rows larger than the deflate window', () => {
    const big = (n: number, tag: string) => JSON.stringify(['monitor.info', {payload: Array.from({length: n},
      (_, i) => `${tag}-${i}-${(i * 2654435761) % 1000003}`)}]);
    const key = big(4000, 'k');
    const row = big(2500, 'k').replace('k-7-', 'r-7-');
    assert.ok(key.length > 40_000 && row.length > 16_000);
    const blob = encodeJson(row, {id: 5, text: key});
    assert.equal(decodeJson(blob, () => encodeJson(key)), row);
  });

  it('a missing or referencing keyframe is a clear error, not a wrong text', () => {
    const blob = encodeJson(ROW, {id: 7, text: KEY});
    assert.throws(() => decodeJson(blob, none), /refers to row 7, which is missing/);
    const chained = encodeJson(KEY, {id: 1, text: ROW});
    assert.throws(() => decodeJson(blob, () => chained), /refers to row 7, which is missing/);
    assert.throws(() => decodeJson(Buffer.of(9, 1, 2), none), /unknown raw JSON encoding 9/);
  });

  it('inflates rows written by codec 2', () => {
    const key = Buffer.from(KEY_2, 'hex');
    const row = Buffer.from(ROW_2, 'hex');
    assert.equal(decodeJson(key, none), KEY);
    assert.equal(referenceOf(row), 1);
    assert.equal(decodeJson(row, (id) => (id === 1 ? key : undefined)), ROW);
  });

  it('the sample notifications are whole stored rows: they shrink a similar notification', () => {
    for (const sample of SAMPLE_NOTIFICATIONS) assert.ok(Array.isArray(JSON.parse(sample)));
    const similar = SAMPLE_NOTIFICATIONS[SAMPLE_NOTIFICATIONS.length - 1]!.replace(/"message_id":"[^"]*"/, '"message_id":"x"');
    assert.ok(encodeJson(similar).length < 200, 'a near copy of a sample deflates to a few bytes');
  });
});
