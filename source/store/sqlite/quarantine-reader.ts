// Reads of the quarantine table for `stacky quarantine`.
import type {Db} from './database.js';
import type {QuarantineRow} from '../types.js';

export function listQuarantine(db: Db, limit: number, offset = 0): QuarantineRow[] {
  return db.prepare<[number, number], QuarantineRow>(`SELECT id, received, source, deployment, exchange,
    routing_key, line, error, raw FROM stacky_quarantine ORDER BY id DESC LIMIT ? OFFSET ?`).all(limit, offset);
}

export function countQuarantine(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM stacky_quarantine').get() as {n: number}).n;
}

/** Entries after `afterId` in id order, all or only `ids`: the pages `stacky quarantine --replay` walks. */
export function quarantinePage(db: Db, afterId: number, limit: number, ids?: readonly number[]): QuarantineRow[] {
  const columns = 'id, received, source, deployment, exchange, routing_key, line, error, raw';
  if (ids === undefined) {
    return db.prepare<[number, number], QuarantineRow>(`SELECT ${columns} FROM stacky_quarantine WHERE id > ?
      ORDER BY id LIMIT ?`).all(afterId, limit);
  }
  return db.prepare<[number, string, number], QuarantineRow>(`SELECT ${columns} FROM stacky_quarantine WHERE id > ?
    AND id IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ?`).all(afterId, JSON.stringify(ids), limit);
}
