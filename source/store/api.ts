// The store's one async interface (issue #16): everything outside source/store talks to a
// Store, never to an engine. SQLite (store/sqlite) answers synchronously underneath and wraps
// its answers in promises; PostgreSQL (store/postgres) answers over the network. Both give the
// same answers, byte for byte, for every endpoint (test/server runs on both).
import type {Cell, Micros, Service} from '../core/types.js';
import type {RawQuery, RawRow, ShowRow, WatchRow} from './types.js';
import type {KpiRow, UuidTiming} from './types.js';
import type {ReportFilter, ReportRow} from './types.js';
import type {DeleteRow, ExistsUsageRow, LaunchRow, UsageKind} from './types.js';
import type {NewReport, PruneCounts, QuarantineRow, RequestPair, Writer} from './types.js';
import type {Deployment, ReportRaw} from '../core/report-math.js';

export interface RawReads {
  /** uuid, request and search: filtered rows in `when` order with pagination. */
  rows(q: RawQuery): Promise<RawRow[]>;
  show(service: Service, id: number): Promise<ShowRow | undefined>;
  /** watch: since < when <= until, oldest first; rows at `since` itself count when their id is above sinceId. */
  watch(service: Service, deploymentId: number, eventName: string | null, since: Micros, until: Micros,
    limit: number, sinceId?: number): Promise<WatchRow[]>;
  /** The shared tail's reads (source/server/watch-tail.ts); see the engine's reader. */
  watchNewest(service: Service, deploymentId: number, eventName: string | null, limit: number): Promise<{rows: WatchRow[]; maxId: number}>;
  watchAfterId(service: Service, deploymentId: number, eventName: string | null, afterId: number,
    limit: number): Promise<{rows: WatchRow[]; maxId: number}>;
  /**
   * Rows committed after `afterId` whose place in watch order is at or before `upTo` (late
   * arrivals), by id, at most `limit`, and the table's highest id, in one snapshot.
   */
  watchLate(service: Service, deploymentId: number, eventName: string | null, afterId: number, upTo: {when: number; id: number},
    limit: number): Promise<{rows: WatchRow[]; maxId: number}>;
  watchHeld(service: Service, deploymentId: number, eventName: string | null, maxId: number,
    floor: {when: number; id: number}): Promise<number>;
  names(service: Service, kind: 'event' | 'host'): Promise<(string | null)[]>;
  tenantExists(tenant: string): Promise<boolean>;
  deployments(): Promise<{id: number; name: string}[]>;
}

export interface TimingReads {
  forInstance(instance: string, limit: number, offset: number): Promise<UuidTiming[]>;
  byEventName(name: string, min: Micros | null, max: Micros | null, limit: number, offset: number): Promise<{instance: Cell; diff: Micros}[]>;
  summaryDiffs(name: string, limit: number, offset: number): Promise<Micros[]>;
  kpi(startMin: Micros): Promise<KpiRow[]>;
}

export interface ReportReads {
  createdBetween(from: Micros, to: Micros, limit: number, offset: number): Promise<ReportRow[]>;
  search(f: ReportFilter, limit: number, offset: number): Promise<ReportRow[]>;
  json(id: number): Promise<string | undefined>;
}

export interface UsageReads {
  list(kind: UsageKind, instance: string | null, limit: number, offset: number): Promise<(LaunchRow | DeleteRow | ExistsUsageRow)[]>;
}

/** The quarantine, for `stacky quarantine`: newest first to list, in id order to replay. */
export interface QuarantineReads {
  list(limit: number, offset?: number): Promise<QuarantineRow[]>;
  count(): Promise<number>;
  /** Entries after `afterId` in id order, all or only `ids`. */
  page(afterId: number, limit: number, ids?: readonly number[]): Promise<QuarantineRow[]>;
}

/** Every query the "summary for region" report and its hourly scheduler need (docs/ingest.md §4). */
export interface ReportQueries {
  /** Deployments in table (id) order. */
  deployments(): Promise<Deployment[]>;
  /** Distinct instances updated (legacy or versioned) in the window on one of the deployments. */
  updatedInstances(start: Micros, end: Micros, deploymentIds: readonly number[]): Promise<Cell[]>;
  /** Distinct (request_id, instance) pairs of the window, from all deployments, in that order (nulls first). */
  requestPairs(start: Micros, end: Micros): Promise<RequestPair[]>;
  /** A request's raws over all time, exists events excluded, in `when` order. */
  rawsForRequest(requestId: Cell): Promise<ReportRaw[]>;
  /** The stored `[routing_key, body]` of a nova raw, parsed; undefined when the row is gone. */
  rawJson(id: number): Promise<unknown>;
  /** The oldest raw's when, or null when there are no raws. */
  earliestRaw(): Promise<Micros | null>;
  findReport(name: string, periodStart: Micros, periodEnd: Micros): Promise<number | undefined>;
}

/** Building and storing reports (source/reports/): their queries, one snapshot, and the report rows. */
export interface ReportSource extends ReportQueries {
  /** `read` sees one consistent snapshot while ingest goes on writing; its result is returned. */
  snapshot<R>(read: (q: ReportQueries) => Promise<R>): Promise<R>;
  /** Stores a report row; its id. */
  insertReport(r: NewReport): Promise<number>;
  /** Stores it unless one of the same name and period exists (checked and written atomically, across processes); the new id, or null. */
  insertReportOnce(r: NewReport): Promise<number | null>;
}

/** The database's size and age, for /metrics. */
export interface StoreStats {
  /** Bytes the database takes on disk. */
  bytes: number;
  /** Bytes inside it free for reuse. */
  freeBytes: number;
  /** Epoch µs of the oldest notification kept, or null when there is none. */
  oldest: Micros | null;
}

/** What the server reads, and how it learns that the content may have changed. */
export interface Store {
  readonly raw: RawReads;
  readonly timing: TimingReads;
  readonly reports: ReportReads;
  readonly usage: UsageReads;
  readonly quarantine: QuarantineReads;
  /** The report builders' side (source/reports/). */
  readonly reportSource: ReportSource;
  /**
   * What another thread or process passes to openStore to reach the same data: a file path or a
   * postgres:// URL; undefined when nothing else can (an in-memory SQLite database).
   */
  readonly location: string | undefined;
  /** A value that changes whenever any process may have committed (the response cache's key). */
  version(): Promise<string>;
  /** Size and oldest notification (/metrics). */
  stats(): Promise<StoreStats>;
  /**
   * Why the store cannot take writes now, or null when it can (/healthz): closed, unreachable,
   * not writable, or fewer than `minFreeBytes` free where it keeps its data (when that is known).
   */
  writeProblem(minFreeBytes: number): Promise<string | null>;
  /**
   * A writer on this store's own connection (pool): the server's in-process ingest, and the only
   * way into an in-memory database. Closing the store closes it.
   */
  writer(): Writer;
  close(): Promise<void>;
}

/**
 * Retention (issue #17): a pass deletes the raw rows stored for notifications older than a
 * cut-off, the derived rows only they explained and old quarantine entries, next to running
 * readers and writers; stored reports stay. How much goes is the engine's: SQLite deletes row by
 * row in short paced transactions (source/store/sqlite/retention.ts); PostgreSQL drops whole day
 * partitions, so a day holding the cut-off stays whole until the next day's pass
 * (source/store/postgres/retention.ts). openPruner (source/store/open.ts) opens one by location.
 */
export interface Pruner {
  /** One pass for rows older than `cutoff`; `stopped` ends it early between two steps. */
  prune(cutoff: Micros, options?: PrunePassOptions): Promise<PruneCounts>;
  /** The space the store takes after a pass, in the engine's terms: a phrase for people, the same as fields for --json. */
  space(): Promise<{phrase: string; fields: Record<string, number>}>;
  close(): Promise<void>;
}

export interface PrunePassOptions {
  /** The clock (ms) against which rows count as old enough that no ingest can still refer to them (keyframes). */
  nowMs?: number;
  stopped?: () => boolean;
}
