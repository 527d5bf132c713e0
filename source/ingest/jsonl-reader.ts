// Streams JSON Lines from a file or stdin into the pipeline, in batches of one transaction each.
// A worker thread prepares batch k+1 while this thread stores batch k.
import {createReadStream} from 'node:fs';
import {createInterface} from 'node:readline';
import type {Readable} from 'node:stream';
import type {Db} from '../store/database.js';
import type {LineDefaults} from './jsonl.js';
import {emptyResult, type IngestResult} from './item.js';
import {ParallelIngest} from './parallel.js';
import type {Prepared, Work} from './prepare.js';

export const BATCH_SIZE = 2000;

export function addResult(total: IngestResult, r: IngestResult): void {
  total.stored += r.stored;
  total.duplicates += r.duplicates;
  total.rejected.push(...r.rejected);
  total.warnings.push(...r.warnings);
}

export async function ingestStream(input: Readable, db: Db, source: string, defaults: LineDefaults,
  onBatch?: (total: IngestResult) => void): Promise<IngestResult> {
  const total = emptyResult();
  const parallel = new ParallelIngest(db, {source});
  let pending: Promise<Prepared[]> | undefined;
  const settle = async () => {
    if (!pending) return;
    addResult(total, parallel.store(await pending));
    pending = undefined;
    onBatch?.(total);
  };
  try {
    let batch: Work[] = [];
    let no = 0;
    for await (const line of createInterface({input, crlfDelay: Infinity})) {
      no++;
      if (line.trim() === '') continue;
      batch.push({line, no});
      if (batch.length >= BATCH_SIZE) {
        const next = parallel.prepare(batch, defaults);
        batch = [];
        await settle();
        pending = next;
      }
    }
    const last = batch.length > 0 ? parallel.prepare(batch, defaults) : undefined;
    await settle();
    pending = last;
    await settle();
  } finally {
    await parallel.close();
  }
  return total;
}

export function ingestFile(path: string, db: Db, source: string, defaults: LineDefaults,
  onBatch?: (total: IngestResult) => void): Promise<IngestResult> {
  return ingestStream(createReadStream(path, {highWaterMark: 1 << 20}), db, source, defaults, onBatch);
}
