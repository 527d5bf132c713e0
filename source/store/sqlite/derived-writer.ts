// Statements behind Lifecycle, Timing and RequestTracker (docs/ingest.md §3.3–3.5).
// "First" rows are always taken in ascending id order (docs/ingest.md §0.3).
import type {Db} from './database.js';
import type {Cell, Micros} from '../../core/types.js';
import type {DerivedStatements, OpenTiming} from '../types.js';

export class DerivedWriter implements DerivedStatements {
  readonly findLifecycle;
  readonly createLifecycle;
  readonly updateLifecycle;
  readonly startTiming;
  readonly findOpenTiming;
  readonly createEndTiming;
  readonly endTiming;
  readonly createTracker;
  readonly firstTracker;
  readonly updateTracker;

  constructor(db: Db) {
    this.findLifecycle = db.prepare<[Cell], {id: number}>(
      'SELECT id FROM stacktach_lifecycle WHERE instance = ? ORDER BY id LIMIT 1');
    this.createLifecycle = db.prepare<[Cell, Cell, Cell, number]>(
      'INSERT INTO stacktach_lifecycle (instance, last_state, last_task_state, last_raw_id) VALUES (?, ?, ?, ?)');
    this.updateLifecycle = db.prepare<[Cell, Cell, number, number]>(
      'UPDATE stacktach_lifecycle SET last_state = ?, last_task_state = ?, last_raw_id = ? WHERE id = ?');
    this.startTiming = db.prepare<[string, number, number, Micros]>(
      'INSERT INTO stacktach_timing (name, lifecycle_id, start_raw_id, start_when) VALUES (?, ?, ?, ?)');
    // The oldest open timing whose start raw still exists (pruned raws are skipped).
    this.findOpenTiming = db.prepare<[number, string], OpenTiming>(`SELECT t.id, t.start_when FROM stacktach_timing t
      WHERE t.lifecycle_id = ? AND t.name = ? AND t.end_raw_id IS NULL AND t.start_raw_id IS NOT NULL
      AND EXISTS (SELECT 1 FROM stacktach_rawdata r WHERE r.id = t.start_raw_id) ORDER BY t.id LIMIT 1`);
    this.createEndTiming = db.prepare<[string, number, number, Micros]>(
      'INSERT INTO stacktach_timing (name, lifecycle_id, end_raw_id, end_when) VALUES (?, ?, ?, ?)');
    this.endTiming = db.prepare<[number, Micros, Micros | null, number]>(
      'UPDATE stacktach_timing SET end_raw_id = ?, end_when = ?, diff = ? WHERE id = ?');
    this.createTracker = db.prepare<[Cell, number, Micros]>(
      'INSERT INTO stacktach_requesttracker (request_id, lifecycle_id, start) VALUES (?, ?, ?)');
    this.firstTracker = db.prepare<[Cell], {id: number; start: Micros}>(
      'SELECT id, start FROM stacktach_requesttracker WHERE request_id = ? ORDER BY id LIMIT 1');
    this.updateTracker = db.prepare<[number, Micros, number]>(
      'UPDATE stacktach_requesttracker SET last_timing_id = ?, duration = ? WHERE id = ?');
  }
}
