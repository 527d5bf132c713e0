// Errors a handler throws to answer with a stacky error table: [["Error","Message"],[type,msg]].
// An upload that fails part-way adds the counts committed so far as more columns, so a client
// knows exactly what was stored (see source/server/ingest-handler.ts).

export type ErrorStatus = 400 | 403 | 404 | 405 | 408 | 413 | 415 | 503 | 507;

export class HttpError extends Error {
  constructor(readonly status: ErrorStatus, readonly type: string, message: string,
    readonly extra: Readonly<Record<string, number>> = {}, readonly headers: Readonly<Record<string, string>> = {}) {
    super(message);
  }
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, 'Bad Request', message);
}

export function notFound(message: string): HttpError {
  return new HttpError(404, 'Not Found', message);
}

export function errorTable(e: HttpError): unknown[][] {
  return [['Error', 'Message', ...Object.keys(e.extra)], [e.type, e.message, ...Object.values(e.extra)]];
}

/** Seconds a client waits before asking again while the database cannot answer (issue #16). */
export const STORE_RETRY_AFTER_S = 5;

/** The database is down or restarting (source/store/errors.ts isStoreUnavailable): 503, retry later. */
export function storeUnavailable(): HttpError {
  return new HttpError(503, 'Service Unavailable', 'The database cannot answer now; retry shortly.', {},
    {'Retry-After': String(STORE_RETRY_AFTER_S)});
}
