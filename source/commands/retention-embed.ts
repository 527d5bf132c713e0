// `--retain DURATION` on serve and worker: a pruning pass now and then, in the background.
// Each step is one short transaction (source/store/retention.ts); between steps the event loop
// runs, so requests, deliveries and ingest batches are served while a pass goes on.
import {isOpen, type Db} from '../store/database.js';
import {emptyCounts, pruneSteps, type PruneCounts} from '../store/retention.js';
import type {Micros} from '../core/types.js';
import {parseRetain} from '../core/retain.js';
import {UsageError} from './args.js';
import {DEFAULT_RETAIN_EVERY_S} from './specs/shared.js';


export interface RetentionHandle {
  stop(): Promise<void>;
  /** Resolves after the pass in progress (or the next one) is done; for tests. */
  readonly passes: number;
}

export function retainFlag(value: string | undefined): Micros | undefined {
  if (value === undefined) return undefined;
  const us = parseRetain(value);
  if (us === null) throw new UsageError(`--retain takes a span like 30d, 12h, 90m or 2w, got '${value}'`);
  return us;
}

export function startRetention(db: Db, retain: Micros, options: {
  everySeconds?: number; log?: (event: string, fields: Record<string, unknown>) => void; now?: () => number;
} = {}): RetentionHandle {
  const now = options.now ?? Date.now;
  let stopping = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let passes = 0;
  const pass = async () => {
    const cutoff = now() * 1000 - retain;
    const counts: PruneCounts = emptyCounts();
    const start = performance.now();
    for (const step of pruneSteps(db, cutoff, counts)) {
      if (stopping || !isOpen(db)) return;
      step();
      // setImmediate lets pending I/O (requests, deliveries) run between two transactions.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    passes++;
    options.log?.('retention pass', {cutoff_us: cutoff, ...counts, seconds: Math.round(performance.now() - start) / 1000});
  };
  const schedule = (ms: number) => {
    timer = setTimeout(() => {
      running = pass().catch((error: unknown) => {
        options.log?.('retention failed', {error: (error as Error).message});
      }).finally(() => {
        running = undefined;
        if (!stopping) schedule((options.everySeconds ?? DEFAULT_RETAIN_EVERY_S) * 1000);
      });
    }, ms);
    timer.unref();
  };
  schedule(0);
  return {
    get passes() {
      return passes;
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
