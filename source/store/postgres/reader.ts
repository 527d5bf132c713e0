// The server's reads on PostgreSQL: the same answers as the SQLite readers (source/store/sqlite/),
// row for row and in the same order. Raw JSON is decoded here, in JavaScript, as on SQLite; a
// search inside the JSON streams candidate rows through a cursor and filters them as it goes.
import type {Cell, Micros, Service} from '../../core/types.js';
import type {QuarantineReads, RawReads, ReportReads, TimingReads, UsageReads} from '../api.js';
import {decodeJson, referenceOf} from '../json-codec.js';
import {
  INSTANCE_COLUMN, RAW_TABLE, SEARCH_COLUMNS, TAIL_COLUMNS, type DeleteRow, type ExistsUsageRow, type Filter, type KpiRow,
  type LaunchRow, type QuarantineRow, type RawQuery, type RawRow, type ReportFilter, type ReportRow, type ShowRow, type UsageKind,
  type UuidTiming, type WatchRow,
} from '../types.js';
import {query, type Queryable, type Sql} from './connect.js';
import {loadKeyframes} from './keyframes.js';

type Param = string | number | null;

/** Builds `$n` placeholders as parameters are added. */
class Params {
  readonly values: Param[] = [];

  /**
   * A number beyond 2^53 (a hostile id or time, which SQLite compares as a real) is compared as a
   * numeric here, so that it matches nothing instead of overflowing bigint.
   */
  add(v: Param): string {
    this.values.push(typeof v === 'number' && !Number.isSafeInteger(v) ? String(v) : v);
    return typeof v === 'number' && !Number.isSafeInteger(v) ? `$${this.values.length}::numeric` : `$${this.values.length}`;
  }
}

const TENANT_COLUMN: Record<Service, string> = {nova: 'r.tenant', glance: 'NULL::text', generic: 'r.tenant'};

function columnSql(service: Service, field: string): string {
  if (field === 'deployment__name') return '(SELECT name FROM stacktach_deployment WHERE id = r.deployment_id)';
  const kind = SEARCH_COLUMNS[service][field];
  if (!kind || kind === 'json') throw new Error(`no column ${field} in ${RAW_TABLE[service]}`);
  return `r."${field === 'deployment' ? 'deployment_id' : field}"`;
}

/** The same comparisons as SQLite's (lower() folds ASCII only there, as under COLLATE "C" here). */
function filterSql(service: Service, f: Filter, p: Params): string {
  const c = columnSql(service, f.field);
  const v = f.value;
  if (f.lookup === 'isnotnull') return `${c} IS NOT NULL`;
  if (f.lookup === 'isnull' || v === null) return `${c} IS NULL`;
  const text = String(v);
  switch (f.lookup) {
    case 'exact': return `${c} = ${p.add(v)}`;
    case 'gt': return `${c} > ${p.add(v)}`;
    case 'gte': return `${c} >= ${p.add(v)}`;
    case 'lt': return `${c} < ${p.add(v)}`;
    case 'lte': return `${c} <= ${p.add(v)}`;
    case 'iexact': return `lower(${c}::text) = lower(${p.add(text)}::text)`;
    case 'contains': return `strpos(${c}::text, ${p.add(text)}) > 0`;
    case 'icontains': return `strpos(lower(${c}::text), lower(${p.add(text)}::text)) > 0`;
    case 'startswith': return `left(${c}::text, ${p.add(text.length)}::int) = ${p.add(text)}`;
    case 'istartswith': return `lower(left(${c}::text, ${p.add(text.length)}::int)) = lower(${p.add(text)}::text)`;
    case 'endswith': return `right(${c}::text, ${p.add(text.length)}::int) = ${p.add(text)}`;
    case 'iendswith': return `lower(right(${c}::text, ${p.add(text.length)}::int)) = lower(${p.add(text)}::text)`;
  }
}

const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** A filter on the decoded JSON text, as SQLite evaluates it on stacky_json(...). */
function jsonMatches(json: string, f: Filter): boolean {
  if (f.lookup === 'isnotnull') return true;
  if (f.lookup === 'isnull' || f.value === null) return false;
  const v = String(f.value);
  switch (f.lookup) {
    case 'exact': return json === v;
    case 'iexact': return asciiLower(json) === asciiLower(v);
    case 'contains': return json.includes(v);
    case 'icontains': return asciiLower(json).includes(asciiLower(v));
    case 'startswith': return [...json].slice(0, [...v].length).join('') === v;
    case 'istartswith': return asciiLower([...json].slice(0, [...v].length).join('')) === asciiLower(v);
    case 'endswith': return v.length === 0 ? false : json.endsWith(v);
    case 'iendswith': return v.length === 0 ? false : asciiLower(json).endsWith(asciiLower(v));
    case 'gt': return json > v;
    case 'gte': return json >= v;
    case 'lt': return json < v;
    case 'lte': return json <= v;
  }
}

/** Rows a JSON search reads from the database at a time. */
const JSON_SCAN_CHUNK = 500;

export class PgRawReader implements RawReads {
  private readonly deploymentNames = new Map<number, string>();

  constructor(private readonly sql: Sql) {}

  private query<R>(text: string, params: Param[] = [], on: Queryable = this.sql): Promise<R[]> {
    return query<R>(on, text, params);
  }

  /** The JSON text of a stored blob; keyframe references resolve within the same table, or among the keyframes retention kept. */
  async decode(service: Service, blob: Uint8Array): Promise<string> {
    const ref = referenceOf(blob);
    const keyframe = ref === null ? undefined : (await loadKeyframes(this.sql, RAW_TABLE[service], [ref])).get(ref);
    return decodeJson(blob, () => keyframe);
  }

  /** Deployments are few and never renamed: names come from memory, refreshed on a miss. */
  private async deploymentName(id: number): Promise<string | null> {
    let name = this.deploymentNames.get(id);
    if (name === undefined) {
      for (const d of await this.deployments()) this.deploymentNames.set(d.id, d.name);
      name = this.deploymentNames.get(id);
    }
    return name ?? null;
  }

  private async named<T extends {deployment_id: number}>(rows: T[]): Promise<(Omit<T, 'deployment_id'> & {deployment: string | null})[]> {
    const out = [];
    for (const {deployment_id: id, ...rest} of rows) out.push({...rest, deployment: await this.deploymentName(id)});
    return out;
  }

  async rows(q: RawQuery): Promise<RawRow[]> {
    const p = new Params();
    const table = RAW_TABLE[q.service];
    const tail = TAIL_COLUMNS[q.service].map((c) => `r.${c}`).join(', ');
    const jsonFilters = q.filters.filter((f) => SEARCH_COLUMNS[q.service][f.field] === 'json');
    const conds = q.filters.filter((f) => !jsonFilters.includes(f)).map((f) => filterSql(q.service, f, p));
    if (q.whenMin !== undefined && q.whenMin !== null) conds.push(`r."when" >= ${p.add(q.whenMin)}`);
    if (q.whenMax !== undefined && q.whenMax !== null) conds.push(`r."when" <= ${p.add(q.whenMax)}`);
    const past = q.order === 'asc' ? '>' : '<';
    if (q.after) {
      const when = p.add(q.after.when);
      conds.push(`(r."when" ${past} ${when} OR (r."when" = ${when} AND r.id ${past} ${p.add(q.after.id)}))`);
    }
    const where = conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : '';
    const dir = q.order === 'asc' ? 'ASC' : 'DESC';
    const select = `SELECT r.id, r.routing_key, r."when", r.deployment_id, r.event, r.host, ${tail}
      ${jsonFilters.length > 0 ? ', r.json_z' : ''} FROM ${table} r ${where} ORDER BY r."when" ${dir}, r.id ${dir}`;
    const toRow = async (r: Record<string, unknown>): Promise<RawRow> => ({
      id: r.id as number, routing_key: (r.routing_key ?? null) as string | null, when: r.when as number,
      deployment: await this.deploymentName(r.deployment_id as number), event: (r.event ?? null) as Cell,
      host: (r.host ?? null) as Cell, tail: TAIL_COLUMNS[q.service].map((c) => (r[c] ?? null) as Cell),
    });
    if (jsonFilters.length === 0) {
      const rows = await this.query<Record<string, unknown>>(
        `${select} LIMIT ${p.add(q.limit)} OFFSET ${p.add(q.offset)}`, p.values);
      const out: RawRow[] = [];
      for (const r of rows) out.push(await toRow(r));
      return out;
    }
    return this.scanJson(q.service, select, p.values, jsonFilters, q.limit, q.offset, toRow);
  }

  /** A search inside the JSON: candidates in order, a chunk at a time, decoded and filtered here. */
  private async scanJson(service: Service, select: string, params: Param[], filters: Filter[], limit: number,
    offset: number, toRow: (r: Record<string, unknown>) => Promise<RawRow>): Promise<RawRow[]> {
    const out: RawRow[] = [];
    let skip = offset;
    const keyframes = new Map<number, Buffer | undefined>();
    await this.sql.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx) => {
      const cursor = tx.unsafe(select, params as never[]).cursor(JSON_SCAN_CHUNK);
      for await (const chunk of cursor as AsyncIterable<Record<string, unknown>[]>) {
        const refs = [...new Set(chunk.map((r) => referenceOf(r.json_z as Buffer)).filter((x): x is number => x !== null && !keyframes.has(x)))];
        if (refs.length > 0) {
          const found = await loadKeyframes(tx, RAW_TABLE[service], refs);
          for (const id of refs) keyframes.set(id, found.get(id));
        }
        for (const r of chunk) {
          const json = decodeJson(r.json_z as Buffer, (id) => keyframes.get(id));
          if (!filters.every((f) => jsonMatches(json, f))) continue;
          if (skip > 0) {
            skip--;
            continue;
          }
          out.push(await toRow(r));
          if (out.length >= limit) return;
        }
        if (keyframes.size > 10_000) keyframes.clear();
      }
    });
    return out;
  }

  async show(service: Service, id: number): Promise<ShowRow | undefined> {
    if (!Number.isSafeInteger(id)) return undefined;
    const table = RAW_TABLE[service];
    const state = service === 'nova' ? 'r.state' : service === 'glance' ? 'r.status' : 'NULL::text';
    const instance = `r.${INSTANCE_COLUMN[service]}`;
    const [row] = await this.query<Omit<ShowRow, 'json'> & {json_z: Buffer}>(`SELECT r.id, r."when", d.name AS deployment,
      r.routing_key, r.publisher, ${state} AS state, r.event, r.service, r.host, ${instance} AS instance, r.request_id, r.json_z
      FROM ${table} r LEFT JOIN stacktach_deployment d ON d.id = r.deployment_id WHERE r.id = $1`, [id]);
    if (!row) return undefined;
    const {json_z: jsonZ, ...rest} = row;
    return {...rest, json: await this.decode(service, jsonZ)};
  }

  private watchColumns(service: Service): string {
    return `r.id, r.routing_key, r."when", r.deployment_id, r.event, r.${INSTANCE_COLUMN[service]} AS instance, r.host,
      ${TENANT_COLUMN[service]} AS tenant, r.request_id`;
  }

  async watch(service: Service, deploymentId: number, eventName: string | null, since: Micros, until: Micros,
    limit: number, sinceId = Number.MAX_SAFE_INTEGER): Promise<WatchRow[]> {
    const p = new Params();
    const conds = [`r."when" >= ${p.add(since)}`, `(r."when" > ${p.add(since)} OR r.id > ${p.add(sinceId)})`, `r."when" <= ${p.add(until)}`];
    narrowWatch(conds, p, deploymentId, eventName);
    const rows = await this.query<WatchRow & {deployment_id: number}>(`SELECT ${this.watchColumns(service)}
      FROM ${RAW_TABLE[service]} r WHERE ${conds.join(' AND ')} ORDER BY r."when", r.id LIMIT ${p.add(limit)}`, p.values);
    return this.named(rows) as Promise<WatchRow[]>;
  }

  watchNewest(service: Service, deploymentId: number, eventName: string | null, limit: number): Promise<{rows: WatchRow[]; maxId: number}> {
    return this.watchSnapshot(service, deploymentId, eventName, null, limit);
  }

  watchAfterId(service: Service, deploymentId: number, eventName: string | null, afterId: number,
    limit: number): Promise<{rows: WatchRow[]; maxId: number}> {
    return this.watchSnapshot(service, deploymentId, eventName, afterId, limit);
  }

  async watchHeld(service: Service, deploymentId: number, eventName: string | null, maxId: number,
    floor: {when: number; id: number}): Promise<number> {
    const when = Number.isFinite(floor.when) ? floor.when : -Number.MAX_SAFE_INTEGER;
    const p = new Params();
    const from = [`r."when" >= ${p.add(when)}`, `r.id <= ${p.add(maxId)}`];
    narrowWatch(from, p, deploymentId, eventName);
    const at = [`r."when" = ${p.add(when)}`, `r.id <= ${p.add(Math.min(maxId, floor.id))}`];
    narrowWatch(at, p, deploymentId, eventName);
    const table = RAW_TABLE[service];
    const [row] = await this.query<{n: number}>(`SELECT (SELECT count(*) FROM ${table} r WHERE ${from.join(' AND ')})
      - (SELECT count(*) FROM ${table} r WHERE ${at.join(' AND ')}) AS n`, p.values);
    return row!.n;
  }

  watchLate(service: Service, deploymentId: number, eventName: string | null, afterId: number, upTo: {when: number; id: number},
    limit: number): Promise<{rows: WatchRow[]; maxId: number}> {
    return this.watchSnapshot(service, deploymentId, eventName, afterId, limit, upTo);
  }

  private async watchSnapshot(service: Service, deploymentId: number, eventName: string | null, afterId: number | null,
    limit: number, upTo?: {when: number; id: number}): Promise<{rows: WatchRow[]; maxId: number}> {
    const table = RAW_TABLE[service];
    const p = new Params();
    const conds = [afterId === null ? 'true' : `r.id > ${p.add(afterId)}`];
    if (upTo) conds.push(`(r."when" < ${p.add(upTo.when)} OR (r."when" = ${p.add(upTo.when)} AND r.id <= ${p.add(Math.min(upTo.id, Number.MAX_SAFE_INTEGER))}))`);
    narrowWatch(conds, p, deploymentId, eventName);
    const order = afterId === null ? 'r."when" DESC, r.id DESC' : 'r.id';
    const [rows, max] = await this.sql.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx) => [
      await this.query<WatchRow & {deployment_id: number}>(`SELECT ${this.watchColumns(service)} FROM ${table} r
        WHERE ${conds.join(' AND ')} ORDER BY ${order} LIMIT ${p.add(limit)}`, p.values, tx),
      await this.query<{m: number}>(`SELECT coalesce(max(id), 0) AS m FROM ${table}`, [], tx),
    ] as const);
    return {rows: await this.named(rows) as WatchRow[], maxId: max[0]!.m};
  }

  async names(service: Service, kind: 'event' | 'host'): Promise<(string | null)[]> {
    const rows = await this.query<{is_null: number; name: string}>(`SELECT is_null, name FROM stacky_names
      WHERE tbl = $1 AND kind = $2 ORDER BY is_null DESC, name`, [RAW_TABLE[service], kind]);
    return rows.map((r) => (r.is_null ? null : r.name));
  }

  async tenantExists(tenant: string): Promise<boolean> {
    return (await this.query('SELECT 1 FROM stacktach_rawdata WHERE tenant = $1 LIMIT 1', [tenant])).length > 0;
  }

  /** SQLite orders these by `name COLLATE NOCASE`: ASCII letters folded, the rest bytewise. */
  async deployments(): Promise<{id: number; name: string}[]> {
    return this.query<{id: number; name: string}>(`SELECT id, name FROM stacktach_deployment
      ORDER BY translate(name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), id`);
  }
}

function narrowWatch(conds: string[], p: Params, deploymentId: number, eventName: string | null): void {
  // Deployment ids are integers: one beyond their range names none.
  if (deploymentId !== 0) conds.push(deploymentId > 2 ** 31 - 1 ? 'false' : `r.deployment_id = ${p.add(deploymentId)}`);
  if (eventName) conds.push(`r.event = ${p.add(eventName)}`);
}

export class PgTimingReader implements TimingReads {
  constructor(private readonly sql: Sql) {}

  private query<R>(text: string, params: Param[]): Promise<R[]> {
    return query<R>(this.sql, text, params);
  }

  async forInstance(instance: string, limit: number, offset: number): Promise<UuidTiming[]> {
    // LATERAL: an index lookup per lifecycle whatever the planner's statistics say (without
    // them a plain join read the whole timing table).
    return this.query<UuidTiming>(`SELECT t.name, t.start_raw_id, t.end_raw_id, t.diff
      FROM (SELECT id FROM stacktach_lifecycle WHERE instance = $1 ORDER BY id LIMIT $2 OFFSET $3) l
      CROSS JOIN LATERAL (SELECT id, name, start_raw_id, end_raw_id, diff FROM stacktach_timing
        WHERE lifecycle_id = l.id ORDER BY id) t ORDER BY l.id, t.id`, [instance, limit, offset]);
  }

  async byEventName(name: string, min: Micros | null, max: Micros | null, limit: number, offset: number) {
    const p = new Params();
    const conds = [`t.name = ${p.add(name)}`, 't.start_raw_id IS NOT NULL', 't.end_raw_id IS NOT NULL'];
    if (min !== null) conds.push(`t.end_when >= ${p.add(min)}`);
    if (max !== null) conds.push(`t.end_when <= ${p.add(max)}`);
    return this.query<{instance: Cell; diff: Micros}>(`SELECT l.instance, t.diff FROM stacktach_timing t
      JOIN stacktach_lifecycle l ON l.id = t.lifecycle_id WHERE ${conds.join(' AND ')}
      ORDER BY t.diff, t.id LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`, p.values);
  }

  async summaryDiffs(name: string, limit: number, offset: number): Promise<Micros[]> {
    const rows = await this.query<{diff: Micros}>(`SELECT diff FROM stacktach_timing WHERE name = $1
      AND start_raw_id IS NOT NULL AND end_raw_id IS NOT NULL AND diff >= 0 ORDER BY id LIMIT $2 OFFSET $3`, [name, limit, offset]);
    return rows.map((r) => r.diff);
  }

  async kpi(startMin: Micros): Promise<KpiRow[]> {
    return this.query<KpiRow>(`SELECT r.event, k.duration, l.instance, d.name AS deployment, r.tenant
      FROM stacktach_requesttracker k
      JOIN stacktach_timing t ON t.id = k.last_timing_id
      JOIN stacktach_lifecycle l ON l.id = k.lifecycle_id
      JOIN stacktach_rawdata r ON r.id = t.end_raw_id AND r."when" = t.end_when
      LEFT JOIN stacktach_deployment d ON d.id = r.deployment_id
      WHERE k.last_timing_id IS NOT NULL AND k.start >= $1 ORDER BY k.duration, k.id`, [startMin]);
  }
}

const REPORT_COLUMNS = 'id, period_start, period_end, created, name, version';

export class PgReportReader implements ReportReads {
  constructor(private readonly sql: Sql) {}

  async createdBetween(from: Micros, to: Micros, limit: number, offset: number): Promise<ReportRow[]> {
    return query<ReportRow>(this.sql, `SELECT ${REPORT_COLUMNS} FROM stacktach_jsonreport WHERE created >= $1 AND created <= $2
      ORDER BY id LIMIT $3 OFFSET $4`, [from, to, limit, offset]);
  }

  async search(f: ReportFilter, limit: number, offset: number): Promise<ReportRow[]> {
    const p = new Params();
    const conds: string[] = [];
    const add = (sql: (ph: string) => string, v: string | number | undefined) => {
      if (v !== undefined) conds.push(sql(p.add(v)));
    };
    add((x) => `id = ${x}`, f.id);
    add((x) => `translate(name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
      = translate(${x}::text, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`, f.name);
    add((x) => `created > ${x}`, f.createdAfter);
    add((x) => `created < ${x}`, f.createdBefore);
    add((x) => `period_start = ${x}`, f.periodStart);
    add((x) => `period_end = ${x}`, f.periodEnd);
    const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
    return query<ReportRow>(this.sql, `SELECT ${REPORT_COLUMNS} FROM stacktach_jsonreport ${where}
      ORDER BY id DESC LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`, p.values);
  }

  async json(id: number): Promise<string | undefined> {
    if (!Number.isSafeInteger(id)) return undefined;
    const [row] = await query<{json: string}>(this.sql, 'SELECT json FROM stacktach_jsonreport WHERE id = $1', [id]);
    return row?.json;
  }
}

const USAGE_QUERIES: Record<UsageKind, string> = {
  launches: 'SELECT instance, launched_at, instance_type_id, instance_flavor_id FROM stacktach_instanceusage',
  deletes: 'SELECT instance, launched_at, deleted_at FROM stacktach_instancedeletes',
  exists: `SELECT instance, launched_at, deleted_at, instance_type_id, instance_flavor_id, message_id, status
    FROM stacktach_instanceexists`,
};

export class PgUsageReader implements UsageReads {
  constructor(private readonly sql: Sql) {}

  async list(kind: UsageKind, instance: string | null, limit: number, offset: number): Promise<(LaunchRow | DeleteRow | ExistsUsageRow)[]> {
    const p = new Params();
    const where = instance === null ? '' : ` WHERE instance = ${p.add(instance)}`;
    return query<LaunchRow | DeleteRow | ExistsUsageRow>(this.sql,
      `${USAGE_QUERIES[kind]}${where} ORDER BY id LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`, p.values);
  }
}

const QUARANTINE_COLUMNS = 'id, received, source, deployment, exchange, routing_key, line, error, raw';

export class PgQuarantineReader implements QuarantineReads {
  constructor(private readonly sql: Sql) {}

  async list(limit: number, offset = 0): Promise<QuarantineRow[]> {
    return query<QuarantineRow>(this.sql, `SELECT ${QUARANTINE_COLUMNS} FROM stacky_quarantine ORDER BY id DESC LIMIT $1 OFFSET $2`,
      [limit, offset]);
  }

  async count(): Promise<number> {
    const [row] = await query<{n: number}>(this.sql, 'SELECT count(*) AS n FROM stacky_quarantine');
    return row!.n;
  }

  async page(afterId: number, limit: number, ids?: readonly number[]): Promise<QuarantineRow[]> {
    const only = ids === undefined ? '' : 'AND id = ANY($3::bigint[])';
    return query<QuarantineRow>(this.sql, `SELECT ${QUARANTINE_COLUMNS} FROM stacky_quarantine WHERE id > $1 ${only} ORDER BY id LIMIT $2`,
      ids === undefined ? [afterId, limit] : [afterId, limit, [...ids]]);
  }
}
