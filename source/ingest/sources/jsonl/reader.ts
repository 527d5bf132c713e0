// Streams JSON Lines from a file or stdin into the pipeline, in batches of one transaction each.
// Worker threads prepare the next batches while this thread stores the current one.
import {createReadStream} from 'node:fs';
import type {Readable} from 'node:stream';
import type {Db} from '../../../store/database.js';
import type {LineDefaults} from './line.js';
import {emptyResult, type IngestResult} from '../../item.js';
import {laneCount, ParallelIngest} from '../../parallel.js';
import type {LinesChunk, Prepared} from '../../prepare.js';

const NEWLINE = 0x0a;

/**
 * Lines per transaction. Commits cost per dirty page, and inserts into the random-keyed indexes
 * (instance, request, tenant, message) dirty pages all over them: larger batches share pages.
 */
export const BATCH_SIZE = 10000;

export function addResult(total: IngestResult, r: IngestResult): void {
  total.stored += r.stored;
  total.duplicates += r.duplicates;
  total.rejected.push(...r.rejected);
  total.warnings.push(...r.warnings);
}

/** Whole lines waiting to become a chunk, and the partial line after them. */
class LineBuffer {
  private parts: Buffer[] = [];
  private bytes = 0;
  /** Where the buffer added last starts, in the pending bytes. */
  private lastStart = 0;
  /** Pending bytes up to and including the last newline counted. */
  private wholeBytes = 0;
  lines = 0;
  private firstLine = 1;

  add(buf: Buffer): void {
    this.lastStart = this.bytes;
    this.parts.push(buf);
    this.bytes += buf.length;
  }

  /** Counts the newline at `offset` of the buffer added last. */
  newline(offset: number): void {
    this.lines++;
    this.wholeBytes = this.lastStart + offset + 1;
  }

  get size(): number {
    return this.bytes;
  }

  /** The whole lines so far (or everything), copied once into a buffer of their own. */
  take(all = false): LinesChunk {
    const size = all ? this.bytes : this.wholeBytes;
    const chunk = {bytes: new Uint8Array(size), firstLine: this.firstLine};
    let copied = 0;
    while (copied < size) {
      const part = this.parts[0]!;
      const n = Math.min(part.length, size - copied);
      chunk.bytes.set(n === part.length ? part : part.subarray(0, n), copied);
      copied += n;
      if (n === part.length) this.parts.shift();
      else this.parts[0] = part.subarray(n);
    }
    this.bytes -= size;
    this.lastStart -= size;
    this.wholeBytes = 0;
    this.firstLine += this.lines;
    this.lines = 0;
    return chunk;
  }
}

/**
 * Cuts a byte stream into chunks of whole lines, `linesPerChunk` lines each. Only newlines are
 * looked for here (a native memchr); decoding and splitting happen on the workers, so the writing
 * thread spends its time on SQLite. When the input pauses for `idleMs` (a live tail on stdin),
 * the whole lines so far go out at once instead of waiting for a full chunk.
 */
export async function* lineChunks(input: AsyncIterable<Buffer | string>, linesPerChunk: number,
  idleMs = 200): AsyncGenerator<LinesChunk> {
  const pending = new LineBuffer();
  const reads = input[Symbol.asyncIterator]();
  let next = reads.next();
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    // The idle timer runs only while whole lines wait to go out.
    const read = pending.lines === 0 ? await next
      : await Promise.race([next, new Promise<'idle'>((resolve) => (timer = setTimeout(resolve, idleMs, 'idle')))]);
    clearTimeout(timer);
    if (read === 'idle') {
      yield pending.take();
      continue;
    }
    if (read.done) break;
    next = reads.next();
    const buf = typeof read.value === 'string' ? Buffer.from(read.value, 'utf8') : read.value;
    pending.add(buf);
    for (let nl = buf.indexOf(NEWLINE); nl >= 0; nl = buf.indexOf(NEWLINE, nl + 1)) {
      pending.newline(nl);
      if (pending.lines >= linesPerChunk) yield pending.take();
    }
  }
  if (pending.size > 0) yield pending.take(true);
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
