// Two cores, two halves: a worker thread parses and deflates the next batch while the main
// thread writes the current one to the store. Used for files, stdin and RabbitMQ.
import type {Worker} from 'node:worker_threads';
import {startThread} from '../threads.js';
import {availableParallelism} from 'node:os';
import type {Writer} from '../store/types.js';
import {Pipeline, type PipelineOptions, type RowOutcome} from './pipeline.js';
import type {LinesChunk, PackedItems, Prepared, Work} from './prepare.js';
import type {PrepareReply, PrepareRequest} from './prepare-worker.js';
import type {LineDefaults} from './sources/jsonl/line.js';
import type {IngestResult} from './item.js';
import type {BatchSink} from './stream.js';

/** A preparing thread. */
function startWorker(): Worker {
  // Each notification leaves ~10 KB of short-lived garbage: a larger young generation means
  // fewer scavenges (measured: about 2% more notifications/s).
  return startThread('./prepare-worker', import.meta.url, {resourceLimits: {maxYoungGenerationSizeMb: 96}});
}

/**
 * Worker lanes: parsing and deflating cost about twice what SQLite does per notification, so
 * with two cores two preparing workers keep the writing main thread busy. Each lane has its
 * own keyframes; batches go round-robin and are stored strictly in input order (files, RabbitMQ).
 */
export function laneCount(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export class ParallelIngest {
  private readonly worker: Worker;
  private readonly pipeline: Pipeline;
  private readonly waiting = new Map<number, {resolve: (rows: Prepared[]) => void; reject: (e: Error) => void}>();
  private nextId = 0;
  private failed: Error | undefined;

  /** `writer` is this lane's own (keyframe numbers belong to the worker); closing the lane closes it. */
  constructor(private readonly writer: Writer, options: PipelineOptions) {
    // The rows are stored by a pipeline of their own: keyframe numbers belong to the worker.
    this.pipeline = new Pipeline(writer, options);
    this.worker = startWorker();
    this.worker.unref();
    this.worker.on('message', (reply: PrepareReply) => {
      const w = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      w?.resolve(reply.rows);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`prepare worker exited with ${code}`)));
  }

  private fail(error: Error): void {
    this.failed ??= error;
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
  }

  /**
   * Hands a batch to the worker; resolves with the prepared rows, in order. The bytes of a chunk
   * or of packed items are transferred: the caller must not use them afterwards.
   */
  prepare(work: Work[] | LinesChunk | PackedItems, defaults: LineDefaults): Promise<Prepared[]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = ++this.nextId;
    const promise = new Promise<Prepared[]>((resolve, reject) => {
      this.waiting.set(id, {resolve, reject});
      const transfer = Array.isArray(work) ? [] : [work.bytes.buffer as ArrayBuffer];
      this.worker.postMessage({id, work, defaults} satisfies PrepareRequest, transfer);
    });
    // Callers await it later; until then a worker failure must not count as unhandled.
    promise.catch(() => {});
    return promise;
  }

  /** Writes prepared rows in one transaction, from the calling thread. */
  async store(rows: Prepared[], onRow?: RowOutcome): Promise<IngestResult> {
    try {
      return await this.pipeline.store(rows, onRow);
    } catch (error) {
      this.worker.postMessage('reset');
      throw error;
    }
  }

  /** Rows prepared by this lane that will not be stored (see Pipeline.skip). */
  skip(rows: Prepared[]): void {
    this.pipeline.skip(rows);
  }

  /** Ends the thread; a batch still being prepared is rejected, so that its caller goes on. Closes the writer. */
  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
    this.fail(new Error('prepare worker closed'));
    await this.writer.close();
  }
}

/**
 * A sink of batches for ingestStream (stream.ts): each batch is prepared on the next lane in turn
 * while the calling thread stores the ones before it, strictly in input order.
 */
export function laneSink(writer: Writer, options: PipelineOptions): BatchSink {
  const lanes = Array.from({length: laneCount()}, () => new ParallelIngest(writer.fork(), options));
  let turn = 0;
  let chain: Promise<unknown> = Promise.resolve();
  return {
    ahead: lanes.length,
    submit(chunk, defaults) {
      const lane = lanes[turn++ % lanes.length]!;
      const rows = lane.prepare(chunk, defaults);
      const stored = chain.then(async () => lane.store(await rows));
      chain = stored.catch(() => undefined);
      return stored;
    },
    async close() {
      await Promise.all(lanes.map((l) => l.close()));
    },
  };
}
