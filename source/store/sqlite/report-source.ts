// The report builders' side on SQLite (source/store/api.ts ReportSource): report-queries.ts's
// statements answered as promises, and snapshots read on a connection of their own.
import type {ReportQueries, ReportSource} from '../api.js';
import {closeDatabase, databaseFile, openDatabase, type Db} from './database.js';
import {SqliteReportQueries} from './report-queries.js';
import {promised} from './promised.js';

function asyncQueries(q: SqliteReportQueries): ReportQueries {
  return promised(q, ['deployments', 'updatedInstances', 'requestPairs', 'rawsForRequest', 'rawJson', 'earliestRaw',
    'findReport']);
}

export function sqliteReportSource(db: Db): ReportSource {
  const queries = new SqliteReportQueries(db);
  const reads = asyncQueries(queries);
  return {
    ...reads,
    ...promised(queries, ['insertReport', 'insertReportOnce']),
    /**
     * The reads span awaits, while this connection goes on serving others (the server's reads, an
     * embedded worker's writes): a read transaction on it would take their statements in. So the
     * snapshot is a read transaction on a read-only connection of its own. An in-memory database
     * has no second connection: there the reads run on this one, outside a transaction.
     */
    async snapshot<R>(read: (q: ReportQueries) => Promise<R>): Promise<R> {
      const file = databaseFile(db);
      if (file === undefined) return read(reads);
      const own = openDatabase(file, {readonly: true});
      try {
        own.exec('BEGIN DEFERRED');
        return await read(asyncQueries(new SqliteReportQueries(own)));
      } finally {
        // Only read: ending it with COMMIT or ROLLBACK is the same.
        if (own.inTransaction) own.exec('COMMIT');
        closeDatabase(own);
      }
    },
  };
}
