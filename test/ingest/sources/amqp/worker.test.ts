// The worker in-process against the real broker: publish → stored → served by the stacky API,
// poison messages, redeliveries, and a connection cut from the broker side with nothing lost.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {join} from 'node:path';
import {promisify} from 'node:util';
import * as amqp from 'amqplib';
import {parseWorkerConfig} from '../../../../source/ingest/sources/amqp/config.js';
import {startWorker, type WorkerHandle} from '../../../../source/ingest/sources/amqp/worker.js';
import {openDatabase, type Db} from '../../../../source/store/sqlite/database.js';
import {startServer} from '../../../../source/commands/serve.js';
import {
  brokerSkip, novaGlanceTopics, novaNotification, publisher, rabbitmqctl, tempDir, testVhost, waitFor, workerConfig,
  workerConnectionPids,
  type TestBroker,
} from './helpers.js';
import {SqliteWriter} from '../../../../source/store/sqlite/writer.js';

const skip = await brokerSkip();
const run = promisify(execFile);

function count(db: Db, table: string): number {
  return db.prepare<[], {n: number}>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
}

function queueDepths(vhost: string): Record<string, {messages: number; unacked: number; consumers: number}> {
  const rows = JSON.parse(rabbitmqctl('list_queues', '-p', vhost, '--formatter', 'json', '-q',
    'name', 'messages', 'messages_unacknowledged', 'consumers')) as {name: string; messages: number; messages_unacknowledged: number; consumers: number}[];
  return Object.fromEntries(rows.map((r) => [r.name, {messages: r.messages, unacked: r.messages_unacknowledged, consumers: r.consumers}]));
}

/** Sets up a vhost, a file database and a worker; always tears everything down. */
async function withWorker(
  deployments: (b: TestBroker) => Parameters<typeof workerConfig>[1],
  body: (ctx: {broker: TestBroker; db: Db; dbPath: string; worker: WorkerHandle; logs: string[]}) => Promise<void>,
  options: Parameters<typeof startWorker>[3] = {},
): Promise<void> {
  const broker = await testVhost();
  const tmp = tempDir();
  const dbPath = join(tmp.dir, 'stacky.db');
  const db = openDatabase(dbPath);
  const logs: string[] = [];
  let worker: WorkerHandle | undefined;
  try {
    const {config} = parseWorkerConfig(workerConfig(broker.vhost, deployments(broker)));
    worker = await startWorker(config, new SqliteWriter(db), (l) => logs.push(l), {progressMs: 0, reconnectMs: 100, maxReconnectMs: 500, ...options});
    await worker.ready();
    await body({broker, db, dbPath, worker, logs});
  } catch (error) {
    process.stderr.write(`worker log:\n${logs.join('\n')}\n`);
    throw error;
  } finally {
    await worker?.stop();
    db.close();
    await broker.dispose();
    tmp.dispose();
  }
}

test('end to end: published to nova and glance, stored, and served by the stacky API', {skip}, async () => {
  // Two deployments, each on its own broker (vhost), as a global cell and a child cell are.
  const cellBroker = await testVhost();
  try {
    await endToEnd(cellBroker);
  } finally {
    await cellBroker.dispose();
  }
});

async function endToEnd(cellBroker: TestBroker): Promise<void> {
  await withWorker((b) => [
    {name: `${b.id}.global`, topics: novaGlanceTopics(b.id)},
    {name: `${b.id}.cell1`, vhost: cellBroker.vhost, topics: {nova: novaGlanceTopics(b.id).nova!}},
  ], async ({broker, dbPath, worker}) => {
    const instance = '5b1f0d3e-9a7c-4c1e-8f2a-3d4b5c6e7f80';
    const imageId = '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5';
    const start = novaNotification({event_type: 'compute.instance.create.start', timestamp: '2014-01-14 15:39:20.000000'},
      {instance_id: instance, state: 'building', old_state: null, old_task_state: null, new_task_state: 'spawning'});
    const failed = novaNotification({event_type: 'compute.instance.create.error', priority: 'ERROR', timestamp: '2014-01-14 15:39:22.574829'},
      {instance_id: instance, state: 'error', old_state: 'building', old_task_state: 'spawning'});
    const image = novaNotification({
      event_type: 'image.upload', publisher_id: 'image.localhost', timestamp: '2014-01-14 15:40:00.000000',
      payload: {id: imageId, owner: 'tenant-1', status: 'saving', size: 1024, properties: {}, created_at: '2014-01-14T15:39:00.000000'},
    });
    const p = await publisher(broker.url);
    p.publish('nova', 'monitor.info', start);
    p.publish('nova', 'monitor.error', failed);
    p.publish('glance', 'monitor_glance.info', image);
    await p.close();
    // The cell's own nova sends its own notifications (their own message ids).
    const cellStart = {...start, message_id: novaNotification().message_id};
    const cellFailed = {...failed, message_id: novaNotification().message_id};
    const pc = await publisher(cellBroker.url);
    pc.publish('nova', 'monitor.info', cellStart);
    pc.publish('nova', 'monitor.error', cellFailed);
    await pc.close();

    await waitFor('5 messages stored', () => {
      const stats = [...worker.stats().values()];
      return stats.reduce((n, s) => n + s.stored, 0) >= 5 || undefined;
    });
    assert.deepEqual(worker.stats().get(`${broker.id}.global`), {received: 3, stored: 3, duplicates: 0, quarantined: 0});
    assert.deepEqual(worker.stats().get(`${broker.id}.cell1`), {received: 2, stored: 2, duplicates: 0, quarantined: 0});
    const server = await startServer({db: dbPath, host: '127.0.0.1', port: 0});
    try {
      const get = async (path: string) => {
        const res = await fetch(`${server.url}${path}`);
        assert.equal(res.status, 200, path);
        return res.json() as Promise<unknown[][]>;
      };
      const deployments = await get('/stacky/deployments/');
      assert.deepEqual(deployments.slice(1).map((r) => r[1]).sort(), [`${broker.id}.cell1`, `${broker.id}.global`]);

      const rows = await get(`/stacky/uuid/?uuid=${instance}`);
      assert.deepEqual(rows[0], ['#', '?', 'When', 'Deployment', 'Event', 'Host', 'State', "State'", "Task'"]);
      const events = rows.slice(1).map((r) => `${r[3]} ${r[4]} ${r[1] === 'E' ? 'E' : '-'}`).sort();
      // The "E" flag comes from the routing key monitor.error, as StackTach judges errors.
      assert.deepEqual(events, [
        `${broker.id}.cell1 compute.instance.create.error E`,
        `${broker.id}.cell1 compute.instance.create.start -`,
        `${broker.id}.global compute.instance.create.error E`,
        `${broker.id}.global compute.instance.create.start -`,
      ]);

      // show/<id>: the stored JSON is [routing_key, body], as StackTach stores it.
      const errorRow = rows.slice(1).find((r) => r[1] === 'E')!;
      const shown = await get(`/stacky/show/${errorRow[0]}/`) as unknown as [unknown[][], string, string];
      assert.deepEqual(shown[0].find((kv) => kv[0] === 'Category'), ['Category', 'monitor.error']);
      const stored = JSON.parse(shown[1]) as [string, Record<string, unknown>];
      assert.equal(stored[0], 'monitor.error');
      assert.equal(stored[1].message_id, failed.message_id);

      const glance = await get(`/stacky/uuid/?uuid=${imageId}&service=glance`);
      assert.deepEqual(glance.slice(1).map((r) => `${r[3]} ${r[4]}`), [`${broker.id}.global image.upload`]);
    } finally {
      await server.close();
    }
  });
}

test('poison messages are quarantined whole, acked, and the queue keeps flowing', {skip}, async () => {
  await withWorker((b) => [{name: `${b.id}.poison`, topics: novaGlanceTopics(b.id)}], async ({broker, db, worker}) => {
    const before = novaNotification();
    const after = novaNotification();
    const notUtf8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const poison: [string, Buffer][] = [
      ['not json', Buffer.from('this is {not JSON')],
      ['a JSON list', Buffer.from('[1, 2, 3]')],
      ['no event_type', Buffer.from(JSON.stringify({message_id: 'x', publisher_id: 'compute.c-1', timestamp: '2014-01-14 15:39:22'}))],
      ['bad timestamp', Buffer.from(JSON.stringify({...novaNotification(), timestamp: 'yesterday-ish'}))],
      ['not UTF-8', notUtf8],
    ];
    const p = await publisher(broker.url);
    p.publish('nova', 'monitor.info', before);
    for (const [, bytes] of poison) p.publish('nova', 'monitor.error', bytes);
    p.publish('nova', 'monitor.info', after);
    await p.close();

    await waitFor('7 messages handled', () => (worker.stats().get(`${broker.id}.poison`)!.received >= 7) || undefined);
    const stats = worker.stats().get(`${broker.id}.poison`)!;
    assert.deepEqual(stats, {received: 7, stored: 2, duplicates: 0, quarantined: 5});
    assert.equal(count(db, 'stacktach_rawdata'), 2);

    const rows = db.prepare<[], {source: string; deployment: string; exchange: string; routing_key: string; error: string; raw: string | Buffer}>(
      'SELECT source, deployment, exchange, routing_key, error, raw FROM stacky_quarantine ORDER BY id').all();
    assert.equal(rows.length, poison.length);
    for (const [what, bytes] of poison) {
      const row = rows.find((r) => Buffer.from(r.raw).equals(bytes));
      assert.ok(row, `${what}: quarantined with its raw bytes kept exactly`);
      assert.equal(row.source, 'amqp', what);
      assert.equal(row.deployment, `${broker.id}.poison`, what);
      assert.equal(row.exchange, 'nova', what);
      assert.equal(row.routing_key, 'monitor.error', what);
      assert.ok(row.error.length > 0, what);
      if (what === 'not json') assert.match(row.error, /not JSON/);
      if (what === 'not UTF-8') assert.match(row.error, /UTF-8/);
    }

    // Everything was acked: nothing waits on the queues, and the consumer is still there.
    await waitFor('queues drained', () => {
      const q = queueDepths(broker.vhost)[`${broker.id}.monitor.error`];
      return (q && q.messages === 0 && q.consumers === 1) || undefined;
    });
    const later = novaNotification();
    const p2 = await publisher(broker.url);
    p2.publish('nova', 'monitor.error', later);
    await p2.close();
    await waitFor('a later message stored', () =>
      db.prepare('SELECT 1 FROM stacktach_rawdata WHERE request_id = ?').get(later._context_request_id) ?? undefined);
  });
});

test('a redelivered message (same message_id) is stored once', {skip}, async () => {
  await withWorker((b) => [{name: `${b.id}.dup`, topics: novaGlanceTopics(b.id)}], async ({broker, db, worker}) => {
    const body = novaNotification();
    const p = await publisher(broker.url);
    p.publish('nova', 'monitor.info', body);
    p.publish('nova', 'monitor.info', body);
    p.publish('nova', 'monitor.error', body);
    await p.close();
    await waitFor('3 received', () => worker.stats().get(`${broker.id}.dup`)!.received >= 3 || undefined);
    assert.deepEqual(worker.stats().get(`${broker.id}.dup`), {received: 3, stored: 1, duplicates: 2, quarantined: 0});
    assert.equal(count(db, 'stacktach_rawdata'), 1);
  });
});

test('a connection closed by the broker: the worker logs it, reconnects by itself and loses nothing', {skip}, async () => {
  const N = 12_000;
  await withWorker((b) => [{name: `${b.id}.cut`, topics: novaGlanceTopics(b.id)}], async ({broker, db, worker, logs}) => {
    const label = `${broker.id}.cut`;
    const p = await publisher(broker.url);
    const bodies = Array.from({length: N}, (_, i) => novaNotification({}, {instance_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`}));
    for (const body of bodies.slice(0, N / 2)) p.publish('nova', 'monitor.info', body);
    await p.confirm();
    // Mid-stream: some stored, far from all.
    await waitFor('the first rows', () => count(db, 'stacktach_rawdata') > 200 || undefined, 30_000);
    const storedAtCut = count(db, 'stacktach_rawdata');
    const connections = workerConnectionPids(broker.vhost);
    assert.deepEqual(connections.map((c) => c.connectionName).sort(), [`stacky worker ${label}/glance`, `stacky worker ${label}/nova`]);
    await Promise.all(connections.map((c) => run('rabbitmqctl', ['close_connection', c.pid, 'test: cut from the broker side'])));
    for (const body of bodies.slice(N / 2)) p.publish('nova', 'monitor.info', body);
    await p.close();

    await waitFor(`${N} rows`, () => count(db, 'stacktach_rawdata') >= N || undefined, 60_000);
    await waitFor('queues drained', () => Object.values(queueDepths(broker.vhost)).every((q) => q.messages === 0) || undefined);
    assert.equal(count(db, 'stacktach_rawdata'), N, 'every message exactly once');
    assert.ok(storedAtCut < N, 'the cut happened mid-stream');
    const states = worker.states();
    assert.equal(states.get(`${label}/nova`)!.state, 'consuming');
    assert.ok(states.get(`${label}/nova`)!.connections >= 2, 'reconnected');
    assert.ok(logs.some((l) => l.includes(`${label}/nova: connection lost`) && /CONNECTION_FORCED|cut from the broker side/.test(l)), logs.join('\n'));
    assert.ok(logs.some((l) => l.includes(`${label}/nova: reconnecting in`)), logs.join('\n'));
    const s = worker.stats().get(label)!;
    assert.equal(s.stored, N);
    assert.equal(s.quarantined, 0);
  }, {prefetch: 500, batchSize: 200});
});

test('progress lines: per deployment, counts and rate, at the configured interval', {skip}, async () => {
  await withWorker((b) => [{name: `${b.id}.progress`, topics: novaGlanceTopics(b.id)}], async ({broker, logs}) => {
    const p = await publisher(broker.url);
    for (let i = 0; i < 50; i++) p.publish('nova', 'monitor.info', novaNotification());
    await p.close();
    const line = await waitFor('a progress line with 50 received', () =>
      logs.find((l) => l.startsWith(`worker: ${broker.id}.progress: 50 received`)));
    assert.match(line, /^worker: \w+\.progress: 50 received \(\+\d+, [\d.]+\/s\), 50 stored, 0 duplicates, 0 quarantined \[nova consuming, glance consuming\]$/);
  }, {progressMs: 300});
});

test('a queue deleted under the worker: it reconnects, declares it again and goes on', {skip}, async () => {
  await withWorker((b) => [{name: `${b.id}.deleted`, topics: novaGlanceTopics(b.id)}], async ({broker, db, worker, logs}) => {
    const connection = await amqp.connect(broker.url);
    try {
      const channel = await connection.createChannel();
      await channel.deleteQueue(`${broker.id}.monitor.info`);
      await waitFor('the cancel noticed', () => logs.some((l) => l.includes('cancelled by the broker')) || undefined);
      await worker.ready();
      await channel.checkQueue(`${broker.id}.monitor.info`);
    } finally {
      await connection.close();
    }
    const body = novaNotification();
    const p = await publisher(broker.url);
    p.publish('nova', 'monitor.info', body);
    await p.close();
    await waitFor('stored after the redeclare', () =>
      db.prepare('SELECT 1 FROM stacktach_rawdata WHERE request_id = ?').get(body._context_request_id) ?? undefined);
  });
});
