// Reads of the quarantine table for `stacky quarantine`.
import type {Db} from './database.js';

export interface QuarantineRow {
  id: number;
  received: number;
  source: string;
  deployment: string | null;
  exchange: string | null;
  routing_key: string | null;
  line: number | null;
  error: string;
  raw: Buffer | null;
}

export function listQuarantine(db: Db, limit: number, offset = 0): QuarantineRow[] {
  return db.prepare<[number, number], QuarantineRow>(`SELECT id, received, source, deployment, exchange,
    routing_key, line, error, raw FROM stacky_quarantine ORDER BY id DESC LIMIT ? OFFSET ?`).all(limit, offset);
}

export function countQuarantine(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM stacky_quarantine').get() as {n: number}).n;
}
