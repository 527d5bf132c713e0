// The store's errors as the rest of Stacky sees them, whatever the engine (issue #16).

/**
 * Opening a store failed for a reason an operator fixes outside Stacky (a database down or
 * refusing us, a schema this stacky cannot use): commands print the message as one line and
 * exit 1 (source/commands/spec.ts), never a stack. Messages never hold a password.
 */
export class StoreOpenError extends Error {}

/** A connection that failed or was cut: node's codes, postgres.js's, and PostgreSQL's class 08 and shutdowns. */
export const CONNECTION_CODES: readonly string[] = ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', '57P01', '57P02', '57P03', '08006', '08001', '08003', '08004'];

/**
 * The database cannot answer now and may soon (down, restarting, out of connections), as
 * opposed to a query that fails: the server answers 503 with Retry-After
 * (source/server/app.ts). PostgreSQL class 53 is "insufficient resources" (too many connections).
 */
export function isStoreUnavailable(error: unknown): boolean {
  const code = (error as {code?: unknown} | null)?.code;
  return typeof code === 'string' && (CONNECTION_CODES.includes(code) || /^(08|53)/.test(code));
}
