// POST /ingest/'s writer thread (issue #18): batches are parsed and stored on a thread with its
// own SQLite connection, so no request waits behind one; the server sees the commits through the
// data version (source/store/sqlite/version.ts). Batches of all uploads queue on the one thread, in order.
import type {Worker} from 'node:worker_threads';
import {startThread} from '../../../threads.js';
import type {IngestResult} from '../../item.js';
import type {LinesChunk} from '../../prepare.js';
import type {LineDefaults} from '../jsonl/line.js';
import type {BatchSink} from '../../stream.js';
import type {RowStatus} from '../../pipeline.js';

export interface IngestThreadData {
  dbPath: string;
  source: string;
}

export type IngestThreadRequest = {id: number; chunk: LinesChunk; defaults: LineDefaults};
/** A batch's rows by outcome: [deployment, exchange, status, rows] (for /metrics). */
export type OutcomeCount = [string, string, RowStatus, number];
export type IngestThreadReply = {id: number; result: IngestResult; outcomes: OutcomeCount[]} | {id: number; error: string; code?: string};
/** Hears each committed batch's rows by outcome, on the calling thread (the server's metrics). */
export type ObserveOutcomes = (deployment: string, exchange: string, status: RowStatus, rows: number) => void;

export class IngestThread implements BatchSink {
  /** One batch is stored while the next is read and cut. */
  readonly ahead = 1;
  private thread: Worker | undefined;
  private next = 0;
  private readonly waiting = new Map<number, {resolve: (r: IngestResult) => void; reject: (e: Error) => void}>();

  constructor(private readonly data: IngestThreadData, private readonly observe?: ObserveOutcomes) {}

  /** The chunk's bytes are transferred to the thread: the caller must not use them afterwards. */
  submit(chunk: LinesChunk, defaults: LineDefaults): Promise<IngestResult> {
    const thread = this.thread ?? this.start();
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, {resolve, reject});
      thread.postMessage({id, chunk, defaults} satisfies IngestThreadRequest, [chunk.bytes.buffer as ArrayBuffer]);
    });
  }

  /** Started on the first batch; a thread that died is started again on the next. */
  private start(): Worker {
    const thread = startThread('./writer-thread-worker', import.meta.url, {workerData: this.data});
    thread.on('message', (m: IngestThreadReply) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if ('result' in m) {
        if (this.observe) for (const [deployment, exchange, status, n] of m.outcomes) this.observe(deployment, exchange, status, n);
        w?.resolve(m.result);
      }
      else w?.reject(Object.assign(new Error(m.error), {code: m.code}));
    });
    const died = (error: Error) => {
      if (this.thread === thread) this.thread = undefined;
      for (const w of this.waiting.values()) w.reject(error);
      this.waiting.clear();
    };
    thread.on('error', died);
    thread.on('exit', () => died(new Error('the ingest thread stopped')));
    thread.unref();
    this.thread = thread;
    return thread;
  }

  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    if (!thread) return;
    // Batches already sent are stored first: the thread reads its messages in order.
    await new Promise<void>((resolve) => {
      thread.once('exit', () => resolve());
      thread.postMessage('close');
    });
  }
}
