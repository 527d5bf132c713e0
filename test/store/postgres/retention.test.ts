// Retention on PostgreSQL (source/store/postgres/retention.ts): whole day partitions go, the day
// holding the cut-off stays, answers about kept rows stay the same (their keyframes in dropped
// partitions kept aside), derived rows of dropped raws go, and repeated cycles stay bounded.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import postgres from 'postgres';
import {DemoGenerator} from '../../../source/demo/generator.js';
import {Pipeline} from '../../../source/ingest/pipeline.js';
import type {IngestItem} from '../../../source/ingest/item.js';
import {openPruner, openStore} from '../../../source/store/open.js';
import type {Store} from '../../../source/store/api.js';
import {referenceOf} from '../../../source/store/json-codec.js';
import {micros} from '../../server/helpers.js';
import {createTestDatabase, pgSkip} from './test-database.js';

const skip = await pgSkip();
const DAY = 86_400_000_000;
const SERVICES = ['nova', 'glance', 'generic'] as const;
const RAW = ['stacktach_rawdata', 'stacktach_glancerawdata', 'stacktach_genericrawdata'];

/** Demo notifications from `start`, with the time of each (its body's timestamp, else the last one's). */
function demo(seed: number, start: number, rate: number, n: number): {item: IngestItem; at: number}[] {
  const generator = new DemoGenerator({seed, rate, startMicros: start});
  let at = start;
  return Array.from({length: n}, () => {
    const e = generator.next();
    const stamp = (e.body.timestamp ?? (e.body as {_context_timestamp?: string})._context_timestamp) as string | undefined;
    try {
      if (stamp) at = Math.max(at, micros(stamp.replace('T', ' ').replace('Z', '').slice(0, 26)));
    } catch {
      // another format: the last time stands
    }
    return {item: {deployment: e.deployment, exchange: e.exchange, routingKey: e.routing_key, body: e.body}, at};
  });
}

/** Ingests in batches with the clock at each batch's latest notification, as a live feed would. */
async function ingest(store: Store, items: {item: IngestItem; at: number}[], clock: {now: number}): Promise<void> {
  const pipeline = new Pipeline(store.writer(), {source: 'test', nowMicros: () => clock.now});
  for (let i = 0; i < items.length; i += 250) {
    const batch = items.slice(i, i + 250);
    clock.now = batch[batch.length - 1]!.at;
    await pipeline.ingest(batch.map((b) => b.item));
  }
}

const partitions = async (sql: postgres.Sql) => Object.fromEntries(await Promise.all(RAW.map(async (t) => {
  const [r] = await sql`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = ${t}::regclass`;
  return [t, r!.n as number];
})));

/** Everything a reader answers about rows at or after `from`: listings, each row shown (JSON decoded), usage. */
async function answers(store: Store, sql: postgres.Sql, from: number): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const service of SERVICES) {
    out[`${service} rows`] = await store.raw.rows({service, filters: [], whenMin: from, order: 'asc', limit: 1_000_000, offset: 0});
    const ids = (await sql.unsafe(`SELECT id FROM ${RAW[SERVICES.indexOf(service)]} WHERE "when" >= $1 ORDER BY id`, [from]))
      .map((r) => Number(r.id));
    out[`${service} shown`] = await Promise.all(ids.map((id) => store.raw.show(service, id)));
  }
  out.kpi = await store.timing.kpi(from);
  return out;
}

test('prune drops the day partitions before the cut-off and keeps what kept rows need', {skip}, async () => {
  const db = await createTestDatabase();
  const store = await openStore(db.url);
  const sql = postgres(db.url, {onnotice: () => {}, max: 2});
  try {
    // Around two midnights: flows start on one day and end on the next.
    const d0 = micros('2014-01-01 00:00:00');
    const clock = {now: d0};
    await ingest(store, [...demo(7, d0 + DAY - 15 * 60e6, 4, 3000), ...demo(8, d0 + 2 * DAY - 10 * 60e6, 4, 3000)], clock);
    const pipeline = new Pipeline(store.writer(), {source: 'test', nowMicros: () => clock.now});
    clock.now = d0 + DAY + 3600e6;
    await pipeline.quarantine({deployment: 'd', exchange: 'nova', routingKey: 'x', text: '{'}, 'not JSON');
    clock.now = d0 + 2 * DAY + 3600e6;
    await pipeline.quarantine({deployment: 'd', exchange: 'nova', routingKey: 'x', text: '['}, 'not JSON');

    const d1 = d0 + DAY;
    const cutoff = d0 + 2 * DAY + 1800e6; // day 2, 00:30: days 0 and 1 go, day 2 stays whole
    const before = await answers(store, sql, d0 + 2 * DAY);
    const partsBefore = await partitions(sql);
    const oldRows = await Promise.all(RAW.map(async (t) =>
      Number((await sql.unsafe(`SELECT count(*) AS n FROM ${t} WHERE "when" < $1`, [d0 + 2 * DAY]))[0]!.n)));
    assert.ok(oldRows[0]! > 1000, `${oldRows[0]} old nova rows`);
    const timingsBefore = await sql`SELECT * FROM stacktach_timing ORDER BY id`;
    const launchesBefore = await sql`SELECT * FROM stacktach_instanceusage ORDER BY id`;
    const rowsDay2 = Number((await sql`SELECT count(*) AS n FROM stacktach_rawdata WHERE "when" >= ${d0 + 2 * DAY} AND "when" < ${cutoff}`)[0]!.n);
    assert.ok(rowsDay2 > 0, 'rows of the cut-off\'s day before the cut-off');

    const pruner = await openPruner(db.url);
    const counts = await pruner.prune(cutoff, {nowMs: Date.now()});
    const space = await pruner.space();
    await pruner.close();

    assert.deepEqual([counts.raw, counts.glance, counts.generic], oldRows);
    for (const t of RAW) {
      assert.equal(Number((await sql.unsafe(`SELECT count(*) AS n FROM ${t} WHERE "when" < $1`, [d0 + 2 * DAY]))[0]!.n), 0, t);
    }
    const partsAfter = await partitions(sql);
    const droppedParts = RAW.reduce((s, t) => s + partsBefore[t] - partsAfter[t], 0);
    assert.equal(counts.partitions, droppedParts);
    assert.ok(droppedParts >= 3, `${droppedParts} partitions dropped`);
    for (const t of RAW) {
      const days = (await sql`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = ${t}::regclass`).map((r) => Number(/_d(\d+)$/.exec(r.relname as string)![1]));
      assert.ok(days.every((d) => d >= (d0 + 2 * DAY) / DAY), `${t}: ${days.join(', ')}`);
    }
    // The day holding the cut-off stays whole, rows before the cut-off included.
    assert.equal(Number((await sql`SELECT count(*) AS n FROM stacktach_rawdata WHERE "when" >= ${d0 + 2 * DAY} AND "when" < ${cutoff}`)[0]!.n), rowsDay2);
    assert.match(space.phrase, new RegExp(`^${droppedParts} day partitions dropped; the database takes \\d+\\.\\d MiB$`));

    // Kept rows refer to keyframes of the dropped days, which now come from stacky_keyframes.
    const orphans = [];
    for (const t of RAW) {
      const ids = new Set((await sql.unsafe(`SELECT id FROM ${t}`)).map((r) => Number(r.id)));
      for (const r of await sql.unsafe(`SELECT id, json_z FROM ${t}`)) {
        const ref = referenceOf(r.json_z as Buffer);
        if (ref !== null && !ids.has(ref)) orphans.push([t, ref]);
      }
    }
    assert.ok(orphans.length > 0, 'no kept row refers to a dropped keyframe');
    const [side] = await sql`SELECT count(*)::int AS n FROM stacky_keyframes`;
    assert.ok(side!.n >= new Set(orphans.map((o) => o.join())).size && counts.keyframesKept! >= side!.n);
    // Every answer about the kept days is what it was (each kept row shown, JSON decoded).
    assert.deepEqual(await answers(store, sql, d0 + 2 * DAY), before);

    // Derived rows: timings with a raw left stay as they were, the others went.
    const kept = new Set((await sql`SELECT id FROM stacktach_rawdata`).map((r) => Number(r.id)));
    const timingsAfter = await sql`SELECT * FROM stacktach_timing ORDER BY id`;
    assert.deepEqual([...timingsAfter], timingsBefore.filter((t) =>
      (t.start_raw_id !== null && kept.has(Number(t.start_raw_id))) || (t.end_raw_id !== null && kept.has(Number(t.end_raw_id)))));
    assert.ok(timingsAfter.length < timingsBefore.length);
    const instancesLeft = new Set((await sql`SELECT DISTINCT instance FROM stacktach_rawdata`).map((r) => r.instance as string));
    assert.deepEqual([...await sql`SELECT * FROM stacktach_instanceusage ORDER BY id`], launchesBefore.filter((u) =>
      (u.launched_at !== null && Number(u.launched_at) >= cutoff) || (u.instance !== null && instancesLeft.has(u.instance as string))));
    for (const table of ['stacktach_rawdataimagemeta', 'stacktach_instancedeletes', 'stacktach_instanceexists']) {
      const [left] = await sql.unsafe(`SELECT count(*)::int AS n FROM ${table} t WHERE NOT EXISTS
        (SELECT 1 FROM stacktach_rawdata r WHERE r.id = t.raw_id)`);
      assert.equal(left!.n, 0, table);
    }
    for (const table of ['stacktach_imagedeletes', 'stacktach_imageexists']) {
      const [left] = await sql.unsafe(`SELECT count(*)::int AS n FROM ${table} t WHERE NOT EXISTS
        (SELECT 1 FROM stacktach_glancerawdata r WHERE r.id = t.raw_id)`);
      assert.equal(left!.n, 0, table);
    }
    assert.ok(counts.derived > 0);
    // KPI of the dropped days is gone: every tracker left ends in a kept raw.
    const [kpiGone] = await sql`SELECT count(*)::int AS n FROM stacktach_requesttracker k WHERE k.start < ${d1 + DAY}
      AND (k.last_timing_id IS NULL OR NOT EXISTS (SELECT 1 FROM stacktach_timing x WHERE x.id = k.last_timing_id))`;
    assert.equal(kpiGone!.n, 0);
    // Quarantine received before the cut-off went; the later entry stays.
    assert.equal(counts.quarantine, 1);
    assert.equal(await store.quarantine.count(), 1);

    // A second pass with nothing older finds nothing, and later ids still decode.
    const again = await openPruner(db.url);
    const second = await again.prune(cutoff, {nowMs: Date.now()});
    await again.close();
    assert.deepEqual([second.raw, second.glance, second.generic, second.partitions, second.derived], [0, 0, 0, 0, 0]);
    assert.deepEqual(await answers(store, sql, d0 + 2 * DAY), before);
  } finally {
    await sql.end();
    await store.close();
    await db.drop();
  }
});

test('a kept keyframe goes once no kept row refers to it any more', {skip}, async () => {
  const db = await createTestDatabase();
  const store = await openStore(db.url);
  const sql = postgres(db.url, {onnotice: () => {}, max: 2});
  try {
    const d0 = micros('2014-03-01 00:00:00');
    const clock = {now: d0};
    // Two feeds (pipelines) days apart: no row of the second refers to a keyframe of the first.
    await ingest(store, demo(21, d0 + DAY - 5 * 60e6, 4, 1200), clock);
    await ingest(store, demo(22, d0 + 3 * DAY - 5 * 60e6, 4, 1200), clock);
    const pruner = await openPruner(db.url);
    const first = await pruner.prune(d0 + DAY, {nowMs: Date.now()});
    assert.ok(first.keyframesKept! > 0);
    const [kept] = await sql`SELECT count(*)::int AS n FROM stacky_keyframes`;
    assert.ok(kept!.n > 0);
    // Day 1, whose rows refer to them, goes too: the kept keyframes go with it.
    const second = await pruner.prune(d0 + 2 * DAY, {nowMs: Date.now()});
    await pruner.close();
    assert.deepEqual([second.keyframesKept, second.keyframesFreed], [0, kept!.n]);
    const [left] = await sql`SELECT count(*)::int AS n FROM stacky_keyframes`;
    assert.equal(left!.n, 0);
  } finally {
    await sql.end();
    await store.close();
    await db.drop();
  }
});

test('repeated ingest-and-prune cycles keep the database\'s size bounded', {skip}, async () => {
  const db = await createTestDatabase();
  const store = await openStore(db.url);
  const sql = postgres(db.url, {onnotice: () => {}, max: 2});
  const pruner = await openPruner(db.url);
  try {
    const d0 = micros('2014-06-01 00:00:00');
    const clock = {now: d0};
    const sizes: number[] = [];
    for (let day = 0; day < 10; day++) {
      // A day's feed (around its end, so flows cross into the next day), then a one-day retention.
      await ingest(store, demo(100 + day, d0 + (day + 1) * DAY - 10 * 60e6, 4, 1500), clock);
      await pruner.prune(d0 + day * DAY, {nowMs: Date.now()});
      const [r] = await sql`SELECT pg_database_size(current_database())::int8 AS b`;
      sizes.push(Number(r!.b));
    }
    const [p] = await sql`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'stacktach_rawdata'::regclass`;
    assert.ok(p!.n <= 3, `${p!.n} nova partitions left`);
    // After the first cycles the size stops growing: the last cycles are no bigger than cycle 5 (+10%).
    const settled = sizes[4]!;
    for (const s of sizes.slice(5)) assert.ok(s <= settled * 1.1, `sizes ${sizes.map((b) => (b / 1048576).toFixed(1)).join(', ')} MiB`);
  } finally {
    await pruner.close();
    await sql.end();
    await store.close();
    await db.drop();
  }
});

test('a drop waits for a long reader without holding up other queries behind it', {skip}, async () => {
  const db = await createTestDatabase();
  const store = await openStore(db.url);
  const reader = postgres(db.url, {onnotice: () => {}, max: 1});
  const probe = postgres(db.url, {onnotice: () => {}, max: 1});
  let release = () => {};
  try {
    const d0 = micros('2014-05-01 00:00:00');
    await ingest(store, demo(31, d0 + DAY - 5 * 60e6, 4, 600), {now: d0});
    // Its one connection gives up after a second (a drop waiting without a time-out would hold it up).
    await probe`SET statement_timeout = 1000`;
    // A report's snapshot: it holds the raw table (and its partitions) until it commits.
    const held = new Promise<void>((resolve) => (release = resolve));
    let reading!: () => void;
    const started = new Promise<void>((resolve) => (reading = resolve));
    const snapshot = reader.begin('ISOLATION LEVEL REPEATABLE READ', async (tx) => {
      await tx`SELECT count(*) FROM stacktach_rawdata`;
      reading();
      await held;
    });
    await started;
    const pruner = await openPruner(db.url);
    let done = false;
    const pass = pruner.prune(d0 + DAY, {nowMs: Date.now()}).finally(() => (done = true));
    // Each time the drop is seen queued for its lock, another query of the table gets through
    // (a drop queued without a time-out would hold it past the probe's statement_timeout).
    const watcher = postgres(db.url, {onnotice: () => {}, max: 1});
    try {
      for (let round = 0; round < 3; round++) {
        for (;;) {
          const [w] = await watcher`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND mode = 'AccessExclusiveLock'`;
          if (w!.n > 0) break;
        }
        // The day the drop waits for is still there, read past the waiting drop.
        const [seen] = await probe`SELECT count(*)::int AS n FROM stacktach_rawdata`;
        assert.ok(seen!.n > 0);
      }
    } finally {
      await watcher.end({timeout: 1});
    }
    assert.equal(done, false, 'the drop did not wait for the reader');
    release();
    await snapshot;
    const counts = await pass;
    await pruner.close();
    assert.ok(counts.partitions! >= 1 && counts.partitionsBusy === 0);
    assert.ok(counts.longestWaitMs >= 100, `longest wait ${counts.longestWaitMs} ms`);
    const [left] = await probe`SELECT count(*)::int AS n FROM stacktach_rawdata WHERE "when" < ${d0 + DAY}`;
    assert.equal(left!.n, 0);
  } finally {
    release();
    await reader.end({timeout: 1});
    await probe.end({timeout: 1});
    await store.close();
    await db.drop();
  }
});

test('a writer that made a partition retention dropped makes it again for a late notification', {skip}, async () => {
  const db = await createTestDatabase();
  const store = await openStore(db.url);
  const sql = postgres(db.url, {onnotice: () => {}, max: 1});
  try {
    const d0 = micros('2014-07-01 00:00:00');
    const clock = {now: d0};
    const pipeline = new Pipeline(store.writer(), {source: 'test', nowMicros: () => clock.now});
    const items = demo(41, d0 + 3600e6, 4, 20);
    await pipeline.ingest(items.slice(0, 10).map((i) => i.item));
    const pruner = await openPruner(db.url);
    // By ingest's clock: its keyframe caches may still hold the rows that go, so their keyframes are kept.
    const counts = await pruner.prune(d0 + DAY, {nowMs: clock.now / 1000});
    await pruner.close();
    assert.ok(counts.partitions! >= 1 && counts.keyframesKept! > 0);
    const outcome = await pipeline.ingest(items.slice(10).map((i) => i.item));
    assert.equal(outcome.stored, 10);
    const [n] = await sql`SELECT count(*)::int AS n FROM stacktach_rawdata WHERE "when" < ${d0 + DAY}`;
    const [g] = await sql`SELECT count(*)::int AS n FROM stacktach_glancerawdata WHERE "when" < ${d0 + DAY}`;
    const [x] = await sql`SELECT count(*)::int AS n FROM stacktach_genericrawdata WHERE "when" < ${d0 + DAY}`;
    assert.equal(n!.n + g!.n + x!.n, 10);
    // Rows written against keyframes of the dropped partition decode.
    const before = (await answers(store, sql, d0)) as Record<string, {json: string}[]>;
    assert.equal(SERVICES.reduce((s, service) => s + before[`${service} shown`]!.length, 0), 10);
    const referring = (await sql`SELECT json_z FROM stacktach_rawdata`).filter((r) => referenceOf(r.json_z as Buffer) !== null);
    assert.ok(referring.length > 0);
  } finally {
    await sql.end();
    await store.close();
    await db.drop();
  }
});

test('two passes at once (serve and worker both retaining): one prunes, the other says another is running', {skip}, async () => {
  const db = await createTestDatabase();
  const store = await openStore(db.url);
  try {
    const d0 = micros('2014-08-01 00:00:00');
    await ingest(store, demo(51, d0 + DAY - 5 * 60e6, 4, 1000), {now: d0});
    const [a, b] = [await openPruner(db.url), await openPruner(db.url)];
    const results = await Promise.all([a.prune(d0 + DAY, {nowMs: Date.now()}), b.prune(d0 + DAY, {nowMs: Date.now()})]);
    await Promise.all([a.close(), b.close()]);
    const ran = results.filter((r) => !r.runningElsewhere);
    assert.equal(ran.length, 1);
    assert.ok(ran[0]!.partitions! >= 2);
    const idle = results.find((r) => r.runningElsewhere)!;
    assert.deepEqual([idle.raw, idle.partitions, idle.derived], [0, 0, 0]);
  } finally {
    await store.close();
    await db.drop();
  }
});
