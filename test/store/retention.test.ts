// Retention (source/store/sqlite/retention.ts): old raws and what only they explained go, recent
// answers stay the same, keyframes kept rows still need survive, and the file stops growing
// across repeated ingest-and-prune cycles.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {DemoGenerator} from '../../source/demo/generator.js';
import {Pipeline} from '../../source/ingest/pipeline.js';
import {openSqliteStore as openStore, type SqliteStore as Store} from '../../source/store/sqlite/store.js';
import {pruneBefore} from './prune-all.js';
import {decodeJson, referenceOf} from '../../source/store/json-codec.js';
import type {IngestItem} from '../../source/ingest/item.js';
import {INSTANCE_ID_1, INSTANCE_ID_2, micros, REQUEST_ID_1, startServer, type TestServer} from '../server/helpers.js';


const count = (store: Store, sql: string, ...params: unknown[]) =>
  (store.db.prepare(sql).pluck().get(...params) as number);

function demoItems(generator: DemoGenerator, n: number): IngestItem[] {
  return Array.from({length: n}, () => {
    const e = generator.next();
    return {deployment: e.deployment, exchange: e.exchange, routingKey: e.routing_key, body: e.body};
  });
}

/** Every kept raw row still inflates (its keyframe, if any, was kept too). */
function allDecode(store: Store): number {
  let n = 0;
  for (const table of ['stacktach_rawdata', 'stacktach_glancerawdata', 'stacktach_genericrawdata']) {
    const load = store.db.prepare(`SELECT json_z FROM ${table} WHERE id = ?`).pluck();
    for (const blob of store.db.prepare(`SELECT json_z FROM ${table}`).pluck().iterate() as Iterable<Buffer>) {
      decodeJson(blob, (id) => load.get(id) as Buffer | undefined);
      n++;
    }
  }
  return n;
}

/** Ids of rows older than cutoff that no newer row is deflated against (the newest row aside). */
function oldUnreferenced(store: Store, table: string, cutoff: number): number[] {
  const newest = store.db.prepare(`SELECT max(id) FROM ${table}`).pluck().get() as number;
  const old = store.db.prepare(`SELECT id FROM ${table} WHERE "when" < ? AND id < ?`).pluck().all(cutoff, newest) as number[];
  const refs = new Set((store.db.prepare(`SELECT json_z FROM ${table} WHERE "when" >= ? OR id = ?`).pluck()
    .all(cutoff, newest) as Buffer[]).map(referenceOf));
  return old.filter((id) => !refs.has(id));
}

describe('prune before a time', () => {
  let s: TestServer;
  let cutoff: number;
  const recent: {path: string; text: string}[] = [];
  // A clock for ingest well in the past: its id marks say every row is old enough to go.
  before(async () => {
    s = await startServer();
    const generator = new DemoGenerator({seed: 3, rate: 20});
    const items = demoItems(generator, 4000);
    for (let i = 0; i < items.length; i += 500) await s.pipeline.ingest(items.slice(i, i + 500));
    await s.pipeline.quarantine({deployment: 'd', exchange: 'nova', routingKey: 'x', text: 'not json'}, 'not JSON');
    await s.addReport({periodStart: 1, periodEnd: 2, created: 3, name: 'kept report'});
    const whens = s.sqlite().db.prepare('SELECT "when" FROM stacktach_rawdata ORDER BY "when"').pluck().all() as number[];
    cutoff = whens[Math.floor(whens.length / 2)]!;
    // Instances (and requests) all of whose rows are recent: their answers must not change.
    const fresh = s.sqlite().db.prepare(`SELECT instance FROM stacktach_rawdata WHERE instance IS NOT NULL
      GROUP BY instance HAVING min("when") >= ? ORDER BY instance LIMIT 15`).pluck().all(cutoff) as string[];
    assert.ok(fresh.length >= 10, `only ${fresh.length} recent instances`);
    const requests = s.sqlite().db.prepare(`SELECT request_id FROM stacktach_rawdata WHERE request_id IS NOT NULL
      GROUP BY request_id HAVING min("when") >= ? ORDER BY request_id LIMIT 10`).pluck().all(cutoff) as string[];
    const paths = [
      ...fresh.flatMap((u) => [`/stacky/uuid/?uuid=${u}`, `/stacky/timings/uuid/?uuid=${u}`,
        `/stacky/usage/launches/?instance=${u}`, `/stacky/usage/exists/?instance=${u}`]),
      ...requests.map((r) => `/stacky/request/?request_id=${r}`),
      `/stacky/search/?field=state&value=active&when_min=${cutoff / 1e6}&limit=1000`,
      `/stacky/uuid/?service=glance&uuid=x&when_min=${cutoff / 1e6}`,
      '/stacky/deployments/', '/stacky/reports/search/',
    ];
    for (const path of paths) recent.push({path, text: (await s.get(path)).text});
  });
  after(async () => s.close());

  it('deletes old raw rows, their derived rows and old quarantine entries, keeps recent answers and reports', async () => {
    const kept = count(s.sqlite(), 'SELECT count(*) FROM stacktach_rawdata WHERE "when" >= ?', cutoff);
    const keptGlance = count(s.sqlite(), 'SELECT count(*) FROM stacktach_glancerawdata WHERE "when" >= ?', cutoff);
    const oldGlance = count(s.sqlite(), 'SELECT count(*) FROM stacktach_glancerawdata WHERE "when" < ?', cutoff);
    assert.ok(oldGlance > 0);
    // An hour on: the ingest's keyframe cache has forgotten every row stored so far.
    s.clock.now += 3_600_000_000;
    const result = pruneBefore(s.sqlite().db, cutoff, s.clock.now / 1000);
    assert.ok(result.raw > 0 && result.glance > 0);
    assert.equal(count(s.sqlite(), 'SELECT count(*) FROM stacktach_rawdata WHERE "when" >= ?', cutoff), kept);
    assert.equal(count(s.sqlite(), 'SELECT count(*) FROM stacktach_glancerawdata WHERE "when" >= ?', cutoff), keptGlance);
    // Old rows are gone except the keyframes kept rows are deflated against.
    for (const table of ['stacktach_rawdata', 'stacktach_glancerawdata']) assert.deepEqual(oldUnreferenced(s.sqlite(), table, cutoff), []);
    assert.ok(count(s.sqlite(), 'SELECT count(*) FROM stacktach_rawdata WHERE "when" < ?', cutoff) < result.raw / 10);
    assert.ok(oldGlance > result.glance / 2);
    assert.equal(allDecode(s.sqlite()), count(s.sqlite(), `SELECT (SELECT count(*) FROM stacktach_rawdata)
      + (SELECT count(*) FROM stacktach_glancerawdata) + (SELECT count(*) FROM stacktach_genericrawdata)`));
    // Derived rows whose raws are gone went with them.
    assert.equal(count(s.sqlite(), `SELECT count(*) FROM stacktach_rawdataimagemeta m
      WHERE NOT EXISTS (SELECT 1 FROM stacktach_rawdata r WHERE r.id = m.raw_id)`), 0);
    assert.equal(count(s.sqlite(), `SELECT count(*) FROM stacktach_timing t WHERE
      (t.start_raw_id IS NULL OR NOT EXISTS (SELECT 1 FROM stacktach_rawdata r WHERE r.id = t.start_raw_id)) AND
      (t.end_raw_id IS NULL OR NOT EXISTS (SELECT 1 FROM stacktach_rawdata r WHERE r.id = t.end_raw_id))`), 0);
    assert.equal(count(s.sqlite(), `SELECT count(*) FROM stacktach_instanceexists e
      WHERE NOT EXISTS (SELECT 1 FROM stacktach_rawdata r WHERE r.id = e.raw_id)`), 0);
    assert.equal(count(s.sqlite(), `SELECT count(*) FROM stacktach_lifecycle l
      WHERE NOT EXISTS (SELECT 1 FROM stacktach_rawdata r WHERE r.instance = l.instance)`), 0);
    assert.equal(count(s.sqlite(), `SELECT count(*) FROM stacktach_imageexists e
      WHERE NOT EXISTS (SELECT 1 FROM stacktach_glancerawdata r WHERE r.id = e.raw_id)`), 0);
    assert.equal(count(s.sqlite(), 'SELECT count(*) FROM stacky_quarantine'), 0);
    assert.equal(count(s.sqlite(), "SELECT count(*) FROM stacktach_jsonreport WHERE name = 'kept report'"), 1);
    for (const {path, text} of recent) assert.equal((await s.get(path)).text, text, path);
  });

  it('a second pass finds nothing more to delete', () => {
    const again = pruneBefore(s.sqlite().db, cutoff, s.clock.now / 1000);
    assert.deepEqual([again.raw, again.glance, again.generic, again.derived, again.quarantine], [0, 0, 0, 0, 0]);
  });
});

describe('a timing whose start was pruned', () => {
  it('no longer matches its end, as in StackTach: the end makes an end-only timing', async () => {
    const s = await startServer();
    try {
      const base = micros('2014-01-10 00:00:00');
      await s.ingest({event: 'compute.instance.resize.start', at: base, instance: INSTANCE_ID_1, request: REQUEST_ID_1});
      await s.ingest({event: 'compute.instance.update', at: base + 1, instance: INSTANCE_ID_1});
      // A recent row of another instance (the newest row of a table always stays).
      await s.ingest({event: 'compute.instance.update', at: base + 15_000_000, instance: INSTANCE_ID_2});
      s.clock.now += 3_600_000_000;
      pruneBefore(s.sqlite().db, base + 10_000_000, s.clock.now / 1000);
      await s.ingest({event: 'compute.instance.resize.end', at: base + 20_000_000, instance: INSTANCE_ID_1, request: REQUEST_ID_1});
      const timings = s.sqlite().db.prepare('SELECT name, start_raw_id, end_raw_id, diff FROM stacktach_timing').all() as
        {start_raw_id: number | null; end_raw_id: number | null; diff: number | null}[];
      assert.equal(timings.length, 1);
      assert.equal(timings[0]!.start_raw_id, null);
      assert.notEqual(timings[0]!.end_raw_id, null);
      assert.equal(timings[0]!.diff, null);
      assert.equal(allDecode(s.sqlite()), 2);
    } finally {
      await s.close();
    }
  });
});

describe('keyframes', () => {
  it('a row a live keyframe cache may still refer to is kept until the cache has forgotten it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacky-retention-'));
    const store = openStore(join(dir, 'k.db'));
    try {
      let nowMs = Date.UTC(2026, 0, 1);
      const pipeline = new Pipeline(store.writer(), {source: 'test', nowMicros: () => nowMs * 1000});
      const generator = new DemoGenerator({seed: 5, rate: 20, startMicros: nowMs * 1000});
      await pipeline.ingest(demoItems(generator, 300));
      const cutoff = (store.db.prepare('SELECT max("when") FROM stacktach_rawdata').pluck().get() as number) + 1;
      const before = count(store, 'SELECT count(*) FROM stacktach_rawdata');
      // Right after ingest, only rows compressed against a keyframe (leading byte 6, codec 4) may go: keyframes stay.
      const first = pruneBefore(store.db, cutoff, nowMs);
      assert.ok(first.raw > 0 && first.raw < before);
      // (The newest row stays whatever its age.)
      assert.equal(count(store, 'SELECT count(*) FROM stacktach_rawdata WHERE substr(json_z, 1, 1) = x\'06\''), 1);
      assert.equal(allDecode(store), count(store, `SELECT (SELECT count(*) FROM stacktach_rawdata)
        + (SELECT count(*) FROM stacktach_glancerawdata) + (SELECT count(*) FROM stacktach_genericrawdata)`));
      // New rows deflated against the cached keyframes still inflate.
      await pipeline.ingest(demoItems(generator, 300));
      assert.equal(allDecode(store), count(store, `SELECT (SELECT count(*) FROM stacktach_rawdata)
        + (SELECT count(*) FROM stacktach_glancerawdata) + (SELECT count(*) FROM stacktach_genericrawdata)`));
      // Once the cache's keyframes have aged out, the old keyframes go too.
      nowMs += 60 * 60_000;
      const later = pruneBefore(store.db, cutoff, nowMs);
      assert.ok(later.raw > 0);
      assert.deepEqual(oldUnreferenced(store, 'stacktach_rawdata', cutoff), []);
      await pipeline.ingest(demoItems(generator, 300));
      assert.ok(allDecode(store) > 0);
    } finally {
      store.close();
      rmSync(dir, {recursive: true, force: true});
    }
  });
});

describe('file size under ingest and retention', () => {
  it('stops growing across repeated ingest-and-prune cycles', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacky-retention-'));
    const path = join(dir, 'grow.db');
    const store = openStore(path);
    try {
      const generator = new DemoGenerator({seed: 7, rate: 50});
      // The ingest clock is long past, so every row is old enough for its keyframe to be let go.
      const pipeline = new Pipeline(store.writer(), {source: 'test', nowMicros: () => 0});
      const sizes: number[] = [];
      const cycleEnds: number[] = [];
      for (let cycle = 0; cycle < 10; cycle++) {
        const items = demoItems(generator, 3000);
        for (let i = 0; i < items.length; i += 1000) await pipeline.ingest(items.slice(i, i + 1000));
        cycleEnds.push(store.db.prepare('SELECT max("when") FROM stacktach_rawdata').pluck().get() as number);
        // Keep the last two cycles.
        if (cycle >= 2) pruneBefore(store.db, cycleEnds[cycle - 2]! + 1);
        store.db.pragma('wal_checkpoint(TRUNCATE)');
        sizes.push(statSync(path).size);
      }
      // Steady state: over the last five cycles the file grew by less than a quarter of what one
      // cycle's ingest added before pruning began (without retention it grows by five of those).
      const perCycle = sizes[1]! - sizes[0]!;
      assert.ok(sizes[9]! - sizes[4]! < perCycle / 4, `sizes ${sizes.join(', ')}`);
    } finally {
      store.close();
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
