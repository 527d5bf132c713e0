// Searches inside the raw JSON (search?field=json__contains&value=…) inflate every row they
// look at: seconds on a large table. They run on a worker thread with a store of their
// own (opened at the store's location), so every other request is answered meanwhile, and are abandoned past a time limit
// (503, and the worker is stopped). How many run at once is bounded too (see limits.ts); the
// others wait their turn, within the same time limit.
import type {Worker} from 'node:worker_threads';
import {startThread} from '../threads.js';
import type {Store} from '../store/api.js';
import type {RawQuery, RawRow} from '../store/types.js';
import type {ServerLimits} from './limits.js';
import {HttpError} from './http-error.js';

export interface JsonSearchRequest {
  /** The store's location (source/store/api.ts), opened read-only by the worker. */
  location: string;
  query: RawQuery;
}

export type JsonSearchReply = {rows: RawRow[]} | {error: string};

/** Searches waiting for a turn beyond those running; past this many more answer 503 at once. */
const QUEUE = 16;

export class JsonSearches {
  private readonly running = new Set<Worker>();
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly store: Store, private readonly limits: Pick<ServerLimits, 'jsonSearchMs' | 'jsonSearches'>) {}

  /** Runs a query with a json filter; a store no other thread can open (in memory, tests only) is searched inline. */
  async run(query: RawQuery): Promise<RawRow[]> {
    const location = this.store.location;
    if (location === undefined) return this.store.raw.rows(query);
    const deadline = Date.now() + this.limits.jsonSearchMs;
    if (this.running.size >= this.limits.jsonSearches) {
      if (this.waiting.length >= QUEUE) {
        throw new HttpError(503, 'Service Unavailable',
          `${this.running.size + this.waiting.length} searches of the raw JSON are running or waiting; try again later.`,
          {}, {'Retry-After': '5'});
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    return this.start(location, query, Math.max(0, deadline - Date.now()));
  }

  private start(location: string, query: RawQuery, ms: number): Promise<RawRow[]> {
    return new Promise<RawRow[]>((resolve, reject) => {
      const worker = startThread('./json-search-worker', import.meta.url, {workerData: {location, query} satisfies JsonSearchRequest});
      this.running.add(worker);
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.running.delete(worker);
        void worker.terminate();
        this.waiting.shift()?.();
        fn();
      };
      const timer = setTimeout(() => settle(() => reject(new HttpError(503, 'Service Unavailable',
        `The search of the raw JSON took longer than ${this.limits.jsonSearchMs} ms and was stopped; ` +
        'narrow it with when_min and when_max.'))), ms);
      worker.on('message', (reply: JsonSearchReply) => settle(() =>
        ('rows' in reply ? resolve(reply.rows) : reject(new Error(reply.error)))));
      worker.on('error', (error) => settle(() => reject(error)));
      worker.on('exit', (code) => settle(() => reject(new Error(`json search worker exited with ${code}`))));
    });
  }

  /** Stops searches still running (the server is closing). */
  close(): void {
    for (const w of this.running) void w.terminate();
    this.running.clear();
  }
}
