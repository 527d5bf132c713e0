// The SQLite engine's Store (source/store/api.ts): the readers of this folder answer
// synchronously on one connection, and their answers are handed out as promises.
import {accessSync, constants, statfsSync, statSync} from 'node:fs';
import {dirname} from 'node:path';
import type {QuarantineReads, RawReads, ReportReads, ReportSource, Store, StoreStats, TimingReads, UsageReads} from '../api.js';
import {countQuarantine, listQuarantine, quarantinePage} from './quarantine-reader.js';
import {closeDatabase, databaseFile, openDatabase, type Db, type OpenOptions} from './database.js';
import {RawReader} from './raw-reader.js';
import {TimingReader} from './timing-reader.js';
import {ReportReader} from './report-reader.js';
import {UsageReader} from './usage-reader.js';
import {sqliteReportSource} from './report-source.js';
import {dataVersion} from './version.js';
import {oldestRetained, pageStats} from './retention.js';
import {promised} from './promised.js';
import {SqliteWriter} from './writer.js';
import type {Writer} from '../types.js';

export class SqliteStore implements Store {
  readonly raw: RawReads;
  readonly timing: TimingReads;
  readonly reports: ReportReads;
  readonly usage: UsageReads;
  readonly quarantine: QuarantineReads;
  readonly reportSource: ReportSource;
  private readonly dataVersion: () => string;

  /** `db` is this engine's own handle: code outside source/store never sees it (tests reach it through sqliteDb). */
  constructor(readonly db: Db) {
    this.raw = promised(new RawReader(db), ['rows', 'show', 'watch', 'watchNewest', 'watchAfterId', 'watchLate', 'watchHeld', 'names',
      'tenantExists', 'deployments']);
    this.timing = promised(new TimingReader(db), ['forInstance', 'byEventName', 'summaryDiffs', 'kpi']);
    this.reports = promised(new ReportReader(db), ['createdBetween', 'search', 'json']);
    this.usage = promised(new UsageReader(db), ['list']);
    this.quarantine = {
      list: async (limit, offset) => listQuarantine(db, limit, offset),
      count: async () => countQuarantine(db),
      page: async (afterId, limit, ids) => quarantinePage(db, afterId, limit, ids),
    };
    this.reportSource = sqliteReportSource(db);
    this.dataVersion = dataVersion(db);
  }

  /** The database file; undefined in memory (see databaseFile). */
  get location(): string | undefined {
    return databaseFile(this.db);
  }

  async version(): Promise<string> {
    return this.dataVersion();
  }

  async stats(): Promise<StoreStats> {
    const p = pageStats(this.db);
    let wal = 0;
    const file = this.location;
    try {
      if (file !== undefined) wal = statSync(`${file}-wal`).size;
    } catch {
      // no WAL file
    }
    return {bytes: p.pages * p.pageSize + wal, freeBytes: p.freePages * p.pageSize, oldest: oldestRetained(this.db)};
  }

  async writeProblem(minFreeBytes: number): Promise<string | null> {
    if (!this.db.open) return 'closed';
    const file = this.location;
    if (file === undefined) return null;
    try {
      accessSync(file, constants.W_OK);
      accessSync(dirname(file), constants.W_OK);
      const fs = statfsSync(dirname(file));
      const free = fs.bavail * fs.bsize;
      return free < minFreeBytes ? `only ${free} bytes free on its file system (minimum ${minFreeBytes})` : null;
    } catch (error) {
      return `not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    }
  }

  writer(): Writer {
    return new SqliteWriter(this.db);
  }

  async close(): Promise<void> {
    closeDatabase(this.db);
  }
}

/** Opens (creating and migrating, unless read-only) a SQLite file, or ":memory:". */
export function openSqliteStore(path: string, options: OpenOptions = {}): SqliteStore {
  return new SqliteStore(openDatabase(path, options));
}

/**
 * The connection under a SQLite store, for what has not gone through the Store interface yet
 * (the ingest pipeline and the worker take a Db until they have a Writer) and for tests that
 * look at tables directly. Throws for any other engine.
 */
export function sqliteDb(store: Store): Db {
  if (!(store instanceof SqliteStore)) throw new Error('this needs a SQLite store');
  return store.db;
}
