// Reads of stored reports (stacktach_jsonreport) for reports, reports/search and report/<id>.
import type {Db} from './database.js';
import type {ReportFilter, ReportRow} from '../types.js';
import type {Micros} from '../../core/types.js';

const COLUMNS = 'id, period_start, period_end, created, name, version';

export class ReportReader {
  private readonly listStmt;
  private readonly jsonStmt;

  constructor(private readonly db: Db) {
    this.listStmt = db.prepare<[Micros, Micros, number, number], ReportRow>(`SELECT ${COLUMNS}
      FROM stacktach_jsonreport WHERE created >= ? AND created <= ? ORDER BY id LIMIT ? OFFSET ?`);
    this.jsonStmt = db.prepare<[number], {json: string}>('SELECT json FROM stacktach_jsonreport WHERE id = ?');
  }

  createdBetween(from: Micros, to: Micros, limit: number, offset: number): ReportRow[] {
    return this.listStmt.all(from, to, limit, offset);
  }

  search(f: ReportFilter, limit: number, offset: number): ReportRow[] {
    const conds: string[] = [];
    const params: (string | number)[] = [];
    const add = (sql: string, v: string | number | undefined) => {
      if (v === undefined) return;
      conds.push(sql);
      params.push(v);
    };
    add('id = ?', f.id);
    add('name = ? COLLATE NOCASE', f.name);
    add('created > ?', f.createdAfter);
    add('created < ?', f.createdBefore);
    add('period_start = ?', f.periodStart);
    add('period_end = ?', f.periodEnd);
    const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
    return this.db.prepare<unknown[], ReportRow>(`SELECT ${COLUMNS} FROM stacktach_jsonreport ${where}
      ORDER BY id DESC LIMIT ? OFFSET ?`).all(...params, limit, offset);
  }

  /** The stored text, verbatim. */
  json(id: number): string | undefined {
    return this.jsonStmt.get(id)?.json;
  }
}
