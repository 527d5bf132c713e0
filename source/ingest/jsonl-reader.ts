// Streams JSON Lines from a file or stdin into the pipeline, in batches of one transaction each.
// A worker thread prepares batch k+1 while this thread stores batch k.
import {createReadStream} from 'node:fs';
import {createInterface} from 'node:readline';
import {availableParallelism} from 'node:os';
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

/**
 * Worker lanes: parsing and deflating cost about twice what SQLite does per notification, so
 * with two cores two preparing workers keep the writing main thread busy. Each lane has its
 * own keyframes; batches go round-robin and are stored strictly in input order.
 */
export function laneCount(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
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
  const submit = async (batch: Work[]) => {
    const lane = lanes[turn++ % lanes.length]!;
    inFlight.push({lane, rows: lane.prepare(batch, defaults)});
    if (inFlight.length > lanes.length) await settleOldest();
  };
  try {
    let batch: Work[] = [];
    let no = 0;
    for await (const line of createInterface({input, crlfDelay: Infinity})) {
      no++;
      if (line.trim() === '') continue;
      batch.push({line, no});
      if (batch.length >= BATCH_SIZE) {
        await submit(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await submit(batch);
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
