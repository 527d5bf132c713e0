// The SQLite Writer (source/store/types.ts): a batch is one unit of work (unit-of-work.ts), one
// transaction, run synchronously; the promise it returns is already settled.
import type {Db} from '../database.js';
import {closeDatabase} from '../database.js';
import type {Micros} from '../../core/types.js';
import {KeyframeIds} from '../keyframe-ids.js';
import type {BatchOutcome, Derive, DerivedTables, QuarantineEntry, RejectedRow, RowStatus, StoreRow, Writer} from '../types.js';
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
      const out: BatchOutcome = {statuses: new Array<RowStatus>(rows.length), warnings: new Array<string | undefined>(rows.length)};
      for (let i = 0; i < rows.length; i++) this.one(rows[i]!, derive, now, out, i);
      return out;
    });
    this.replayBatch = unitOfWork(db, (entries: Replayed[], derive: Derive) => {
      const out: BatchOutcome = {statuses: new Array<RowStatus>(entries.length), warnings: new Array<string | undefined>(entries.length)};
      for (let i = 0; i < entries.length; i++) {
        const {id, row} = entries[i]!;
        if (row.kind === 'rejected') {
          // Still not a notification: it stays, with today's reason.
          this.raw.requarantine(id, row.error);
          out.statuses[i] = 'rejected';
          continue;
        }
        this.one(row, derive, 0, out, i);
        this.raw.unquarantine(id);
      }
      return out;
    });
  }

  write(rows: Row[], derive: Derive, now: Micros): Promise<BatchOutcome> {
    return settled(() => this.batch(rows, derive, now));
  }

  replay(entries: Replayed[], derive: Derive): Promise<BatchOutcome> {
    return settled(() => this.replayBatch(entries, derive));
  }

  quarantine(entries: QuarantineEntry[], receivedAt: Micros): Promise<void> {
    return settled(() => entries.length === 1
      ? this.raw.quarantine(entries[0]!, receivedAt) : this.raw.quarantineAll(entries, receivedAt));
  }

  addDeployments(names: string[]): Promise<void> {
    return settled(() => {
      for (const name of names) this.raw.deploymentId(name);
    });
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

  private one(row: Row, derive: Derive, now: Micros, out: BatchOutcome, i: number): void {
    if (row.kind === 'rejected') {
      this.raw.quarantine(row, now);
      out.statuses[i] = 'rejected';
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
      out.statuses[i] = 'duplicate';
      return;
    }
    out.statuses[i] = 'stored';
    // Derived work after the raw row, as StackTach does after its ack: a failure here keeps
    // the raw row and is reported as a warning.
    try {
      out.warnings[i] = derive(this.tables, rawId, n) || undefined;
    } catch (error) {
      out.warnings[i] = `derived tables: ${(error as Error).message}`;
    }
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
