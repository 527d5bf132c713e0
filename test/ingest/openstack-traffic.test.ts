// A current cloud's traffic (test/fixtures/openstack.ts: messagingv2 envelopes, nova versioned
// notifications, legacy nova, cinder, neutron, glance, keystone, heat) through every way in:
// POST /ingest/, the real `stacky ingest` binary, and the worker against the real broker with a
// stock-cloud config. The stacky API answers are asserted exactly, and alike for all three.
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {AddressInfo} from 'node:net';
import {startServer, send, type TestServer} from '../server/helpers.js';
import {openSqliteStore as openStore, type SqliteStore as Store} from '../../source/store/sqlite/store.js';
import {Pipeline} from '../../source/ingest/pipeline.js';
import {createStackyServer} from '../../source/server/app.js';
import {parseWorkerConfig} from '../../source/ingest/sources/amqp/config.js';
import {startWorker} from '../../source/ingest/sources/amqp/worker.js';
import {openDatabase} from '../../source/store/sqlite/database.js';
import {brokerSkip, BROKER, publisher, tempDir, testVhost, waitFor} from './sources/amqp/helpers.js';
import {
  AGGREGATE, envelope, INSTANCE_A, INSTANCE_B, messages, PORT, PROJECT, REQUEST_A, STACK, VOLUME, wire,
} from '../fixtures/openstack.js';

import {SqliteWriter} from '../../source/store/sqlite/writer.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'stacky.js');
const NOW = Date.UTC(2026, 2, 1, 11) * 1000;

/** The scenario as JSON Lines, each message in Stacky's line envelope with its exchange and routing key. */
const jsonl = (): string => messages().map((m) =>
  JSON.stringify({deployment: 'region-1', exchange: m.exchange, routing_key: m.routingKey, body: wire(m)})).join('\n');

const NOVA_HEADER = '["#", "?", "When", "Deployment", "Event", "Host", "State", "State\'", "Task\'"]';
const GENERIC_HEADER = '["#", "?", "When", "Deployment", "Event", "Host", "Instance", "Request id"]';

/** The answers a client gets, path by path (exact bytes). */
const EXPECTED: Record<string, string> = {
  [`/stacky/uuid/?uuid=${INSTANCE_A}`]: `[${NOVA_HEADER}, ` +
    '[1, " ", "2026-03-01 10:00:00", "region-1", "instance.update", "api-01", "building", "building", null], ' +
    '[2, " ", "2026-03-01 10:00:02", "region-1", "instance.create.start", "compute-01", "building", "", ""], ' +
    '[3, " ", "2026-03-01 10:00:32.500000", "region-1", "instance.create.end", "compute-01", "active", "", ""]]',
  [`/stacky/uuid/?uuid=${INSTANCE_B}`]: `[${NOVA_HEADER}, ` +
    '[4, " ", "2026-03-01 10:01:00", "region-1", "instance.create.start", "compute-02", "building", "", ""], ' +
    '[5, "E", "2026-03-01 10:01:04.250000", "region-1", "instance.create.error", "compute-02", "error", "", ""]]',
  [`/stacky/timings/uuid/?uuid=${INSTANCE_A}`]: '[["?", "Event", "Time (secs)"], [".", "instance.create", "0d 00:00:30.50"]]',
  [`/stacky/request/?request_id=${REQUEST_A}`]: `[${NOVA_HEADER}, ` +
    '[1, " ", "2026-03-01 10:00:00", "region-1", "instance.update", "api-01", "building", "building", null], ' +
    '[2, " ", "2026-03-01 10:00:02", "region-1", "instance.create.start", "compute-01", "building", "", ""], ' +
    '[3, " ", "2026-03-01 10:00:32.500000", "region-1", "instance.create.end", "compute-01", "active", "", ""]]',
  '/stacky/kpi/': '[["Event", "Time", "UUID", "Deployment"], ["instance.create", "0d 00:00:32.50", ' +
    `"${INSTANCE_A}", "region-1"]]`,
  '/stacky/summary/': '[["Event", "N", "Min", "Max", "Avg"], ' +
    '["compute.instance.resize.prep", 1, "0d 00:00:05.0", "0d 00:00:05.0", "0d 00:00:05"], ' +
    '["instance.create", 1, "0d 00:00:30.5", "0d 00:00:30.5", "0d 00:00:30"]]',
  [`/stacky/search/?field=resource&value=${AGGREGATE}`]: `[${NOVA_HEADER}, ` +
    '[8, " ", "2026-03-01 10:02:01.400000", "region-1", "aggregate.create.end", "api-01", "", "", ""], ' +
    '[7, " ", "2026-03-01 10:02:01", "region-1", "aggregate.create.start", "api-01", "", "", ""]]',
  '/stacky/search/?field=resource&value=my-key': `[${NOVA_HEADER}, ` +
    '[9, " ", "2026-03-01 10:02:02", "region-1", "keypair.create.end", "api-01", "", "", ""]]',
  [`/stacky/search/?service=generic&field=resource&value=${VOLUME}`]: `[${GENERIC_HEADER}, ` +
    `[1, " ", "2026-03-01 10:04:00", "region-1", "volume.attach.end", "cinder-01", "${INSTANCE_A}", ""]]`,
  [`/stacky/search/?service=generic&field=resource&value=${PORT}`]: `[${GENERIC_HEADER}, ` +
    `[2, " ", "2026-03-01 10:04:01", "region-1", "port.create.end", "neutron-01", "${INSTANCE_A}", ""]]`,
  [`/stacky/search/?service=generic&field=instance&value=${INSTANCE_A}`]: `[${GENERIC_HEADER}, ` +
    `[2, " ", "2026-03-01 10:04:01", "region-1", "port.create.end", "neutron-01", "${INSTANCE_A}", ""], ` +
    `[1, " ", "2026-03-01 10:04:00", "region-1", "volume.attach.end", "cinder-01", "${INSTANCE_A}", ""]]`,
  [`/stacky/search/?service=generic&field=resource&value=${PROJECT}`]: `[${GENERIC_HEADER}, ` +
    '[3, " ", "2026-03-01 10:04:03", "region-1", "identity.project.created", "keystone-01", null, ""]]',
  [`/stacky/search/?service=generic&field=resource&value=${STACK}`]: `[${GENERIC_HEADER}, ` +
    '[4, " ", "2026-03-01 10:04:04", "region-1", "orchestration.stack.create.end", "heat-01", null, ""]]',
  '/stacky/search/?field=request_id&value=req-6b8e3d1a-4f9c-4a0d-b2e3-3a4b5c6d7e8f': `[${NOVA_HEADER}, ` +
    '[12, " ", "2026-03-01 10:03:05", "region-1", "compute.instance.resize.prep.end", null, "active", "", ""], ' +
    '[11, " ", "2026-03-01 10:03:00", "region-1", "compute.instance.resize.prep.start", "compute-02.example.org", ' +
    '"active", "active", null]]',
  '/stacky/events/?service=generic': '[["Event Name"], ["identity.project.created"], ' +
    '["orchestration.stack.create.end"], ["port.create.end"], ["volume.attach.end"]]',
};

/** A server with an injected clock on an existing database file. */
async function serveFile(path: string): Promise<{store: Store; get(p: string): Promise<string>; close(): Promise<void>}> {
  const store = openStore(path);
  const pipeline = new Pipeline(store.writer(), {source: 'test'});
  const server = createStackyServer({store, pipeline, now: () => NOW, log: () => {}});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    store,
    get: async (p) => (await send(url + p)).text,
    close: () => new Promise((resolve) => {
      server.close(() => {
        store.close();
        resolve();
      });
      server.closeAllConnections();
    }),
  };
}

/** Row ids depend on arrival order (one queue per exchange and topic): compared without them. */
function withoutIds(text: string): unknown {
  const value = JSON.parse(text) as unknown;
  if (!Array.isArray(value) || !Array.isArray(value[0]) || value[0][0] !== '#') return value;
  return [value[0], ...value.slice(1).map((row) => (row as unknown[]).slice(1)).sort((a, b) =>
    JSON.stringify(a).localeCompare(JSON.stringify(b)))];
}

describe('POST /ingest/', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({now: NOW});
  });
  after(() => s.close());

  it('stores every shape, enveloped or flat; nothing quarantined', async () => {
    const reply = await s.request('/ingest/', 'POST', jsonl());
    assert.equal(reply.status, 200);
    assert.equal(reply.text, '{"stored":17,"duplicates":0,"rejected":[],"warnings":[]}');
  });

  for (const [path, expected] of Object.entries(EXPECTED)) {
    it(`answers ${path}`, async () => {
      assert.equal((await s.get(path)).text, expected);
    });
  }

  it('show: the stored raw JSON is the notification itself, not its envelope', async () => {
    const shown = JSON.parse((await s.get('/stacky/show/3/')).text) as unknown[];
    const create = messages().find((m) => m.name === 'instance.create.end')!;
    assert.deepEqual(JSON.parse(shown[1] as string), ['versioned_notifications.info', create.body]);
  });

  it('a redelivery (same message_id, enveloped again) is recognised, not stored twice', async () => {
    const reply = await s.request('/ingest/', 'POST', jsonl());
    assert.equal(reply.text, '{"stored":0,"duplicates":17,"rejected":[],"warnings":[]}');
  });
});

describe('stacky ingest (the binary) stores the same, answering byte for byte alike', () => {
  const tmp = tempDir();
  after(() => tmp.dispose());

  it('ingests a file of every shape and serves the same answers', async () => {
    assert.equal(existsSync(join(root, 'dist', 'source', 'cli.js')), true, 'built by npm test\'s pretest');
    const file = join(tmp.dir, 'cloud.jsonl');
    writeFileSync(file, `${jsonl()}\n`);
    const db = join(tmp.dir, 'stacky.db');
    const r = spawnSync(process.execPath, [bin, 'ingest', '--db', db, file], {encoding: 'utf8'});
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    const served = await serveFile(db);
    try {
      for (const [path, expected] of Object.entries(EXPECTED)) assert.equal(await served.get(path), expected, path);
    } finally {
      await served.close();
    }
  });
});

describe('hostile and odd shapes in one batch: each stored or quarantined with its reason, none stops it', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({now: NOW});
  });
  after(() => s.close());

  it('stores what makes sense and names why the rest did not', async () => {
    const good = (id: string, extra: Record<string, unknown> = {}) => ({message_id: id, event_type: 'instance.power_on.start',
      publisher_id: 'nova-compute:c-9', timestamp: '2026-03-01 10:00:00.000000',
      payload: {'nova_object.name': 'InstanceActionPayload', 'nova_object.data': {uuid: INSTANCE_B, host: 'c-9'}}, ...extra});
    const lines = [
      '[1, 2, 3]',
      '"a string"',
      JSON.stringify({...envelope(good('m-extra')), 'oslo.extra': 'ignored'}),
      JSON.stringify(envelope(envelope(good('m-nested')))),
      JSON.stringify(envelope({...good('m-strpayload'), event_type: 'compute.instance.update', payload: 'not an object'})),
      JSON.stringify(envelope({...good('m-unknown'), event_type: 'share.frob', payload: {'nova_object.name': 'FrobPayload',
        'nova_object.data': {id: 7}}})),
      JSON.stringify(envelope({...good('m-nouuid'), payload: {'nova_object.name': 'InstanceActionPayload',
        'nova_object.data': {host: 'c-9'}}})),
      JSON.stringify(envelope(good('m-isoz', {timestamp: '2026-03-01T10:00:01Z'}))),
      JSON.stringify(envelope(good('m-iso', {timestamp: '2026-03-01T10:00:02.5'}))),
      JSON.stringify({'oslo.version': '3.0', 'oslo.message': JSON.stringify(good('m-v3'))}),
      JSON.stringify({'oslo.version': '2.0', 'oslo.message': '{not json'}),
      JSON.stringify(good('m-flat')),
    ].join('\n');
    const reply = await s.request('/ingest/', 'POST', lines);
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json(), {stored: 6, duplicates: 0, warnings: [], rejected: [
      {line: 1, error: 'a JSON array line must be [routing_key, body]'},
      {line: 2, error: 'line is neither a JSON object nor a [routing_key, body] pair'},
      {line: 4, error: 'oslo.messaging envelope inside an envelope'},
      {line: 5, error: 'payload is not an object'},
      {line: 10, error: 'oslo.messaging envelope version "3.0" is not 2.x'},
      {line: 11, error: 'oslo.messaging envelope: oslo.message is not JSON: Expected property name or \'}\' in JSON at position 1'},
    ]});
    const stored = s.sqlite().db.prepare('SELECT event, instance, resource, "when" FROM stacktach_rawdata ORDER BY id').all();
    assert.deepEqual(stored, [
      {event: 'instance.power_on.start', instance: INSTANCE_B, resource: null, when: Date.UTC(2026, 2, 1, 10) * 1000},
      {event: 'share.frob', instance: null, resource: '7', when: Date.UTC(2026, 2, 1, 10) * 1000},
      {event: 'instance.power_on.start', instance: null, resource: null, when: Date.UTC(2026, 2, 1, 10) * 1000},
      {event: 'instance.power_on.start', instance: INSTANCE_B, resource: null, when: Date.UTC(2026, 2, 1, 10, 0, 1) * 1000},
      {event: 'instance.power_on.start', instance: INSTANCE_B, resource: null, when: Date.UTC(2026, 2, 1, 10, 0, 2, 500) * 1000},
      {event: 'instance.power_on.start', instance: INSTANCE_B, resource: null, when: Date.UTC(2026, 2, 1, 10) * 1000},
    ]);
    // Quarantine keeps what was received, envelope and all.
    const kept = s.sqlite().db.prepare('SELECT line, raw FROM stacky_quarantine WHERE line = 10').get() as {raw: Buffer};
    assert.equal(kept.raw.toString('utf8'), lines.split('\n')[9]);
  });
});

const skip = await brokerSkip();

describe('the worker with a stock-cloud config, fed enveloped messages through the real broker', {skip}, () => {
  it('binds <topic>.* on every exchange, stores every shape, and answers as the other ways in', async () => {
    const broker = await testVhost();
    const tmp = tempDir();
    const dbPath = join(tmp.dir, 'stacky.db');
    const db = openDatabase(dbPath);
    const logs: string[] = [];
    let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
    try {
      const {config, warnings} = parseWorkerConfig({deployments: [{
        name: 'region-1', rabbit_host: BROKER.host, rabbit_port: BROKER.port, rabbit_userid: BROKER.user,
        rabbit_password: BROKER.password, rabbit_virtual_host: broker.vhost, durable_queue: false,
        exchanges: ['nova', 'cinder', 'neutron', 'glance', 'keystone', 'heat'],
        topics: ['notifications', 'versioned_notifications'],
      }]});
      assert.deepEqual(warnings, []);
      worker = await startWorker(config, new SqliteWriter(db), (l) => logs.push(l), {progressMs: 0, reconnectMs: 100, maxReconnectMs: 500});
      await worker.ready();
      const pub = await publisher(broker.url);
      for (const m of messages()) pub.publish(m.exchange, m.routingKey, wire(m));
      await pub.confirm();
      await pub.close();
      const count = (sql: string) => (db.prepare(sql).get() as {n: number}).n;
      await waitFor('17 rows stored', () => count(`SELECT (SELECT count(*) FROM stacktach_rawdata) +
        (SELECT count(*) FROM stacktach_genericrawdata) + (SELECT count(*) FROM stacktach_glancerawdata) AS n`) === 17);
      assert.equal(count('SELECT count(*) AS n FROM stacky_quarantine'), 0);
      const served = await serveFile(dbPath);
      try {
        for (const [path, expected] of Object.entries(EXPECTED)) {
          assert.deepEqual(withoutIds(await served.get(path)), withoutIds(expected), path);
        }
      } finally {
        await served.close();
      }
    } catch (error) {
      process.stderr.write(`worker log:\n${logs.join('\n')}\n`);
      throw error;
    } finally {
      await worker?.stop();
      db.close();
      await broker.dispose();
      tmp.dispose();
    }
  });
});
