// The raw-JSON codec: codec 4 (zstd) round trips, keyframe references, and rows written by
// codecs 2 and 3 (earlier databases) still inflate.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {CODEC_ID, decodeJson, encodeJson, READABLE_CODECS, referenceOf, setReference} from '../../source/store/json-codec.js';
import {SAMPLE_NOTIFICATIONS} from '../../source/store/json-samples.js';
import {ZSTD_DICTIONARY} from '../../source/store/json-dictionary.js';
import {demoStream} from '../../source/demo/corpus.js';

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
// KEY and ROW (its host made non-ASCII) as codec 3 (deflate-raw-keyframe-3) wrote them, ROW referring to row 1.
const KEY_3 = '038b8677f5e07d42b4d9e16a4213cde8b3c9c8ab49507a6b0a4a8950a00b9a1546232053c506e0b553d0b21c693d0478121ca58f8a989f06f57740598a82f9e85c5d503b0b00';
const ROW_3 = '040100000000008bc6e9b9d4bc14128202a29aaa0191985c9259968a3f180e6f292ed17d3467321121618a27248c80210100';

describe('json codec', () => {
  it('is codec 4 and still reads codecs 2 and 3', () => {
    assert.equal(CODEC_ID, 'zstd-keyframe-4');
    assert.deepEqual(READABLE_CODECS, ['deflate-raw-keyframe-2', 'deflate-raw-keyframe-3', 'zstd-keyframe-4']);
  });

  it('a row without a keyframe stands alone and round-trips, non-ASCII included', () => {
    const text = ROW.replace('host-1', 'hôst-✓');
    const blob = encodeJson(text);
    assert.equal(blob[0], 5);
    assert.equal(referenceOf(blob), null);
    assert.equal(decodeJson(blob, none), text);
    // The frame is stored without zstd's 4-byte magic number.
    assert.notDeepEqual([...blob.subarray(1, 5)], [0x28, 0xb5, 0x2f, 0xfd]);
  });

  it('a row with a keyframe names it and inflates through it', () => {
    const key = encodeJson(KEY);
    const blob = encodeJson(ROW, {id: 0, text: KEY});
    assert.equal(blob[0], 6);
    setReference(blob, 123456789);
    assert.equal(referenceOf(blob), 123456789);
    const asked: number[] = [];
    assert.equal(decodeJson(blob, (id) => (asked.push(id), key)), ROW);
    assert.deepEqual(asked, [123456789]);
    assert.ok(blob.length < encodeJson(ROW).length, 'the keyframe makes the row smaller');
  });

  it('round-trips keyframes and rows larger than a zstd block and the old deflate window', () => {
    const big = (n: number, tag: string) => JSON.stringify(['monitor.info', {payload: Array.from({length: n},
      (_, i) => `${tag}-${i}-${(i * 2654435761) % 1000003}`)}]);
    const key = big(12000, 'k');
    const row = big(9000, 'k').replace('k-7-', 'r-7-');
    assert.ok(key.length > 140_000 && row.length > 128 * 1024);
    const blob = encodeJson(row, {id: 5, text: key});
    assert.equal(decodeJson(blob, () => encodeJson(key)), row);
    assert.equal(decodeJson(encodeJson(row), none), row);
  });

  it('round-trips demo notifications through their keyframes at a few hundred bytes', () => {
    const texts = Array.from(demoStream(200, {seed: 3}), (e) => JSON.stringify([e.routing_key, e.body]));
    const key = encodeJson(texts[0]!);
    for (const text of texts) {
      const alone = encodeJson(text);
      assert.equal(decodeJson(alone, none), text);
      assert.ok(alone.length < 900, `${alone.length} B standalone`);
      const referenced = encodeJson(text, {id: 1, text: texts[0]!});
      assert.equal(decodeJson(referenced, () => key), text);
    }
  });

  it('a missing or referencing keyframe is a clear error, not a wrong text', () => {
    const blob = encodeJson(ROW, {id: 7, text: KEY});
    assert.throws(() => decodeJson(blob, none), /refers to row 7, which is missing/);
    const chained = encodeJson(KEY, {id: 1, text: ROW});
    assert.throws(() => decodeJson(blob, () => chained), /refers to row 7, which is missing/);
  });

  it('refuses a blob of an unknown encoding, naming it', () => {
    assert.throws(() => decodeJson(Buffer.of(9, 1, 2), none), /^Error: unknown raw JSON encoding 9$/);
    assert.throws(() => decodeJson(Buffer.of(0), none), /^Error: unknown raw JSON encoding 0$/);
  });

  it('inflates rows written by codec 2', () => {
    const key = Buffer.from(KEY_2, 'hex');
    const row = Buffer.from(ROW_2, 'hex');
    assert.equal(decodeJson(key, none), KEY);
    assert.equal(referenceOf(row), 1);
    assert.equal(decodeJson(row, (id) => (id === 1 ? key : undefined)), ROW);
  });

  it('inflates rows written by codec 3', () => {
    const key = Buffer.from(KEY_3, 'hex');
    const row = Buffer.from(ROW_3, 'hex');
    assert.equal(decodeJson(key, none), KEY);
    assert.equal(referenceOf(row), 1);
    assert.equal(decodeJson(row, (id) => (id === 1 ? key : undefined)), ROW.replace('host-1', 'hôst-✓'));
  });

  it('a codec 4 row inflates through a keyframe stored by an older codec', () => {
    const blob = encodeJson(ROW, {id: 1, text: KEY});
    assert.equal(decodeJson(blob, () => Buffer.from(KEY_3, 'hex')), ROW);
    assert.equal(decodeJson(blob, () => Buffer.from(KEY_2, 'hex')), ROW);
  });

  it('ships a 32 KiB zstd dictionary, and codec 3 still has its sample notifications', () => {
    assert.equal(ZSTD_DICTIONARY.length, 32 * 1024);
    assert.equal(ZSTD_DICTIONARY.readUInt32LE(0), 0xec30a437);
    for (const sample of SAMPLE_NOTIFICATIONS) assert.ok(Array.isArray(JSON.parse(sample)));
  });
});
