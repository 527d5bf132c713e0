// The report builders' queries on PostgreSQL (the same answers as source/store/sqlite/report-queries.ts),
// one snapshot for a whole report, and report rows stored once per period across every server.
import type {Cell, Micros} from '../../core/types.js';
import type {Deployment, ReportRaw} from '../../core/report-math.js';
import type {ReportQueries, ReportSource} from '../api.js';
import type {NewReport, RequestPair} from '../types.js';
import {decodeJson, referenceOf} from '../json-codec.js';
import {query, type Queryable, type Sql} from './connect.js';
import {loadKeyframes} from './keyframes.js';

class PgReportQueries implements ReportQueries {
  constructor(protected readonly on: Queryable) {}

  protected q<R>(text: string, params: unknown[] = []): Promise<R[]> {
    return query<R>(this.on, text, params);
  }

  deployments(): Promise<Deployment[]> {
    return this.q<Deployment>('SELECT id, name FROM stacktach_deployment ORDER BY id');
  }

  async updatedInstances(start: Micros, end: Micros, deploymentIds: readonly number[]): Promise<Cell[]> {
    const rows = await this.q<{instance: Cell}>(`SELECT DISTINCT instance FROM stacktach_rawdata
      WHERE event IN ('compute.instance.update', 'instance.update') AND "when" > $1 AND "when" <= $2
      AND deployment_id = ANY($3::int[])`, [start, end, [...deploymentIds]]);
    return rows.map((r) => r.instance);
  }

  requestPairs(start: Micros, end: Micros): Promise<RequestPair[]> {
    return this.q<RequestPair>(`SELECT DISTINCT request_id, instance FROM stacktach_rawdata WHERE "when" > $1 AND "when" <= $2
      AND NOT (instance IS NULL AND event IN ('compute.instance.exists', 'instance.exists'))
      ORDER BY request_id NULLS FIRST, instance NULLS FIRST`, [start, end]);
  }

  rawsForRequest(requestId: Cell): Promise<ReportRaw[]> {
    return this.q<ReportRaw>(`SELECT id, "when", routing_key, state, old_state, event, image_type FROM stacktach_rawdata
      WHERE request_id IS NOT DISTINCT FROM $1::text AND event NOT IN ('compute.instance.exists', 'instance.exists')
      ORDER BY "when", id`, [requestId === null ? null : String(requestId)]);
  }

  async rawJson(id: number): Promise<unknown> {
    const [row] = await this.q<{json_z: Buffer}>('SELECT json_z FROM stacktach_rawdata WHERE id = $1', [id]);
    if (!row) return undefined;
    const ref = referenceOf(row.json_z);
    const keyframe = ref === null ? undefined : (await loadKeyframes(this.on, 'stacktach_rawdata', [ref])).get(ref);
    return JSON.parse(decodeJson(row.json_z, () => keyframe));
  }

  async earliestRaw(): Promise<Micros | null> {
    const [row] = await this.q<{first: Micros | null}>('SELECT min("when") AS first FROM stacktach_rawdata');
    return row?.first ?? null;
  }

  async findReport(name: string, periodStart: Micros, periodEnd: Micros): Promise<number | undefined> {
    const [row] = await this.q<{id: number}>(`SELECT id FROM stacktach_jsonreport WHERE name = $1 AND period_start = $2
      AND period_end = $3 ORDER BY id LIMIT 1`, [name, periodStart, periodEnd]);
    return row?.id;
  }
}

const INSERT_REPORT = `INSERT INTO stacktach_jsonreport (period_start, period_end, created, name, version, json)
  VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`;

export class PgReportSource extends PgReportQueries implements ReportSource {
  constructor(private readonly sql: Sql) {
    super(sql);
  }

  snapshot<R>(read: (q: ReportQueries) => Promise<R>): Promise<R> {
    return this.sql.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY', (tx) => read(new PgReportQueries(tx))) as Promise<R>;
  }

  async insertReport(r: NewReport): Promise<number> {
    const [row] = await this.q<{id: number}>(INSERT_REPORT, [r.periodStart, r.periodEnd, r.created, r.name, r.version, r.json]);
    return row!.id;
  }

  /** Under a lock on the report's name and period: however many servers build it, one row is stored. */
  insertReportOnce(r: NewReport): Promise<number | null> {
    return this.sql.begin(async (tx) => {
      await query(tx, 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`report:${r.name}:${r.periodStart}:${r.periodEnd}`]);
      if (await new PgReportQueries(tx).findReport(r.name, r.periodStart, r.periodEnd) !== undefined) return null;
      const rows = await query<{id: number}>(tx, INSERT_REPORT, [r.periodStart, r.periodEnd, r.created, r.name, r.version, r.json]);
      return rows[0]!.id;
    }) as Promise<number | null>;
  }
}
