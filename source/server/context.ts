// What a handler gets, and what it may answer besides a plain JSON value.
import type {Store} from '../store/api.js';
import type {Micros} from '../core/types.js';
import type {Query} from './params.js';
import type {ServerLimits} from './limits.js';
import type {JsonSearches} from './json-search.js';
import type {WatchTails} from './watch-tail.js';

export interface Context {
  store: Store;
  query: Query;
  /** Captures of the route's path pattern. */
  path: string[];
  now: () => Micros;
  limits: ServerLimits;
  /** Searches inside the raw JSON, run off the main thread (json-search.ts). */
  searches: JsonSearches;
  /** watch's shared tails (watch-tail.ts); absent when the response cache is off. */
  tails?: WatchTails;
}

/** A body sent as it is: the stored report text, or show's empty 200. */
export class RawBody {
  constructor(readonly text: string) {}
}

/**
 * A body made a part at a time (watch, search: source/server/stream-reply.ts): a small one is
 * sent whole, a large one goes out as its parts are made, never held whole.
 */
export class StreamBody {
  constructor(readonly parts: AsyncIterable<string>) {}
}

/** The reply's value (or a RawBody or StreamBody), or a promise of it: handlers await the store. */
export type Handler = (ctx: Context) => unknown;
