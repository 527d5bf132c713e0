// `stacky worker` as its own process: flags, config warnings, a clean stop on SIGTERM, and
// SIGKILL mid-stream then restart with every message stored exactly once.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {openDatabase, type Db} from '../../source/store/sqlite/database.js';
import {DemoGenerator} from '../../source/demo/generator.js';
import {hashToken, newToken, writeAuthFile} from '../../source/server/auth.js';
import {
  brokerSkip, novaGlanceTopics, publisher, rabbitmqctl, tempDir, testVhost, waitFor, workerConfig,
} from '../ingest/sources/amqp/helpers.js';

const skip = await brokerSkip();
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = "const {main} = await import('./source/cli.ts'); process.exitCode = await main(process.argv.slice(1));";

interface Child {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
}

function stacky(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', ENTRY, ...args], {
    cwd: ROOT, env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) =>
    child.on('exit', (code, signal) => resolve({code, signal})));
  return {process: child, stdout: () => out, stderr: () => err, exited};
}

function listening(child: Child): Promise<string> {
  return waitFor('listening', () => /listening on (http:\/\/\S+)/.exec(child.stdout())?.[1], 30_000);
}

function rawCount(db: Db): number {
  return db.prepare<[], {n: number}>('SELECT (SELECT count(*) FROM stacktach_rawdata) + (SELECT count(*) FROM stacktach_glancerawdata) AS n').get()!.n;
}

test('usage errors exit 2 with a message', async () => {
  const unknown = stacky(['worker', '--bogus']);
  assert.equal((await unknown.exited).code, 2);
  assert.equal(unknown.stderr(), 'stacky worker: unknown flag --bogus; see stacky worker --help\n');

  const t = tempDir();
  try {
    const missing = stacky(['worker', '--config', join(t.dir, 'nope.json'), '--db', join(t.dir, 'x.db')]);
    assert.equal((await missing.exited).code, 2);
    assert.match(missing.stderr(), /cannot read worker config .*nope\.json/);

    const bad = join(t.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({deployments: [{name: 'd', rabbit_port: 'many'}]}));
    const invalid = stacky(['worker', '--config', bad, '--db', join(t.dir, 'x.db')]);
    assert.equal((await invalid.exited).code, 2);
    assert.match(invalid.stderr(), /deployments\[0\]\.rabbit_port: expected a port number/);

    const prefetch = stacky(['worker', '--config', bad, '--prefetch', '0']);
    assert.equal((await prefetch.exited).code, 2);
    assert.equal(prefetch.stderr(), "stacky worker: --prefetch must be a whole number >= 1, got '0'; see stacky worker --help\n");
  } finally {
    t.dispose();
  }
});

test('nothing to consume is an error', async () => {
  const t = tempDir();
  try {
    const config = join(t.dir, 'config.json');
    writeFileSync(config, JSON.stringify({deployments: [{name: 'off', enabled: false, topics: {nova: [{queue: 'q', routing_key: 'k'}]}}]}));
    const child = stacky(['worker', '--config', config, '--db', join(t.dir, 'stacky.db')]);
    assert.equal((await child.exited).code, 2);
    assert.match(child.stderr(), /nothing to consume: no enabled deployment/);
  } finally {
    t.dispose();
  }
});

test('unknown keys are warned about; an unreachable broker is retried with backoff; SIGTERM exits 0', async () => {
  const t = tempDir();
  try {
    const config = join(t.dir, 'config.json');
    const dbPath = join(t.dir, 'stacky.db');
    writeFileSync(config, JSON.stringify({
      deployments: [{name: 'nowhere', rabbit_host: '127.0.0.1', rabbit_port: 1, colour: 'blue',
        topics: {nova: [{queue: 'q', routing_key: 'k'}]}}],
      extra: true,
    }));
    const child = stacky(['worker', '--config', config, '--db', dbPath]);
    await waitFor('two retries', () => child.stderr().includes('(retry 2)') || undefined, 30_000);
    const err = child.stderr();
    assert.match(err, /worker config: deployments\[0\]\.colour: unknown key, ignored/);
    assert.match(err, /worker config: extra: unknown key, ignored/);
    assert.match(err, /nowhere\/nova: cannot consume from amqp:\/\/rabbit@127\.0\.0\.1:1\/: .*ECONNREFUSED/);
    assert.match(err, /nowhere\/nova: reconnecting in 1\.0 s \(retry 1\)/);
    assert.match(err, /nowhere\/nova: reconnecting in 2\.0 s \(retry 2\)/);
    child.process.kill('SIGTERM');
    assert.deepEqual(await child.exited, {code: 0, signal: null});
    assert.match(child.stderr(), /SIGTERM: stopping/);
    assert.ok(existsSync(dbPath), 'the database was created');
  } finally {
    t.dispose();
  }
});

test('worker --listen: /healthz says why the consumers are not consuming, /metrics shows their state, ' +
  'nothing else is served; a wide bind without tokens and a bad address are refused', async () => {
  const t = tempDir();
  let child: Child | undefined;
  try {
    const config = join(t.dir, 'config.json');
    writeFileSync(config, JSON.stringify({
      deployments: [{name: 'nowhere', rabbit_host: '127.0.0.1', rabbit_port: 1, topics: {nova: [{queue: 'q', routing_key: 'k'}]}}],
    }));
    const db = join(t.dir, 'stacky.db');
    const wide = stacky(['worker', '--config', config, '--db', db, '--listen', '0.0.0.0:0']);
    assert.equal((await wide.exited).code, 2);
    assert.equal(wide.stderr(), 'stacky worker: refusing to listen on 0.0.0.0 without --auth-file: anyone who can reach it ' +
      'could read and ingest (create tokens with `stacky token add`, or pass --insecure to accept that)\n');
    const bad = stacky(['worker', '--config', config, '--db', db, '--listen', 'host:port']);
    assert.equal((await bad.exited).code, 2);
    assert.equal(bad.stderr(), 'stacky worker: --listen: expected [HOST:]PORT (e.g. 9100 or 0.0.0.0:9100), got "host:port"; ' +
      'see stacky worker --help\n');

    child = stacky(['worker', '--config', config, '--db', db, '--listen', '0']);
    const url = await listening(child);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    await waitFor('a failed connection', () => child!.stderr().includes('reconnecting in') || undefined, 30_000);
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 503);
    assert.match(await health.text(), /^consumer nowhere\/nova: (connecting|waiting)\n$/);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /^stacky_consumer_up\{consumer="nowhere\/nova",state="consuming"\} 0$/m);
    assert.match(metrics, /^stacky_consumer_up\{consumer="nowhere\/nova",state="(connecting|waiting)"\} 1$/m);
    assert.match(metrics, /^stacky_database_bytes \d+$/m);
    const api = await fetch(`${url}/stacky/deployments/`);
    assert.equal(api.status, 404);
    assert.equal(await api.text(), '[["Error", "Message"], ["Not Found", "This worker serves /healthz and /metrics only."]]');
    child.process.kill('SIGTERM');
    assert.deepEqual(await child.exited, {code: 0, signal: null});
    assert.match(child.stderr(), /health listening/);
  } finally {
    if (child && child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    t.dispose();
  }
});

test('worker --listen with --auth-file: /healthz is ok once consuming, /metrics counts what was stored, ' +
  'both need a token', {skip, timeout: 120_000}, async () => {
  const broker = await testVhost();
  const t = tempDir();
  let child: Child | undefined;
  try {
    const deployment = `${broker.id}.listen`;
    const config = join(t.dir, 'stacktach_worker_config.json');
    writeFileSync(config, JSON.stringify(workerConfig(broker.vhost, [{name: deployment, topics: novaGlanceTopics(broker.id)}])));
    const auth = join(t.dir, 'tokens.json');
    const token = newToken();
    writeAuthFile(auth, [{name: 'prometheus', role: 'read', sha256: hashToken(token), created: '2026-12-07T00:00:00.000Z'}]);
    child = stacky(['worker', '--config', config, '--db', join(t.dir, 'stacky.db'), '--listen', '127.0.0.1:0', '--auth-file', auth]);
    const url = await listening(child);
    const get = (path: string, withToken = true) =>
      fetch(`${url}${path}`, withToken ? {headers: {authorization: `Bearer ${token}`}} : {});
    assert.equal((await get('/healthz', false)).status, 401);
    await waitFor('healthy', async () => {
      const r = await get('/healthz');
      return (r.status === 200 && await r.text() === 'ok\n') || undefined;
    }, 30_000);

    const generator = new DemoGenerator({seed: 5, deployments: [deployment]});
    const p = await publisher(broker.url);
    for (let i = 0; i < 200; i++) {
      const e = generator.next();
      p.publish(e.exchange, e.routing_key, e.body);
    }
    await p.close();
    const metrics = await waitFor('200 stored', async () => {
      const text = await (await get('/metrics')).text();
      return text.includes(`stacky_notifications_total{deployment="${deployment}",exchange="amqp",outcome="stored"} 200\n`)
        ? text : undefined;
    }, 60_000);
    assert.match(metrics, new RegExp(`^stacky_consumer_up\\{consumer="${deployment.replace(/\./g, '\\.')}/nova",state="consuming"\\} 1$`, 'm'));
    child.process.kill('SIGTERM');
    assert.deepEqual(await child.exited, {code: 0, signal: null});
  } finally {
    if (child && child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await broker.dispose();
    t.dispose();
  }
});

test('SIGKILL mid-stream, restart: every message stored exactly once', {skip, timeout: 180_000}, async (ctx) => {
  const N = 5000;
  const broker = await testVhost();
  const t = tempDir();
  const children: Child[] = [];
  let reader: Db | undefined;
  try {
    const deployment = `${broker.id}.kill`;
    const config = join(t.dir, 'stacktach_worker_config.json');
    const dbPath = join(t.dir, 'stacky.db');
    writeFileSync(config, JSON.stringify(workerConfig(broker.vhost, [{name: deployment, topics: novaGlanceTopics(broker.id)}]), null, 2));
    const start = () => {
      const c = stacky(['worker', '--config', config, '--db', dbPath]);
      children.push(c);
      return c;
    };
    const consuming = (c: Child) => waitFor('both consumers', () =>
      (c.stderr().includes(`${deployment}/nova: consuming`) && c.stderr().includes(`${deployment}/glance: consuming`)) || undefined, 30_000);

    const first = start();
    await consuming(first);
    reader = openDatabase(dbPath, {readonly: true});

    // Realistic traffic (nova and glance), each with its own message_id.
    const generator = new DemoGenerator({seed: 7, deployments: [deployment]});
    const envelopes = Array.from({length: N}, () => generator.next());
    assert.equal(new Set(envelopes.map((e) => e.body.message_id)).size, N, 'unique message ids');
    const p = await publisher(broker.url);
    for (const e of envelopes) p.publish(e.exchange, e.routing_key, e.body);
    await p.close();

    await waitFor('some rows', () => rawCount(reader!) >= 300 || undefined, 60_000);
    first.process.kill('SIGKILL');
    const killed = await first.exited;
    assert.equal(killed.signal, 'SIGKILL');
    const atKill = rawCount(reader);
    assert.ok(atKill < N, `killed mid-stream (${atKill} of ${N} stored)`);

    const second = start();
    await consuming(second);
    await waitFor(`${N} rows`, () => rawCount(reader!) >= N || undefined, 120_000);
    await waitFor('queues drained and acked', () => {
      const rows = JSON.parse(rabbitmqctl('list_queues', '-p', broker.vhost, '--formatter', 'json', '-q', 'name', 'messages')) as {messages: number}[];
      return rows.every((r) => r.messages === 0) || undefined;
    });
    second.process.kill('SIGTERM');
    assert.deepEqual(await second.exited, {code: 0, signal: null});

    assert.equal(rawCount(reader), N, 'exactly N raw rows');
    assert.equal(reader.prepare<[], {n: number}>('SELECT count(*) AS n FROM stacky_quarantine').get()!.n, 0);
    // The clean stop prints the final counts; what the killed one stored but never acked came
    // back and was recognised as duplicates.
    const final = second.stderr().split('\n').find((l) => l.includes(`stopped: ${deployment}:`));
    assert.ok(final, second.stderr());
    const m = /(\d+) received .* (\d+) stored, (\d+) duplicates, 0 quarantined/.exec(final!)!;
    assert.equal(Number(m[2]), N - atKill, final);
    assert.equal(Number(m[1]), Number(m[2]) + Number(m[3]), final);
    ctx.diagnostic(`killed with ${atKill} of ${N} stored; after the restart: ${final!.replace(/^worker: stopped: /, '')}`);
  } finally {
    for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
    reader?.close();
    await broker.dispose();
    t.dispose();
  }
});

test('stacky serve --worker FILE consumes in the server process; the API serves what arrived', {skip, timeout: 120_000}, async () => {
  const broker = await testVhost();
  const t = tempDir();
  let child: Child | undefined;
  try {
    const deployment = `${broker.id}.serve`;
    const config = join(t.dir, 'stacktach_worker_config.json');
    writeFileSync(config, JSON.stringify(workerConfig(broker.vhost, [{name: deployment, topics: novaGlanceTopics(broker.id)}])));
    child = stacky(['serve', '--db', join(t.dir, 'stacky.db'), '--port', '0', '--worker', config]);
    const url = await listening(child);
    await waitFor('consuming', () => child!.stderr().includes(`${deployment}/nova: consuming`) || undefined, 30_000);

    const generator = new DemoGenerator({seed: 11, deployments: [deployment]});
    const envelopes = Array.from({length: 200}, () => generator.next());
    const p = await publisher(broker.url);
    for (const e of envelopes) p.publish(e.exchange, e.routing_key, e.body);
    await p.close();

    const instance = envelopes.map((e) => (e.body.payload as {instance_id?: string} | undefined)?.instance_id).find((x) => x);
    assert.ok(instance, 'the demo traffic names an instance');
    const deployments = await waitFor('the deployment listed', async () => {
      const rows = await (await fetch(`${url}/stacky/deployments/`)).json() as unknown[][];
      return rows.some((r) => r[1] === deployment) ? rows : undefined;
    });
    assert.ok(deployments.length >= 2);
    const rows = await waitFor('the instance\'s events', async () => {
      const r = await (await fetch(`${url}/stacky/uuid/?uuid=${instance}`)).json() as unknown[][];
      return r.length > 1 ? r : undefined;
    });
    assert.ok(rows.slice(1).every((r) => r[3] === deployment), JSON.stringify(rows));
    child.process.kill('SIGTERM');
    const exit = await child.exited;
    assert.equal(exit.code, 0, child.stderr());
  } finally {
    if (child && child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await broker.dispose();
    t.dispose();
  }
});
