// Stacky on PostgreSQL (issue #16), each figure next to its yardstick in the same run:
// 1. ingest through the whole pipeline (the path of `stacky ingest --db postgres://…`) next to
//    the peer's jsonb COPY (bench/peer.ts), rate and bytes a notification;
// 2. two `stacky worker` processes draining RabbitMQ into one database, next to one;
// 3. query latency over HTTP on the database ingested in 1.
// Creates and drops databases of its own (stacky_bench_<pid>, stacky_bench_<pid>_w) on the local
// PostgreSQL (127.0.0.1:5432, user postgres), and vhosts of its own on the local broker.
// STACKY_BENCH_VERBOSE=1 prints the worker processes' logs; STACKY_BENCH_STALL_MS (default 5000)
// is how long the committed count may stand still before draining counts as over.
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {loadavg} from 'node:os';
import {randomBytes} from 'node:crypto';
import pg from 'pg';
import {openStore, openWriter} from '../source/store/open.js';
import {ingestFile} from '../source/ingest/sources/jsonl/files.js';
import {startWorker} from '../source/ingest/sources/amqp/worker.js';
import {parseWorkerConfig} from '../source/ingest/sources/amqp/config.js';
import {writeCorpus} from '../source/demo/corpus.js';
import {createVhosts, deleteVhosts, publishCorpus, workerConfigJson} from './amqp.js';
import {peerRate} from './peer.js';
import {timeQueries} from './queries.js';
import {brokerCpu, fmt, line, PG_SERVER, pgUrl, processCpu, serverHelpers, verdict, withScratchDatabase} from './lib.js';

async function withClient<T>(database: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({...PG_SERVER, database});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The backends connected to `database` now, other than `client`'s own. */
async function backends(client: pg.Client, database: string): Promise<number[]> {
  const rows = (await client.query<{pid: number}>(
    'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database])).rows;
  return rows.map((r) => r.pid);
}

/** Bytes of every table of the database (indexes and TOAST with them; each partition counted), raw and derived. */
async function tableBytes(client: pg.Client): Promise<{raw: number; derived: number}> {
  const [row] = (await client.query<{raw: string; derived: string}>(`SELECT
      coalesce(sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relispartition), 0) AS raw,
      coalesce(sum(pg_total_relation_size(c.oid)) FILTER (WHERE NOT c.relispartition), 0) AS derived
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'`)).rows;
  return {raw: Number(row!.raw), derived: Number(row!.derived)};
}

/** Rows in the raw tables and the quarantine: what the workers have committed. */
async function committed(client: pg.Client): Promise<number> {
  const [row] = (await client.query<{n: string}>(`SELECT (SELECT count(*) FROM stacktach_rawdata)
    + (SELECT count(*) FROM stacktach_glancerawdata) + (SELECT count(*) FROM stacktach_genericrawdata)
    + (SELECT count(*) FROM stacky_quarantine) AS n`)).rows;
  return Number(row!.n);
}

interface PgIngest {
  rate: number;
  stored: number;
  raw: number;
  derived: number;
  /** µs of CPU a notification: this process (reader, preparing threads, writer) and the server. */
  client: number;
  server: number;
}

/** `stacky ingest --db postgres://…`'s path on the corpus into the fresh database `name`. */
async function pgIngest(corpus: string, name: string): Promise<PgIngest> {
  return withClient(name, async (client) => {
    const writer = await openWriter(pgUrl(name), {cacheMiB: 512});
    let result;
    let seconds;
    let clientUsed;
    let serverUsed;
    try {
      const helpers = serverHelpers();
      const helpersStart = helpers.reduce((sum, p) => sum + processCpu(p), 0);
      // The writer's connections were born with the database: all their CPU is this load's (and a migration's).
      const before = (await backends(client, name)).reduce((sum, p) => sum + processCpu(p), 0);
      const start = performance.now();
      const clientStart = process.cpuUsage();
      result = await ingestFile(corpus, writer, 'bench', {deployment: 'default', exchange: 'nova'});
      seconds = (performance.now() - start) / 1000;
      const used = process.cpuUsage(clientStart);
      clientUsed = used.user + used.system;
      serverUsed = (await backends(client, name)).reduce((sum, p) => sum + processCpu(p), 0) - before +
        helpers.reduce((sum, p) => sum + processCpu(p), 0) - helpersStart;
    } finally {
      await writer.close();
    }
    const bytes = await tableBytes(client);
    return {rate: result.stored / seconds, stored: result.stored, ...bytes, client: clientUsed / result.stored, server: serverUsed / result.stored};
  });
}

/** Runs `stacky worker` from source, as the CLI does. */
function spawnWorker(config: string, url: string): {child: ChildProcess; stderr: () => string} {
  const main = "import {main} from './source/cli.ts'; process.exitCode = await main(process.argv.slice(1));";
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', main, 'worker', '--config', config, '--db', url],
    {stdio: ['ignore', 'ignore', 'pipe']});
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => {
    err = (err + c).slice(-4000);
  });
  return {child, stderr: () => err};
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

interface Drain {
  rate: number;
  rows: number;
  seconds: number;
  /** Cores busy while draining: the worker processes, PostgreSQL, the broker. */
  workers: number;
  server: number;
  broker: number;
}

/**
 * `workers` worker processes drain the corpus from the broker into a fresh database. The rate is
 * counted from the first committed row to the last (process start-up is not the workers' rate);
 * draining is over once the count stops moving.
 */
async function drain(corpus: string, workers: number, dir: string): Promise<Drain> {
  const name = `stacky_bench_${process.pid}_w`;
  return withScratchDatabase(name, (database) => withClient(database, async (client) => {
    const url = pgUrl(database);
    await client.query("SET lock_timeout = '200ms'");
    const vhosts = createVhosts(randomBytes(3).toString('hex'));
    const children: {child: ChildProcess; stderr: () => string}[] = [];
    try {
      const raw = workerConfigJson(vhosts);
      const config = join(dir, 'worker.json');
      writeFileSync(config, JSON.stringify(raw), {mode: 0o600});
      // Declare the topology and create the schema: one worker run with nothing queued.
      const writer = await openWriter(url);
      const declarer = await startWorker(parseWorkerConfig(raw).config, writer, () => undefined, {progressMs: 0});
      await declarer.ready(30_000);
      await declarer.stop();
      await writer.close();
      const published = await publishCorpus(corpus, vhosts);

      for (let i = 0; i < workers; i++) children.push(spawnWorker(config, url));
      const cpuOf = () => ({
        workers: children.reduce((sum, c) => sum + processCpu(c.child.pid!), 0),
        broker: brokerCpu() * 1e6,
      });
      let first: {at: number; rows: number; cpu: ReturnType<typeof cpuOf>; server: number; helpers: number[]} | undefined;
      let last = {at: 0, rows: 0, cpu: cpuOf(), server: 0};
      const serverCpu = async (helpers: number[]) =>
        [...await backends(client, database), ...helpers].reduce((sum, p) => sum + processCpu(p), 0);
      for (;;) {
        await new Promise((r) => setTimeout(r, 100));
        for (const c of children) {
          if (c.child.exitCode !== null) throw new Error(`stacky worker exited with ${c.child.exitCode}: ${c.stderr()}`);
        }
        // A writer's first batch creates its partitions (CREATE TABLE … PARTITION OF, an exclusive
        // lock on the parent) inside its transaction: a count waiting on it would deadlock, so the
        // poll gives way (lock_timeout) and counts again next time.
        let rows: number;
        try {
          rows = await committed(client);
        } catch (error) {
          if (['55P03', '40P01'].includes((error as {code?: string}).code ?? '')) continue;
          throw error;
        }
        const at = performance.now();
        if (!first) {
          if (rows > 0) {
            const helpers = serverHelpers();
            first = {at, rows, cpu: cpuOf(), server: await serverCpu(helpers), helpers};
            last = {at, rows, cpu: first.cpu, server: first.server};
          }
          continue;
        }
        if (rows !== last.rows) last = {at, rows, cpu: cpuOf(), server: await serverCpu(first.helpers)};
        else if (rows >= published || at - last.at > Number(process.env.STACKY_BENCH_STALL_MS ?? 5000)) break;
      }
      const seconds = (last.at - first.at) / 1000;
      const n = last.rows - first.rows;
      return {rate: n / seconds, rows: last.rows, seconds, workers: (last.cpu.workers - first.cpu.workers) / 1e6 / seconds,
        server: (last.server - first.server) / 1e6 / seconds, broker: (last.cpu.broker - first.cpu.broker) / 1e6 / seconds};
    } finally {
      for (const c of children) await stop(c.child);
      if (process.env.STACKY_BENCH_VERBOSE) for (const c of children) process.stderr.write(`--- worker ${c.child.pid}\n${c.stderr()}\n`);
      deleteVhosts(vhosts);
    }
  }));
}

async function querySamples(client: pg.Client): Promise<{instances: string[]; requests: string[]; tenants: string[]; whens: number[]}> {
  const rows = (await client.query<{instance: string | null; request_id: string | null; tenant: string | null; when: string}>(
    'SELECT instance, request_id, tenant, "when" FROM stacktach_rawdata ORDER BY random() LIMIT 2000')).rows;
  const present = <T>(xs: (T | null)[]) => xs.filter((x): x is T => x !== null && x !== '');
  return {
    instances: present(rows.map((r) => r.instance)), requests: present(rows.map((r) => r.request_id)),
    tenants: present(rows.map((r) => r.tenant)), whens: rows.map((r) => Number(r.when)),
  };
}

/** 1 and 3: ingest next to the peer, alternating, best of two each; the last load stays for the queries. */
async function ingestAndQuery(corpus: string, name: string, quick: boolean): Promise<void> {
  let stacky: PgIngest | undefined;
  let peer = {rate: 0, bytes: 0, client: Infinity, server: Infinity};
  const load: number[] = [];
  const rounds = 2;
  for (let i = 0; i < rounds; i++) {
    await withScratchDatabase(name, async () => {
      const s = await pgIngest(corpus, name);
      if (!stacky || s.rate > stacky.rate) stacky = s;
      const p = await peerRate(corpus);
      if (p.rate > peer.rate) peer = {...peer, rate: p.rate, bytes: p.bytes};
      peer.client = Math.min(peer.client, p.client);
      peer.server = Math.min(peer.server, p.server);
      load.push(loadavg()[0]!);
      if (i < rounds - 1) return;

      const s1 = stacky!;
      const bytes = (s1.raw + s1.derived) / s1.stored;
      line('pg ingest, whole pipeline', `${fmt(s1.rate)}/s`, `the peer ${fmt(peer.rate)}/s`, verdict(s1.rate >= 1.5 * peer.rate));
      line('  (target)', '>= 1.5x the peer', `(${fmt(s1.rate / peer.rate, 2)}x; load average ${load.map((l) => fmt(l, 1)).join(', ')})`);
      line('  CPU per notification', `${fmt(s1.client + s1.server, 1)} µs`, `the peer ${fmt(peer.client + peer.server, 1)} µs`);
      line('    (stacky: loader, server)', `${fmt(s1.client, 1)}, ${fmt(s1.server, 1)} µs`,
        `(peer: loader ${fmt(peer.client, 1)}, server ${fmt(peer.server, 1)})`);
      line('pg bytes per notification', `${fmt(bytes)} B`, `the peer ${fmt(peer.bytes)} B`, verdict(bytes <= 0.5 * peer.bytes));
      line('  (target)', '<= half the peer', `(${fmt(bytes / peer.bytes, 2)}x; raw ${fmt(s1.raw / s1.stored)} B, ` +
        `derived ${fmt(s1.derived / s1.stored)} B)`);

      // 3. Queries on what was just loaded (before 2, which loads the cores with other work).
      process.stdout.write(`pg queries on ${fmt(s.stored)} notifications${quick ? ' (--quick: 100,000, not 1,000,000)' : ''}\n`);
      const store = await openStore(pgUrl(name), {readonly: true});
      try {
        await timeQueries(store, await withClient(name, querySamples), quick, 'pg query');
      } finally {
        await store.close();
      }
    });
  }
}

/** 2: two worker processes against one, each on a fresh database and freshly published queues. */
async function workers(quick: boolean, dir: string): Promise<void> {
  const workerCount = quick ? 50_000 : 200_000;
  const workerCorpus = join(dir, 'worker-corpus.jsonl');
  await writeCorpus(workerCorpus, workerCount, {seed: 1});
  const one = await drain(workerCorpus, 1, dir);
  const two = await drain(workerCorpus, 2, dir);
  const cores = (d: Drain) => `workers ${fmt(d.workers, 2)}, pg ${fmt(d.server, 2)}, broker ${fmt(d.broker, 2)} cores`;
  process.stdout.write(`pg workers: ${fmt(workerCount)} notifications published, then drained; ` +
    `one: ${fmt(one.rows)} rows in ${fmt(one.seconds, 1)} s, two: ${fmt(two.rows)} rows in ${fmt(two.seconds, 1)} s\n`);
  line('pg worker, one process', `${fmt(one.rate)}/s`, cores(one));
  line('pg workers, two processes', `${fmt(two.rate)}/s`, cores(two));
  line('  (two against one)', `${fmt(two.rate / one.rate, 2)}x`, '(no target; 2 cores shared)');
}

/** A part that fails says so in one line and lets the others run: the run's other figures still count. */
async function part(label: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    line(label, 'FAILED', (error as Error).message.split('\n')[0]!.slice(0, 120), verdict(false));
    process.stderr.write(`${label}: ${(error as Error).stack ?? String(error)}\n`);
  }
}

export async function benchPg(corpus: string, quick: boolean): Promise<void> {
  const name = `stacky_bench_${process.pid}`;
  const dir = join(process.env.STACKY_BENCH_DIR ?? '/tmp/stacky-bench', `pg-${process.pid}`);
  mkdirSync(dir, {recursive: true});
  try {
    await part('pg ingest and queries', () => ingestAndQuery(corpus, name, quick));
    await part('pg workers', () => workers(quick, dir));
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}
