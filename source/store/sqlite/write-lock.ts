// How every writer of this engine takes SQLite's write lock: BEGIN IMMEDIATE tried again every
// POLL_MS while someone else holds it, instead of through SQLite's busy handler.
//
// The busy handler that busy_timeout installs sleeps between retries in growing steps (1, 2, 5,
// 10, 15, 20, 25, 25, 25, then 50 ms), so a lock held for 34 ms is only noticed 53 ms after the
// wait began, and one held for 54 ms at 78 ms. Polling every millisecond, a writer gets the lock
// about a millisecond after the holder lets go, whatever the hold: its stall is the hold plus
// ~1 ms (README "Retention"). The wait has the same bound as busy_timeout had (LOCK_WAIT_MS);
// past it the SQLITE_BUSY error is thrown, as the busy handler's was.
import type {Db} from './database.js';

/** Longest wait for another connection's write lock (also the busy_timeout of database.ts). */
export const LOCK_WAIT_MS = 10_000;
/** Sleep between two tries while the lock is taken. */
export const POLL_MS = 1;

/** Something to sleep on synchronously: no one ever notifies it, so Atomics.wait just times out. */
const sleeper = new Int32Array(new SharedArrayBuffer(4));

const isBusy = (error: unknown) => String((error as {code?: unknown})?.code ?? '').startsWith('SQLITE_BUSY');

/**
 * Begins a write transaction (BEGIN IMMEDIATE) on `db`, waiting for another connection's write
 * lock up to `waitMs` by trying every POLL_MS with SQLite's busy handler off; answers how long it
 * waited (ms). Blocks the calling thread meanwhile, as the busy handler did.
 */
export function beginImmediate(db: Db, waitMs = LOCK_WAIT_MS): number {
  const start = performance.now();
  return withoutBusyHandler(db, () => {
    for (;;) {
      try {
        db.exec('BEGIN IMMEDIATE');
        return performance.now() - start;
      } catch (error) {
        if (!isBusy(error) || performance.now() - start >= waitMs) throw error;
      }
      Atomics.wait(sleeper, 0, 0, POLL_MS);
    }
  });
}

/** Runs `body` with SQLite's busy handler off (a lock that is taken fails at once), then puts busy_timeout back. */
export function withoutBusyHandler<T>(db: Db, body: () => T): T {
  const timeout = db.pragma('busy_timeout', {simple: true}) as number;
  db.pragma('busy_timeout = 0');
  try {
    return body();
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}

/** Runs `body` in a write transaction begun by beginImmediate: committed, or rolled back if it throws. */
export function inWriteTransaction<T>(db: Db, body: () => T, waitMs = LOCK_WAIT_MS): T {
  beginImmediate(db, waitMs);
  try {
    const result = body();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
