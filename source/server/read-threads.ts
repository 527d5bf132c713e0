// Reads on more than one core (issue #18): the uncached answers of read routes are built (query
// and serialisation) on read threads, each with a read-only store of its own (opened at the
// store's location), while the serving thread parses requests, screens them, serves the response
// cache and writes replies. The engines let every connection read while one writes. How many: `serve --read-threads N` (0: all on
// the serving thread), see the README's Limits table.
import {availableParallelism} from 'node:os';
import type {Worker} from 'node:worker_threads';
import {startThread} from '../threads.js';
import type {ServerLimits} from './limits.js';
import {HttpError, type ErrorStatus} from './http-error.js';

/** One read thread a core besides the serving thread's, at most 4; 1 on a machine of one or two cores. */
export const DEFAULT_READ_THREADS = Math.max(1, Math.min(4, availableParallelism() - 1));

/** One request for a read thread: the route's index in ROUTES, its captures, the query string and the clock's reading. */
export interface ReadRequest {
  id: number;
  route: number;
  captures: string[];
  search: string;
  now: number;
}

/** The reply text, a stacky error table's fields, or an internal error to log as the serving thread would. */
export type ReadReply = {id: number; text: string}
  | {id: number; http: {status: ErrorStatus; type: string; message: string; extra: Record<string, number>; headers: Record<string, string>}}
  | {id: number; internal: {name: string; message: string; code?: string}};

/** The thread's error, rebuilt so the serving thread logs and answers it as its own. */
function rebuilt(reply: ReadReply): Error | undefined {
  if ('http' in reply) {
    const h = reply.http;
    return new HttpError(h.status, h.type, h.message, h.extra, h.headers);
  }
  if ('internal' in reply) {
    // The code travels too: the serving thread tells a database that is away by it (source/server/app.ts).
    const e = Object.assign(new Error(reply.internal.message), reply.internal.code === undefined ? {} : {code: reply.internal.code});
    e.name = reply.internal.name;
    return e;
  }
  return undefined;
}

interface Reader {
  worker: Worker;
  /** Its connection is open: until then the serving thread answers (a thread takes a moment to start). */
  ready: boolean;
  pending: Map<number, {resolve: (text: string) => void; reject: (e: Error) => void}>;
}

export class ReadThreads {
  private readonly readers: Reader[] = [];
  private next = 0;
  private readonly started: Promise<void>[] = [];
  /** Replies the threads built (tests and diagnostics). */
  answered = 0;

  /** `location`: the store's (source/store/api.ts), which each thread opens read-only. */
  constructor(location: string, count: number, limits: ServerLimits) {
    for (let i = 0; i < count; i++) {
      const reader: Reader = {worker: startThread('./read-thread-worker', import.meta.url, {workerData: {location, limits}}), ready: false, pending: new Map()};
      this.started.push(new Promise<void>((resolve) => {
        reader.worker.once('message', () => resolve());
        reader.worker.once('exit', () => resolve());
      }));
      reader.worker.on('message', (reply: ReadReply | 'ready') => {
        if (reply === 'ready') {
          reader.ready = true;
          return;
        }
        const p = reader.pending.get(reply.id);
        if (!p) return;
        reader.pending.delete(reply.id);
        this.answered++;
        const error = rebuilt(reply);
        if (error) p.reject(error);
        else p.resolve((reply as {text: string}).text);
      });
      const fail = (error: Error) => {
        for (const p of reader.pending.values()) p.reject(error);
        reader.pending.clear();
      };
      reader.worker.on('error', fail);
      reader.worker.on('exit', (code) => {
        // Gone (stopped, or it failed): the serving thread answers what it would have.
        this.readers.splice(this.readers.indexOf(reader) >>> 0, 1);
        fail(new Error(`read thread exited with ${code}`));
      });
      reader.worker.unref();
      this.readers.push(reader);
    }
  }

  /** Resolves once every thread has said it is ready (or has gone). */
  async whenReady(): Promise<void> {
    await Promise.all(this.started);
  }

  /** The reply text of a read route, built on the ready read thread with the fewest requests in hand; undefined when none is ready. */
  run(route: number, captures: string[], search: string, now: number): Promise<string> | undefined {
    let reader: Reader | undefined;
    for (const r of this.readers) if (r.ready && (!reader || r.pending.size < reader.pending.size)) reader = r;
    if (!reader) return undefined;
    const id = ++this.next;
    return new Promise<string>((resolve, reject) => {
      reader.pending.set(id, {resolve, reject});
      reader.worker.postMessage({id, route, captures, search, now} satisfies ReadRequest);
    });
  }

  /** Stops the threads (the server is closing); requests still in hand fail. */
  close(): void {
    for (const r of this.readers) r.worker.postMessage('stop');
  }
}
