// Streams JSON Lines from a file or stdin into the pipeline, in batches of one transaction each.
import {createReadStream} from 'node:fs';
import {createInterface} from 'node:readline';
import type {Readable} from 'node:stream';
import type {Pipeline} from './pipeline.js';
import {parseLine, type LineDefaults} from './jsonl.js';
import {emptyResult, type IngestItem, type IngestResult} from './item.js';

export const BATCH_SIZE = 5000;

export function addResult(total: IngestResult, r: IngestResult): void {
  total.stored += r.stored;
  total.duplicates += r.duplicates;
  total.rejected.push(...r.rejected);
  total.warnings.push(...r.warnings);
}

export async function ingestStream(input: Readable, pipeline: Pipeline, defaults: LineDefaults,
  onBatch?: (total: IngestResult) => void): Promise<IngestResult> {
  const total = emptyResult();
  let batch: IngestItem[] = [];
  let lineNo = 0;
  const flush = () => {
    if (batch.length === 0) return;
    addResult(total, pipeline.ingest(batch));
    batch = [];
    onBatch?.(total);
  };
  for await (const line of createInterface({input, crlfDelay: Infinity})) {
    lineNo++;
    if (line.trim() === '') continue;
    batch.push(parseLine(line, lineNo, defaults));
    if (batch.length >= BATCH_SIZE) flush();
  }
  flush();
  return total;
}

export function ingestFile(path: string, pipeline: Pipeline, defaults: LineDefaults,
  onBatch?: (total: IngestResult) => void): Promise<IngestResult> {
  return ingestStream(createReadStream(path, {highWaterMark: 1 << 20}), pipeline, defaults, onBatch);
}
