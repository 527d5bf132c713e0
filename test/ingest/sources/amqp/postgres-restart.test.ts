// Issue #16, faults: the built `stacky worker` writing to a PostgreSQL of the test's own, which is
// restarted while messages stream in. The worker must reconnect to both, lose nothing it acked and
// store nothing twice, and still be running at the end.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import postgres from 'postgres';
import {bin, build} from '../../../commands/print-build.js';
import {ownServerSkip, startOwnServer} from '../../../store/postgres/own-server.js';
import {brokerSkip, novaNotification, publisher, rabbitmqctl, tempDir, testVhost, waitFor, workerConfig} from './helpers.js';

const skip = (await brokerSkip()) || ownServerSkip();

interface Child {
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function spawnStacky(args: string[]): Child {
  const child = spawn(process.execPath, [bin, ...args], {stdio: ['ignore', 'pipe', 'pipe']});
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  return {process: child, output: () => output, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code)))};
}

/** How many times the worker gave a batch back to the broker because the database refused it. */
function refusals(output: string): number {
  return output.split('the database refuses writes').length - 1;
}

function queueState(vhost: string, queue: string): {messages: number; consumers: number} | undefined {
  const rows = JSON.parse(rabbitmqctl('list_queues', '-p', vhost, '--formatter', 'json', '-q', 'name', 'messages', 'consumers')) as
    {name: string; messages: number; consumers: number}[];
  return rows.find((r) => r.name === queue);
}

test('stacky worker on PostgreSQL: a restart mid-stream loses nothing acked and stores nothing twice', {skip, timeout: 60_000}, async () => {
  build();
  const pg = await startOwnServer();
  const broker = await testVhost();
  const tmp = tempDir();
  const sql = postgres(pg.url, {max: 1, onnotice: () => {}, connect_timeout: 5});
  let worker: Child | undefined;
  try {
    const queue = `${broker.id}.monitor.info`;
    const configPath = join(tmp.dir, 'worker.json');
    writeFileSync(configPath, JSON.stringify(workerConfig(broker.vhost, [
      {name: 'restart', topics: {nova: [{queue, routing_key: 'monitor.info'}]}},
    ])), {mode: 0o600});
    // Small batches: the restart then lands between commits as well as inside one.
    worker = spawnStacky(['worker', '--config', configPath, '--db', pg.url, '--batch', '50']);
    const w = worker;
    await waitFor('the worker consuming', () => /consuming from/.test(w.output()) && queueState(broker.vhost, queue)?.consumers === 1);

    const N = 1500;
    const ids: string[] = [];
    const p = await publisher(broker.url);
    const publish = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const message = novaNotification();
        ids.push(String(message.message_id));
        p.publish('nova', 'monitor.info', message);
      }
      await p.confirm();
    };
    const stored = async () => Number((await sql`SELECT count(*)::int AS n FROM stacktach_rawdata`)[0]!.n);

    await publish(N / 3);
    // Mid-stream: some stored, some not yet.
    await waitFor('some rows stored', async () => (await stored()) > 0);
    pg.restart();
    await publish(N / 3);
    // Down for a while (the worker must wait it out, not die), then back.
    pg.stop();
    const before = refusals(w.output());
    await publish(N / 3);
    // Redelivered and refused again: the worker retries while the database is away, and lives,
    // backing off (a session refused before it stored anything does not reset the delay).
    await waitFor('two refusals while down, backing off', () => refusals(w.output()) >= before + 2 &&
      /reconnecting in 2\.0 s \(retry 2\)/.test(w.output()), 20_000);
    pg.start();

    await waitFor(`all ${N} stored`, async () => (await stored()) >= N, 40_000);
    await waitFor('the queue empty', () => queueState(broker.vhost, queue)?.messages === 0);
    const [counts] = await sql`SELECT count(*)::int AS raws, count(DISTINCT message_key)::int AS keys,
      count(DISTINCT request_id)::int AS requests FROM stacktach_rawdata`;
    assert.deepEqual({...counts}, {raws: N, keys: N, requests: N});
    const requests = (await sql`SELECT request_id FROM stacktach_rawdata`).map((r) => String(r.request_id)).sort();
    assert.deepEqual(requests, ids.map((id) => `req-${id}`).sort());
    assert.equal(worker.process.exitCode, null, 'the worker is still running');
    assert.doesNotMatch(worker.output(), /Unhandled| {4}at /);
    assert.ok(!worker.output().includes(pg.password), 'no password in the log');
    await p.close();
  } catch (error) {
    process.stderr.write(`worker output:\n${worker?.output() ?? ''}\n`);
    throw error;
  } finally {
    if (worker && worker.process.exitCode === null) {
      worker.process.kill('SIGTERM');
      await worker.exited;
    }
    await sql.end({timeout: 1}).catch(() => undefined);
    await broker.dispose();
    pg.dispose();
    tmp.dispose();
  }
});
