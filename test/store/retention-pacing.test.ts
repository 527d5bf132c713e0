// How a retention pass keeps out of other writers' way (source/store/sqlite/retention.ts): a batch ends
// at its time budget, batch sizes follow the time the lock was held, the pause after a
// transaction outlasts a waiting writer's retry gaps, and the pass's commits never checkpoint
// (a paced pass checkpoints on its own).
import assert from 'node:assert/strict';
import {closeSync, mkdtempSync, openSync, readSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {DemoGenerator} from '../../source/demo/generator.js';
import {Pipeline} from '../../source/ingest/pipeline.js';
import {openDatabase, type Db} from '../../source/store/sqlite/database.js';
import {checkpointWal, emptyCounts, PAUSE_MIN_MS, pauseAfter, prunePaced, pruneSteps, Sizer, WAL_PAGES, type BatchTiming}
  from '../../source/store/sqlite/retention.js';
import {pruneBefore} from './prune-all.js';
import {SqliteWriter} from '../../source/store/sqlite/writer.js';

describe('batch sizes follow the time a transaction held the lock', () => {
  it('scale by target / held, at most doubled and at least quartered, within their bounds', () => {
    const sizer = new Sizer(100, 10, 1000, 10);
    const sizes: number[] = [];
    for (const held of [5, 10, 20, 100, 0, 2, 1, 1, 1, 40, 400, 400, 400]) {
      sizer.adapt(held);
      sizes.push(sizer.size);
    }
    assert.deepEqual(sizes, [200, 200, 100, 25, 50, 100, 200, 400, 800, 200, 50, 13, 10]);
    for (let i = 0; i < 10; i++) sizer.adapt(1);
    assert.equal(sizer.size, 1000);
  });
});

/** A file with 2,000 demo notifications ingested long ago (every keyframe may go). */
async function seeded(path: string): Promise<Db> {
  const db = openDatabase(path);
  const pipeline = new Pipeline(new SqliteWriter(db), {source: 'test', nowMicros: () => 0});
  const generator = new DemoGenerator({seed: 11, rate: 50});
  for (let i = 0; i < 4; i++) {
    await pipeline.ingest(Array.from({length: 500}, () => {
      const e = generator.next();
      return {deployment: e.deployment, exchange: e.exchange, routingKey: e.routing_key, body: e.body};
    }));
  }
  return db;
}

const whens = (db: Db) => db.prepare('SELECT "when" FROM stacktach_rawdata ORDER BY "when"').pluck().all() as number[];

describe('the time budget of a transaction', () => {
  it('ends a batch whatever its size: with none, each transaction deletes one row, and the pass deletes the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacky-budget-'));
    const a = await seeded(join(dir, 'a.db'));
    const b = await seeded(join(dir, 'b.db'));
    try {
      const cutoff = whens(a)[1200]!;
      const candidates = a.prepare('SELECT count(*) FROM stacktach_rawdata WHERE "when" < ?').pluck().get(cutoff) as number;
      const budgeted = pruneBefore(a, cutoff, Date.now(), 0);
      const usual = pruneBefore(b, cutoff);
      assert.deepEqual([budgeted.raw, budgeted.glance, budgeted.generic, budgeted.derived],
        [usual.raw, usual.glance, usual.generic, usual.derived]);
      const ids = (db: Db) => db.prepare('SELECT id FROM stacktach_rawdata ORDER BY id').pluck().all();
      assert.deepEqual(ids(a), ids(b));
      const batches: BatchTiming[] = [];
      const c = await seeded(join(dir, 'c.db'));
      try {
        for (const step of pruneSteps(c, cutoff, emptyCounts(), {nowMs: Date.now(), budgetMs: 0, onBatch: (x) => batches.push(x)})) step();
      } finally {
        c.close();
      }
      assert.equal(batches.filter((x) => x.table === 'stacktach_rawdata').length, candidates);
    } finally {
      a.close();
      b.close();
      rmSync(dir, {recursive: true, force: true});
    }
  });
});

describe('the pause after a transaction', () => {
  it('is none after a step that only read, else as long as the hold and never under the minimum', () => {
    assert.equal(PAUSE_MIN_MS, 10);
    assert.deepEqual([0, 0.4, 9, 12, 30, 45.2, 200].map(pauseAfter), [0, 10, 10, 12, 30, 46, 200]);
  });
});

/** The WAL index header's frame count and the checkpoint's backfill count (the -shm file's layout). */
function walState(path: string): {frames: number; copied: number} {
  const fd = openSync(`${path}-shm`, 'r');
  try {
    const b = Buffer.alloc(100);
    readSync(fd, b, 0, 100, 0);
    return {frames: b.readUInt32LE(16), copied: b.readUInt32LE(96)};
  } finally {
    closeSync(fd);
  }
}

describe('checkpoints and a pass', () => {
  it('a pass commits without checkpointing, keeps the connection\'s settings, and a paced pass checkpoints outside', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacky-pacing-'));
    const path = join(dir, 'c.db');
    const db = await seeded(path);
    try {
      const times = whens(db);
      // Every commit of this connection would checkpoint the whole WAL, but for the pass's own.
      db.pragma('wal_autocheckpoint = 1');
      db.pragma('wal_checkpoint(TRUNCATE)');
      assert.deepEqual(walState(path), {frames: 0, copied: 0});
      const first = pruneBefore(db, times[500]!);
      assert.ok(first.raw > 0 && first.batches > 1);
      const after = walState(path);
      assert.ok(after.frames > 0);
      assert.equal(after.copied, 0);
      assert.equal(db.pragma('wal_autocheckpoint', {simple: true}), 1);
      assert.equal(db.pragma('synchronous', {simple: true}), 2);

      db.pragma('wal_autocheckpoint = 0');
      const batches: BatchTiming[] = [];
      const counts = await prunePaced(db, times[1000]!, emptyCounts(), {nowMs: Date.now(), onBatch: (b) => batches.push(b)});
      assert.ok(counts.raw > 0);
      assert.equal(batches.length, counts.batches);
      assert.ok(counts.checkpoints >= 1);
      // The last checkpoint ran after the last commit: everything is copied back.
      const end = walState(path);
      assert.equal(end.copied, end.frames);
      assert.equal(db.pragma('wal_autocheckpoint', {simple: true}), 0);
    } finally {
      db.close();
      rmSync(dir, {recursive: true, force: true});
    }
  });
});

describe('a long WAL', () => {
  it('starts again at the next write once all of it is copied back with no commit since and no reader left in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacky-restart-'));
    const path = join(dir, 'w.db');
    const db = openDatabase(path);
    const other = openDatabase(path);
    const reader = openDatabase(path);
    try {
      for (const c of [db, other]) c.pragma('wal_autocheckpoint = 0');
      db.exec('CREATE TABLE filler (b BLOB)');
      const put = db.prepare('INSERT INTO filler VALUES (zeroblob(16000))');
      db.transaction(() => {
        for (let i = 0; i < WAL_PAGES + 100; i++) put.run();
      })();
      assert.ok(walState(path).frames > WAL_PAGES);
      // Reads that began before a copy ended read from the WAL; this one keeps the next commit
      // from starting the WAL again.
      const read = (n: number) => {
        reader.exec('BEGIN');
        assert.equal(reader.prepare('SELECT count(*) FROM filler').pluck().get(), n);
      };
      read(WAL_PAGES + 100);
      const heard: string[] = [];
      const long = await checkpointWal(db, emptyCounts(), (c) => {
        heard.push(c.mode === 'RESTART' ? `RESTART ${c.done ? 'done' : 'busy'}` : c.mode);
        if (heard.length === 1) {
          // Committed after the first copy: copied by a second one before any restart.
          other.prepare('INSERT INTO filler VALUES (zeroblob(100))').run();
          reader.exec('COMMIT');
          // Still in the WAL when the copy is done: the first RESTART finds it there, the next
          // one (a millisecond later) finds it over.
          read(WAL_PAGES + 101);
        }
        if (c.mode === 'RESTART' && !c.done) reader.exec('COMMIT');
      });
      assert.equal(long, true);
      assert.deepEqual(heard, ['PASSIVE', 'PASSIVE', 'RESTART busy', 'RESTART done']);
      assert.ok(walState(path).frames > WAL_PAGES);
      // The next write transaction, whoever's, writes from the WAL's start.
      other.prepare('INSERT INTO filler VALUES (zeroblob(100))').run();
      assert.ok(walState(path).frames < 10);
      assert.equal(db.prepare('SELECT count(*) FROM filler').pluck().get(), WAL_PAGES + 102);
    } finally {
      for (const c of [reader, other, db]) c.close();
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it('is only checkpointed while it is short', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacky-restart-'));
    const path = join(dir, 'w.db');
    const db = openDatabase(path);
    try {
      db.pragma('wal_autocheckpoint = 0');
      db.exec('CREATE TABLE filler (b BLOB); INSERT INTO filler VALUES (zeroblob(16000))');
      const heard: string[] = [];
      assert.equal(await checkpointWal(db, emptyCounts(), (c) => heard.push(c.mode)), false);
      assert.deepEqual(heard, ['PASSIVE']);
      const {frames, copied} = walState(path);
      assert.ok(frames > 0);
      assert.equal(copied, frames);
    } finally {
      db.close();
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
