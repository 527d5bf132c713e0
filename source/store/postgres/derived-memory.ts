// The derived tables of one batch, in memory: ingest's rules (source/ingest/lifecycle.ts, usage.ts)
// run row by row against these statements, which answer from the rows the batch prefetched
// (under the batch's advisory locks, source/store/postgres/writer.ts) and from the rows the batch
// made. One round trip per table before and after, instead of several per notification.
import type {Cell, Micros} from '../../core/types.js';
import type {
  DerivedStatements, DerivedTables, ExistsRow, ImageExistsRow, OpenTiming, Statement, UsageRow, UsageStatements, UsageUpdate,
} from '../types.js';

/** A row of a derived table: its columns by name, plus whether the batch made or changed it. */
export type Rec = Record<string, unknown> & {id: number};

/**
 * Ids the batch gives new rows until the flush reserves real ones: negative, in creation order.
 * Rows are found by id and by the one column every lookup of the table starts from (`key`),
 * so a batch of thousands costs no scan of the table per notification.
 */
export class Table {
  readonly rows: Rec[] = [];
  readonly made: Rec[] = [];
  readonly changed = new Set<Rec>();
  private next = -1;
  private readonly ids = new Map<number, Rec>();
  private readonly buckets = new Map<unknown, Rec[]>();

  constructor(readonly name: string, readonly columns: readonly string[], private readonly key: string) {}

  private add(rec: Rec): void {
    this.rows.push(rec);
    this.ids.set(rec.id, rec);
    const k = rec[this.key] ?? null;
    const bucket = this.buckets.get(k);
    if (bucket) bucket.push(rec);
    else this.buckets.set(k, [rec]);
  }

  load(rows: Rec[]): void {
    for (const r of rows) this.add(r);
  }

  insert(values: Omit<Rec, 'id'>): number {
    const rec = {...values, id: this.next--} as Rec;
    this.add(rec);
    this.made.push(rec);
    return rec.id;
  }

  /** Changes columns other than the key. */
  update(id: number, values: Record<string, unknown>): void {
    const rec = this.ids.get(id);
    if (!rec) return;
    Object.assign(rec, values);
    if (id > 0) this.changed.add(rec);
  }

  /** The lowest-id row with this key that matches: stored rows (positive ids) before new ones, new ones in creation order. */
  first(key: unknown, match: (r: Rec) => boolean = () => true): Rec | undefined {
    let best: Rec | undefined;
    for (const r of this.buckets.get(key ?? null) ?? []) if (match(r) && (!best || order(r.id) < order(best.id))) best = r;
    return best;
  }
}

const order = (id: number): number => (id > 0 ? id : 2 ** 52 - id);

/** SQL's `IS`: equal, or both null. */
const same = (a: unknown, b: unknown): boolean => (a ?? null) === (b ?? null);

/** A lookup statement. */
function stmt<P extends unknown[], R>(get: (...p: P) => R | undefined): Statement<P, R> {
  return {get, run: () => ({lastInsertRowid: 0})};
}

/** A write statement: `run` returns the new row's id (0 for an update). */
function write<P extends unknown[]>(run: (...p: P) => number): Statement<P> {
  return {get: () => undefined, run: (...p: P) => ({lastInsertRowid: run(...p)})};
}

export class DerivedMemory implements DerivedTables {
  readonly lifecycle = new Table('stacktach_lifecycle', ['instance', 'last_state', 'last_task_state', 'last_raw_id'], 'instance');
  readonly timing = new Table('stacktach_timing', ['name', 'lifecycle_id', 'start_raw_id', 'end_raw_id', 'start_when', 'end_when', 'diff'], 'lifecycle_id');
  readonly tracker = new Table('stacktach_requesttracker', ['request_id', 'lifecycle_id', 'last_timing_id', 'start', 'duration'], 'request_id');
  readonly usageT = new Table('stacktach_instanceusage', ['instance', 'launched_at', 'request_id', 'instance_type_id',
    'instance_flavor_id', 'tenant', 'os_architecture', 'os_distro', 'os_version', 'rax_options'], 'instance');
  readonly deletes = new Table('stacktach_instancedeletes', ['instance', 'launched_at', 'deleted_at', 'raw_id'], 'instance');
  readonly exists = new Table('stacktach_instanceexists', ['instance', 'launched_at', 'deleted_at', 'audit_period_beginning',
    'audit_period_ending', 'message_id', 'instance_type_id', 'instance_flavor_id', 'raw_id', 'usage_id', 'delete_id', 'tenant',
    'os_architecture', 'os_distro', 'os_version', 'rax_options', 'bandwidth_public_out'], 'instance');
  readonly imageUsage = new Table('stacktach_imageusage', ['uuid', 'created_at', 'owner', 'size', 'last_raw_id'], 'uuid');
  readonly imageDeletes = new Table('stacktach_imagedeletes', ['uuid', 'deleted_at', 'raw_id'], 'uuid');
  readonly imageExists = new Table('stacktach_imageexists', ['uuid', 'created_at', 'deleted_at', 'audit_period_beginning',
    'audit_period_ending', 'owner', 'size', 'raw_id', 'message_id', 'usage_id', 'delete_id'], 'uuid');

  /** Every table, parents before the tables that refer to them (the flush inserts in this order). */
  readonly tables = [this.lifecycle, this.timing, this.tracker, this.usageT, this.deletes, this.exists, this.imageUsage,
    this.imageDeletes, this.imageExists];

  /** Which columns hold another table's id: remapped from temporary to reserved ids at the flush. */
  readonly references: [Table, string, Table][] = [
    [this.timing, 'lifecycle_id', this.lifecycle], [this.tracker, 'lifecycle_id', this.lifecycle],
    [this.tracker, 'last_timing_id', this.timing], [this.exists, 'usage_id', this.usageT], [this.exists, 'delete_id', this.deletes],
    [this.imageExists, 'usage_id', this.imageUsage], [this.imageExists, 'delete_id', this.imageDeletes],
  ];

  readonly derived: DerivedStatements;
  readonly usage: UsageStatements;

  constructor() {
    const {lifecycle, timing, tracker, usageT, deletes, imageUsage, imageDeletes} = this;
    this.derived = {
      findLifecycle: stmt((instance: Cell) => idOf(lifecycle.first(instance))),
      createLifecycle: write((instance: Cell, state: Cell, task: Cell, rawId: number) =>
        lifecycle.insert({instance, last_state: state, last_task_state: task, last_raw_id: rawId})),
      updateLifecycle: write((state: Cell, task: Cell, rawId: number, id: number) => {
        lifecycle.update(id, {last_state: state, last_task_state: task, last_raw_id: rawId});
        return 0;
      }),
      startTiming: write((name: string, lifecycleId: number, rawId: number, when: Micros) =>
        timing.insert({name, lifecycle_id: lifecycleId, start_raw_id: rawId, end_raw_id: null, start_when: when, end_when: null, diff: null})),
      findOpenTiming: stmt((lifecycleId: number, name: string): OpenTiming | undefined => {
        const t = timing.first(lifecycleId, (r) => r.name === name && r.end_raw_id === null && r.start_raw_id !== null);
        return t ? {id: t.id, start_when: t.start_when as Micros | null} : undefined;
      }),
      createEndTiming: write((name: string, lifecycleId: number, rawId: number, when: Micros) =>
        timing.insert({name, lifecycle_id: lifecycleId, start_raw_id: null, end_raw_id: rawId, start_when: null, end_when: when, diff: null})),
      endTiming: write((rawId: number, when: Micros, diff: Micros | null, id: number) => {
        timing.update(id, {end_raw_id: rawId, end_when: when, diff});
        return 0;
      }),
      createTracker: write((requestId: Cell, lifecycleId: number, start: Micros) =>
        tracker.insert({request_id: requestId, lifecycle_id: lifecycleId, last_timing_id: null, start, duration: 0})),
      firstTracker: stmt((requestId: Cell) => {
        const t = tracker.first(requestId);
        return t ? {id: t.id, start: t.start as Micros} : undefined;
      }),
      updateTracker: write((timingId: number, duration: Micros, id: number) => {
        tracker.update(id, {last_timing_id: timingId, duration});
        return 0;
      }),
    };
    const near = (t: Table) => stmt((instance: Cell, lo: Micros, hi: Micros) => idOf(t.first(instance, (r) =>
      typeof r.launched_at === 'number' && r.launched_at >= lo && r.launched_at <= hi)));
    this.usage = {
      findUsage: stmt((instance: Cell, requestId: Cell): UsageRow | undefined => {
        const u = usageT.first(instance, (r) => same(r.request_id, requestId));
        return u ? {id: u.id, launched_at: u.launched_at as Micros | null, instance_type_id: u.instance_type_id as Cell,
          instance_flavor_id: u.instance_flavor_id as Cell} : undefined;
      }),
      createUsage: write((instance: Cell, requestId: Cell) => usageT.insert({instance, request_id: requestId,
        launched_at: null, instance_type_id: null, instance_flavor_id: null, tenant: null, os_architecture: null, os_distro: null,
        os_version: null, rax_options: null})),
      saveUsage: write((u: UsageUpdate) => {
        usageT.update(u.id, {launched_at: u.launchedAt, instance_type_id: u.instanceTypeId, instance_flavor_id: u.instanceFlavorId,
          tenant: u.tenant, os_architecture: u.osArchitecture, os_distro: u.osDistro, os_version: u.osVersion, rax_options: u.raxOptions});
        return 0;
      }),
      findDelete: stmt((instance: Cell, deletedAt: Micros | null, launchedAt: Micros) => idOf(deletes.first(instance, (r) =>
        same(r.deleted_at, deletedAt) && r.launched_at === launchedAt))),
      createDelete: write((instance: Cell, launchedAt: Micros, deletedAt: Micros | null, rawId: number) =>
        deletes.insert({instance, launched_at: launchedAt, deleted_at: deletedAt, raw_id: rawId})),
      repointDelete: write((rawId: number, id: number) => {
        deletes.update(id, {raw_id: rawId});
        return 0;
      }),
      usageNear: near(usageT),
      deleteNear: near(deletes),
      insertExists: write((e: ExistsRow) => this.exists.insert({instance: e.instance, launched_at: e.launchedAt,
        deleted_at: e.deletedAt, audit_period_beginning: e.auditPeriodBeginning, audit_period_ending: e.auditPeriodEnding,
        message_id: e.messageId, instance_type_id: e.instanceTypeId, instance_flavor_id: e.instanceFlavorId, raw_id: e.rawId,
        usage_id: e.usageId, delete_id: e.deleteId, tenant: e.tenant, os_architecture: e.osArchitecture, os_distro: e.osDistro,
        os_version: e.osVersion, rax_options: e.raxOptions, bandwidth_public_out: e.bandwidthPublicOut})),
      insertImageUsage: write((uuid: Cell, createdAt: Micros, owner: Cell, size: Cell, rawId: number) =>
        imageUsage.insert({uuid, created_at: createdAt, owner, size, last_raw_id: rawId})),
      insertImageDelete: write((uuid: Cell, deletedAt: Micros | null, rawId: number) =>
        imageDeletes.insert({uuid, deleted_at: deletedAt, raw_id: rawId})),
      firstImageUsage: stmt((uuid: Cell) => idOf(imageUsage.first(uuid))),
      firstImageDelete: stmt((uuid: Cell) => idOf(imageDeletes.first(uuid))),
      insertImageExists: write((e: ImageExistsRow) => this.imageExists.insert({uuid: e.uuid, created_at: e.createdAt,
        deleted_at: e.deletedAt, audit_period_beginning: e.auditPeriodBeginning, audit_period_ending: e.auditPeriodEnding,
        owner: e.owner, size: e.size, raw_id: e.rawId, message_id: e.messageId, usage_id: e.usageId, delete_id: e.deleteId})),
    };
  }
}

const idOf = (r: Rec | undefined): {id: number} | undefined => (r ? {id: r.id} : undefined);
