// The exchanges, queues and bindings the worker declares, checked on the real broker: they must
// be exactly StackTach's, so that the worker can share a broker with an existing StackTach.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import * as amqp from 'amqplib';
import {parseWorkerConfig} from '../../../../source/ingest/sources/amqp/config.js';
import {startWorker, type WorkerHandle} from '../../../../source/ingest/sources/amqp/worker.js';
import {openDatabase, type Db} from '../../../../source/store/sqlite/database.js';
import {
  BROKER, brokerSkip, novaNotification, publisher, rabbitmqctl, testVhost, waitFor, workerConfig, type TestBroker,
} from './helpers.js';
import {SqliteWriter} from '../../../../source/store/sqlite/writer.js';

const skip = await brokerSkip();
const SAMPLE = fileURLToPath(new URL('../../../fixtures/stacktach_worker_config.json', import.meta.url));

interface ExchangeRow {name: string; type: string; durable: boolean; auto_delete: boolean; internal: boolean; arguments: unknown[]}
interface QueueRow {name: string; durable: boolean; auto_delete: boolean; exclusive: boolean; arguments: unknown[]; consumers: number}
interface BindingRow {source_name: string; destination_name: string; destination_kind: string; routing_key: string}

function listJson<T>(vhost: string, what: string, columns: string[]): T[] {
  return JSON.parse(rabbitmqctl(what, '-p', vhost, '--formatter', 'json', '-q', ...columns)) as T[];
}

/** The sample file with only its connection settings pointed at the local broker and a test vhost. */
function sampleOn(vhost: string): Record<string, unknown> {
  const sample = JSON.parse(readFileSync(SAMPLE, 'utf8')) as {deployments: Record<string, unknown>[]};
  for (const d of sample.deployments) {
    Object.assign(d, {rabbit_host: BROKER.host, rabbit_port: BROKER.port, rabbit_userid: BROKER.user,
      rabbit_password: BROKER.password, rabbit_virtual_host: vhost});
  }
  return sample;
}

let broker: TestBroker;
let db: Db;
let worker: WorkerHandle | undefined;
const logs: string[] = [];

before(async () => {
  if (skip) return;
  broker = await testVhost();
  db = openDatabase(':memory:');
});

after(async () => {
  if (skip) return;
  await worker?.stop();
  db.close();
  await broker.dispose();
});

test('the sample file declares StackTach\'s topology: topic exchanges, queues, bindings, flags', {skip}, async () => {
  const {config, warnings} = parseWorkerConfig(sampleOn(broker.vhost));
  assert.deepEqual(warnings, []);
  worker = await startWorker(config, new SqliteWriter(db), (l) => logs.push(l), {progressMs: 0});
  await worker.ready();

  const exchanges = listJson<ExchangeRow>(broker.vhost, 'list_exchanges', ['name', 'type', 'durable', 'auto_delete', 'internal', 'arguments'])
    .filter((e) => e.name === 'nova' || e.name === 'glance')
    .sort((a, b) => a.name.localeCompare(b.name));
  assert.deepEqual(exchanges, [
    {name: 'glance', type: 'topic', durable: false, auto_delete: false, internal: false, arguments: []},
    {name: 'nova', type: 'topic', durable: false, auto_delete: false, internal: false, arguments: []},
  ]);

  const queues = listJson<QueueRow>(broker.vhost, 'list_queues', ['name', 'durable', 'auto_delete', 'exclusive', 'arguments', 'consumers'])
    .sort((a, b) => a.name.localeCompare(b.name));
  // Both sample deployments consume monitor.info and monitor.error (pointed at one broker here).
  assert.deepEqual(queues, [
    {name: 'monitor.error', durable: false, auto_delete: false, exclusive: false, arguments: [], consumers: 2},
    {name: 'monitor.info', durable: false, auto_delete: false, exclusive: false, arguments: [], consumers: 2},
    {name: 'stacktach_monitor_glance.error', durable: false, auto_delete: false, exclusive: false, arguments: [], consumers: 1},
    {name: 'stacktach_monitor_glance.info', durable: false, auto_delete: false, exclusive: false, arguments: [], consumers: 1},
  ]);

  const bindings = listJson<BindingRow>(broker.vhost, 'list_bindings', ['source_name', 'destination_name', 'destination_kind', 'routing_key'])
    .filter((b) => b.source_name !== '')
    .map((b) => `${b.source_name} -[${b.routing_key}]-> ${b.destination_kind} ${b.destination_name}`)
    .sort();
  assert.deepEqual(bindings, [
    'glance -[monitor_glance.error]-> queue stacktach_monitor_glance.error',
    'glance -[monitor_glance.info]-> queue stacktach_monitor_glance.info',
    'nova -[monitor.error]-> queue monitor.error',
    'nova -[monitor.info]-> queue monitor.info',
  ]);

  // The same through the protocol: passive declares succeed, and report the consumers.
  const connection = await amqp.connect(broker.url);
  try {
    const channel = await connection.createChannel();
    await channel.checkExchange('nova');
    await channel.checkExchange('glance');
    assert.equal((await channel.checkQueue('stacktach_monitor_glance.info')).consumerCount, 1);
    assert.equal((await channel.checkQueue('monitor.error')).consumerCount, 2);
    await channel.close();
  } finally {
    await connection.close();
  }

  // One consumer connection per (deployment, exchange), named after it.
  const names = listJson<{vhost: string; client_properties: [string, string, unknown][]}>(broker.vhost, 'list_connections', ['vhost', 'client_properties'])
    .filter((c) => c.vhost === broker.vhost)
    .map((c) => String(c.client_properties.find((p) => p[0] === 'connection_name')?.[2] ?? ''))
    .filter((name) => name.startsWith('stacky worker'))
    .sort();
  assert.deepEqual(names, [
    'stacky worker east_coast.prod.cell1/nova',
    'stacky worker east_coast.prod.global/glance',
    'stacky worker east_coast.prod.global/nova',
  ]);
});

test('a message published through a binding is stored with the routing key it was published with', {skip}, async () => {
  assert.ok(worker, 'the previous test started the worker');
  const p = await publisher(broker.url);
  const body = novaNotification({priority: 'ERROR', event_type: 'compute.instance.create.error'});
  p.publish('nova', 'monitor.error', body);
  await p.close();
  const row = await waitFor('the raw row', () =>
    db.prepare<[string], {routing_key: string; event: string}>('SELECT routing_key, event FROM stacktach_rawdata WHERE request_id = ?').get(body._context_request_id as string));
  assert.deepEqual(row, {routing_key: 'monitor.error', event: 'compute.instance.create.error'});
  await worker!.stop();
  worker = undefined;
  // A clean stop leaves nothing unacked and nothing ready.
  const left = listJson<{name: string; messages: number}>(broker.vhost, 'list_queues', ['name', 'messages']);
  assert.ok(left.every((q) => q.messages === 0), JSON.stringify(left));
});

test('durable_queue true and queue_arguments reach the exchange and the queues', {skip}, async () => {
  const local = await testVhost();
  const localDb = openDatabase(':memory:');
  let w: WorkerHandle | undefined;
  try {
    const {config} = parseWorkerConfig(workerConfig(local.vhost, [{
      name: 'durable', durable_queue: true, queue_arguments: {'x-message-ttl': 3_600_000, 'x-ha-policy': 'all'},
      topics: {nova: [{queue: `${local.id}.notifications.info`, routing_key: 'notifications.info'}],
        [`${local.id}.events`]: [{queue: `${local.id}.events.all`, routing_key: '#'}]},
    }]));
    w = await startWorker(config, new SqliteWriter(localDb), () => undefined, {progressMs: 0});
    await w.ready();
    const exchanges = listJson<ExchangeRow>(local.vhost, 'list_exchanges', ['name', 'type', 'durable', 'auto_delete'])
      .filter((e) => e.name === 'nova' || e.name === `${local.id}.events`)
      .map((e) => `${e.name} ${e.type} durable=${e.durable} auto_delete=${e.auto_delete}`)
      .sort();
    assert.deepEqual(exchanges, [`${local.id}.events topic durable=true auto_delete=false`, 'nova topic durable=true auto_delete=false'].sort());
    const queues = listJson<QueueRow>(local.vhost, 'list_queues', ['name', 'durable', 'auto_delete', 'exclusive', 'arguments'])
      .sort((a, b) => a.name.localeCompare(b.name));
    assert.equal(queues.length, 2);
    for (const q of queues) {
      assert.equal(q.durable, true);
      assert.equal(q.auto_delete, false);
      assert.equal(q.exclusive, false);
      const args = Object.fromEntries((q.arguments as [string, string, unknown][]).map(([k, , v]) => [k, v]));
      assert.deepEqual(args, {'x-message-ttl': 3_600_000, 'x-ha-policy': 'all'});
    }
    // Another exchange name is consumed too, and parsed as a generic notification.
    const p = await publisher(local.url);
    const body = novaNotification({event_type: 'port.create.end', publisher_id: 'network.n-01'});
    p.publish(`${local.id}.events`, 'anything.at.all', body);
    await p.close();
    await waitFor('the generic row', () =>
      localDb.prepare('SELECT 1 FROM stacktach_genericrawdata WHERE request_id = ? AND routing_key = ?').get(body._context_request_id, 'anything.at.all'));
  } finally {
    await w?.stop();
    localDb.close();
    await local.dispose();
  }
});

test('a declare the broker refuses (durability mismatch) is logged and retried until it works', {skip}, async () => {
  const local = await testVhost();
  const localDb = openDatabase(':memory:');
  const lines: string[] = [];
  let w: WorkerHandle | undefined;
  const connection = await amqp.connect(local.url);
  try {
    // Someone (an OpenStack service) declared nova durable; the config says durable_queue false.
    const channel = await connection.createChannel();
    await channel.assertExchange('nova', 'topic', {durable: true});
    const {config} = parseWorkerConfig(workerConfig(local.vhost, [{
      name: 'mismatch', durable_queue: false, topics: {nova: [{queue: `${local.id}.q`, routing_key: 'monitor.info'}]},
    }]));
    w = await startWorker(config, new SqliteWriter(localDb), (l) => lines.push(l), {progressMs: 0, reconnectMs: 100, maxReconnectMs: 200});
    await waitFor('two failed attempts', () => lines.filter((l) => /PRECONDITION_FAILED/.test(l)).length >= 2 || undefined);
    assert.ok(lines.some((l) => /mismatch\/nova: reconnecting in 0\.\d s \(retry \d+\)/.test(l)), lines.join('\n'));
    assert.equal(w.states().get('mismatch/nova')?.state === 'consuming', false);
    // The operator fixes the broker side; the worker gets going by itself.
    await channel.deleteExchange('nova');
    await w.ready(10_000);
  } finally {
    await connection.close();
    await w?.stop();
    localDb.close();
    await local.dispose();
  }
});
