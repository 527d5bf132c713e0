// The raw-JSON codec alone: CPU and bytes per notification of codec 4 (zstd with a trained
// dictionary, json-codec.ts) against codec 3 (keyframe deflate, json-deflate.ts), on the first
// rows of the bench corpus, keyframes chosen as the pipeline chooses them. CPU is the best of
// several rounds of a tight single-thread loop, so other load on the machine barely moves it.
import {createReadStream} from 'node:fs';
import {createInterface} from 'node:readline';
import {deflateRawSync} from 'node:zlib';
import {decodeJson, encodeJson} from '../source/store/json-codec.js';
import {DICTIONARY_3, MAX_DICTIONARY, REFERENCED_3, STATIC_3} from '../source/store/json-deflate.js';
import {parseLine} from '../source/ingest/sources/jsonl/line.js';
import {rawText} from '../source/ingest/prepare.js';
import {KeyframeCache} from '../source/ingest/keyframes.js';
import {unwrapEnvelope} from '../source/core/envelope.js';
import {parseNotification, serviceFor} from '../source/core/notification.js';
import {fmt, line, verdict} from './lib.js';

interface Row {
  bytes: Buffer;
  /** Index of the row this one is compressed against, or null for a keyframe. */
  ref: number | null;
}

/** The first `count` notifications of the corpus as the pipeline stores them. */
async function corpusRows(corpus: string, count: number): Promise<Row[]> {
  const rows: Row[] = [];
  const keyframes = new Map<string, number>();
  const lines = createInterface({input: createReadStream(corpus, {highWaterMark: 1 << 20}), crlfDelay: Infinity});
  for await (const text of lines) {
    const item = parseLine(text, rows.length + 1, {deployment: 'default', exchange: 'nova'});
    const inner = unwrapEnvelope(item.body);
    const body = inner.text !== undefined ? inner.body : item.body;
    const key = KeyframeCache.keyOf(parseNotification(serviceFor(item.exchange), body));
    const ref = keyframes.get(key) ?? null;
    if (ref === null) keyframes.set(key, rows.length);
    rows.push({bytes: Buffer.from(rawText(item.routingKey, body, inner.text ?? item.text), 'utf8'), ref});
    if (rows.length === count) break;
  }
  lines.close();
  return rows;
}

/** Codec 3's encoder as it was (level 2; a keyframe's last 32 KiB as the dictionary, 16 KiB window). */
function deflate3(row: Row, rows: Row[]): Uint8Array {
  if (row.ref === null) {
    return Buffer.concat([Buffer.of(STATIC_3), deflateRawSync(row.bytes, {dictionary: DICTIONARY_3, level: 2})]);
  }
  const key = rows[row.ref]!.bytes;
  const dictionary = key.length > MAX_DICTIONARY ? key.subarray(key.length - MAX_DICTIONARY) : key;
  const z = deflateRawSync(row.bytes, {dictionary, level: 2, windowBits: 14});
  const head = Buffer.alloc(7);
  head[0] = REFERENCED_3;
  head.writeUIntLE(row.ref + 1, 1, 6);
  return Buffer.concat([head, z]);
}

function zstd4(row: Row, rows: Row[]): Uint8Array {
  return row.ref === null ? encodeJson(row.bytes) : encodeJson(row.bytes, {id: row.ref + 1, text: rows[row.ref]!.bytes});
}

/** µs of CPU per row: the best of `rounds` passes. */
function cpuPerRow(rows: Row[], rounds: number, each: (i: number) => void): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < rows.length; i++) each(i);
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / rows.length);
  }
  return best;
}

interface CodecFigures {
  encode: number;
  decode: number;
  bytes: number;
}

function measure(rows: Row[], encode: (row: Row, rows: Row[]) => Uint8Array): CodecFigures {
  const blobs = rows.map((row) => encode(row, rows));
  // Every blob is read back through the store's own decoder, so a figure is never of a wrong text.
  const load = (id: number) => blobs[id - 1];
  for (let i = 0; i < rows.length; i++) {
    if (decodeJson(blobs[i]!, load) !== rows[i]!.bytes.toString('utf8')) throw new Error(`codec bench: row ${i} did not round-trip`);
  }
  return {
    encode: cpuPerRow(rows, 5, (i) => encode(rows[i]!, rows)),
    decode: cpuPerRow(rows, 5, (i) => decodeJson(blobs[i]!, load)),
    bytes: blobs.reduce((sum, b) => sum + b.length, 0) / blobs.length,
  };
}

export async function benchCodec(corpus: string, quick: boolean): Promise<void> {
  const rows = await corpusRows(corpus, quick ? 5_000 : 20_000);
  const old = measure(rows, deflate3);
  const now = measure(rows, zstd4);
  const keyframes = rows.filter((r) => r.ref === null).length;
  line('codec: compress a notification', `${fmt(now.encode, 1)} µs`, `codec 3 (keyframe deflate) ${fmt(old.encode, 1)} µs`,
    verdict(now.encode < old.encode));
  line('codec: decompress a notification', `${fmt(now.decode, 1)} µs`, `codec 3 ${fmt(old.decode, 1)} µs`,
    verdict(now.decode < old.decode));
  line('codec: stored JSON per notification', `${fmt(now.bytes)} B`, `codec 3 ${fmt(old.bytes)} B`, verdict(now.bytes <= old.bytes));
  line('  (rows)', `${fmt(rows.length)}`, `${fmt((keyframes / rows.length) * 100, 1)}% keyframes; CPU best of 5`);
}
