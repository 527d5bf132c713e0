// The one path a stream of JSON Lines takes into the store, whichever way it comes in (a file,
// stdin, a POST /ingest/ body): cut into chunks of whole lines (sources/jsonl/line-chunks.ts),
// each chunk one batch and one transaction, handed to a sink that prepares and stores batches
// in order, the results merged into one Tally. RabbitMQ messages come one by one with acks, so
// the worker (sources/amqp/worker.ts) batches deliveries itself, on the same lanes and pipeline.
import type {LineDefaults} from './sources/jsonl/line.js';
import {lineChunks, type ChunkBounds} from './sources/jsonl/line-chunks.js';
import type {IngestResult} from './item.js';
import type {LinesChunk} from './prepare.js';
import type {Tally} from './tally.js';

/** Where batches go: prepared and stored in the order given, each in one transaction. */
export interface BatchSink {
  /** Resolves with the batch's result once committed; rejects with the database's error. */
  submit(chunk: LinesChunk, defaults: LineDefaults): Promise<IngestResult>;
  /** Batches that may be in flight while the next is read. */
  readonly ahead: number;
  close(): Promise<void>;
}

/**
 * Files and stdin: 10,000 lines a transaction. Commits cost per dirty page, and inserts into the
 * random-keyed indexes (instance, request, tenant, message) dirty pages all over them: larger
 * batches share pages. No line bound: the file is the operator's own.
 */
export const FILE_BATCH: Omit<ChunkBounds, 'idleMs'> = {lines: 10_000, bytes: 256 * 1024 * 1024, maxLine: Infinity, keepOfLong: 0};
/**
 * POST /ingest/: 2,000 lines or 8 MiB a transaction (README, Limits), so a junk body reaches the
 * rejected-lines bound early and the write lock is held briefly; lines are bounded by the server.
 */
export const UPLOAD_BATCH = {lines: 2000, bytes: 8 * 1024 * 1024};
/** A live tail (stdin, a slow upload): whole lines go out when the input pauses this long. */
export const IDLE_MS = 200;

export interface StreamOptions {
  defaults: LineDefaults;
  bounds: ChunkBounds;
  /** Every committed batch is added here, in order. */
  tally: Tally;
  /** Heard after each batch was added; throwing stops the stream (a bound on what was stored). */
  onBatch?: (tally: Tally) => void;
}

/**
 * Reads `input` to its end. On a failure (reading, storing, or onBatch) nothing more is read,
 * the whole lines read before are stored, every batch already handed to the sink is awaited and
 * counted, and the error is thrown: the tally then says exactly what was committed. A database
 * failure is thrown before one of the input.
 */
export async function ingestStream(input: AsyncIterable<Buffer | string>, sink: BatchSink, options: StreamOptions): Promise<void> {
  const {defaults, tally, onBatch} = options;
  const inFlight: Promise<IngestResult>[] = [];
  let storeFailure: unknown;
  let stopped: unknown;
  const settleOldest = async () => {
    let r: IngestResult;
    try {
      r = await inFlight.shift()!;
    } catch (error) {
      storeFailure ??= error;
      throw error;
    }
    tally.add(r);
    onBatch?.(tally);
  };
  try {
    for await (const chunk of lineChunks(input, options.bounds)) {
      const stored = sink.submit(chunk, defaults);
      stored.catch(() => undefined);
      inFlight.push(stored);
      while (inFlight.length > sink.ahead) await settleOldest();
    }
  } catch (error) {
    stopped = error;
  }
  while (inFlight.length > 0) {
    try {
      await settleOldest();
    } catch (error) {
      stopped ??= error;
    }
  }
  if (storeFailure !== undefined) throw storeFailure;
  if (stopped !== undefined) throw stopped;
}
