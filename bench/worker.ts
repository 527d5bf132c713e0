// The RabbitMQ worker's consume-and-store rate next to the pipeline's own rate from a file, same
// notifications, same run. Run by hand (or from bench/run.ts); needs the local broker and
// rabbitmqctl. Each demo deployment gets its own vhost, as each region has its own broker.
//   node --import tsx bench/worker.ts [--quick] [--count N] [--prefetch N] [--batch N]
import {mkdirSync, rmSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {randomBytes} from 'node:crypto';
import {cpus} from 'node:os';
import {openDatabase} from '../source/store/sqlite/database.js';
import {SqliteWriter} from '../source/store/sqlite/writer.js';
import {writeCorpus} from '../source/demo/corpus.js';
import {ingestFile} from '../source/ingest/sources/jsonl/files.js';
import {parseWorkerConfig} from '../source/ingest/sources/amqp/config.js';
import {startWorker} from '../source/ingest/sources/amqp/worker.js';
import {DEFAULT_DEPLOYMENTS} from '../source/demo/types.js';
import {createVhosts, deleteVhosts, publishCorpus, workerConfigJson} from './amqp.js';
import {brokerCpu, fmt, line, machine, verdict} from './lib.js';

const args = process.argv.slice(2);
const flag = (name: string): number | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};
const quick = args.includes('--quick');
const count = flag('count') ?? (quick ? 50_000 : 200_000);
const dir = join(process.env.STACKY_BENCH_DIR ?? '/tmp/stacky-bench', `worker-${randomBytes(3).toString('hex')}`);
mkdirSync(dir, {recursive: true});

/** CPU seconds of this process (every thread) and of the broker between two calls. */
function cpuMeter(): () => {own: number; broker: number} {
  const own = process.cpuUsage();
  const broker = brokerCpu();
  return () => {
    const d = process.cpuUsage(own);
    return {own: (d.user + d.system) / 1e6, broker: brokerCpu() - broker};
  };
}

function removeDb(path: string): void {
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, {force: true});
}

const id = randomBytes(3).toString('hex');
const workerOptions = {prefetch: flag('prefetch'), batchSize: flag('batch'), progressMs: 0};
const quiet = () => undefined;

async function main(): Promise<void> {
  process.stdout.write(`stacky worker bench on ${machine()}; ${fmt(count)} notifications, ` +
    `${DEFAULT_DEPLOYMENTS.length} deployments (one vhost each), nova + glance\n`);
  const vhosts = createVhosts(id);
  const config = parseWorkerConfig(workerConfigJson(vhosts)).config;
  try {
    const corpus = join(dir, 'corpus.jsonl');
    await writeCorpus(corpus, count, {seed: 1});
    const mib = statSync(corpus).size / 2 ** 20;

    // 1. The pipeline's own rate: the same notifications from a JSON Lines file.
    const fileDb = join(dir, 'file.db');
    removeDb(fileDb);
    let db = openDatabase(fileDb);
    let cpu = cpuMeter();
    let start = performance.now();
    const fileResult = await ingestFile(corpus, new SqliteWriter(db), 'bench', {deployment: 'default', exchange: 'nova'});
    db.pragma('wal_checkpoint(TRUNCATE)');
    const fileSeconds = (performance.now() - start) / 1000;
    const fileCpu = cpu();
    db.close();
    removeDb(fileDb);
    const fileRate = (fileResult.stored + fileResult.duplicates + fileResult.rejected.length) / fileSeconds;

    // 2. Declare the topology (a worker run with nothing queued), then publish everything.
    const declareDb = join(dir, 'declare.db');
    db = openDatabase(declareDb);
    const declarer = await startWorker(config, new SqliteWriter(db), quiet, workerOptions);
    await declarer.ready(30_000);
    await declarer.stop();
    db.close();
    removeDb(declareDb);

    start = performance.now();
    await publishCorpus(corpus, vhosts);
    const publishSeconds = (performance.now() - start) / 1000;

    // 3. The worker drains the queues into a fresh database: consume, store, ack.
    const workerDb = join(dir, 'worker.db');
    removeDb(workerDb);
    db = openDatabase(workerDb, {cacheMiB: 512}); // as `stacky worker` opens it
    cpu = cpuMeter();
    start = performance.now();
    const worker = await startWorker(config, new SqliteWriter(db), (l) => process.stderr.write(`${l}\n`), workerOptions);
    const received = () => [...worker.stats().values()].reduce((n, s) => n + s.received, 0);
    while (received() < count) await new Promise((r) => setTimeout(r, 5));
    db.pragma('wal_checkpoint(TRUNCATE)');
    const workerSeconds = (performance.now() - start) / 1000;
    const workerCpu = cpu();
    await worker.stop();
    const stats = [...worker.stats().values()].reduce((a, s) => ({stored: a.stored + s.stored, dup: a.dup + s.duplicates, q: a.q + s.quarantined}), {stored: 0, dup: 0, q: 0});
    db.close();
    removeDb(workerDb);
    const workerRate = count / workerSeconds;

    process.stdout.write(`corpus ${fmt(mib)} MiB; published to the broker at ${fmt(count / publishSeconds)}/s (confirmed)\n`);
    process.stdout.write(`file: ${fmt(fileResult.stored)} stored, ${fmt(fileResult.rejected.length)} rejected in ${fmt(fileSeconds, 1)} s; ` +
      `worker: ${fmt(stats.stored)} stored, ${fmt(stats.q)} quarantined, ${fmt(stats.dup)} duplicates in ${fmt(workerSeconds, 1)} s\n`);
    const cores = (c: {own: number; broker: number}, s: number) =>
      `stacky ${fmt(c.own / s, 2)} cores, broker ${fmt(c.broker / s, 2)}`;
    process.stdout.write(`cpu: file ${cores(fileCpu, fileSeconds)}; worker ${cores(workerCpu, workerSeconds)} (of ${cpus().length})\n`);
    line('worker, consume-and-store', `${fmt(workerRate)}/s`, `pipeline from a file ${fmt(fileRate)}/s`,
      verdict(workerRate >= 10_000 && workerRate >= 0.8 * fileRate));
    line('  (target)', '>= 10,000/s', `and >= 80% of the file rate (${fmt((workerRate / fileRate) * 100)}%)`);
  } finally {
    deleteVhosts(vhosts);
    rmSync(dir, {recursive: true, force: true});
  }
}

await main();
