// Reads of Lifecycle, Timing and RequestTracker for timings, timings/uuid, summary and kpi.
import type {Db} from './database.js';
import {limitSql, Statements} from './statements.js';
import type {KpiRow, UuidTiming} from '../types.js';
import type {Cell, Micros} from '../../core/types.js';

export class TimingReader {
  private readonly lifecycles;
  private readonly timingsOf;
  private readonly byName;
  private readonly byNameMin;
  private readonly byNameMax;
  private readonly byNameBoth;
  private readonly summarySample;
  private readonly kpiRows;

  constructor(db: Db) {
    this.lifecycles = new Statements((limit: string) => db.prepare<[string, number], {id: number}>(
      `SELECT id FROM stacktach_lifecycle WHERE instance = ? ORDER BY id LIMIT ${limit} OFFSET ?`));
    this.timingsOf = db.prepare<[number], UuidTiming>(
      'SELECT name, start_raw_id, end_raw_id, diff FROM stacktach_timing WHERE lifecycle_id = ? ORDER BY id');
    const byName = (extra: string) => `SELECT l.instance, t.diff FROM stacktach_timing t
      JOIN stacktach_lifecycle l ON l.id = t.lifecycle_id
      WHERE t.name = ? AND t.start_raw_id IS NOT NULL AND t.end_raw_id IS NOT NULL ${extra}
      ORDER BY t.diff, t.id LIMIT ? OFFSET ?`;
    this.byName = db.prepare<[string, number, number], {instance: Cell; diff: Micros}>(byName(''));
    this.byNameMin = db.prepare<[string, Micros, number, number], {instance: Cell; diff: Micros}>(
      byName('AND t.end_when >= ?'));
    this.byNameMax = db.prepare<[string, Micros, number, number], {instance: Cell; diff: Micros}>(
      byName('AND t.end_when <= ?'));
    this.byNameBoth = db.prepare<[string, Micros, Micros, number, number], {instance: Cell; diff: Micros}>(
      byName('AND t.end_when >= ? AND t.end_when <= ?'));
    // The original summarises the first `limit` complete, non-negative timings in table order.
    this.summarySample = db.prepare<[string, number, number], {diff: Micros}>(`SELECT diff FROM stacktach_timing
      INDEXED BY timing_name WHERE name = ? AND start_raw_id IS NOT NULL AND end_raw_id IS NOT NULL AND diff >= 0
      ORDER BY id LIMIT ? OFFSET ?`);
    this.kpiRows = db.prepare<[Micros], KpiRow>(`SELECT r.event, k.duration, l.instance, d.name AS deployment,
      r.tenant FROM stacktach_requesttracker k
      JOIN stacktach_timing t ON t.id = k.last_timing_id
      JOIN stacktach_lifecycle l ON l.id = k.lifecycle_id
      JOIN stacktach_rawdata r ON r.id = t.end_raw_id
      LEFT JOIN stacktach_deployment d ON d.id = r.deployment_id
      WHERE k.last_timing_id IS NOT NULL AND k.start >= ? ORDER BY k.duration, k.id`);
  }

  /** Timings of every lifecycle of the instance (pagination applies to lifecycles). */
  forInstance(instance: string, limit: number, offset: number): UuidTiming[] {
    return this.lifecycles.get(limitSql(limit)).all(instance, offset).flatMap((l) => this.timingsOf.all(l.id));
  }

  byEventName(name: string, min: Micros | null, max: Micros | null, limit: number, offset: number) {
    if (min !== null && max !== null) return this.byNameBoth.all(name, min, max, limit, offset);
    if (min !== null) return this.byNameMin.all(name, min, limit, offset);
    if (max !== null) return this.byNameMax.all(name, max, limit, offset);
    return this.byName.all(name, limit, offset);
  }

  summaryDiffs(name: string, limit: number, offset: number): Micros[] {
    return this.summarySample.all(name, limit, offset).map((r) => r.diff);
  }

  kpi(startMin: Micros): KpiRow[] {
    return this.kpiRows.all(startMin);
  }
}
