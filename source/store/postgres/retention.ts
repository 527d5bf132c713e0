// Retention on PostgreSQL: whole day partitions of the three raw tables go (schema.ts), never
// single rows. A partition goes when its range ends at or before the cut-off; the day holding
// the cut-off stays whole until a later pass, so up to a day more than asked for is kept.
//
// Before a table's partitions go, what kept rows still need is put aside:
// - keyframes: a row compressed against a keyframe names its id (source/store/json-codec.ts), and
//   a keyframe is a row ingested at most KEYFRAME_MAX_AGE_MS earlier (wall clock), whatever the
//   notifications' times, so a kept row may refer to a row of a dropped partition. Only kept
//   rows with ids from the lowest dropped id up to the highest id stored within AGE_US of the
//   highest one (the id marks, stacky_id_marks, say which ids existed when) can; they are read
//   (the first 7 bytes of their blob) through each partition's id index, and the keyframes they
//   name are copied into stacky_keyframes, where every decode looks next (keyframes.ts). So are
//   the dropped partitions' keyframes ingested too recently for any cache to have let go of them
//   (safeBound), for rows not written yet; kept keyframes go once nothing can refer to them.
// - derived rows, by the rules of source/store/sqlite/retention.ts (its header): swept along
//   their primary key in short statements after the drops, in the pass that dropped something
//   (or, stopped before the end, the next one: stacky_meta 'prune_sweep_nova' and '_glance' keep
//   the highest id dropped; ids below the lowest left are gone without a look, GoneIds).
// Old quarantine entries (received before the cut-off) and id marks no id left needs go too.
//
// Dropping a partition takes an ACCESS EXCLUSIVE lock on it and on its table. Behind a waiting
// one every later reader and writer of the table queues, so the drop waits at most LOCK_WAIT_MS
// (lock_timeout) and, refused, tries again after a growing pause, at most DROP_ATTEMPTS times a
// pass; a long reader (a report's snapshot) delays the drop, never the others for more than
// LOCK_WAIT_MS. DETACH PARTITION CONCURRENTLY was not taken: it cannot run in a transaction, so
// the keyframes of rows arriving meanwhile could not be copied under the same lock, an
// interrupted one leaves a partition half detached (FINALIZE), and its wait for every older
// snapshot holds a lock on the table that a writer creating the next day's partition queues behind.
import type {Micros} from '../../core/types.js';
import type {PrunePassOptions, Pruner} from '../api.js';
import {countStep, emptyCounts, type PruneCounts} from '../types.js';
import {referenceOf} from '../json-codec.js';
import {KEYFRAME_MAX_AGE_MS} from '../sqlite/retention.js';
import type {Sql} from './connect.js';
import {dayOf, PARTITION_US, partitionDay, RAW_TABLES, type RawTable} from './schema.js';

/** Time a prepared row may take to be stored after its keyframe was looked up, on top of the cache's age. */
const MARGIN_US = 5 * 60_000_000;
const AGE_US = KEYFRAME_MAX_AGE_MS * 1000 + MARGIN_US;
/** How often ingest writes an id mark (writer.ts, once a minute), plus slack. */
const MARK_EVERY_US = 2 * 60_000_000;
const NO_BOUND = Number.MAX_SAFE_INTEGER;

/** How long a drop waits for its lock before letting the queue behind it go, and how often it tries. */
export const LOCK_WAIT_MS = 100;
const DROP_ATTEMPTS = 8;
/** Rows of kept partitions read at a time when looking for keyframe references. */
const SCAN_ROWS = 5_000;
/** Time a derived-table statement aims at, ms; the span it covers follows. */
const TARGET_MS = 20;
/** Leading bytes of blobs compressed against a keyframe (json-codec.ts, json-deflate.ts: codecs 4, 3, 2). */
const REFERENCED = '(2, 4, 6)';

const MARK: Record<RawTable, 'nova' | 'glance' | 'generic'> = {
  stacktach_rawdata: 'nova', stacktach_glancerawdata: 'glance', stacktach_genericrawdata: 'generic',
};
const COUNT: Record<RawTable, 'raw' | 'glance' | 'generic'> = {
  stacktach_rawdata: 'raw', stacktach_glancerawdata: 'glance', stacktach_genericrawdata: 'generic',
};

/**
 * What the sweep knows of a raw table's gone ids: every id below `lo` (the lowest id left) is
 * gone, and none above `hi` (the highest id a drop not yet swept took) went. Only ids between
 * are looked up, with a probe that stays a per-row index lookup (the OR keeps the planner from
 * an anti-join that would read every kept partition).
 */
interface GoneIds {
  lo: number;
  hi: number;
}

const gone = (table: string, g: GoneIds, column: string) =>
  `(${column} IS NULL OR ${column} < ${g.lo} OR (${column} <= ${g.hi} AND NOT EXISTS (SELECT 1 FROM ${table} r WHERE r.id = ${column})))`;
const instanceGone = (column: string) => `NOT EXISTS (SELECT 1 FROM stacktach_rawdata r WHERE r.instance = ${column})`;

interface Derived {
  table: string;
  /** The column swept along in spans. */
  key: string;
  /** What makes a row go, given the cut-off and the gone ids of the nova and glance tables. */
  where: (cutoff: Micros, nova: GoneIds, glance: GoneIds) => string;
  /** The highest key the sweep need look at (imagemeta's key is its raw's id). */
  upTo?: (nova: GoneIds) => number;
}

/** Derived tables in sweep order (timings before trackers, which refer to them), by source/store/sqlite/retention.ts's rules. */
const DERIVED: readonly Derived[] = [
  {table: 'stacktach_rawdataimagemeta', key: 'raw_id', where: (_, n) => gone('stacktach_rawdata', n, 't.raw_id'), upTo: (n) => n.hi},
  {table: 'stacktach_instancedeletes', key: 'id', where: (_, n) => gone('stacktach_rawdata', n, 't.raw_id')},
  {table: 'stacktach_instanceexists', key: 'id', where: (_, n) => gone('stacktach_rawdata', n, 't.raw_id')},
  {table: 'stacktach_timing', key: 'id',
    where: (_, n) => `${gone('stacktach_rawdata', n, 't.start_raw_id')} AND ${gone('stacktach_rawdata', n, 't.end_raw_id')}`},
  {table: 'stacktach_requesttracker', key: 'id', where: (c) => `t.start < ${c} AND (t.last_timing_id IS NULL
    OR NOT EXISTS (SELECT 1 FROM stacktach_timing x WHERE x.id = t.last_timing_id))`},
  // A lifecycle whose last raw is kept has a raw of its instance left: no need to look.
  {table: 'stacktach_lifecycle', key: 'id', where: (_, n) => `(t.last_raw_id IS NULL OR t.last_raw_id <= ${n.hi})
    AND (t.instance IS NULL OR ${instanceGone('t.instance')}) AND NOT EXISTS (SELECT 1 FROM stacktach_timing x WHERE x.lifecycle_id = t.id)`},
  {table: 'stacktach_instanceusage', key: 'id',
    where: (c) => `(t.launched_at IS NULL OR t.launched_at < ${c}) AND (t.instance IS NULL OR ${instanceGone('t.instance')})`},
  {table: 'stacktach_imagedeletes', key: 'id', where: (_, __, g) => gone('stacktach_glancerawdata', g, 't.raw_id')},
  {table: 'stacktach_imageexists', key: 'id', where: (_, __, g) => gone('stacktach_glancerawdata', g, 't.raw_id')},
  {table: 'stacktach_imageusage', key: 'id',
    where: (c, _, g) => `t.created_at < ${c} AND ${gone('stacktach_glancerawdata', g, 't.last_raw_id')}`},
];
const QUARANTINE: Derived = {table: 'stacky_quarantine', key: 'id', where: (c) => `t.received < ${c}`};

/** stacky_meta keys holding the highest id a drop took from the nova and glance tables, until the sweep after it ends. */
const SWEEP_KEY: Partial<Record<RawTable, string>> = {stacktach_rawdata: 'prune_sweep_nova', stacktach_glancerawdata: 'prune_sweep_glance'};

const PASS_LOCK = "hashtextextended('stacky retention', 0)";

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class PgPruner implements Pruner {
  private lastPartitions = 0;

  constructor(private readonly sql: Sql) {}

  private async q<R>(text: string, params: unknown[] = []): Promise<R[]> {
    return await this.sql.unsafe(text, params as never[]) as unknown as R[];
  }

  /** A write statement; the rows it touched. */
  private async exec(text: string, params: unknown[] = []): Promise<number> {
    return (await this.sql.unsafe(text, params as never[])).count;
  }

  /**
   * One pass at a time over all processes (serve and worker may each have --retain): a pass finding
   * another running does nothing and says so.
   */
  async prune(cutoff: Micros, options: PrunePassOptions = {}): Promise<PruneCounts> {
    const counts: PruneCounts = {...emptyCounts(), partitions: 0, partitionsBusy: 0, keyframesKept: 0, keyframesFreed: 0};
    const session = await this.sql.reserve();
    try {
      const [lock] = await session.unsafe(`SELECT pg_try_advisory_lock(${PASS_LOCK}) AS ok`) as unknown as {ok: boolean}[];
      if (!lock!.ok) return {...counts, runningElsewhere: true};
      try {
        return await this.pass(cutoff, options, counts);
      } finally {
        await session.unsafe(`SELECT pg_advisory_unlock(${PASS_LOCK})`);
      }
    } finally {
      session.release();
    }
  }

  private async pass(cutoff: Micros, options: PrunePassOptions, counts: PruneCounts): Promise<PruneCounts> {
    const stopped = options.stopped ?? (() => false);
    const nowUs = (options.nowMs ?? Date.now()) * 1000;
    // Rows before this are exactly those of the partitions that go.
    const boundary = dayOf(cutoff) * PARTITION_US;
    for (const table of RAW_TABLES) {
      if (stopped()) return this.done(counts);
      await this.pruneTable(table, boundary, nowUs, counts, stopped);
    }
    // Derived rows of every drop not swept yet (this pass's, or an earlier pass stopped early).
    const marks = new Map((await this.q<{key: string; value: string}>(
      "SELECT key, value FROM stacky_meta WHERE key LIKE 'prune_sweep_%'")).map((r) => [r.key, Number(r.value)]));
    const swept: string[] = [];
    if (marks.size > 0) {
      const ids = async (table: RawTable): Promise<GoneIds> => {
        const [left] = await this.q<{lo: number | null}>(`SELECT min(id) AS lo FROM ${table}`);
        return {lo: left!.lo ?? NO_BOUND, hi: marks.get(SWEEP_KEY[table]!) ?? 0};
      };
      const nova = await ids('stacktach_rawdata');
      const glance = await ids('stacktach_glancerawdata');
      for (const d of DERIVED) {
        if (stopped()) return this.done(counts);
        const n = await this.sweep(d.table, d.key, d.where(cutoff, nova, glance), d.upTo?.(nova), counts, stopped);
        counts.derived += n;
        if (n > 0) swept.push(d.table);
      }
      if (stopped()) return this.done(counts);
      // Done: the marks as read (a pass is alone, see prune; the values guard against a stacky of another version).
      for (const [key, value] of marks) await this.q('DELETE FROM stacky_meta WHERE key = $1 AND value = $2', [key, String(value)]);
    }
    counts.quarantine += await this.sweep(QUARANTINE.table, QUARANTINE.key, QUARANTINE.where(cutoff, {lo: 0, hi: 0}, {lo: 0, hi: 0}),
      undefined, counts, stopped);
    await this.timed(counts, 'stacky_id_marks', () => this.exec(`DELETE FROM stacky_id_marks WHERE ts < (SELECT max(ts) FROM stacky_id_marks
      WHERE ${RAW_TABLES.map((t) => `${MARK[t]} < coalesce(least((SELECT min(id) FROM ${t}),
        (SELECT min(id) FROM stacky_keyframes WHERE tbl = '${t}')), ${NO_BOUND})`).join(' AND ')})`));
    // Space of deleted rows is reused by the next inserts once vacuumed; autovacuum may come long
    // after a pass that deleted a day of them, and the tables would grow meanwhile. A plain VACUUM
    // blocks no reader or writer.
    for (const table of [...swept, 'stacky_keyframes', 'stacky_id_marks']) {
      if (stopped()) return this.done(counts);
      await this.q(`VACUUM ${table}`);
    }
    return this.done(counts);
  }

  private async done(counts: PruneCounts): Promise<PruneCounts> {
    // Answers cached under the store's version (source/server) must not outlive the rows.
    if (counts.raw + counts.glance + counts.generic + counts.derived + counts.quarantine > 0) {
      await this.q('UPDATE stacky_version SET n = n + 1 WHERE one = 1');
    }
    this.lastPartitions = counts.partitions ?? 0;
    return counts;
  }

  /** Keeps what kept rows need, then drops the partitions of `table` before `boundary`; true when one went. */
  private async pruneTable(table: RawTable, boundary: Micros, nowUs: number, counts: PruneCounts,
    stopped: () => boolean): Promise<boolean> {
    const parts = (await this.q<{name: string}>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = $1::regclass ORDER BY 1`, [table]))
      .map((p) => ({name: p.name, day: partitionDay(table, p.name)}))
      .filter((p): p is {name: string; day: number} => p.day !== null && (p.day + 1) * PARTITION_US <= boundary);
    const safe = await this.safeBound(MARK[table], nowUs);
    const [gone] = await this.q<{lo: number | null; hi: number | null}>(
      `SELECT min(id) AS lo, max(id) AS hi FROM ${table} WHERE "when" < $1`, [boundary]);
    const rows = new Map((await this.q<{p: string; n: number}>(`SELECT tableoid::regclass::text AS p, count(*)::int8 AS n
      FROM ${table} WHERE "when" < $1 GROUP BY 1`, [boundary])).map((r) => [r.p, r.n]));
    const [kept] = await this.q<{lo: number | null; hi: number | null}>(
      'SELECT min(id) AS lo, max(id) AS hi FROM stacky_keyframes WHERE tbl = $1 AND id <= $2', [table, safe]);
    if (parts.length === 0 && kept!.lo === null) return false;

    // Kept rows that may refer to a dropped row or to a kept keyframe no new row can refer to.
    const [top] = await this.q<{id: number | null}>(`SELECT max(id) AS id FROM ${table}`);
    const lo = Math.min(gone!.lo ?? NO_BOUND, kept!.lo ?? NO_BOUND);
    const hi = Math.min(await this.dependentBound(MARK[table], Math.max(gone!.hi ?? 0, kept!.hi ?? 0)), top!.id ?? 0);
    const refs = new Set<number>();
    for (let after = lo - 1; ;) {
      if (stopped()) return false;
      const rows = await this.q<{id: number; h: Buffer}>(`SELECT id, substr(json_z, 1, 7) AS h FROM ${table}
        WHERE "when" >= $1 AND id > $2 AND id <= $3 ORDER BY id LIMIT ${SCAN_ROWS}`, [boundary, after, hi]);
      for (const r of rows) {
        const ref = referenceOf(r.h);
        if (ref !== null && ref >= lo) refs.add(ref);
      }
      if (rows.length < SCAN_ROWS) break;
      after = rows[rows.length - 1]!.id;
    }
    if (gone!.lo !== null) {
      counts.keyframesKept! += await this.timed(counts, 'stacky_keyframes', () => this.exec(`INSERT INTO stacky_keyframes (tbl, id, json_z)
        SELECT $1, id, json_z FROM ${table} WHERE "when" < $2
        AND (id = ANY($3::bigint[]) OR (id > $4 AND get_byte(json_z, 0) NOT IN ${REFERENCED})) ON CONFLICT DO NOTHING`,
      [table, boundary, [...refs], safe]));
    }

    let all = true;
    for (const p of parts) {
      if (stopped()) return counts.partitions! > 0;
      if (await this.drop(table, p.name, top!.id ?? 0, safe, counts)) {
        counts.partitions!++;
        counts[COUNT[table]] += rows.get(p.name) ?? 0;
      } else {
        counts.partitionsBusy!++;
        all = false;
      }
    }
    // Rows of a partition left for the next pass may still refer to kept keyframes.
    if (all) {
      counts.keyframesFreed! += await this.timed(counts, 'stacky_keyframes', () => this.exec(`DELETE FROM stacky_keyframes
        WHERE tbl = $1 AND id <= $2 AND NOT (id = ANY($3::bigint[]))`, [table, safe, [...refs]]));
    }
    return parts.length > 0;
  }

  /**
   * Drops one partition under lock_timeout, trying again after a pause when a reader holds it.
   * Under the lock, keyframes stored in it since the scan (a late notification of a new
   * instance) are kept too: a row written against one may already be in a kept partition.
   */
  private async drop(table: RawTable, partition: string, scannedTo: number, safe: number, counts: PruneCounts): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const start = performance.now();
      let locked = start;
      try {
        await this.sql.begin(async (tx) => {
          await tx.unsafe(`SET LOCAL lock_timeout = '${LOCK_WAIT_MS}ms'`);
          // The table first, as DROP TABLE locks a partition's parent before the partition.
          await tx.unsafe(`LOCK TABLE ONLY ${table} IN ACCESS EXCLUSIVE MODE`);
          await tx.unsafe(`LOCK TABLE ${partition} IN ACCESS EXCLUSIVE MODE`);
          locked = performance.now();
          const late = await tx.unsafe(`INSERT INTO stacky_keyframes (tbl, id, json_z) SELECT $1, id, json_z FROM ${partition}
            WHERE id > $2 AND id > $3 AND get_byte(json_z, 0) NOT IN ${REFERENCED} ON CONFLICT DO NOTHING`, [table, scannedTo, safe]);
          counts.keyframesKept! += late.count;
          // The sweep after the drops (or, this pass stopped, a later one) must look up ids up to the highest dropped.
          if (SWEEP_KEY[table]) {
            await tx.unsafe(`INSERT INTO stacky_meta (key, value) SELECT $1, max(id)::text FROM ${partition} HAVING max(id) IS NOT NULL
              ON CONFLICT (key) DO UPDATE SET value = greatest(stacky_meta.value::bigint, excluded.value::bigint)::text`, [SWEEP_KEY[table]!]);
          }
          await tx.unsafe(`DROP TABLE IF EXISTS ${partition}`);
        });
        countStep(counts, partition, locked - start, performance.now() - locked);
        return true;
      } catch (error) {
        counts.longestWaitMs = Math.max(counts.longestWaitMs, performance.now() - start);
        // 55P03: lock_timeout ran out; anything else is a real failure.
        if ((error as {code?: string}).code !== '55P03') throw error;
        if (attempt >= DROP_ATTEMPTS) return false;
        await pause(Math.min(5_000, 50 * 2 ** attempt));
      }
    }
  }

  /** One derived table's sweep along its key (up to `upTo`), a span per statement; rows deleted. */
  private async sweep(table: string, key: string, where: string, upTo: number | undefined, counts: PruneCounts,
    stopped: () => boolean): Promise<number> {
    const [b] = await this.q<{lo: number | null; hi: number | null}>(`SELECT min(${key}) AS lo, max(${key}) AS hi FROM ${table}`);
    if (b!.lo === null || b!.hi === null) return 0;
    const hi = Math.min(b!.hi, upTo ?? NO_BOUND);
    let span = 1_000;
    let deleted = 0;
    for (let lo = b!.lo; lo <= hi && !stopped();) {
      const end = Math.min(lo + span, hi + 1);
      const start = performance.now();
      deleted += await this.timed(counts, table, () => this.exec(`DELETE FROM ${table} t
        WHERE t.${key} >= $1 AND t.${key} < $2 AND ${where}`, [lo, end]));
      const ms = performance.now() - start;
      span = Math.max(100, Math.min(200_000, Math.round(span * Math.min(2, Math.max(0.25, TARGET_MS / Math.max(ms, 1))))));
      lo = end;
      // As long a pause as the statement took: the pass takes at most half of what the database gives.
      await pause(Math.min(ms, 100));
    }
    return deleted;
  }

  private async timed<R>(counts: PruneCounts, table: string, body: () => Promise<R>): Promise<R> {
    const start = performance.now();
    const result = await body();
    countStep(counts, table, 0, performance.now() - start);
    return result;
  }

  /**
   * The highest id no keyframe cache may still refer to: rows inserted before now − AGE_US (as
   * source/store/sqlite/retention.ts). With no ingest since well before then, every row qualifies.
   */
  private async safeBound(column: string, nowUs: number): Promise<number> {
    const before = nowUs - AGE_US;
    const [latest] = await this.q<{ts: number | null}>('SELECT max(ts) AS ts FROM stacky_id_marks');
    if (latest!.ts === null || latest!.ts + MARK_EVERY_US <= before) return NO_BOUND;
    const [mark] = await this.q<{v: number}>(`SELECT ${column} AS v FROM stacky_id_marks WHERE ts <= $1 ORDER BY ts DESC LIMIT 1`, [before]);
    return mark?.v ?? 0;
  }

  /** The highest id that may refer to a keyframe with id <= bound: stored within AGE_US of it. */
  private async dependentBound(column: string, bound: number): Promise<number> {
    const [first] = await this.q<{ts: number}>(`SELECT ts FROM stacky_id_marks WHERE ${column} >= $1 ORDER BY ts LIMIT 1`, [bound]);
    if (!first) return NO_BOUND;
    const [later] = await this.q<{v: number}>(`SELECT ${column} AS v FROM stacky_id_marks WHERE ts >= $1 ORDER BY ts LIMIT 1`,
      [first.ts + AGE_US]);
    return later?.v ?? NO_BOUND;
  }

  async space(): Promise<{phrase: string; fields: Record<string, number>}> {
    const [row] = await this.q<{bytes: number}>('SELECT pg_database_size(current_database()) AS bytes');
    const bytes = row!.bytes;
    const n = this.lastPartitions;
    return {phrase: `${n} day partition${n === 1 ? '' : 's'} dropped; the database takes ${(bytes / 1048576).toFixed(1)} MiB`,
      fields: {bytes}};
  }

  async close(): Promise<void> {
    await this.sql.end({timeout: 5});
  }
}
