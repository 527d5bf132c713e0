// The SQLite Writer (source/store/types.ts): a batch is one unit of work (unit-of-work.ts), one
// transaction, run synchronously; the promise it returns is already settled.
import type {Db} from './database.js';
import {closeDatabase} from './database.js';
import type {Micros} from '../../core/types.js';
import {KeyframeIds} from '../keyframe-ids.js';
import type {BatchOutcome, Derive, DerivedTables, QuarantineEntry, RejectedRow, StoreRow, Writer} from '../types.js';
import {DerivedWriter} from './derived-writer.js';
import {RawWriter} from './raw-writer.js';
import {unitOfWork} from './unit-of-work.js';
import {UsageWriter} from './usage-writer.js';

const ID_MARK_EVERY_US = 60_000_000;

type Row = StoreRow | RejectedRow;
type Replayed = {id: number; row: Row};

export class SqliteWriter implements Writer {
  private readonly raw: RawWriter;
  private readonly tables: DerivedTables;
  private readonly keyframeIds = new KeyframeIds();
  private lastMark = -Infinity;
  private readonly batch: (rows: Row[], derive: Derive, now: Micros) => BatchOutcome;
  private readonly replayBatch: (entries: Replayed[], derive: Derive) => BatchOutcome;
  private readonly deployments: (names: string[]) => void;

  /** `owns`: closing this writer closes `db` (openWriter's own connection; forks and shared handles do not). */
  constructor(private readonly db: Db, private readonly owns = false) {
    this.raw = new RawWriter(db);
    this.tables = {derived: new DerivedWriter(db), usage: new UsageWriter(db)};
    this.batch = unitOfWork(db, (rows: Row[], derive: Derive, now: Micros) => {
      // Which ids existed when, for retention (source/store/retention.ts), once a minute at most.
      if (Math.abs(now - this.lastMark) >= ID_MARK_EVERY_US) {
        this.raw.markIds(now);
        this.lastMark = now;
      }
      const out: BatchOutcome = {statuses: [], warnings: []};
      for (const row of rows) this.one(row, derive, now, out);
      return out;
    });
    this.replayBatch = unitOfWork(db, (entries: Replayed[], derive: Derive) => {
      const out: BatchOutcome = {statuses: [], warnings: []};
      for (const {id, row} of entries) {
        if (row.kind === 'rejected') {
          // Still not a notification: it stays, with today's reason.
          this.raw.requarantine(id, row.error);
          out.statuses.push('rejected');
          out.warnings.push(undefined);
          continue;
        }
        this.one(row, derive, 0, out);
        this.raw.unquarantine(id);
      }
      return out;
    });
    // A unit of work even for one row: every write takes the lock as write-lock.ts does.
    this.deployments = unitOfWork(db, (names: string[]) => {
      for (const name of names) this.raw.deploymentId(name);
    });
  }

  write(rows: Row[], derive: Derive, now: Micros): Promise<BatchOutcome> {
    return settled(() => this.batch(rows, derive, now));
  }

  replay(entries: Replayed[], derive: Derive): Promise<BatchOutcome> {
    return settled(() => this.replayBatch(entries, derive));
  }

  quarantine(entries: QuarantineEntry[], receivedAt: Micros): Promise<void> {
    return settled(() => this.raw.quarantineAll(entries, receivedAt));
  }

  addDeployments(names: string[]): Promise<void> {
    return settled(() => {
      try {
        this.deployments(names);
      } catch (error) {
        // Rolled back: the ids cached meanwhile name rows that were never committed.
        this.raw.forgetCaches();
        throw error;
      }
    });
  }

  /** Locked past the busy timeout, disk full, I/O error, read-only...: SQLite's result codes. */
  unavailable(error: unknown): boolean {
    const code = (error as {code?: unknown})?.code;
    return typeof code === 'string' &&
      /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CORRUPT|CANTOPEN|NOMEM|NOTADB|PROTOCOL|PERM|AUTH)/.test(code);
  }

  skip(rows: StoreRow[]): void {
    this.keyframeIds.skip(rows);
  }

  reset(): void {
    this.raw.forgetCaches();
    this.keyframeIds.clear();
  }

  fork(): Writer {
    return new SqliteWriter(this.db);
  }

  async close(): Promise<void> {
    if (this.owns) closeDatabase(this.db);
  }

  /** Row by row, in order: its status and its warning (if any) pushed on `out`. */
  private one(row: Row, derive: Derive, now: Micros, out: BatchOutcome): void {
    if (row.kind === 'rejected') {
      this.raw.quarantine(row, now);
      out.statuses.push('rejected');
      out.warnings.push(undefined);
      return;
    }
    const n = row.notification;
    const jsonZ = this.keyframeIds.resolve(row);
    const deploymentId = this.raw.deploymentId(row.deployment);
    const blob = Buffer.from(jsonZ.buffer, jsonZ.byteOffset, jsonZ.byteLength);
    const key = row.messageKey ?? null;
    let rawId: number | null;
    if (n.kind === 'nova') rawId = this.raw.insertNova(deploymentId, row.routingKey, blob, n, key);
    else if (n.kind === 'glance') rawId = this.raw.insertGlance(deploymentId, row.routingKey, blob, n, key);
    else rawId = this.raw.insertGeneric(deploymentId, row.routingKey, blob, n, key);
    this.keyframeIds.stored(row, rawId, jsonZ);
    if (rawId === null) {
      out.statuses.push('duplicate');
      out.warnings.push(undefined);
      return;
    }
    out.statuses.push('stored');
    // Derived work after the raw row, as StackTach does after its ack: a failure here keeps
    // the raw row and is reported as a warning.
    let warning: string | undefined;
    try {
      warning = derive(this.tables, rawId, n) || undefined;
    } catch (error) {
      warning = `derived tables: ${(error as Error).message}`;
    }
    out.warnings.push(warning);
  }
}

/** SQLite answers synchronously: the result (or the error) as a settled promise. */
function settled<R>(work: () => R): Promise<R> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error);
  }
}
