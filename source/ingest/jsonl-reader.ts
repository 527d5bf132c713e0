// Streams JSON Lines from a file or stdin into the pipeline, in batches of one transaction each.
// A worker thread prepares batch k+1 while this thread stores batch k.
import {createReadStream} from 'node:fs';
import type {Readable} from 'node:stream';
import type {Db} from '../store/database.js';
import type {LineDefaults} from './jsonl.js';
import {emptyResult, type IngestResult} from './item.js';
import {laneCount, ParallelIngest} from './parallel.js';
import type {LinesChunk, Prepared} from './prepare.js';

const NEWLINE = 0x0a;

/**
 * Lines per transaction. Commits cost per dirty page, and inserts into the random-keyed indexes
 * (instance, request, tenant, message) dirty pages all over them: larger batches share pages.
 */
export const BATCH_SIZE = 5000;

export function addResult(total: IngestResult, r: IngestResult): void {
  total.stored += r.stored;
  total.duplicates += r.duplicates;
  total.rejected.push(...r.rejected);
  total.warnings.push(...r.warnings);
}


/**
 * Cuts a byte stream into chunks of whole lines, about `linesPerChunk` lines each. Only newlines
 * are looked for here (a native memchr); decoding and splitting happen on the workers, so the
 * writing thread spends its time on SQLite.
 */
export async function* lineChunks(input: AsyncIterable<Buffer | string>, linesPerChunk: number): AsyncGenerator<LinesChunk> {
  let parts: Buffer[] = [];
  let partsBytes = 0;
  let lines = 0;
  let firstLine = 1;
  for await (const data of input) {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let from = 0;
    for (let nl = buf.indexOf(NEWLINE); nl >= 0; nl = buf.indexOf(NEWLINE, nl + 1)) {
      if (++lines < linesPerChunk) continue;
      // A fresh copy: its buffer is transferred to a worker, and stream buffers may share a pool.
      const bytes = new Uint8Array(partsBytes + nl + 1 - from);
      let at = 0;
      for (const part of parts) {
        bytes.set(part, at);
        at += part.length;
      }
      bytes.set(buf.subarray(from, nl + 1), at);
      yield {bytes, firstLine};
      firstLine += lines;
      parts = [];
      partsBytes = 0;
      lines = 0;
      from = nl + 1;
    }
    if (from < buf.length) {
      parts.push(buf.subarray(from));
      partsBytes += buf.length - from;
    }
  }
  if (partsBytes > 0) yield {bytes: new Uint8Array(Buffer.concat(parts, partsBytes)), firstLine};
}

export async function ingestStream(input: Readable, db: Db, source: string, defaults: LineDefaults,
  onBatch?: (total: IngestResult) => void): Promise<IngestResult> {
  const total = emptyResult();
  const lanes = Array.from({length: laneCount()}, () => new ParallelIngest(db, {source}));
  const inFlight: {lane: ParallelIngest; rows: Promise<Prepared[]>}[] = [];
  let turn = 0;
  const settleOldest = async () => {
    const oldest = inFlight.shift();
    if (!oldest) return;
    addResult(total, oldest.lane.store(await oldest.rows));
    onBatch?.(total);
  };
  try {
    for await (const chunk of lineChunks(input, BATCH_SIZE)) {
      const lane = lanes[turn++ % lanes.length]!;
      inFlight.push({lane, rows: lane.prepare(chunk, defaults)});
      if (inFlight.length > lanes.length) await settleOldest();
    }
    while (inFlight.length > 0) await settleOldest();
  } finally {
    await Promise.all(lanes.map((l) => l.close()));
  }
  return total;
}

export function ingestFile(path: string, db: Db, source: string, defaults: LineDefaults,
  onBatch?: (total: IngestResult) => void): Promise<IngestResult> {
  return ingestStream(createReadStream(path, {highWaterMark: 1 << 20}), db, source, defaults, onBatch);
}
