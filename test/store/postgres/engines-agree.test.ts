// One store, two engines: the same notifications through the same pipeline leave the same rows
// in SQLite and in PostgreSQL, and every reader answers the same; on PostgreSQL the derived rows
// do not depend on the order notifications arrive in.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import postgres from 'postgres';
import {demoStream} from '../../../source/demo/corpus.js';
import {Pipeline} from '../../../source/ingest/pipeline.js';
import type {IngestItem} from '../../../source/ingest/item.js';
import {openStore} from '../../../source/store/open.js';
import {openSqliteStore} from '../../../source/store/sqlite/store.js';
import type {Store} from '../../../source/store/api.js';
import type {Service} from '../../../source/core/types.js';
import {createTestDatabase, pgSkip, type TestDatabase} from './test-database.js';

const skip = await pgSkip();

const items = (n: number, shape: 'mixed' | 'versioned' | 'flat'): IngestItem[] =>
  [...demoStream(n, {seed: 7, shape, startMicros: 1_700_000_000_000_000})]
    .map((e) => ({deployment: e.deployment, exchange: e.exchange, routingKey: e.routing_key, body: e.body}));

async function fill(store: Store, list: IngestItem[], batch: number): Promise<void> {
  const pipeline = new Pipeline(store.writer(), {source: 'test', nowMicros: () => 1});
  for (let i = 0; i < list.length; i += batch) await pipeline.ingest(list.slice(i, i + batch));
}

const DERIVED = ['stacktach_lifecycle', 'stacktach_timing', 'stacktach_requesttracker', 'stacktach_instanceusage',
  'stacktach_instancedeletes', 'stacktach_instanceexists', 'stacktach_imageusage', 'stacktach_imagedeletes',
  'stacktach_imageexists', 'stacktach_deployment', 'stacktach_rawdataimagemeta'];

/** Every reader, on the data's own instances, requests and names. */
async function answers(store: Store, instances: string[], requests: string[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const svc of ['nova', 'glance', 'generic'] as Service[]) {
    out.push(await store.raw.names(svc, 'event'), await store.raw.names(svc, 'host'),
      await store.raw.watch(svc, 0, null, 0, Number.MAX_SAFE_INTEGER, 200), await store.raw.watchNewest(svc, 1, null, 50),
      await store.raw.watchAfterId(svc, 0, null, 100, 50), await store.raw.watchHeld(svc, 0, null, 500, {when: 1_700_000_001_000_000, id: 10}));
    for (const id of [1, 2, 50, 777, 99999]) out.push(await store.raw.show(svc, id));
    for (const filters of [[{field: 'json', lookup: 'icontains', value: 'ACTIVE'}], [{field: 'host', lookup: 'istartswith', value: 'C'}],
      [{field: 'event', lookup: 'endswith', value: '.end'}], [{field: 'id', lookup: 'gt', value: 30}]] as const) {
      out.push(await store.raw.rows({service: svc, order: 'desc', limit: 20, offset: 3, filters: [...filters]}));
    }
  }
  for (const i of instances) {
    out.push(await store.raw.rows({service: 'nova', order: 'asc', limit: 100, offset: 0, filters: [{field: 'instance', lookup: 'exact', value: i}]}),
      await store.timing.forInstance(i, 10, 0), await store.usage.list('launches', i, 10, 0), await store.usage.list('exists', i, 10, 0));
  }
  for (const r of requests) out.push(await store.raw.rows({service: 'nova', order: 'asc', limit: 100, offset: 0, filters: [{field: 'request_id', lookup: 'exact', value: r}]}));
  for (const name of ['compute.instance.create', 'compute.instance.delete', 'instance.create', 'compute.instance.resize']) {
    out.push(await store.timing.byEventName(name, null, null, 50, 0), await store.timing.summaryDiffs(name, 100, 0));
  }
  out.push(await store.timing.kpi(0), await store.raw.deployments(), await store.raw.tenantExists('nobody'));
  for (const k of ['launches', 'deletes', 'exists'] as const) out.push(await store.usage.list(k, null, 50, 0));
  out.push(await store.reportSource.requestPairs(0, Number.MAX_SAFE_INTEGER), await store.reportSource.earliestRaw());
  return out;
}

async function pgRows(db: TestDatabase, sql: string): Promise<unknown[]> {
  const client = postgres(db.url, {onnotice: () => {}, types: {int8: {to: 20, from: [20], serialize: String, parse: Number}}});
  try {
    return [...await client.unsafe(sql)].map((r) => ({...r}));
  } finally {
    await client.end();
  }
}

for (const shape of ['mixed', 'versioned'] as const) {
  test(`${shape} notifications: the same rows and the same answers from SQLite and PostgreSQL`, {skip}, async () => {
    const db = await createTestDatabase();
    const lite = openSqliteStore(':memory:');
    const pg = await openStore(db.url);
    try {
      const list = items(3000, shape);
      await fill(lite, list, 500);
      await fill(pg, list, 500);
      for (const t of DERIVED) {
        assert.deepEqual(await pgRows(db, `SELECT * FROM ${t} ORDER BY 1`), lite.db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all(), t);
      }
      const instances = (lite.db.prepare('SELECT DISTINCT instance FROM stacktach_rawdata WHERE instance IS NOT NULL ORDER BY 1 LIMIT 25')
        .pluck().all()) as string[];
      const requests = (lite.db.prepare('SELECT DISTINCT request_id FROM stacktach_rawdata WHERE request_id IS NOT NULL ORDER BY 1 LIMIT 10')
        .pluck().all()) as string[];
      // As the server writes them: the same JSON text.
      const [fromPg, fromLite] = [await answers(pg, instances, requests), await answers(lite, instances, requests)];
      assert.equal(fromPg.length, fromLite.length);
      for (const [k, v] of fromLite.entries()) assert.equal(JSON.stringify(fromPg[k]), JSON.stringify(v), `answer ${k}`);
    } finally {
      await pg.close();
      await lite.close();
      await db.drop();
    }
  });
}

/** Derived rows by what they say, not by id: the ids depend on the order rows were made in. */
async function derivedByContent(db: TestDatabase): Promise<Record<string, unknown[]>> {
  const when = (col: string) => `(SELECT "when" FROM stacktach_rawdata r WHERE r.id = ${col})`;
  const queries: Record<string, string> = {
    lifecycle: `SELECT instance, last_state, last_task_state, ${when('last_raw_id')} AS last FROM stacktach_lifecycle ORDER BY 1`,
    timing: `SELECT l.instance, t.name, t.start_when, t.end_when, t.diff FROM stacktach_timing t
      JOIN stacktach_lifecycle l ON l.id = t.lifecycle_id ORDER BY 1, 2, 3 NULLS FIRST, 4 NULLS FIRST`,
    tracker: `SELECT k.request_id, l.instance, k.start, k.duration, (SELECT t.end_when FROM stacktach_timing t WHERE t.id = k.last_timing_id)
      AS ended FROM stacktach_requesttracker k JOIN stacktach_lifecycle l ON l.id = k.lifecycle_id ORDER BY 1, 2, 3`,
    usage: `SELECT instance, launched_at, request_id, instance_type_id, instance_flavor_id, tenant FROM stacktach_instanceusage
      ORDER BY 1, 2 NULLS FIRST, 3`,
    deletes: `SELECT instance, launched_at, deleted_at, ${when('raw_id')} AS raw FROM stacktach_instancedeletes ORDER BY 1, 2, 3`,
    exists: `SELECT instance, launched_at, deleted_at, audit_period_beginning, message_id, ${when('raw_id')} AS raw,
      usage_id IS NULL AS no_usage, delete_id IS NULL AS no_delete FROM stacktach_instanceexists ORDER BY 1, 5`,
  };
  const out: Record<string, unknown[]> = {};
  for (const [k, sql] of Object.entries(queries)) out[k] = await pgRows(db, sql);
  return out;
}

test('PostgreSQL pairs starts and ends by notification time: batches in any order leave the same derived rows', {skip}, async () => {
  const [inOrder, shuffled] = [await createTestDatabase(), await createTestDatabase()];
  const [a, b] = [await openStore(inOrder.url), await openStore(shuffled.url)];
  try {
    const list = items(3000, 'flat');
    await fill(a, list, 200);
    // Batches of 200 in a fixed shuffled order, each batch backwards: most instances see late notifications.
    const batches = Array.from({length: 15}, (_, k) => list.slice(k * 200, (k + 1) * 200).reverse());
    const order = [7, 2, 11, 0, 14, 5, 9, 3, 12, 1, 8, 13, 4, 10, 6];
    const pipeline = new Pipeline(b.writer(), {source: 'test', nowMicros: () => 1});
    for (const k of order) await pipeline.ingest(batches[k]!);
    const [x, y] = [await derivedByContent(inOrder), await derivedByContent(shuffled)];
    assert.ok(x.timing!.length > 300, `${x.timing!.length} timings`);
    for (const k of Object.keys(x)) assert.deepEqual(y[k], x[k], k);
  } finally {
    await a.close();
    await b.close();
    await inOrder.drop();
    await shuffled.drop();
  }
});
