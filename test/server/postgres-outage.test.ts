// Issue #16, faults: the built `stacky serve` on a PostgreSQL of the test's own that goes away
// after the server is up. The process stays, requests answer a 503 error table with Retry-After,
// /healthz says why, and once PostgreSQL is back (stopped and started, or restarted) it answers
// as before.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {bin, build} from '../commands/print-build.js';
import {ownServerSkip, startOwnServer} from '../store/postgres/own-server.js';
import {waitFor} from '../ingest/sources/amqp/helpers.js';

const skip = ownServerSkip();

const NOTIFICATION = JSON.stringify({message_id: '6c1e7f4a-0000-4000-8000-000000000001', event_type: 'compute.instance.update',
  publisher_id: 'compute.c-0001', timestamp: '2014-01-14 15:39:22.574829',
  payload: {instance_id: 'a9c0b3c2-1a2b-4c5d-8e9f-0a1b2c3d4e5f', state: 'active'}});
/** The error table, as the server writes it (Python's json.dumps spacing). */
const UNAVAILABLE = '[["Error", "Message"], ["Service Unavailable", "The database cannot answer now; retry shortly."]]';

test('stacky serve outlives PostgreSQL going away: 503 with Retry-After meanwhile, answers again once it is back', {skip, timeout: 60_000}, async () => {
  build();
  const pg = await startOwnServer();
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--db', pg.url], {stdio: ['ignore', 'pipe', 'pipe']});
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const base = await waitFor('listening', () => /^listening on (\S+)\n/.exec(stdout)?.[1]);
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`, {signal: AbortSignal.timeout(15_000)});
      return {status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text()};
    };
    const post = async () => {
      const res = await fetch(`${base}/ingest/?deployment=east&exchange=nova`, {method: 'POST', body: `${NOTIFICATION}\n`,
        signal: AbortSignal.timeout(15_000)});
      return {status: res.status, retryAfter: res.headers.get('retry-after'), body: JSON.parse(await res.text()) as unknown};
    };
    const deployments = {status: 200, retryAfter: null, body: '[["#", "Name"], [1, "east"]]'};
    const location = `stacky@127.0.0.1:${pg.port}/stacky`;
    const expectAway = async () => {
      assert.deepEqual(await get('/healthz'), {status: 503, retryAfter: null,
        body: `database: PostgreSQL at ${location}: connection refused (is it running?)\n`});
      for (const path of ['/stacky/deployments/', '/stacky/events/', '/stacky/uuid/?uuid=a9c0b3c2-1a2b-4c5d-8e9f-0a1b2c3d4e5f',
        '/stacky/kpi/', '/stacky/watch/0/']) {
        assert.deepEqual(await get(path), {status: 503, retryAfter: '5', body: UNAVAILABLE}, path);
      }
      const refused = await post();
      assert.equal(refused.status, 503);
      assert.equal(refused.retryAfter, '5');
      assert.deepEqual((refused.body as unknown[][])[0], ['Error', 'Message', 'Stored', 'Duplicates', 'Rejected']);
    };
    // postgres.js opens new connections per query: the first requests after the start may still race it.
    const answering = (what: string) => waitFor(what, async () => (await get('/stacky/deployments/')).status === 200);

    assert.deepEqual(await get('/stacky/deployments/'), {status: 200, retryAfter: null, body: '[["#", "Name"]]'});
    // Away before the first upload: the ingest thread's first connection fails, and is tried again later.
    pg.stop();
    await expectAway();
    pg.start();
    await answering('answering again');
    assert.deepEqual(await post(), {status: 200, retryAfter: null, body: {stored: 1, duplicates: 0, rejected: [], warnings: []}});
    assert.deepEqual(await get('/stacky/deployments/'), deployments);
    assert.deepEqual(await get('/healthz'), {status: 200, retryAfter: null, body: 'ok\n'});

    // Away again, every connection open by now.
    pg.stop();
    await expectAway();
    pg.start();
    await answering('answering once more');
    assert.deepEqual(await get('/stacky/deployments/'), deployments);
    assert.deepEqual(await post(), {status: 200, retryAfter: null, body: {stored: 0, duplicates: 1, rejected: [], warnings: []}});

    // A restart cuts the pooled connections under the server's feet.
    pg.restart();
    await answering('answering after a restart');
    assert.deepEqual(await get('/stacky/deployments/'), deployments);
    assert.deepEqual(await post(), {status: 200, retryAfter: null, body: {stored: 0, duplicates: 1, rejected: [], warnings: []}});

    assert.equal(child.exitCode, null, 'the server is still running');
    // One line says the database is away (more only every 10 s), no stack, no internal error, no password.
    assert.match(stderr, /stacky: the database cannot answer \(Error: connect ECONNREFUSED 127\.0\.0\.1:\d+\); answering 503 until it does\n/);
    assert.doesNotMatch(stderr, /internal error|Unhandled| {4}at /);
    assert.ok(!stderr.includes(pg.password) && !stdout.includes(pg.password), 'no password in the output');
  } catch (error) {
    process.stderr.write(`serve output:\n${stdout}${stderr}\n`);
    throw error;
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    pg.dispose();
  }
});
