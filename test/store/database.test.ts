// Opening a database file: creation, the migration of schema 1 files (session 1's), refusals of
// files this version cannot read, and lookups through the short instance/request/tenant keys.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, it} from 'node:test';
import Database from 'better-sqlite3';
import {openDatabase, SchemaError} from '../../source/store/sqlite/database.js';
import {openSqliteStore as openStore} from '../../source/store/sqlite/store.js';
import {openPrunerDatabase} from '../../source/store/sqlite/pruner.js';
import {Pipeline} from '../../source/ingest/pipeline.js';
import type {Filter} from '../../source/store/types.js';
import {item, micros} from '../server/helpers.js';


// A schema-1 file as session 1 wrote it: the raw table, its indexes, and two codec-2 rows
// (the second deflated against the first; texts as in json-codec.test.ts).
const SCHEMA_1 = `
CREATE TABLE stacky_meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE stacktach_deployment (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE stacktach_rawdata (
  id INTEGER PRIMARY KEY, deployment_id INTEGER NOT NULL, tenant TEXT, json_z BLOB NOT NULL,
  routing_key TEXT, state TEXT, old_state TEXT, old_task TEXT, task TEXT, image_type INTEGER DEFAULT 0,
  "when" INTEGER NOT NULL, publisher TEXT, event TEXT, service TEXT, host TEXT, instance TEXT,
  request_id TEXT, message_key INTEGER);
CREATE INDEX raw_when ON stacktach_rawdata ("when");
CREATE INDEX raw_instance ON stacktach_rawdata (instance, "when");
CREATE INDEX raw_request ON stacktach_rawdata (request_id, "when");
CREATE INDEX raw_deployment ON stacktach_rawdata (deployment_id, "when");
CREATE INDEX raw_event ON stacktach_rawdata (event, "when");
CREATE INDEX raw_host ON stacktach_rawdata (host, "when");
CREATE INDEX raw_tenant ON stacktach_rawdata (tenant, "when");
CREATE UNIQUE INDEX raw_message ON stacktach_rawdata (message_key) WHERE message_key IS NOT NULL;
INSERT INTO stacky_meta VALUES ('schema_version', '1'), ('json_codec', 'deflate-raw-keyframe-2');
INSERT INTO stacktach_deployment VALUES (1, 'east');
`;
const INSTANCE = 'aaaaaaaa-0000-0000-0000-000000000001';
const KEY_TEXT = '["compute.instance.create.start", {"event_type": "compute.instance.create.start", "payload": ' +
  `{"instance_id": "${INSTANCE}", "state": "building"}, "publisher_id": ` +
  '"compute.host-1", "timestamp": "2026-01-01 00:00:00.000000", "message_id": "m-1"}]';
const ROW_TEXT = '["compute.instance.create.end", {"event_type": "compute.instance.create.end", "payload": ' +
  `{"instance_id": "${INSTANCE}", "state": "active"}, "publisher_id": ` +
  '"compute.host-1", "timestamp": "2026-01-01 00:00:05.000000", "message_id": "m-2"}]';
const KEY_2 = '018b26e8d26a429e46f71972c986968f13a14017e4423402e26c03703d8e9937c1118223ac40f94217ac8fecb0c9d53554aa8d0500';
const ROW_2 = '02010000000000c31d1890d822362860714bc58080965d540906533cc160040c0600';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stacky-database-'));
  path = join(dir, 'stacky.db');
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

function writeSchema1(): void {
  const db = new Database(path);
  db.exec(SCHEMA_1);
  const insert = db.prepare(`INSERT INTO stacktach_rawdata (id, deployment_id, tenant, json_z, routing_key, state,
    "when", publisher, event, service, host, instance, request_id) VALUES (?, 1, 't-1', ?, 'monitor.info', ?, ?,
    'compute.host-1', ?, 'compute', 'host-1', ?, 'req-1')`);
  insert.run(1, Buffer.from(KEY_2, 'hex'), 'building', 1_000_000, 'compute.instance.create.start', INSTANCE);
  insert.run(2, Buffer.from(ROW_2, 'hex'), 'active', 6_000_000, 'compute.instance.create.end', INSTANCE);
  db.close();
}

const meta = (db: Database.Database) => Object.fromEntries(
  (db.prepare('SELECT key, value FROM stacky_meta ORDER BY key').all() as {key: string; value: string}[])
    .map((r) => [r.key, r.value]));
const indexes = (db: Database.Database) => (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index'
  AND tbl_name = 'stacktach_rawdata' ORDER BY name`).all() as {name: string}[]).map((r) => r.name);
const exact = (field: string, value: string): Filter => ({field, lookup: 'exact', value});

describe('openDatabase', () => {
  it('creates schema 3 with the codec in use and the keyed indexes', () => {
    const db = openDatabase(path);
    assert.deepEqual(meta(db), {json_codec: 'zstd-keyframe-4', schema_version: '3'});
    assert.deepEqual(indexes(db), ['raw_deployment', 'raw_event', 'raw_host', 'raw_instance_key', 'raw_message_when',
      'raw_request_key', 'raw_resource', 'raw_tenant_key', 'raw_when']);
    db.close();
  });

  it('reads through a memory map but for retention\'s connection, and waits 10 s for others\' locks', () => {
    const db = openDatabase(path);
    const pruner = openPrunerDatabase(path);
    try {
      // (SQLite caps the 4 GiB asked for at its build's limit, 2 GiB here.)
      assert.ok((db.pragma('mmap_size', {simple: true}) as number) >= 2 ** 30);
      assert.equal(pruner.pragma('mmap_size', {simple: true}), 0);
      assert.deepEqual([db.pragma('busy_timeout', {simple: true}), pruner.pragma('busy_timeout', {simple: true})], [10_000, 10_000]);
    } finally {
      pruner.close();
      db.close();
    }
  });

  it('migrates a schema-1 file in place: its rows and their codec-2 JSON stay readable', async () => {
    writeSchema1();
    const store = openStore(path);
    assert.deepEqual(meta(store.db), {json_codec: 'zstd-keyframe-4', schema_version: '3'});
    assert.deepEqual(indexes(store.db), ['raw_deployment', 'raw_event', 'raw_host', 'raw_instance_key',
      'raw_message_when', 'raw_request_key', 'raw_resource', 'raw_tenant_key', 'raw_when']);
    const rows = await store.raw.rows({service: 'nova', filters: [exact('instance', INSTANCE)], order: 'asc', limit: 50,
      offset: 0});
    assert.deepEqual(rows.map((r) => [r.id, r.event]), [[1, 'compute.instance.create.start'],
      [2, 'compute.instance.create.end']]);
    assert.equal((await store.raw.show('nova', 2))?.json, ROW_TEXT);
    assert.equal((await store.raw.show('nova', 1))?.json, KEY_TEXT);
    // New rows go in beside the old ones and are found the same way.
    const pipeline = new Pipeline(store.writer(), {source: 'test'});
    const result = await pipeline.ingest([item({event: 'compute.instance.update', at: micros('2026-01-01 00:00:09'),
      instance: INSTANCE, request: 'req-1', tenant: 't-1', deployment: 'east'})]);
    assert.equal(result.stored, 1);
    for (const filter of [exact('instance', INSTANCE), exact('request_id', 'req-1'), exact('tenant', 't-1')]) {
      const found = await store.raw.rows({service: 'nova', filters: [filter], order: 'asc', limit: 50, offset: 0});
      assert.deepEqual(found.map((r) => r.id), [1, 2, 3], filter.field);
    }
    // Schema 3's resource column was added to the old table.
    const columns = (store.db.prepare('PRAGMA table_info(stacktach_rawdata)').all() as {name: string}[]).map((c) => c.name);
    assert.equal(columns.at(-1), 'resource');
    await store.close();
    // A second open finds schema 3 and changes nothing.
    const again = openDatabase(path);
    assert.deepEqual(meta(again), {json_codec: 'zstd-keyframe-4', schema_version: '3'});
    again.close();
  });

  it('a read-only open of a schema-1 file asks for one writing open instead of failing later', () => {
    writeSchema1();
    assert.throws(() => openDatabase(path, {readonly: true}), (e: Error) => e instanceof SchemaError && e.message ===
      'database schema 1 is older than this stacky (3) and is migrated when it is opened for writing: ' +
      'run `stacky serve --db PATH` (or any command that writes) once');
    openDatabase(path).close();
    const db = openDatabase(path, {readonly: true});
    assert.deepEqual(meta(db), {json_codec: 'zstd-keyframe-4', schema_version: '3'});
    db.close();
  });

  it('refuses a newer schema and an unknown codec, naming both', () => {
    writeSchema1();
    const db = new Database(path);
    db.exec("UPDATE stacky_meta SET value = '9' WHERE key = 'schema_version'");
    db.close();
    assert.throws(() => openDatabase(path), (e: Error) => e instanceof SchemaError &&
      e.message === 'database schema 9 is newer than this stacky (3)');
    const db2 = new Database(path);
    db2.exec("UPDATE stacky_meta SET value = '1' WHERE key = 'schema_version'; " +
      "UPDATE stacky_meta SET value = 'zstd-9' WHERE key = 'json_codec'");
    db2.close();
    assert.throws(() => openDatabase(path), (e: Error) => e instanceof SchemaError && e.message ===
      'database stores raw JSON as zstd-9; this stacky reads deflate-raw-keyframe-2, deflate-raw-keyframe-3, zstd-keyframe-4');
  });
});

describe('keyed lookups', () => {
  it('values sharing their last 8 characters are told apart, and the key index is used', async () => {
    const store = openStore(path);
    const pipeline = new Pipeline(store.writer(), {source: 'test'});
    const a = 'aaaaaaaa-0000-0000-0000-000012345678';
    const b = 'bbbbbbbb-0000-0000-0000-000012345678';
    await pipeline.ingest([a, b, a].map((instance, i) => item({event: 'compute.instance.update', at: micros(`2026-01-01 00:00:0${i}`),
      instance, request: `req-${instance}`, tenant: `tenant-${instance}`})));
    for (const [field, value] of [['instance', b], ['request_id', `req-${b}`], ['tenant', `tenant-${b}`]] as const) {
      const found = await store.raw.rows({service: 'nova', filters: [exact(field, value)], order: 'asc', limit: 50, offset: 0});
      assert.deepEqual(found.map((r) => r.id), [2], field);
    }
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM stacktach_rawdata r
      WHERE r.instance_key = substr(?, -8) AND r.instance = ? ORDER BY "when"`).all(a, a) as {detail: string}[];
    assert.deepEqual(plan.map((p) => p.detail), ['SEARCH r USING INDEX raw_instance_key (instance_key=?)']);
    await store.close();
  });
});
