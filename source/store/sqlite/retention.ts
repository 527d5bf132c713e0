// Retention: deletes raw rows older than a cut-off, the derived rows that only they explained,
// and old quarantine entries. Stored reports stay.
//
// Every step is one short write transaction over a small batch. Three things keep it from
// stalling anyone else (README "Retention" has the measurements):
// - a transaction stops deleting once it has held the write lock for TARGET_MS (10 ms, far
//   under the 50 ms a reader or the ingest may be held up: on busy cores a thread that loses
//   its core while it holds the lock waits 15-25 ms for it), and the next batch is sized from
//   the time the last one held it;
// - a paced pass (prunePaced) pauses after each transaction for at least as long as it held the
//   lock, and never less than PAUSE_MIN_MS (pauseAfter): a writer waiting for the lock tries
//   again every millisecond (write-lock.ts), so it gets the lock in that pause, and the pass
//   holds the lock at most half the time;
// - its commits never checkpoint (wal_autocheckpoint off on them): a paced pass checkpoints
//   PASSIVE every CHECKPOINT_EVERY_MS itself, outside any transaction, and readies a long WAL
//   to start again (checkpointWal), so the WAL stays short and no writer's commit inherits a
//   large checkpoint of the pass's pages.
// Readers are never blocked by the write lock (WAL); the pass runs on a thread of its own in
// serve and worker (source/commands/retention-thread.ts), so it never blocks their event loop.
//
// Freed pages go to SQLite's freelist and the next inserts take them from there, so a database
// under steady ingest and retention stops growing at its steady size. No auto_vacuum: an
// incremental vacuum would hand the pages back to the file system only for ingest to ask for
// them again, and moving pages costs writes under the same lock (see README "Retention").
//
// Derived rows (ingest spec §3.3–3.5) go when nothing they refer to is left:
// - imagemeta, instance deletes/exists, image deletes/exists: their raw is gone;
// - timings: both their start and end raws are gone (an open timing whose start was pruned
//   already never matches an end: DerivedWriter.findOpenTiming skips it, as StackTach did);
// - request trackers: started before the cut-off and their last timing is gone (or never set);
// - lifecycles and instance usage: no raw of their instance is left (and, for usage, launched
//   before the cut-off); image usage: its last raw is gone and it was created before the cut-off.
import type {Db} from './database.js';
import type {Micros} from '../../core/types.js';
import {countStep, emptyCounts, type PruneCounts} from '../types.js';
import {keySql} from './schema.js';
import {referenceOf, refersToKeyframe} from '../json-codec.js';
import {beginImmediate, withoutBusyHandler} from './write-lock.js';

/**
 * A keyframe is used for at most this long after it was cached, then the next row of its key
 * becomes a new keyframe (source/ingest/keyframes.ts). So a row cached longer ago than this is
 * never referred to by a new row, and may be deleted once no kept row refers to it.
 */
export const KEYFRAME_MAX_AGE_MS = 10 * 60_000;

/**
 * Time a transaction may spend on its deletions while it holds the write lock: the batch stops
 * there whatever its size (one more row or span eighth, and the commit, come on top), and the
 * next batch is sized from the time the lock was held.
 */
export const TARGET_MS = 10;
/**
 * Shortest pause of a paced pass after a write transaction: ten of a waiting writer's tries
 * (write-lock.ts POLL_MS), so it gets the lock before the pass takes it again, even when its
 * thread had to wait a few ms for a core.
 */
export const PAUSE_MIN_MS = 10;

/**
 * The pause after a transaction that held the write lock for heldMs: never shorter than the
 * hold, so the pass holds the lock at most half the time (a writer kept off its core while the
 * pass held the lock still finds it free for as long), and never under PAUSE_MIN_MS.
 */
export function pauseAfter(heldMs: number): number {
  return heldMs > 0 ? Math.max(PAUSE_MIN_MS, Math.ceil(heldMs)) : 0;
}
/** How often a paced pass checkpoints the WAL (PASSIVE: it waits for no one and no one waits for it). */
export const CHECKPOINT_EVERY_MS = 250;
/** WAL length (16 KiB pages, 32 MiB) past which a paced pass readies the WAL to start again and checkpoints before its next transactions. */
export const WAL_PAGES = 2_000;
/** Checkpoints a paced pass runs at most, one after the other, to get a long WAL to start again (checkpointWal). */
const RESTART_TRIES = 6;
const MIN_BATCH = 10;
const MAX_BATCH = 20_000;
/** Primary-key span a derived-table sweep looks at per transaction, at first. */
const FIRST_SPAN = 500;

// The counts of a pass are the engine-neutral shape of source/store/types.ts.
export {emptyCounts, type PruneCounts} from '../types.js';

/**
 * One write transaction of a pass, for the bench: when it began waiting (ms since the time
 * origin), waited, held (its commit included), and of that the commit; with threadTimes, the
 * thread's time on a core and waiting for one over the same span (wait included).
 */
export interface BatchTiming {
  table: string;
  at: number;
  waitMs: number;
  heldMs: number;
  commitMs: number;
  cpuMs?: number;
  queuedMs?: number;
}

/** The calling thread's time so far on a core and runnable but waiting for one, ms (the bench reads Linux's schedstat). */
export type ThreadTimes = () => {cpuMs: number; queuedMs: number};

/** One checkpoint of a paced pass, for the bench: its mode, when it began (ms since the time origin), how long it took, the WAL's pages. */
export interface CheckpointTiming {
  mode: 'PASSIVE' | 'RESTART';
  at: number;
  ms: number;
  walPages: number;
  /** It ran to the end (a RESTART: no reader was left in the WAL, so the next write starts it again). */
  done: boolean;
}

const RAW_TABLES = [
  ['stacktach_rawdata', 'raw', 'nova'], ['stacktach_glancerawdata', 'glance', 'glance'],
  ['stacktach_genericrawdata', 'generic', 'generic'],
] as const;
type MarkColumn = (typeof RAW_TABLES)[number][2];

const SCAN_ROWS = 5_000;
/** Time a prepared row may take to be stored after its keyframe was looked up, on top of the cache's age. */
const MARGIN_US = 5 * 60_000_000;
const AGE_US = KEYFRAME_MAX_AGE_MS * 1000 + MARGIN_US;
/** How often ingest writes an id mark (source/ingest/pipeline.ts), plus slack. */
const MARK_EVERY_US = 2 * 60_000_000;

/**
 * The highest id no keyframe cache may still refer to: rows inserted before now − AGE_US. Marks
 * say which ids existed when; with no ingest since well before then, every row qualifies.
 */
function safeBound(db: Db, column: MarkColumn, nowUs: number): number {
  const before = nowUs - AGE_US;
  const latest = (db.prepare('SELECT max(ts) AS ts FROM stacky_id_marks').get() as {ts: number | null}).ts;
  if (latest === null || latest + MARK_EVERY_US <= before) return Number.MAX_SAFE_INTEGER;
  const mark = db.prepare(`SELECT ${column} AS v FROM stacky_id_marks WHERE ts <= ? ORDER BY ts DESC LIMIT 1`)
    .get(before) as {v: number} | undefined;
  return mark?.v ?? 0;
}

/** The highest id that may refer to a keyframe with id <= bound: stored within AGE_US of it. */
function dependentBound(db: Db, column: MarkColumn, bound: number): number {
  const first = db.prepare(`SELECT ts FROM stacky_id_marks WHERE ${column} >= ? ORDER BY ts LIMIT 1`)
    .get(bound) as {ts: number} | undefined;
  if (!first) return Number.MAX_SAFE_INTEGER;
  const later = db.prepare(`SELECT ${column} AS v FROM stacky_id_marks WHERE ts >= ? ORDER BY ts LIMIT 1`)
    .get(first.ts + AGE_US) as {v: number} | undefined;
  return later?.v ?? Number.MAX_SAFE_INTEGER;
}

const rawGone = (table: string, column: string) => `NOT EXISTS (SELECT 1 FROM ${table} r WHERE r.id = ${column})`;
const novaRawGone = (column: string) => rawGone('stacktach_rawdata', column);
const glanceRawGone = (column: string) => rawGone('stacktach_glancerawdata', column);
const instanceGone = (column: string) => `NOT EXISTS (SELECT 1 FROM stacktach_rawdata r
  WHERE r.instance_key = ${keySql(column)} AND r.instance = ${column})`;

/** Derived tables in the order they are swept (timings before trackers, which refer to them). */
const DERIVED: readonly {table: string; where: string; cutoff: boolean}[] = [
  {table: 'stacktach_rawdataimagemeta', where: novaRawGone('t.raw_id'), cutoff: false},
  {table: 'stacktach_instancedeletes', where: novaRawGone('t.raw_id'), cutoff: false},
  {table: 'stacktach_instanceexists', where: novaRawGone('t.raw_id'), cutoff: false},
  {table: 'stacktach_timing', cutoff: false, where: `(t.start_raw_id IS NULL OR ${novaRawGone('t.start_raw_id')})
    AND (t.end_raw_id IS NULL OR ${novaRawGone('t.end_raw_id')})`},
  {table: 'stacktach_requesttracker', cutoff: true, where: `t.start < @cutoff AND (t.last_timing_id IS NULL
    OR NOT EXISTS (SELECT 1 FROM stacktach_timing x WHERE x.id = t.last_timing_id))`},
  {table: 'stacktach_lifecycle', where: `(t.instance IS NULL OR ${instanceGone('t.instance')})
    AND NOT EXISTS (SELECT 1 FROM stacktach_timing x WHERE x.lifecycle_id = t.id)`, cutoff: false},
  {table: 'stacktach_instanceusage', cutoff: true,
    where: `(t.launched_at IS NULL OR t.launched_at < @cutoff) AND (t.instance IS NULL OR ${instanceGone('t.instance')})`},
  {table: 'stacktach_imagedeletes', where: glanceRawGone('t.raw_id'), cutoff: false},
  {table: 'stacktach_imageexists', where: glanceRawGone('t.raw_id'), cutoff: false},
  {table: 'stacktach_imageusage', cutoff: true,
    where: `t.created_at < @cutoff AND (t.last_raw_id IS NULL OR ${glanceRawGone('t.last_raw_id')})`},
  {table: 'stacky_quarantine', where: 't.received < @cutoff', cutoff: true},
];

/**
 * Batch sizes that follow the measured cost: scaled by target / held time, at most doubled and
 * at least quartered at a time (one slow transaction, say a descheduled thread, does not drop
 * the size to the minimum, and a fast one does not jump far past what was measured).
 */
export class Sizer {
  constructor(public size: number, private readonly min: number, private readonly max: number,
    private readonly targetMs = TARGET_MS) {}
  adapt(heldMs: number): void {
    const factor = heldMs <= 0 ? 2 : Math.min(2, Math.max(0.25, this.targetMs / heldMs));
    this.size = Math.min(this.max, Math.max(this.min, Math.round(this.size * factor)));
  }
}

/** Runs body in a write transaction (write-lock.ts); `locked.at` is when the write lock was had, `committing` when the commit began. */
function inImmediate<T>(db: Db, body: () => T, locked: {at: number; committing: number}): T {
  beginImmediate(db);
  locked.at = performance.now();
  try {
    const result = body();
    locked.committing = performance.now();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** One step of work: runs at most one transaction; answers how long it held the write lock (0: it only read). */
export type Step = () => number;

export interface PruneOptions {
  /** The clock the keyframe-safety bounds are taken against (ms). */
  nowMs: number;
  /** Hears every write transaction (the bench's timeline). */
  onBatch?: (batch: BatchTiming) => void;
  /** Hears every checkpoint of a paced pass (the bench's timeline). */
  onCheckpoint?: (checkpoint: CheckpointTiming) => void;
  /** With onBatch: the thread's times around each transaction. */
  threadTimes?: ThreadTimes;
  /** Time a transaction may hold the write lock for its deletions, ms (TARGET_MS). */
  budgetMs?: number;
}

/**
 * The steps of one pruning pass for rows older than `cutoff`, as a generator of steps so a
 * caller can run them back to back (a one-off prune) or yield between them (in the background).
 */
export function* pruneSteps(db: Db, cutoff: Micros, counts: PruneCounts = emptyCounts(),
  options: PruneOptions = {nowMs: Date.now()}): Generator<Step, PruneCounts> {
  const timed = <T>(body: () => T, table: string): T => {
    // A lost deletion costs nothing, so the pass's commits skip the fsync that ingest's commits
    // pay (database.ts: synchronous FULL), and they never run a checkpoint (prunePaced does,
    // outside the transaction): the write lock is held for the deletions alone.
    const sync = db.pragma('synchronous', {simple: true}) as number;
    const autocheckpoint = db.pragma('wal_autocheckpoint', {simple: true}) as number;
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_autocheckpoint = 0');
    const times0 = options.threadTimes?.();
    const start = performance.now();
    const locked = {at: start, committing: start};
    let result: T;
    try {
      result = inImmediate(db, body, locked);
    } finally {
      db.pragma(`synchronous = ${sync}`);
      db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
    }
    const now = performance.now();
    const ms = now - locked.at;
    const waitMs = locked.at - start;
    countStep(counts, table, waitMs, ms);
    if (options.onBatch) {
      const times = options.threadTimes?.();
      options.onBatch({table, at: performance.timeOrigin + start, waitMs, heldMs: ms, commitMs: now - locked.committing,
        ...(times && times0 && {cpuMs: times.cpuMs - times0.cpuMs, queuedMs: times.queuedMs - times0.queuedMs})});
    }
    lastMs = ms;
    return result;
  };
  let lastMs = 0;
  const budgetMs = options.budgetMs ?? TARGET_MS;

  const nowUs = options.nowMs * 1000;
  for (const [table, key, markColumn] of RAW_TABLES) {
    const maxId = (db.prepare(`SELECT max(id) AS v FROM ${table}`).get() as {v: number | null}).v;
    const candHi = (db.prepare(`SELECT max(id) AS v FROM ${table} WHERE "when" < ?`).get(cutoff) as {v: number | null}).v;
    if (maxId === null || candHi === null) continue;
    // The newest row always stays: SQLite hands out max(id) + 1, and the id marks need ids to grow.
    const last = Math.min(candHi, maxId - 1);
    // Keyframes (standalone rows) only up to the id no keyframe cache may still refer to.
    const bound = Math.min(last, safeBound(db, markColumn, nowUs));
    if (last < 1) continue;
    const scanTo = bound < 1 ? 0 : Math.min(dependentBound(db, markColumn, bound), maxId);
    // Keyframes still referred to by a row that stays (ingest spec's codec: source/store/json-codec.ts).
    const kept = new Set<number>();
    const scan = db.prepare<[number, number], {id: number; w: number; h: Buffer}>(`SELECT id, "when" AS w,
      substr(json_z, 1, 7) AS h FROM ${table} WHERE id > ? AND id <= ? ORDER BY id LIMIT ${SCAN_ROWS}`);
    let after = 0;
    let scanning = true;
    while (scanning) {
      yield () => {
        const rows = scan.all(after, scanTo);
        for (const r of rows) {
          // Rows older than the cut-off that refer to a keyframe go in this pass (but the newest).
          if (r.w < cutoff && r.id <= last) continue;
          const ref = referenceOf(r.h);
          if (ref !== null && ref <= bound) kept.add(ref);
        }
        scanning = rows.length === SCAN_ROWS;
        if (rows.length > 0) after = rows[rows.length - 1]!.id;
        return 0;
      };
    }
    const sizer = new Sizer(100, MIN_BATCH, MAX_BATCH, budgetMs);
    // Oldest first through the "when" index, resuming after the last row looked at.
    const next = db.prepare<{w: number; id: number; cutoff: number; n: number}, {id: number; w: number; h: Buffer}>(
      `SELECT id, "when" AS w, substr(json_z, 1, 1) AS h FROM ${table} WHERE "when" < @cutoff AND ("when", id) > (@w, @id)
       ORDER BY "when", id LIMIT @n`);
    const del = db.prepare<[number]>(`DELETE FROM ${table} WHERE id = ?`);
    let cursor = {w: -Number.MAX_SAFE_INTEGER, id: 0};
    let more = true;
    while (more) {
      yield () => {
        const n = sizer.size;
        more = timed(() => {
          const deadline = performance.now() + budgetMs;
          const rows = next.all({...cursor, cutoff, n});
          let seen = 0;
          for (const r of rows) {
            // The budget ends the batch whatever its size: one slow batch holds the lock no longer.
            if (seen > 0 && performance.now() >= deadline) break;
            seen++;
            cursor = {w: r.w, id: r.id};
            const standalone = !refersToKeyframe(r.h[0]!);
            if (r.id > last || (standalone && (r.id > bound || kept.has(r.id)))) continue;
            counts[key] += del.run(r.id).changes;
          }
          return seen < rows.length || rows.length >= n;
        }, table);
        sizer.adapt(lastMs);
        return lastMs;
      };
    }
  }
  yield () => {
    timed(() => db.prepare(`DELETE FROM stacky_id_marks WHERE ts < (SELECT max(ts) FROM stacky_id_marks
      WHERE nova < coalesce((SELECT min(id) FROM stacktach_rawdata), 0)
      AND glance < coalesce((SELECT min(id) FROM stacktach_glancerawdata), 0)
      AND generic < coalesce((SELECT min(id) FROM stacktach_genericrawdata), 0))`).run(), 'stacky_id_marks');
    return lastMs;
  };

  // Derived tables: swept along the primary key in spans, so no table needs a new index.
  for (const d of DERIVED) {
    const bounds = db.prepare(`SELECT min(rowid) AS lo, max(rowid) AS hi FROM ${d.table}`).get() as {lo: number | null; hi: number | null};
    if (bounds.lo === null || bounds.hi === null) continue;
    const hi = bounds.hi;
    const sizer = new Sizer(FIRST_SPAN, 50, 200_000, budgetMs);
    const del = db.prepare(`DELETE FROM ${d.table} WHERE rowid IN (SELECT t.rowid FROM ${d.table} t
      WHERE t.rowid >= @lo AND t.rowid < @end AND ${d.where})`);
    let lo = bounds.lo;
    while (lo <= hi) {
      yield () => {
        const n = timed(() => {
          // The span in eighths, the budget checked between them.
          const deadline = performance.now() + budgetMs;
          const end = Math.min(lo + sizer.size, hi + 1);
          const step = Math.ceil(sizer.size / 8);
          let deleted = 0;
          do {
            const to = Math.min(lo + step, end);
            deleted += del.run(d.cutoff ? {lo, end: to, cutoff} : {lo, end: to}).changes;
            lo = to;
          } while (lo < end && performance.now() < deadline);
          return deleted;
        }, d.table);
        if (d.table === 'stacky_quarantine') counts.quarantine += n;
        else counts.derived += n;
        sizer.adapt(lastMs);
        return lastMs;
      };
    }
  }
  return counts;
}

/**
 * A checkpoint, counted; PASSIVE copies what the WAL holds back to the file without waiting for
 * anyone. Answers the WAL's length in pages (which only a restart shortens), how many of them
 * are copied back (-1 both: another connection was checkpointing), and whether a RESTART found
 * the WAL all copied back with no reader left in it (readyToRestart).
 */
function checkpoint(db: Db, counts: PruneCounts, mode: 'PASSIVE' | 'RESTART' = 'PASSIVE',
  heard?: (checkpoint: CheckpointTiming) => void): {pages: number; copied: number; ready: boolean} {
  const start = performance.now();
  const [result] = db.pragma(`wal_checkpoint(${mode})`) as {busy: number; log: number; checkpointed: number}[];
  const ms = performance.now() - start;
  counts.checkpoints++;
  counts.longestCheckpointMs = Math.max(counts.longestCheckpointMs, ms);
  heard?.({mode, at: performance.timeOrigin + start, ms, walPages: result?.log ?? 0, done: result?.busy === 0});
  return {pages: result?.log ?? 0, copied: result?.checkpointed ?? 0, ready: mode === 'RESTART' && result?.busy === 0};
}

/**
 * Gets a WAL that was all copied back, with no commit since, ready to start again from its
 * beginning: a RESTART checkpoint without a busy handler takes the write lock only if it is
 * free at once (else it is a PASSIVE one), finds nothing to copy (so no fsync under the lock),
 * and answers at once whether a reader still reads from the WAL. If none does, the next write
 * transaction (the pass's, which comes next, or another writer's) writes from the WAL's start.
 */
function readyToRestart(db: Db, counts: PruneCounts, heard?: (checkpoint: CheckpointTiming) => void): boolean {
  return withoutBusyHandler(db, () => checkpoint(db, counts, 'RESTART', heard).ready);
}

/**
 * A PASSIVE checkpoint, and while the WAL is longer than WAL_PAGES, a RESTART one
 * (readyToRestart) once everything was copied back (no reader kept the last pages) and no one
 * committed since: else it would copy their pages under the lock. Up to RESTART_TRIES
 * checkpoints: each PASSIVE one copies what was committed during the one before (less each
 * time), and a RESTART that found a reader still in the WAL (one that began before the copy
 * ended) is tried again a millisecond later, when the next query reads from the file alone.
 * Answers whether the WAL was long.
 */
export async function checkpointWal(db: Db, counts: PruneCounts, heard?: (checkpoint: CheckpointTiming) => void): Promise<boolean> {
  const dataVersion = () => db.pragma('data_version', {simple: true}) as number;
  let version = dataVersion();
  let wal = checkpoint(db, counts, 'PASSIVE', heard);
  if (wal.pages <= WAL_PAGES) return false;
  // (-1 pages: another connection was checkpointing, this one copied nothing.)
  const settled = () => wal.pages >= 0 && wal.copied === wal.pages && dataVersion() === version;
  for (let i = 0; i < RESTART_TRIES && db.open; i++) {
    if (!settled()) {
      version = dataVersion();
      wal = checkpoint(db, counts, 'PASSIVE', heard);
    } else if (readyToRestart(db, counts, heard)) {
      break;
    } else {
      await pause(1);
    }
  }
  return true;
}

const pause = (ms: number) => new Promise<void>((resolve) => {
  if (ms > 0) setTimeout(resolve, ms);
  else setImmediate(resolve);
});

/**
 * A whole pass next to other writers (`stacky prune`, `--retain`): after each transaction it
 * pauses (pauseAfter), so a waiting writer gets in; every CHECKPOINT_EVERY_MS it runs a
 * PASSIVE checkpoint, and one at the end. `stopped` ends the pass early, between transactions.
 *
 * The WAL only starts again from its beginning when a write transaction begins right after
 * everything was copied back and no reader still reads from it; with the pass and ingest
 * writing all the time that moment rarely comes by itself (a writer that waited for the lock
 * begins after the other's commit), the WAL grows, and once it is past wal_autocheckpoint
 * every ingest commit runs a checkpoint (with its fsyncs) on its own thread. So the
 * checkpoint comes just before the pass's next transaction, and while the WAL is longer than
 * WAL_PAGES it is made ready to start again (checkpointWal) and repeated before the next
 * transactions (no more than a third of the pass's time) until the WAL has started again.
 */
export async function prunePaced(db: Db, cutoff: Micros, counts: PruneCounts = emptyCounts(),
  options: Partial<PruneOptions> & {stopped?: () => boolean} = {}): Promise<PruneCounts> {
  let due = performance.now() + CHECKPOINT_EVERY_MS;
  for (const step of pruneSteps(db, cutoff, counts, {...options, nowMs: options.nowMs ?? Date.now()})) {
    if (options.stopped?.() || !db.open) return counts;
    if (performance.now() >= due) {
      const start = performance.now();
      const long = await checkpointWal(db, counts, options.onCheckpoint);
      // Checkpoints (their fsyncs) take at most a third of the pass's time.
      const took = performance.now() - start;
      due = performance.now() + Math.max(long ? 0 : CHECKPOINT_EVERY_MS, 2 * took);
    }
    const held = step();
    await pause(pauseAfter(held));
  }
  if (db.open) checkpoint(db, counts, 'PASSIVE', options.onCheckpoint);
  return counts;
}

/** The "when" of the oldest raw row kept, µs, or null for an empty store. */
export function oldestRetained(db: Db): Micros | null {
  const row = db.prepare(`SELECT min(w) AS w FROM (
    SELECT min("when") AS w FROM stacktach_rawdata UNION ALL SELECT min("when") FROM stacktach_glancerawdata
    UNION ALL SELECT min("when") FROM stacktach_genericrawdata)`).get() as {w: number | null};
  return row.w;
}

/** Pages of the file and how many of them are free for reuse. */
export function pageStats(db: Db): {pageSize: number; pages: number; freePages: number} {
  return {
    pageSize: db.pragma('page_size', {simple: true}) as number,
    pages: db.pragma('page_count', {simple: true}) as number,
    freePages: db.pragma('freelist_count', {simple: true}) as number,
  };
}
