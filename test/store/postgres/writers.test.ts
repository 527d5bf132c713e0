// Many writers, one truth: PostgreSQL writers running at once store every message exactly once,
// derive what one writer would, and commit raw ids in order (no reader ever sees id N before a
// smaller one that will still appear).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import postgres from 'postgres';
import {demoStream} from '../../../source/demo/corpus.js';
import type {IngestItem} from '../../../source/ingest/item.js';
import {openPostgresWriter} from '../../../source/store/postgres/open.js';
import type {Writer} from '../../../source/store/types.js';
import {decodeJson} from '../../../source/store/json-codec.js';
import {Pipeline} from '../../../source/ingest/pipeline.js';
import {createTestDatabase, pgSkip, type TestDatabase} from './test-database.js';

const skip = await pgSkip();

const ITEMS: IngestItem[] = [...demoStream(4000, {seed: 11, shape: 'mixed', startMicros: 1_700_000_000_000_000})]
  .map((e) => ({deployment: e.deployment, exchange: e.exchange, routingKey: e.routing_key, body: e.body}));

/** Stores `items` in batches of `size` through one writer, with a pipeline (and preparer) of its own; returns [stored, duplicates]. */
async function feed(writer: Writer, items: IngestItem[], size: number): Promise<[number, number]> {
  const pipeline = new Pipeline(writer, {source: 'test', nowMicros: () => 1});
  let stored = 0;
  let duplicates = 0;
  for (let i = 0; i < items.length; i += size) {
    const result = await pipeline.ingest(items.slice(i, i + size));
    stored += result.stored;
    duplicates += result.duplicates;
  }
  return [stored, duplicates];
}

const TABLES = ['stacktach_rawdata', 'stacktach_glancerawdata', 'stacktach_genericrawdata', 'stacktach_rawdataimagemeta',
  'stacktach_lifecycle', 'stacktach_timing', 'stacktach_requesttracker', 'stacktach_instanceusage', 'stacktach_instancedeletes',
  'stacktach_instanceexists', 'stacktach_imageusage', 'stacktach_imagedeletes', 'stacktach_imageexists', 'stacktach_deployment'];

/**
 * Every row of every table, in id order, raw JSON decoded: which keyframe a row was compressed
 * against depends on which writer prepared it, its text does not.
 */
async function dump(db: TestDatabase): Promise<Record<string, unknown[]>> {
  const sql = postgres(db.url, {onnotice: () => {}});
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) {
    const rows = [...await sql.unsafe(`SELECT * FROM ${t} ORDER BY 1`)];
    const blobs = new Map(rows.map((r) => [String(r.id), r.json_z as Buffer | undefined]));
    out[t] = rows.map((r) => JSON.stringify(r.json_z ? {...r, json_z: decodeJson(r.json_z as Buffer, (id) => blobs.get(String(id)))} : r));
  }
  await sql.end();
  return out;
}

async function withDatabases(n: number, fn: (dbs: TestDatabase[]) => Promise<void>): Promise<void> {
  const dbs = await Promise.all(Array.from({length: n}, () => createTestDatabase()));
  try {
    await fn(dbs);
  } finally {
    await Promise.all(dbs.map((d) => d.drop()));
  }
}

test('two competing writers given the same messages store each once, and every table equals one writer\'s, ids included', {skip}, () =>
  withDatabases(2, async ([one, two]) => {
    const single = await openPostgresWriter(one!.url);
    assert.deepEqual(await feed(single, ITEMS, 250), [4000, 0]);
    await single.close();

    const [a, b] = [await openPostgresWriter(two!.url), await openPostgresWriter(two!.url)];
    const [ra, rb] = await Promise.all([feed(a, ITEMS, 200), feed(b, ITEMS, 300)]);
    assert.equal(ra[0] + rb[0], 4000);
    assert.equal(ra[1] + rb[1], 4000);
    await Promise.all([a.close(), b.close()]);
    assert.deepEqual(await dump(two!), await dump(one!));
  }));

test('a writer per cell, at once: raw ids become visible in order, and each message is stored once', {skip}, () =>
  withDatabases(1, async ([db]) => {
    const cells = [...new Set(ITEMS.map((i) => i.deployment))];
    assert.ok(cells.length >= 2);
    const writers = await Promise.all(cells.map(() => openPostgresWriter(db!.url)));
    const sql = postgres(db!.url, {onnotice: () => {}});
    // What a reader saw at each poll: the highest id, and how many rows lay at or below it.
    const seen: {max: number; count: number}[] = [];
    let writing = true;
    const poll = (async () => {
      while (writing) {
        const [r] = await sql.begin('ISOLATION LEVEL REPEATABLE READ', (tx) =>
          tx`SELECT coalesce(max(id), 0)::int AS max, count(*)::int AS count FROM stacktach_rawdata`);
        seen.push(r as {max: number; count: number});
      }
    })();
    // Each cell also hears a tenth of its own messages twice (a redelivery after a lost ack).
    const results = await Promise.all(writers.map((w, k) => {
      const mine = ITEMS.filter((i) => i.deployment === cells[k]);
      return feed(w, [...mine, ...mine.filter((_, j) => j % 10 === 0)], 150);
    }));
    writing = false;
    await poll;
    assert.equal(results.reduce((s, r) => s + r[0], 0), 4000);
    const redelivered = cells.reduce((s, c) => s + Math.ceil(ITEMS.filter((i) => i.deployment === c).length / 10), 0);
    assert.equal(results.reduce((s, r) => s + r[1], 0), redelivered);
    assert.ok(seen.length > 5, `the reader polled ${seen.length} times`);
    for (const s of seen) {
      const [now] = await sql`SELECT count(*)::int AS count FROM stacktach_rawdata WHERE id <= ${s.max}::int8`;
      assert.equal(now!.count, s.count, `rows at or below id ${s.max}: seen ${s.count}, later ${now!.count}`);
    }
    await sql.end();
    await Promise.all(writers.map((w) => w.close()));
  }));
