// Reads of the three raw tables for uuid, request, search, show, watch, events and hosts.
import {limitSql, Statements} from './statements.js';
import type {Statement} from 'better-sqlite3';
import type {Db} from './database.js';
import type {Cell, Micros, Service} from '../../core/types.js';
import {decodeJson, referenceOf} from '../json-codec.js';
import {KEYED_COLUMNS, keySql} from './schema.js';
import {INSTANCE_COLUMN, RAW_TABLE, SEARCH_COLUMNS, TAIL_COLUMNS, type Filter, type RawQuery, type RawRow, type ShowRow, type WatchRow} from '../types.js';


/** The tenant column of a raw table (glance's has none). */
const TENANT_COLUMN: Record<Service, string> = {nova: 'r.tenant', glance: 'NULL', generic: 'r.tenant'};


function columnSql(service: Service, field: string): string {
  if (field === 'deployment__name') return '(SELECT name FROM stacktach_deployment WHERE id = r.deployment_id)';
  const kind = SEARCH_COLUMNS[service][field];
  if (!kind) throw new Error(`no column ${field} in ${RAW_TABLE[service]}`);
  if (kind === 'json') {
    return `stacky_json(r.json_z, (SELECT k.json_z FROM ${RAW_TABLE[service]} k WHERE k.id = stacky_ref(r.json_z)))`;
  }
  return `r."${field === 'deployment' ? 'deployment_id' : field}"`;
}

function filterSql(service: Service, f: Filter): {sql: string; params: (string | number)[]} {
  const c = columnSql(service, f.field);
  const v = f.value;
  // isnotnull carries a null value too, so it is tested before the null-value rule.
  if (f.lookup === 'isnotnull') return {sql: `${c} IS NOT NULL`, params: []};
  if (f.lookup === 'isnull' || v === null) return {sql: `${c} IS NULL`, params: []};
  const text = String(v);
  switch (f.lookup) {
    case 'exact': {
      // Indexed by a short key: narrow by the key, then compare whole (see schema.ts).
      const key = service === 'nova' ? KEYED_COLUMNS[f.field] : undefined;
      return key ? {sql: `(r.${key} = ${keySql('?')} AND ${c} = ?)`, params: [text, v]} : {sql: `${c} = ?`, params: [v]};
    }
    case 'gt': return {sql: `${c} > ?`, params: [v]};
    case 'gte': return {sql: `${c} >= ?`, params: [v]};
    case 'lt': return {sql: `${c} < ?`, params: [v]};
    case 'lte': return {sql: `${c} <= ?`, params: [v]};
    case 'iexact': return {sql: `lower(${c}) = lower(?)`, params: [text]};
    case 'contains': return {sql: `instr(${c}, ?) > 0`, params: [text]};
    case 'icontains': return {sql: `instr(lower(${c}), lower(?)) > 0`, params: [text]};
    case 'startswith': return {sql: `substr(${c}, 1, ?) = ?`, params: [text.length, text]};
    case 'istartswith': return {sql: `lower(substr(${c}, 1, ?)) = lower(?)`, params: [text.length, text]};
    case 'endswith': return {sql: `substr(${c}, -?) = ?`, params: [text.length, text]};
    case 'iendswith': return {sql: `lower(substr(${c}, -?)) = lower(?)`, params: [text.length, text]};
  }
}

export class RawReader {
  private readonly statements = new Statements<Statement<unknown[]>>((sql) => this.db.prepare<unknown[]>(sql));

  constructor(private readonly db: Db) {
    // Lets search look inside the deflated raw JSON (json, json__contains).
    // A function cannot query the connection it runs on, so SQL hands it the keyframe's blob too.
    db.function('stacky_ref', {deterministic: true}, (blob: unknown) =>
      blob instanceof Uint8Array ? referenceOf(blob) : null);
    db.function('stacky_json', {deterministic: true}, (blob: unknown, keyframe: unknown) =>
      blob instanceof Uint8Array
        ? decodeJson(blob, () => (keyframe instanceof Uint8Array ? keyframe : undefined))
        : null);
  }

  /** The JSON text of a stored blob; keyframe references resolve within the same table. */
  decode(service: Service, blob: Uint8Array): string {
    return decodeJson(blob, (id) =>
      (this.stmt(`SELECT json_z FROM ${RAW_TABLE[service]} WHERE id = ?`).get(id) as {json_z: Buffer} | undefined)?.json_z);
  }

  private readonly deploymentNames = new Map<number, string>();

  /** Deployments are few and never renamed: names come from memory, refreshed on a miss. */
  deploymentName(id: number): string | null {
    let name = this.deploymentNames.get(id);
    if (name === undefined) {
      for (const d of this.deployments()) this.deploymentNames.set(d.id, d.name);
      name = this.deploymentNames.get(id);
    }
    return name ?? null;
  }

  private stmt(sql: string) {
    return this.statements.get(sql);
  }

  /** uuid, request and search: filtered rows in `when` order with pagination. */
  rows(q: RawQuery): RawRow[] {
    const table = RAW_TABLE[q.service];
    const tail = TAIL_COLUMNS[q.service].map((c) => `r.${c}`).join(', ');
    const conds = q.filters.map((f) => filterSql(q.service, f));
    if (q.whenMin !== undefined && q.whenMin !== null) conds.push({sql: 'r."when" >= ?', params: [q.whenMin]});
    if (q.whenMax !== undefined && q.whenMax !== null) conds.push({sql: 'r."when" <= ?', params: [q.whenMax]});
    const past = q.order === 'asc' ? '>' : '<';
    if (q.after) conds.push({sql: `(r."when" ${past} ? OR (r."when" = ? AND r.id ${past} ?))`, params: [q.after.when, q.after.when, q.after.id]});
    const where = conds.length > 0 ? `WHERE ${conds.map((c) => c.sql).join(' AND ')}` : '';
    const dir = q.order === 'asc' ? 'ASC' : 'DESC';
    const sql = `SELECT r.id, r.routing_key, r."when", r.deployment_id, r.event, r.host, ${tail}
      FROM ${table} r ${where}
      ORDER BY r."when" ${dir}, r.id ${dir} LIMIT ${limitSql(q.limit)} OFFSET ?`;
    const params = conds.flatMap((c) => c.params);
    const rows = this.stmt(sql).raw(true).all(...params, q.offset) as Cell[][];
    return rows.map((r) => ({
      id: r[0] as number, routing_key: r[1] as string | null, when: r[2] as number,
      deployment: this.deploymentName(r[3] as number), event: r[4] ?? null, host: r[5] ?? null, tail: r.slice(6),
    }));
  }

  show(service: Service, id: number): ShowRow | undefined {
    const table = RAW_TABLE[service];
    const state = service === 'nova' ? 'r.state' : service === 'glance' ? 'r.status' : 'NULL';
    const instance = `r.${INSTANCE_COLUMN[service]}`;
    const row = this.stmt(`SELECT r.id, r."when", d.name AS deployment, r.routing_key, r.publisher,
      ${state} AS state, r.event, r.service, r.host, ${instance} AS instance, r.request_id, r.json_z
      FROM ${table} r LEFT JOIN stacktach_deployment d ON d.id = r.deployment_id WHERE r.id = ?`)
      .get(id) as (Omit<ShowRow, 'json'> & {json_z: Buffer}) | undefined;
    if (!row) return undefined;
    const {json_z: jsonZ, ...rest} = row;
    return {...rest, json: this.decode(service, jsonZ)};
  }

  /** watch: since < when <= until, oldest first; rows at `since` itself count when their id is above sinceId. */
  watch(service: Service, deploymentId: number, eventName: string | null, since: Micros, until: Micros,
    limit: number, sinceId = Number.MAX_SAFE_INTEGER): WatchRow[] {
    const table = RAW_TABLE[service];
    const conds = ['r."when" >= ?', '(r."when" > ? OR r.id > ?)', 'r."when" <= ?'];
    const params: (string | number)[] = [since, since, sinceId, until];
    narrowWatch(conds, params, deploymentId, eventName);
    const rows = this.stmt(`SELECT r.id, r.routing_key, r."when", r.deployment_id, r.event,
      r.${INSTANCE_COLUMN[service]} AS instance, r.host, ${TENANT_COLUMN[service]} AS tenant, r.request_id
      FROM ${table} r WHERE ${conds.join(' AND ')}
      ORDER BY r."when", r.id LIMIT ${limitSql(limit)}`).all(...params) as (Omit<WatchRow, 'deployment'> & {deployment_id: number})[];
    return rows.map(({deployment_id: id, ...r}) => ({...r, deployment: this.deploymentName(id)}));
  }

  /**
   * The shared tail's reads (source/server/watch-tail.ts), each in one snapshot with the table's
   * highest id: the newest `limit` rows of a watch (newest first), or its rows above `afterId`
   * (by id, at most `limit`). Ids only grow, so "above the highest id seen" is what later commits
   * added; retention (source/store/sqlite/retention.ts) deletes rows, which the tail finds with watchHeld.
   */
  watchNewest(service: Service, deploymentId: number, eventName: string | null, limit: number): {rows: WatchRow[]; maxId: number} {
    return this.watchSnapshot(service, deploymentId, eventName, null, limit);
  }

  watchAfterId(service: Service, deploymentId: number, eventName: string | null, afterId: number,
    limit: number): {rows: WatchRow[]; maxId: number} {
    return this.watchSnapshot(service, deploymentId, eventName, afterId, limit);
  }

  /**
   * How many rows of a watch lie after `floor` (in `when`, id order) with an id up to `maxId`: what
   * a tail of those rows should hold unless some were deleted. Counted as the rows from floor's
   * instant on, less those of that instant up to its id, so that each count walks one range of
   * the ("when") or (deployment_id, "when") index (an OR of the two would walk it twice).
   */
  watchHeld(service: Service, deploymentId: number, eventName: string | null, maxId: number,
    floor: {when: number; id: number}): number {
    const when = Number.isFinite(floor.when) ? floor.when : -Number.MAX_SAFE_INTEGER;
    const from = ['r."when" >= ?', 'r.id <= ?'];
    const fromParams: (string | number)[] = [when, maxId];
    narrowWatch(from, fromParams, deploymentId, eventName);
    const at = ['r."when" = ?', 'r.id <= ?'];
    const atParams: (string | number)[] = [when, Math.min(maxId, floor.id)];
    narrowWatch(at, atParams, deploymentId, eventName);
    const table = RAW_TABLE[service];
    const count = this.stmt(`SELECT (SELECT count(*) FROM ${table} r WHERE ${from.join(' AND ')})
      - (SELECT count(*) FROM ${table} r WHERE ${at.join(' AND ')}) AS n`);
    return (count.get(...fromParams, ...atParams) as {n: number}).n;
  }

  /**
   * Rows committed after `afterId` whose place in watch order is at or before `upTo` (late
   * arrivals a time cursor has passed), by id, at most `limit`, and the table's highest id, in
   * one snapshot (the gapless cursor of source/server/handlers/watch.ts).
   */
  watchLate(service: Service, deploymentId: number, eventName: string | null, afterId: number, upTo: {when: number; id: number},
    limit: number): {rows: WatchRow[]; maxId: number} {
    return this.watchSnapshot(service, deploymentId, eventName, afterId, limit, upTo);
  }

  private watchSnapshot(service: Service, deploymentId: number, eventName: string | null, afterId: number | null,
    limit: number, upTo?: {when: number; id: number}): {rows: WatchRow[]; maxId: number} {
    const table = RAW_TABLE[service];
    const conds = [afterId === null ? '1' : 'r.id > ?'];
    const params: (string | number)[] = afterId === null ? [] : [afterId];
    if (upTo) {
      conds.push('(r."when" < ? OR (r."when" = ? AND r.id <= ?))');
      params.push(upTo.when, upTo.when, Math.min(upTo.id, Number.MAX_SAFE_INTEGER));
    }
    narrowWatch(conds, params, deploymentId, eventName);
    const order = afterId === null ? 'r."when" DESC, r.id DESC' : 'r.id';
    const select = this.stmt(`SELECT r.id, r.routing_key, r."when", r.deployment_id, r.event,
      r.${INSTANCE_COLUMN[service]} AS instance, r.host, ${TENANT_COLUMN[service]} AS tenant, r.request_id
      FROM ${table} r WHERE ${conds.join(' AND ')} ORDER BY ${order} LIMIT ${limitSql(limit)}`);
    const max = this.stmt(`SELECT coalesce(max(id), 0) AS m FROM ${table}`);
    return this.db.transaction(() => {
      const rows = select.all(...params) as (Omit<WatchRow, 'deployment'> & {deployment_id: number})[];
      const maxId = (max.get() as {m: number}).m;
      return {rows: rows.map(({deployment_id: id, ...r}) => ({...r, deployment: this.deploymentName(id)})), maxId};
    })();
  }

  /** Distinct event names or hosts of one raw table, ascending, from the name list kept on ingest. */
  names(service: Service, kind: 'event' | 'host'): (string | null)[] {
    const rows = this.stmt(`SELECT is_null, name FROM stacky_names WHERE tbl = ? AND kind = ?
      ORDER BY is_null DESC, name`).all(RAW_TABLE[service], kind) as {is_null: number; name: string}[];
    return rows.map((r) => (r.is_null ? null : r.name));
  }

  tenantExists(tenant: string): boolean {
    return this.stmt('SELECT 1 FROM stacktach_rawdata WHERE tenant = ? LIMIT 1').get(tenant) !== undefined;
  }

  deployments(): {id: number; name: string}[] {
    return this.stmt('SELECT id, name FROM stacktach_deployment ORDER BY name COLLATE NOCASE, id')
      .all() as {id: number; name: string}[];
  }
}

/** A watch's deployment (0 = all) and event-name filters, added to its conditions and parameters. */
function narrowWatch(conds: string[], params: (string | number)[], deploymentId: number, eventName: string | null): void {
  if (deploymentId !== 0) {
    conds.push('r.deployment_id = ?');
    params.push(deploymentId);
  }
  if (eventName) {
    conds.push('r.event = ?');
    params.push(eventName);
  }
}
