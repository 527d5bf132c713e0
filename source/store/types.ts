// The store's row and query shapes, shared by both engines and by the server (source/store/api.ts).
import type {Cell, Micros, Notification, Service} from '../core/types.js';

export const RAW_TABLE: Record<Service, string> = {
  nova: 'stacktach_rawdata',
  glance: 'stacktach_glancerawdata',
  generic: 'stacktach_genericrawdata',
};

/** Columns each service's result row shows after id, flag, when, deployment, event, host. */
export const TAIL_COLUMNS: Record<Service, string[]> = {
  nova: ['state', 'old_state', 'old_task'],
  glance: ['status'],
  generic: ['instance', 'request_id'],
};

/** The column holding each service's "instance id" (docs/api.md §1.7). */
export const INSTANCE_COLUMN: Record<Service, string> = {nova: 'instance', glance: 'uuid', generic: 'instance'};

/** Searchable columns per raw table (docs/api.md §2.11), with their SQL type; `resource` is Stacky's own. */
export const SEARCH_COLUMNS: Record<Service, Record<string, 'text' | 'int' | 'when' | 'json'>> = {
  nova: {
    id: 'int', tenant: 'text', json: 'json', routing_key: 'text', state: 'text', old_state: 'text',
    old_task: 'text', task: 'text', image_type: 'int', when: 'when', publisher: 'text', event: 'text',
    service: 'text', host: 'text', instance: 'text', request_id: 'text', deployment: 'int', deployment_id: 'int',
    resource: 'text',
  },
  glance: {
    id: 'int', owner: 'text', json: 'json', routing_key: 'text', when: 'when', publisher: 'text', event: 'text',
    service: 'text', host: 'text', instance: 'text', request_id: 'text', uuid: 'text', status: 'text',
    image_type: 'int', deployment: 'int', deployment_id: 'int',
  },
  generic: {
    id: 'int', tenant: 'text', json: 'json', routing_key: 'text', when: 'when', publisher: 'text', event: 'text',
    service: 'text', host: 'text', instance: 'text', request_id: 'text', message_id: 'text', deployment: 'int',
    deployment_id: 'int', resource: 'text',
  },
};

export interface RawRow {
  id: number;
  routing_key: string | null;
  when: Micros;
  deployment: string | null;
  event: Cell;
  host: Cell;
  tail: Cell[];
}

export interface ShowRow {
  id: number;
  when: Micros;
  deployment: string | null;
  routing_key: Cell;
  publisher: Cell;
  state: Cell;
  event: Cell;
  service: Cell;
  host: Cell;
  instance: Cell;
  request_id: Cell;
  json: string;
}

export interface WatchRow {
  id: number;
  routing_key: string | null;
  when: Micros;
  deployment: string | null;
  event: Cell;
  instance: Cell;
  /** Watch's extra cells (docs/api.md §2.10, `extra=1`). */
  host: Cell;
  tenant: Cell;
  request_id: Cell;
}

/** Lookups the server may ask for (Django's names); values are already validated and typed. */
export type Lookup = 'exact' | 'iexact' | 'contains' | 'icontains' | 'startswith' | 'istartswith' | 'endswith'
  | 'iendswith' | 'gt' | 'gte' | 'lt' | 'lte' | 'isnull' | 'isnotnull';

/** One filter: a searchable column (or deployment__name), a lookup, and its value. */
export interface Filter {
  field: string;
  lookup: Lookup;
  value: string | number | null;
}

export interface RawQuery {
  service: Service;
  filters: Filter[];
  /** Inclusive bounds on when, µs. */
  whenMin?: Micros | null;
  whenMax?: Micros | null;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
  /** Only rows past this one in the query's order (a reply streamed a page at a time, source/server/handlers/search.ts). */
  after?: {when: Micros; id: number};
}

export interface UuidTiming {
  name: string;
  start_raw_id: number | null;
  end_raw_id: number | null;
  diff: Micros | null;
}

export interface KpiRow {
  event: Cell;
  duration: Micros;
  instance: Cell;
  deployment: string | null;
  tenant: Cell;
}

export interface ReportRow {
  id: number;
  period_start: Micros;
  period_end: Micros;
  created: Micros;
  name: string;
  version: number;
}

export interface ReportFilter {
  id?: number;
  name?: string;
  /** Exclusive bounds on created, as the original's `created` day filter. */
  createdAfter?: Micros;
  createdBefore?: Micros;
  periodStart?: Micros;
  periodEnd?: Micros;
}

export interface LaunchRow { instance: Cell; launched_at: Micros | null; instance_type_id: Cell; instance_flavor_id: Cell }
export interface DeleteRow { instance: Cell; launched_at: Micros | null; deleted_at: Micros | null }
export interface ExistsUsageRow extends DeleteRow {
  instance_type_id: Cell; instance_flavor_id: Cell; message_id: Cell; status: Cell;
}

export type UsageKind = 'launches' | 'deletes' | 'exists';

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

export interface RequestPair {
  request_id: Cell;
  instance: Cell;
}

export interface NewReport {
  periodStart: Micros;
  periodEnd: Micros;
  created: Micros;
  name: string;
  version: number;
  json: string;
}

// ---- The write side: what the ingest pipeline hands the store, and what the store runs for it.

/** One statement of the derived tables: a lookup (`get`) or a write (`run`, with the new row's id). */
export interface Statement<P extends unknown[], R = unknown> {
  get(...params: P): R | undefined;
  run(...params: P): {lastInsertRowid: number | bigint};
}

export interface OpenTiming {
  id: number;
  start_when: Micros | null;
}

export interface UsageRow {
  id: number;
  launched_at: Micros | null;
  instance_type_id: Cell;
  instance_flavor_id: Cell;
}

export interface UsageUpdate {
  id: number;
  launchedAt: Micros | null;
  instanceTypeId: Cell;
  instanceFlavorId: Cell;
  tenant: Cell;
  osArchitecture: Cell;
  osDistro: Cell;
  osVersion: Cell;
  raxOptions: Cell;
}

export interface ExistsRow {
  instance: Cell; launchedAt: Micros; deletedAt: Micros | null; auditPeriodBeginning: Micros;
  auditPeriodEnding: Micros; messageId: Cell; instanceTypeId: Cell; instanceFlavorId: Cell; rawId: number;
  usageId: number | null; deleteId: number | null; tenant: Cell; osArchitecture: Cell; osDistro: Cell;
  osVersion: Cell; raxOptions: Cell; bandwidthPublicOut: number;
}

export interface ImageExistsRow {
  uuid: Cell; createdAt: Micros; deletedAt: Micros | null; auditPeriodBeginning: Micros | null;
  auditPeriodEnding: Micros | null; owner: Cell; size: Cell; rawId: number; messageId: Cell;
  usageId: number | null; deleteId: number | null;
}

/**
 * Lifecycle, Timing and RequestTracker (docs/ingest.md §3.3–3.5). "First" rows are always the
 * lowest id. findOpenTiming skips timings whose start raw was pruned.
 */
export interface DerivedStatements {
  findLifecycle: Statement<[Cell], {id: number}>;
  createLifecycle: Statement<[Cell, Cell, Cell, number]>;
  updateLifecycle: Statement<[Cell, Cell, number, number]>;
  startTiming: Statement<[string, number, number, Micros]>;
  findOpenTiming: Statement<[number, string], OpenTiming>;
  createEndTiming: Statement<[string, number, number, Micros]>;
  endTiming: Statement<[number, Micros, Micros | null, number]>;
  createTracker: Statement<[Cell, number, Micros]>;
  firstTracker: Statement<[Cell], {id: number; start: Micros}>;
  updateTracker: Statement<[number, Micros, number]>;
}

/** The nova and glance usage tables (docs/ingest.md §3.6, §3.8). */
export interface UsageStatements {
  findUsage: Statement<[Cell, Cell], UsageRow>;
  createUsage: Statement<[Cell, Cell]>;
  saveUsage: Statement<[UsageUpdate]>;
  findDelete: Statement<[Cell, Micros | null, Micros], {id: number}>;
  createDelete: Statement<[Cell, Micros, Micros | null, number]>;
  repointDelete: Statement<[number, number]>;
  /** Exists rows tolerate a launched_at without microseconds: usage within [L, L+1 s]. */
  usageNear: Statement<[Cell, Micros, Micros], {id: number}>;
  deleteNear: Statement<[Cell, Micros, Micros], {id: number}>;
  insertExists: Statement<[ExistsRow]>;
  insertImageUsage: Statement<[Cell, Micros, Cell, Cell, number]>;
  insertImageDelete: Statement<[Cell, Micros | null, number]>;
  firstImageUsage: Statement<[Cell], {id: number}>;
  firstImageDelete: Statement<[Cell], {id: number}>;
  insertImageExists: Statement<[ImageExistsRow]>;
}

export interface DerivedTables {
  derived: DerivedStatements;
  usage: UsageStatements;
}

/**
 * Ingest's rules for one stored raw (source/ingest/pipeline.ts), run by the store inside the
 * batch's transaction against its derived tables. Returns a warning when StackTach would have
 * logged and skipped; a throw is a warning too and keeps the raw row.
 */
export type Derive = (tables: DerivedTables, rawId: number, n: Notification) => string | undefined;

/** A prepared notification: its fields and its compressed JSON (source/store/json-codec.ts). */
export interface StoreRow {
  kind: 'row';
  line: number | null;
  deployment: string;
  exchange: string;
  routingKey: string;
  /** Sequence number within its preparer; rows compressed against a keyframe name it by this. */
  seq: number;
  notification: Notification;
  jsonZ: Uint8Array;
  /** The keyframe's sequence number; jsonZ's header holds a placeholder for the keyframe's row id. */
  refSeq?: number;
  /** 64-bit hash of the message_id (or body), the redelivery index's key (source/store/message-key.ts). */
  messageKey?: bigint | null;
}

/** Input that never became a notification: kept whole in quarantine. */
export interface QuarantineEntry {
  source: string;
  deployment: string | null;
  exchange: string | null;
  routingKey: string | null;
  line: number | null;
  error: string;
  raw: Buffer | string;
}

/** A row of a batch that is quarantined instead of stored. */
export type RejectedRow = {kind: 'rejected'} & QuarantineEntry;

export type RowStatus = 'stored' | 'duplicate' | 'rejected';

/**
 * What one batch did, row by row in input order. A warning is a derived-table problem of a stored
 * row: what `derive` returned, or `derived tables: <message>` when it threw. The caller adds the
 * row's line ("line N: ") where it has one.
 */
export interface BatchOutcome {
  statuses: RowStatus[];
  warnings: (string | undefined)[];
}

/**
 * The ingest side of a store: one transaction per batch, a single writer per Writer. A Writer
 * serves one preparer (keyframe sequence numbers are per preparer); `fork` gives another.
 */
export interface Writer {
  /**
   * Stores `rows` in one transaction: quarantines the rejections (received at `now`, µs), stores
   * each StoreRow unless its message is already stored, runs `derive` for each stored one. `now`
   * also dates the store's id marks (which ids existed when, for retention), once a minute at most.
   * Throws only when the database fails; then nothing of the batch stays (the caller calls reset).
   */
  write(rows: (StoreRow | RejectedRow)[], derive: Derive, now: Micros): Promise<BatchOutcome>;
  /**
   * Quarantined entries through today's parser, in one transaction: an entry that now stores (or
   * is a duplicate) leaves the quarantine; a rejection stays, with its new reason.
   */
  replay(entries: {id: number; row: StoreRow | RejectedRow}[], derive: Derive): Promise<BatchOutcome>;
  /** Quarantines entries in one transaction of their own: all are kept, or (the error thrown) none. */
  quarantine(entries: QuarantineEntry[], receivedAt: Micros): Promise<void>;
  /** Makes sure these deployments exist (the RabbitMQ worker's start, as StackTach's). */
  addDeployments(names: string[]): Promise<void>;
  /**
   * Whether `error` (thrown by this writer) says the database cannot take writes now (locked,
   * full, unreachable, read-only...), as opposed to one batch or row it refuses.
   */
  unavailable(error: unknown): boolean;
  /** Rows prepared but not stored (their delivery is gone): keyframes among them stay usable by later rows. */
  skip(rows: StoreRow[]): void;
  /** After a failed batch: forget what the preparer and this writer had in common (keyframes), and any cache. */
  reset(): void;
  /**
   * A writer for another preparer on this one's connection: keyframes of its own, its batches
   * queued with this one's. Closing it leaves the connection to this one.
   */
  fork(): Writer;
  close(): Promise<void>;
}

/** What a retention pass did (source/store/api.ts, Pruner). */
export interface PruneCounts {
  raw: number;
  glance: number;
  generic: number;
  derived: number;
  quarantine: number;
  /** Write transactions run, and the longest time one held the write lock, in ms. */
  batches: number;
  longestMs: number;
  /** The table of the longest transaction. */
  longestIn: string;
  /** Transactions that held the lock longer than 50 ms (the bound a reader or writer may wait). */
  over50: number;
  /** The longest wait for the write lock (others' transactions), ms. */
  longestWaitMs: number;
  /** Checkpoints a paced pass ran, and the longest, ms (SQLite). */
  checkpoints: number;
  longestCheckpointMs: number;
  /** Day partitions dropped, and those left for the next pass because readers held them too long (PostgreSQL). */
  partitions?: number;
  partitionsBusy?: number;
  /** Keyframes of dropped partitions kept for rows that stay, and kept ones let go (PostgreSQL). */
  keyframesKept?: number;
  keyframesFreed?: number;
  /** Another process's pass was running: this one did nothing (PostgreSQL). */
  runningElsewhere?: boolean;
}

export function emptyCounts(): PruneCounts {
  return {raw: 0, glance: 0, generic: 0, derived: 0, quarantine: 0, batches: 0, longestMs: 0, longestIn: '', over50: 0,
    longestWaitMs: 0, checkpoints: 0, longestCheckpointMs: 0};
}

/** One step of a pass, counted: how long it waited for its lock, and how long it held it. */
export function countStep(counts: PruneCounts, table: string, waitMs: number, heldMs: number): void {
  counts.batches++;
  if (heldMs > 50) counts.over50++;
  if (heldMs > counts.longestMs) {
    counts.longestMs = heldMs;
    counts.longestIn = table;
  }
  counts.longestWaitMs = Math.max(counts.longestWaitMs, waitMs);
}
