// Ingest into PostgreSQL, one transaction a batch, safe with any number of writers at once:
// - writers take turns from finding redeliveries to their commit (an advisory lock): what another
//   writer stored is seen, and raw ids commit in the order they were given;
// - redeliveries are found by (when, message_key) before the insert (the unique index stays as
//   the last word: a violation, or a deadlock, tries the whole batch again);
// - raw rows go in with COPY, with ids reserved from the table's sequence first, so that rows
//   compressed against a keyframe carry its id (source/store/json-codec.ts), into day partitions
//   made before the batch, each in a short transaction of its own;
// - the derived tables are worked out in memory (derived-memory.ts) in notification-time order,
//   under transaction-scoped advisory locks on the batch's instances, request ids and image
//   uuids; an instance that receives a notification older than its lifecycle's last is derived
//   anew from its stored history (docs/ingest.md §3.4).
import type {Notification, Service} from '../../core/types.js';
import {decodeJson, encodeJson, referenceOf, setReference} from '../json-codec.js';
import {parseNotification} from '../../core/notification.js';
import type {BatchOutcome, Derive, QuarantineEntry, RowStatus, StoreRow, Writer} from '../types.js';
import {query as q, type Sql, type TxSql} from './connect.js';
import {isStoreUnavailable} from '../errors.js';
import {DerivedMemory, type Rec, type Table} from './derived-memory.js';
import {dayOf, partitionName, partitionSql, RAW_COLUMNS, type RawTable} from './schema.js';
import {copyRows} from './copy.js';
import {KeyframeIds} from '../keyframe-ids.js';
import {loadKeyframes} from './keyframes.js';

type Rejected = {kind: 'rejected'} & QuarantineEntry;
type Input = StoreRow | Rejected;

const TABLE: Record<Service, RawTable> = {
  nova: 'stacktach_rawdata', glance: 'stacktach_glancerawdata', generic: 'stacktach_genericrawdata',
};

/** Errors after which the batch is tried again from the start: another writer got there first. */
const RETRY_CODES = new Set(['23505', '40P01', '40001']);
const ATTEMPTS = 8;

/** Which ids existed when, for retention; written at most once a minute (µs). */
const ID_MARK_EVERY_US = 60_000_000;


export class PgWriter implements Writer {
  private readonly keyframes = new KeyframeIds();
  private readonly deployments = new Map<string, number>();
  private readonly partitions = new Set<string>();
  private readonly knownNames = new Set<string>();
  private lastMark = -Infinity;

  /** `owner`: this writer ends the pool when closed (a fork shares its parent's). */
  constructor(private readonly sql: Sql, private readonly owner = true) {}

  async write(rows: Input[], derive: Derive, now: number): Promise<BatchOutcome> {
    return this.attempt(storable(rows), (tx, pending) => this.writeIn(tx, rows, derive, now, pending));
  }

  async quarantine(entries: QuarantineEntry[], receivedAt: number): Promise<void> {
    await this.sql.begin((tx) => this.quarantineIn(tx, entries, receivedAt));
  }

  async addDeployments(names: string[]): Promise<void> {
    await this.sql.begin((tx) => this.deploymentIds(tx, names));
  }

  /** Another preparer's writer on the same pool: keyframes of its own; writers take turns in the database anyway. */
  fork(): Writer {
    return new PgWriter(this.sql, false);
  }

  async replay(entries: {id: number; row: Input}[], derive: Derive): Promise<BatchOutcome> {
    return this.attempt(storable(entries.map((e) => e.row)), async (tx, pending) => {
      const outcome: BatchOutcome = {statuses: [], warnings: []};
      const stored = entries.filter((e) => e.row.kind === 'row');
      const inner = await this.writeIn(tx, stored.map((e) => e.row), derive, Date.now() * 1000, pending);
      let s = 0;
      for (const e of entries) {
        if (e.row.kind === 'rejected') {
          await q(tx, 'UPDATE stacky_quarantine SET error = $1 WHERE id = $2', [e.row.error, e.id]);
          outcome.statuses.push('rejected');
          outcome.warnings.push(undefined);
        } else {
          await q(tx, 'DELETE FROM stacky_quarantine WHERE id = $1', [e.id]);
          outcome.statuses.push(inner.statuses[s]!);
          outcome.warnings.push(inner.warnings[s]);
          s++;
        }
      }
      return outcome;
    });
  }

  /**
   * The server cannot take writes now (unreachable, restarting, disk full, a read-only replica):
   * the batch should wait and be tried again, not be taken apart message by message.
   */
  unavailable(error: unknown): boolean {
    const code = (error as {code?: unknown})?.code;
    return isStoreUnavailable(error) || (typeof code === 'string' && /^(57|58|25006|40001|40P01)/.test(code));
  }

  skip(rows: StoreRow[]): void {
    for (const r of rows) if (r.refSeq === undefined) this.keyframes.set(r.seq, r.jsonZ);
  }

  reset(): void {
    this.keyframes.clear();
    this.deployments.clear();
    this.knownNames.clear();
  }

  async close(): Promise<void> {
    if (this.owner) await this.sql.end({timeout: 5});
  }

  /** Runs a batch in a transaction, again from the start when another writer collided with it. */
  private async attempt(rows: StoreRow[], body: (tx: TxSql, pending: [number, number | Uint8Array][]) => Promise<BatchOutcome>): Promise<BatchOutcome> {
    for (let i = 1; ; i++) {
      const pending: [number, number | Uint8Array][] = [];
      try {
        await this.ensurePartitions(rows);
        const outcome = await this.sql.begin((tx) => body(tx, pending));
        for (const [seq, id] of pending) this.keyframes.set(seq, id);
        return outcome;
      } catch (error) {
        this.deployments.clear();
        this.knownNames.clear();
        // Retention (retention.ts) dropped a day partition this writer had made: make it again.
        const dropped = (error as {code?: string}).code === '23514' && this.partitions.size > 0;
        this.partitions.clear();
        if (i >= ATTEMPTS || !(dropped || RETRY_CODES.has((error as {code?: string}).code ?? ''))) throw error;
      }
    }
  }

  private async writeIn(tx: TxSql, rows: Input[], derive: Derive, now: number,
    pending: [number, number | Uint8Array][]): Promise<BatchOutcome> {
    const statuses: RowStatus[] = new Array<RowStatus>(rows.length);
    const warnings: (string | undefined)[] = new Array<string | undefined>(rows.length).fill(undefined);
    const rejected = rows.flatMap((r, i) => (r.kind === 'rejected' ? [{r, i}] : []));
    for (const {i} of rejected) statuses[i] = 'rejected';
    if (rejected.length > 0) await this.quarantineIn(tx, rejected.map((x) => x.r), now);

    const candidates = rows.flatMap((r, i) => (r.kind === 'row' ? [{r, i}] : []));
    if (candidates.length === 0) return {statuses, warnings};

    // Writers take turns from here to their commit: a redelivery stored by another writer is
    // seen committed, and raw ids become visible in the order they were given, so a reader that
    // has seen id N has seen every id below it (the shared tail, source/server/watch-tail.ts).
    // Preparing (parsing, compressing) stays concurrent, in each writer's own process.
    await q(tx, "SELECT pg_advisory_xact_lock(hashtextextended('stacky raw ids', 0))");
    await this.markIds(tx, now);
    const duplicate = await this.findDuplicates(tx, candidates.map((c) => c.r));
    const fresh = candidates.filter((_, k) => !duplicate[k]);
    candidates.forEach((c, k) => {
      if (duplicate[k]) {
        statuses[c.i] = 'duplicate';
        // A keyframe that was not stored stands for itself: rows compressed against it re-encode.
        if (c.r.refSeq === undefined) pending.push([c.r.seq, c.r.jsonZ]);
      }
    });

    // Ids first, so keyframe references can be written into the blobs before the COPY.
    const ids = new Map<StoreRow, number>();
    for (const service of ['nova', 'glance', 'generic'] as const) {
      const mine = fresh.filter((c) => c.r.notification.kind === service);
      if (mine.length === 0) continue;
      const got = await q<{id: number}>(tx, `SELECT nextval('${TABLE[service]}_id_seq')::bigint AS id FROM generate_series(1, $1::int)`, [mine.length]);
      mine.forEach((c, k) => ids.set(c.r, got[k]!.id));
    }
    const seqIds = new Map<number, number | Uint8Array>();
    for (const c of candidates) {
      if (c.r.refSeq !== undefined) continue;
      const id = ids.get(c.r);
      seqIds.set(c.r.seq, id ?? c.r.jsonZ);
      if (id !== undefined) pending.push([c.r.seq, id]);
    }
    const blobs = new Map<StoreRow, Uint8Array>();
    for (const {r} of fresh) blobs.set(r, this.blobOf(r, seqIds));

    const deploymentIds = await this.deploymentIds(tx, [...new Set(fresh.map((c) => c.r.deployment))]);
    for (const service of ['nova', 'glance', 'generic'] as const) {
      const mine = fresh.filter((c) => c.r.notification.kind === service);
      if (mine.length === 0) continue;
      await copyRows(tx, TABLE[service], RAW_COLUMNS[TABLE[service]], mine.map(({r}) => rawValues(service, r, ids.get(r)!,
        deploymentIds.get(r.deployment)!, blobs.get(r)!)));
      if (service === 'nova') {
        await copyRows(tx, 'stacktach_rawdataimagemeta', ['raw_id', 'os_architecture', 'os_distro', 'os_version', 'rax_options'],
          mine.map(({r}) => {
            const n = r.notification as Extract<StoreRow['notification'], {kind: 'nova'}>;
            return [ids.get(r)!, n.osArchitecture, n.osDistro, n.osVersion, n.raxOptions];
          }));
      }
      await this.names(tx, TABLE[service], mine.map((c) => c.r));
    }
    for (const c of fresh) statuses[c.i] = 'stored';

    // Derived rows, in notification-time order (not arrival order), under locks on everything
    // the batch's rows can touch. An instance that receives a notification older than the last
    // one its lifecycle saw has its derived rows worked out again from its whole history, so the
    // answers are the same whatever order notifications arrive in and whichever writer stores them.
    const memory = new DerivedMemory();
    const history = await this.replayLate(tx, fresh.map((c) => c.r));
    const batchIndex = new Map(fresh.map((c) => [ids.get(c.r)!, c.i]));
    const work = [
      ...fresh.filter((c) => !history.late.has(instanceOf(c.r.notification))).map((c) => ({id: ids.get(c.r)!, n: c.r.notification})),
      ...history.rows,
    ].sort((a, b) => a.n.when - b.n.when || a.id - b.id);
    await this.prefetch(tx, memory, work.map((w) => w.n));
    for (const w of work) {
      const i = batchIndex.get(w.id);
      try {
        const warning = derive(memory, w.id, w.n);
        if (i !== undefined) warnings[i] = warning;
      } catch (error) {
        if (i !== undefined) warnings[i] = `derived tables: ${(error as Error).message}`;
      }
    }
    await this.flush(tx, memory);
    return {statuses, warnings};
  }

  /** The blob as stored: its keyframe's id written in, or re-encoded alone when the keyframe was not stored. */
  private blobOf(r: StoreRow, seqIds: Map<number, number | Uint8Array>): Uint8Array {
    if (r.refSeq === undefined) return r.jsonZ;
    const ref = seqIds.get(r.refSeq) ?? this.keyframes.get(r.refSeq);
    if (ref === undefined) throw new Error(`keyframe ${r.refSeq} of a prepared row is unknown`);
    if (typeof ref !== 'number') return encodeJson(decodeJson(r.jsonZ, () => ref));
    const copy = Uint8Array.from(r.jsonZ);
    setReference(copy, ref);
    return copy;
  }

  private async quarantineIn(tx: TxSql, entries: QuarantineEntry[], at: number): Promise<void> {
    for (const e of entries) {
      await q(tx, `INSERT INTO stacky_quarantine (received, source, deployment, exchange, routing_key, line, error, raw)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [at, e.source, e.deployment, e.exchange, e.routingKey, e.line, e.error,
        typeof e.raw === 'string' ? Buffer.from(e.raw, 'utf8') : e.raw]);
    }
  }

  /** Which rows are already stored (or come earlier in the batch): a redelivery is the same body, so the same when. */
  private async findDuplicates(tx: TxSql, rows: StoreRow[]): Promise<boolean[]> {
    const dup = rows.map(() => false);
    for (const service of ['nova', 'glance', 'generic'] as const) {
      const keyed = rows.flatMap((r, k) => (r.notification.kind === service && r.messageKey != null ? [{r, k}] : []));
      if (keyed.length === 0) continue;
      const found = await q<{when: number; key: string}>(tx, `SELECT "when", message_key::text AS key FROM ${TABLE[service]}
        WHERE ("when", message_key) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[]))`,
      [keyed.map((x) => x.r.notification.when), keyed.map((x) => String(x.r.messageKey))]);
      const seen = new Set(found.map((f) => `${f.when}:${f.key}`));
      for (const {r, k} of keyed) {
        const key = `${r.notification.when}:${String(r.messageKey)}`;
        if (seen.has(key)) dup[k] = true;
        else seen.add(key);
      }
    }
    return dup;
  }

  private async deploymentIds(tx: TxSql, names: string[]): Promise<Map<string, number>> {
    const missing = names.filter((n) => !this.deployments.has(n));
    if (missing.length > 0) {
      // In first-seen order, as SQLite numbers them.
      await q(tx, `INSERT INTO stacktach_deployment (name) SELECT n FROM unnest($1::text[]) WITH ORDINALITY AS u(n, k)
        ORDER BY k ON CONFLICT (name) DO NOTHING`, [missing]);
      const rows = await q<{id: number; name: string}>(tx, 'SELECT id, name FROM stacktach_deployment WHERE name = ANY($1::text[])', [missing]);
      for (const r of rows) this.deployments.set(r.name, r.id);
    }
    return this.deployments;
  }

  /**
   * A partition a day per raw table, made before the batch's transaction
   * and each in a short one of its own: creating a partition locks its parent table exclusively,
   * which inside the batch would hold every reader of that table until the batch commits (or
   * deadlock with one). A partition that exists is only looked up, which locks nothing.
   */
  private async ensurePartitions(rows: StoreRow[]): Promise<void> {
    const needed = new Map<string, [RawTable, number]>();
    for (const r of rows) {
      const table = TABLE[r.notification.kind];
      const day = dayOf(r.notification.when);
      if (!this.partitions.has(`${table}:${day}`)) needed.set(`${table}:${day}`, [table, day]);
    }
    for (const [key, [table, day]] of needed) {
      const [found] = await q<{ok: boolean}>(this.sql, 'SELECT to_regclass($1) IS NOT NULL AS ok', [partitionName(table, day)]);
      if (!found!.ok) await this.createPartition(table, day);
      this.partitions.add(key);
    }
  }

  /** Waits at most a second for the parent's lock, then tries again, so a long reader never has writers queue behind the lock. */
  private async createPartition(table: RawTable, day: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.sql.begin(async (tx) => {
          await tx.unsafe("SET LOCAL lock_timeout = '1s'");
          await q(tx, "SELECT pg_advisory_xact_lock(hashtextextended('stacky partitions', 0))");
          await tx.unsafe(partitionSql(table, day));
        });
        return;
      } catch (error) {
        if ((error as {code?: string}).code !== '55P03' || attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  private async names(tx: TxSql, table: RawTable, rows: StoreRow[]): Promise<void> {
    const add: [string, number, string][] = [];
    for (const r of rows) {
      for (const [kind, value] of [['event', r.notification.event], ['host', r.notification.host]] as const) {
        const key = `${table}\u0000${kind}\u0000${value === null ? '\u0001' : String(value)}`;
        if (this.knownNames.has(key)) continue;
        this.knownNames.add(key);
        add.push([kind, value === null ? 1 : 0, value === null ? '' : String(value)]);
      }
    }
    if (add.length === 0) return;
    await q(tx, `INSERT INTO stacky_names (tbl, kind, is_null, name)
      SELECT $1, k, n, v FROM unnest($2::text[], $3::int[], $4::text[]) AS u(k, n, v) ON CONFLICT DO NOTHING`,
    [table, add.map((a) => a[0]), add.map((a) => a[1]), add.map((a) => a[2])]);
  }

  private async markIds(tx: TxSql, now: number): Promise<void> {
    if (Math.abs(now - this.lastMark) < ID_MARK_EVERY_US) return;
    await q(tx, `INSERT INTO stacky_id_marks (ts, nova, glance, generic) VALUES ($1,
      (SELECT coalesce(max(last_value), 0) FROM stacktach_rawdata_id_seq), (SELECT coalesce(max(last_value), 0) FROM stacktach_glancerawdata_id_seq),
      (SELECT coalesce(max(last_value), 0) FROM stacktach_genericrawdata_id_seq)) ON CONFLICT (ts) DO NOTHING`, [now]);
    this.lastMark = now;
  }

  /**
   * Instances of the batch with a notification older than their lifecycle's last: their derived
   * rows are deleted, and their whole stored history (this batch's rows included) is returned,
   * parsed again from the stored JSON, to be derived anew in time order.
   */
  private async replayLate(tx: TxSql, rows: StoreRow[]): Promise<{late: Set<string>; rows: {id: number; n: Notification}[]}> {
    const earliest = new Map<string, number>();
    for (const {notification: n} of rows) {
      if (n.kind !== 'nova' || n.instance === null) continue;
      const key = String(n.instance);
      earliest.set(key, Math.min(earliest.get(key) ?? Infinity, n.when));
    }
    const none = {late: new Set<string>(), rows: []};
    if (earliest.size === 0) return none;
    const last = await q<{instance: string; when: number}>(tx, `SELECT l.instance, r."when" FROM stacktach_lifecycle l
      JOIN stacktach_rawdata r ON r.id = l.last_raw_id WHERE l.instance = ANY($1::text[])`, [[...earliest.keys()]]);
    const late = new Set(last.filter((l) => earliest.get(l.instance)! < l.when).map((l) => l.instance));
    if (late.size === 0) return none;
    const list = [...late];
    const lifecycles = 'SELECT id FROM stacktach_lifecycle WHERE instance = ANY($1::text[])';
    for (const text of [`DELETE FROM stacktach_requesttracker WHERE lifecycle_id IN (${lifecycles})`,
      `DELETE FROM stacktach_timing WHERE lifecycle_id IN (${lifecycles})`, 'DELETE FROM stacktach_lifecycle WHERE instance = ANY($1::text[])',
      'DELETE FROM stacktach_instanceusage WHERE instance = ANY($1::text[])', 'DELETE FROM stacktach_instancedeletes WHERE instance = ANY($1::text[])',
      'DELETE FROM stacktach_instanceexists WHERE instance = ANY($1::text[])']) await q(tx, text, [list]);
    const stored = await q<{id: number; json_z: Buffer}>(tx, 'SELECT id, json_z FROM stacktach_rawdata WHERE instance = ANY($1::text[])', [list]);
    const blobs = new Map(stored.map((r) => [r.id, r.json_z]));
    const refs = [...new Set(stored.map((r) => referenceOf(r.json_z)).filter((x): x is number => x !== null && !blobs.has(x)))];
    for (const [id, blob] of await loadKeyframes(tx, 'stacktach_rawdata', refs)) blobs.set(id, blob);
    const out: {id: number; n: Notification}[] = [];
    for (const r of stored) {
      try {
        const [, body] = JSON.parse(decodeJson(r.json_z, (id) => blobs.get(id))) as [string, unknown];
        out.push({id: r.id, n: parseNotification('nova', body)});
      } catch {
        // A row that no longer parses keeps its raw row; it has no derived rows (as a failed derive).
      }
    }
    return {late, rows: out};
  }

  /** Locks, then loads, every derived row the batch's notifications can look up. */
  private async prefetch(tx: TxSql, m: DerivedMemory, notifications: Notification[]): Promise<void> {
    const instances = new Set<string>();
    const requests = new Set<string>();
    const uuids = new Set<string>();
    for (const n of notifications) {
      if (n.kind === 'nova') {
        if (n.instance !== null) instances.add(String(n.instance));
        if (n.requestId !== null) requests.add(String(n.requestId));
      } else if (n.kind === 'glance' && n.uuid !== null) {
        uuids.add(String(n.uuid));
      }
    }
    const keys = [...[...instances].map((x) => `i:${x}`), ...[...requests].map((x) => `r:${x}`), ...[...uuids].map((x) => `u:${x}`)];
    if (keys.length === 0) return;
    // In one order for every writer, so that two batches never wait for each other in a circle.
    await q(tx, `SELECT count(pg_advisory_xact_lock(k)) FROM
      (SELECT DISTINCT hashtextextended(x, 0) AS k FROM unnest($1::text[]) x ORDER BY 1) s`, [keys]);
    const inst = [...instances];
    const loads: [Table, string, unknown[]][] = [
      [m.lifecycle, 'SELECT id, instance, last_state, last_task_state, last_raw_id FROM stacktach_lifecycle WHERE instance = ANY($1::text[])', [inst]],
      [m.tracker, `SELECT DISTINCT ON (request_id) id, request_id, lifecycle_id, last_timing_id, start, duration FROM stacktach_requesttracker
        WHERE request_id = ANY($1::text[]) ORDER BY request_id, id`, [[...requests]]],
      [m.usageT, `SELECT id, instance, launched_at, request_id, instance_type_id, instance_flavor_id, tenant, os_architecture,
        os_distro, os_version, rax_options FROM stacktach_instanceusage WHERE instance = ANY($1::text[])`, [inst]],
      [m.deletes, 'SELECT id, instance, launched_at, deleted_at, raw_id FROM stacktach_instancedeletes WHERE instance = ANY($1::text[])', [inst]],
      [m.imageUsage, `SELECT DISTINCT ON (uuid) id, uuid, created_at, owner, size, last_raw_id FROM stacktach_imageusage
        WHERE uuid = ANY($1::text[]) ORDER BY uuid, id`, [[...uuids]]],
      [m.imageDeletes, `SELECT DISTINCT ON (uuid) id, uuid, deleted_at, raw_id FROM stacktach_imagedeletes
        WHERE uuid = ANY($1::text[]) ORDER BY uuid, id`, [[...uuids]]],
    ];
    for (const [table, text, params] of loads) table.load(await q<Rec>(tx, text, params));
    const lifecycleIds = m.lifecycle.rows.map((r) => r.id);
    if (lifecycleIds.length > 0) {
      // Open timings whose start raw still exists (pruned starts no longer match an end).
      m.timing.load(await q<Rec>(tx, `SELECT t.id, t.name, t.lifecycle_id, t.start_raw_id, t.end_raw_id, t.start_when, t.end_when, t.diff
        FROM stacktach_timing t WHERE t.lifecycle_id = ANY($1::bigint[]) AND t.end_raw_id IS NULL AND t.start_raw_id IS NOT NULL
        AND EXISTS (SELECT 1 FROM stacktach_rawdata r WHERE r.id = t.start_raw_id AND r."when" = t.start_when)`, [lifecycleIds]));
    }
  }

  /** Reserves ids for the batch's new rows, points references at them, then inserts and updates. */
  private async flush(tx: TxSql, m: DerivedMemory): Promise<void> {
    const remap = new Map<Table, Map<number, number>>();
    for (const t of m.tables) {
      const map = new Map<number, number>();
      remap.set(t, map);
      if (t.made.length === 0) continue;
      const got = await q<{id: number}>(tx, `SELECT nextval('${t.name}_id_seq')::bigint AS id FROM generate_series(1, $1::int)`, [t.made.length]);
      t.made.forEach((rec, k) => map.set(rec.id, got[k]!.id));
    }
    for (const t of m.tables) {
      const map = remap.get(t)!;
      for (const rec of t.rows) if (rec.id < 0) rec.id = map.get(rec.id)!;
    }
    for (const [t, column, target] of m.references) {
      const map = remap.get(target)!;
      for (const rec of t.rows) {
        const v = rec[column];
        if (typeof v === 'number' && v < 0) rec[column] = map.get(v)!;
      }
    }
    for (const t of m.tables) {
      if (t.made.length > 0) await copyRows(tx, t.name, ['id', ...t.columns], t.made.map((r) => [r.id, ...t.columns.map((c) => r[c] ?? null)]));
      if (t.changed.size > 0) {
        const rows = [...t.changed];
        const sets = t.columns.map((c) => `${c} = v.${c}`).join(', ');
        await q(tx, `UPDATE ${t.name} AS t SET ${sets} FROM (SELECT * FROM jsonb_populate_recordset(NULL::${t.name}, $1::text::jsonb)) v
          WHERE t.id = v.id`, [JSON.stringify(rows.map((r) => Object.fromEntries([['id', r.id], ...t.columns.map((c) => [c, r[c] ?? null])])))]);
      }
    }
  }
}

function rawValues(service: Service, r: StoreRow, id: number, deploymentId: number, blob: Uint8Array): unknown[] {
  const n = r.notification;
  const key = r.messageKey ?? null;
  if (n.kind === 'nova') {
    return [id, deploymentId, n.tenant, blob, r.routingKey, n.state, n.oldState, n.oldTask, n.task, n.imageType, n.when,
      n.publisher, n.event, n.service, n.host, n.instance, n.requestId, key, n.resource];
  }
  if (n.kind === 'glance') {
    return [id, deploymentId, n.owner, blob, r.routingKey, n.when, n.publisher, n.event, n.service, n.host, n.instance,
      n.requestId, n.uuid, n.status, n.imageType, key];
  }
  void service;
  return [id, deploymentId, n.tenant, blob, r.routingKey, n.when, n.publisher, n.event, n.service, n.host, n.instance,
    n.requestId, n.messageId, key, n.resource];
}

/** The instance a notification derives rows for ('' for none: never late). */
function instanceOf(n: Notification): string {
  return n.kind === 'nova' && n.instance !== null ? String(n.instance) : '';
}

/** The rows of a batch that are stored (not quarantined): their days need partitions. */
function storable(rows: Input[]): StoreRow[] {
  return rows.filter((r): r is StoreRow => r.kind === 'row');
}
