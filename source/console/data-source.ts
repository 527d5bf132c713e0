// The only way the console reaches the server. The real source is a StackyClient
// (client-source.ts); tests hand the app a fake with the same methods, so panes can be
// exercised without a server. No client library is loaded here (start-up, first-frame.ts).
import type {StackyClient} from '../client/client.js';
import {StackyHttpError, StackyUnreachableError} from '../client/errors.js';

export type ConsoleSource = Pick<
  StackyClient,
  | 'deployments'
  | 'events'
  | 'hosts'
  | 'uuid'
  | 'timingsForUuid'
  | 'request'
  | 'show'
  | 'watch'
  | 'search'
  | 'reports'
  | 'report'
  | 'summary'
  | 'kpi'
> & {readonly baseUrl: string};

export interface Problem {
  kind: 'unreachable' | 'http' | 'other';
  status?: number;
  message: string;
}

/** One status-line message for anything a source call threw. */
export function describeError(error: unknown): Problem {
  // The URL is named: with several consoles open, which server is down matters (#8).
  if (error instanceof StackyUnreachableError) return {kind: 'unreachable', message: `server unreachable at ${error.url} (${error.cause})`};
  if (error instanceof StackyHttpError) return {kind: 'http', status: error.status, message: `${error.status} ${error.message}`};
  const e = error as {name?: string; message?: string; status?: number; cause?: unknown} | undefined;
  // Tolerate look-alikes (a fake source in another module graph).
  if (e?.name === 'StackyUnreachableError') {
    const url = (e as {url?: string}).url;
    return {kind: 'unreachable', message: `server unreachable${url ? ` at ${url}` : ''} (${String(e.cause ?? e.message)})`};
  }
  if (e?.name === 'StackyHttpError') return {kind: 'http', status: e.status, message: `${e.status ?? ''} ${e.message ?? ''}`.trim()};
  return {kind: 'other', message: e?.message ?? String(error)};
}

/** Retry delay for the n-th consecutive failure (1-based): 1 s, 2 s, 4 s … capped at 30 s. */
export function backoffMs(attempt: number, baseMs = 1000, capMs = 30_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
