// `--retain DURATION` on serve and worker: a pruning pass now and then, in the background, on a
// thread with its own connection (retention-thread.ts): each step is one short transaction or
// statement (the store's Pruner, source/store/api.ts), and requests, deliveries and ingest batches never wait behind it.
import type {Worker} from 'node:worker_threads';
import type {Micros} from '../core/types.js';
import {parseRetain} from '../core/retain.js';
import {UsageError} from './args.js';
import {DEFAULT_RETAIN_EVERY_S} from './specs/shared.js';
import {startWriterThread, stopWriterThread} from './writer-thread.js';
import type {RetentionReply, RetentionRequest, RetentionThreadData} from './retention-thread.js';

export interface RetentionHandle {
  stop(): Promise<void>;
  /** Passes completed so far. */
  readonly passes: number;
}

export function retainFlag(value: string | undefined): Micros | undefined {
  if (value === undefined) return undefined;
  const us = parseRetain(value);
  if (us === null) throw new UsageError(`--retain takes a span like 30d, 12h, 90m or 2w, got '${value}'`);
  return us;
}

export function startRetention(location: string, retain: Micros, options: {
  everySeconds?: number; log?: (event: string, fields: Record<string, unknown>) => void; now?: () => number;
} = {}): RetentionHandle {
  const now = options.now ?? Date.now;
  let stopping = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let passes = 0;
  let thread: Worker | undefined;
  const pass = () => new Promise<void>((resolve, reject) => {
    thread ??= startWriterThread('retention-thread', {location} satisfies RetentionThreadData);
    const t = thread;
    // A pass in progress keeps the process up; between passes the thread does not.
    t.ref();
    const cutoff = now() * 1000 - retain;
    const settle = () => {
      t.unref();
      t.off('message', done);
      t.off('error', failed);
      t.off('exit', exited);
    };
    const done = (reply: RetentionReply) => {
      settle();
      if ('error' in reply) return reject(new Error(reply.error));
      passes++;
      options.log?.('retention pass', {cutoff_us: cutoff, ...reply.counts, seconds: reply.seconds});
      resolve();
    };
    const failed = (error: Error) => {
      settle();
      if (thread === t) thread = undefined;
      reject(error);
    };
    const exited = () => failed(new Error('the retention thread stopped'));
    t.on('message', done);
    t.on('error', failed);
    t.on('exit', exited);
    t.postMessage({cutoff, nowMs: now()} satisfies RetentionRequest);
  });
  const schedule = (ms: number) => {
    timer = setTimeout(() => {
      running = pass().catch((error: unknown) => {
        options.log?.('retention failed', {error: (error as Error).message});
      }).finally(() => {
        running = undefined;
        if (!stopping) schedule((options.everySeconds ?? DEFAULT_RETAIN_EVERY_S) * 1000);
      });
    }, ms);
    // The first pass starts now whatever else the process does; later ones only while it runs.
    if (ms > 0) timer.unref();
  };
  schedule(0);
  return {
    get passes() {
      return passes;
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      // The thread ends its pass between two transactions and closes its connection.
      if (thread) {
        thread.ref();
        await stopWriterThread(thread);
      }
      await running;
    },
  };
}
