// Every query the "summary for region" report and its hourly scheduler need (docs/ingest.md §4).
import type {Db} from './database.js';
import type {NewReport, RequestPair} from '../types.js';
import {RawReader} from './raw-reader.js';
import {keySql} from './schema.js';
import type {Cell, Micros} from '../../core/types.js';
import type {Deployment, ReportRaw} from '../../core/report-math.js';
import {unitOfWork} from './unit-of-work.js';

export class SqliteReportQueries {
  private readonly deploymentsStmt;
  private readonly updatesStmt;
  private readonly pairsStmt;
  private readonly rawsStmt;
  private readonly blobStmt;
  private readonly earliestStmt;
  private readonly findStmt;
  private readonly insertStmt;
  private readonly insertOnce;
  private readonly insertOne;
  private readonly raw: RawReader;

  constructor(private readonly db: Db) {
    this.raw = new RawReader(db);
    // "Deployment table order": the primary key, as Django returned it.
    this.deploymentsStmt = db.prepare<[], Deployment>('SELECT id, name FROM stacktach_deployment ORDER BY id');
    this.updatesStmt = db.prepare<[Micros, Micros, string], {instance: Cell}>(`SELECT DISTINCT instance
      FROM stacktach_rawdata WHERE event IN ('compute.instance.update', 'instance.update') AND "when" > ? AND "when" <= ?
      AND deployment_id IN (SELECT value FROM json_each(?))`);
    // Every deployment (the region is ignored here); only instance-less exists rows are left out.
    this.pairsStmt = db.prepare<[Micros, Micros], RequestPair>(`SELECT DISTINCT request_id, instance
      FROM stacktach_rawdata WHERE "when" > ? AND "when" <= ?
      AND NOT (instance IS NULL AND event IN ('compute.instance.exists', 'instance.exists'))
      ORDER BY request_id NULLS FIRST, instance NULLS FIRST`);
    // No window, cell or instance filter; `IS` so a null request id finds the null rows.
    this.rawsStmt = db.prepare<{request: Cell}, ReportRaw>(`SELECT id, "when", routing_key, state, old_state, event,
      image_type FROM stacktach_rawdata WHERE request_key IS ${keySql('@request')} AND request_id IS @request
      AND event NOT IN ('compute.instance.exists', 'instance.exists') ORDER BY "when", id`);
    this.blobStmt = db.prepare<[number], {json_z: Buffer}>('SELECT json_z FROM stacktach_rawdata WHERE id = ?');
    this.earliestStmt = db.prepare<[], {first: Micros | null}>('SELECT MIN("when") AS first FROM stacktach_rawdata');
    this.findStmt = db.prepare<[string, Micros, Micros], {id: number}>(`SELECT id FROM stacktach_jsonreport
      WHERE name = ? AND period_start = ? AND period_end = ? ORDER BY id LIMIT 1`);
    this.insertStmt = db.prepare<[Micros, Micros, Micros, string, number, string]>(`INSERT INTO stacktach_jsonreport
      (period_start, period_end, created, name, version, json) VALUES (?, ?, ?, ?, ?, ?)`);
    const insert = (r: NewReport) =>
      Number(this.insertStmt.run(r.periodStart, r.periodEnd, r.created, r.name, r.version, r.json).lastInsertRowid);
    // Through unitOfWork, so they take the write lock as every writer does (write-lock.ts).
    this.insertOne = unitOfWork(db, insert);
    this.insertOnce = unitOfWork(db, (r: NewReport): number | null =>
      this.findReport(r.name, r.periodStart, r.periodEnd) === undefined ? insert(r) : null);
  }

  deployments(): Deployment[] {
    return this.deploymentsStmt.all();
  }

  /** Distinct instances updated (legacy or versioned) in the window on one of the deployments. */
  updatedInstances(start: Micros, end: Micros, deploymentIds: readonly number[]): Cell[] {
    return this.updatesStmt.all(start, end, JSON.stringify(deploymentIds)).map((r) => r.instance);
  }

  /** Distinct (request_id, instance) pairs of the window, from all deployments. */
  requestPairs(start: Micros, end: Micros): RequestPair[] {
    return this.pairsStmt.all(start, end);
  }

  /** A request's raws over all time, exists events excluded, in `when` order. */
  rawsForRequest(requestId: Cell): ReportRaw[] {
    return this.rawsStmt.all({request: requestId});
  }

  /** The stored `[routing_key, body]` of a raw, parsed; undefined when the row is gone. */
  rawJson(id: number): unknown {
    const row = this.blobStmt.get(id);
    return row ? JSON.parse(this.raw.decode('nova', row.json_z)) : undefined;
  }

  /** The oldest raw's when, or null when there are no raws. */
  earliestRaw(): Micros | null {
    return this.earliestStmt.get()?.first ?? null;
  }

  findReport(name: string, periodStart: Micros, periodEnd: Micros): number | undefined {
    return this.findStmt.get(name, periodStart, periodEnd)?.id;
  }

  insertReport(r: NewReport): number {
    return this.insertOne(r);
  }

  /**
   * Inserts unless a report of the same name and period exists, checked and written in one
   * write transaction (begun IMMEDIATE) so two processes cannot both store it. The new id, or null.
   */
  insertReportOnce(r: NewReport): number | null {
    return this.insertOnce(r);
  }
}
