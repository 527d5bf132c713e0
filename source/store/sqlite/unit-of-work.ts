// Transaction boundaries, behind the store's own API: callers hand the store a function and get
// its result back; they never see the engine's transaction objects. On SQLite the function runs
// synchronously inside one transaction. An engine that writes asynchronously (PostgreSQL, issue
// #16) implements the same two boundaries with async functions returning promises, and its
// callers await them; nothing else about the caller changes.
import type {Db} from './database.js';
import {inWriteTransaction} from './write-lock.js';

/**
 * The unit of work: `work`, made once and called per batch, runs as one write transaction and
 * returns what it returns. If it throws, nothing it wrote stays, and the error is thrown. The
 * transaction takes the write lock first, as write-lock.ts does for every writer; inside a
 * transaction already open on `db` (the bench's writer opens one to time its wait) it is a
 * savepoint of that one.
 */
export function unitOfWork<A extends unknown[], R>(db: Db, work: (...args: A) => R): (...args: A) => R {
  const nested = db.transaction(work);
  return (...args: A) => (db.inTransaction ? nested(...args) : inWriteTransaction(db, () => work(...args)));
}

/**
 * `read` on one consistent snapshot of the database (a deferred read transaction): writers go on
 * meanwhile, and every query inside sees the same rows.
 */
export function snapshot<R>(db: Db, read: () => R): R {
  return db.transaction(read).deferred();
}
