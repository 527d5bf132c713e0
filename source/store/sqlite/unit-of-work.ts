// Transaction boundaries, behind the store's own API: callers hand the store a function and get
// its result back; they never see the engine's transaction objects. On SQLite the function runs
// synchronously inside one transaction. An engine that writes asynchronously (PostgreSQL, issue
// #16) implements the same two boundaries with async functions returning promises, and its
// callers await them; nothing else about the caller changes.
import type {Db} from './database.js';

/**
 * The unit of work: `work`, made once and called per batch, runs as one write transaction and
 * returns what it returns. If it throws, nothing it wrote stays, and the error is thrown.
 */
export function unitOfWork<A extends unknown[], R>(db: Db, work: (...args: A) => R): (...args: A) => R {
  const tx = db.transaction(work);
  return (...args: A) => tx(...args);
}

/**
 * `read` on one consistent snapshot of the database (a deferred read transaction): writers go on
 * meanwhile, and every query inside sees the same rows.
 */
export function snapshot<R>(db: Db, read: () => R): R {
  return db.transaction(read).deferred();
}
