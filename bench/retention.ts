// Retention under load: prune the oldest 10% of the bench database while a writer ingests
// 200-notification batches and a reader queries, each where it runs in production:
// - the pass on a thread of its own with its own connection, as `--retain` runs it
//   (source/commands/retention-thread.ts), through the same paced pass (prunePaced);
// - the writer on another thread with its own connection, as a worker or POST /ingest/ writes;
// - the reader over HTTP to a server on the main thread, as `serve` answers.
// The writer prepares a batch (parse, compress) first, then takes the write lock the way every
// writer does (beginImmediate, source/store/sqlite/write-lock.ts) before the pipeline stores the
// batch (as a savepoint), so the time it waited for someone else's write lock is measured apart
// from the batch's own work. Stalls before the prune (same load, same length of time) are printed
// beside, as the machine's own noise. Threads load the built dist/ (npm run build first).
import {copyFileSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {Agent, request} from 'node:http';
import type {AddressInfo} from 'node:net';
import {Worker} from 'node:worker_threads';
import {openSqliteStore as openStore} from '../source/store/sqlite/store.js';
import {Pipeline} from '../source/ingest/pipeline.js';

import {createStackyServer} from '../source/server/app.js';
import type {BatchTiming, CheckpointTiming, PruneCounts} from '../source/store/sqlite/retention.js';
import {fmt, line, percentile, verdict} from './lib.js';

const LIMIT_MS = 50;

/** [began (ms since the epoch), waited for the lock, whole batch, its commit ran a checkpoint, WAL frames after it]. */
type Write = [number, number, number, boolean, number];

const WRITER = `
const {parentPort, workerData} = require('node:worker_threads');
const {openSync, readSync} = require('node:fs');
(async () => {
  const {openDatabase} = await import(workerData.root + '/dist/source/store/sqlite/database.js');
  const {Pipeline} = await import(workerData.root + '/dist/source/ingest/pipeline.js');
  const {SqliteWriter} = await import(workerData.root + '/dist/source/store/sqlite/writer.js');
  const {DemoGenerator} = await import(workerData.root + '/dist/source/demo/generator.js');
  const {Preparer} = await import(workerData.root + '/dist/source/ingest/prepare.js');
  const {beginImmediate} = await import(workerData.root + '/dist/source/store/sqlite/write-lock.js');
  const db = openDatabase(workerData.path);
  const pipeline = new Pipeline(new SqliteWriter(db), {source: 'bench'});
  const gen = new DemoGenerator({seed: 99, startMicros: workerData.startMicros});
  // Parsed and compressed before the lock is taken, as the worker's preparing threads do.
  const preparer = new Preparer();
  // The WAL index header's frame count (mxFrame): a commit that leaves it at or past
  // wal_autocheckpoint runs a checkpoint itself, on this thread, before it returns.
  const shm = openSync(workerData.path + '-shm', 'r');
  const word = Buffer.alloc(4);
  const frames = () => (readSync(shm, word, 0, 4, 16), word.readUInt32LE(0));
  const threshold = db.pragma('wal_autocheckpoint', {simple: true});
  let stop = false;
  parentPort.on('message', () => { stop = true; });
  const times = [];
  while (!stop) {
    const items = [];
    for (let i = 0; i < 200; i++) {
      const e = gen.next();
      items.push({deployment: e.deployment, exchange: e.exchange, routingKey: e.routing_key, body: e.body});
    }
    const rows = items.map((item) => preparer.prepare(item));
    const t = performance.now();
    beginImmediate(db);
    const locked = performance.now();
    await pipeline.store(rows);
    db.exec('COMMIT');
    const end = performance.now();
    const walFrames = frames();
    times.push([performance.timeOrigin + t, locked - t, end - t, walFrames >= threshold, walFrames]);
    await new Promise((r) => setTimeout(r, 20));
  }
  db.close();
  parentPort.postMessage(times);
})();
`;

// This thread's time on a core and waiting for one (Linux's schedstat), for the timeline.
const THREAD_TIMES = `
const threadTimes = () => {
  const [cpu, queued] = require('node:fs').readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
  return {cpuMs: cpu / 1e6, queuedMs: queued / 1e6};
};
`;

// The pass as the retention thread runs it (its own connection as SqlitePruner opens it), with
// every transaction's and checkpoint's timing kept.
const PRUNER = `
const {parentPort, workerData} = require('node:worker_threads');
${THREAD_TIMES}
(async () => {
  const {openPrunerDatabase} = await import(workerData.root + '/dist/source/store/sqlite/pruner.js');
  const {emptyCounts, prunePaced} = await import(workerData.root + '/dist/source/store/sqlite/retention.js');
  const db = openPrunerDatabase(workerData.path);
  const batches = [];
  const checkpoints = [];
  const start = performance.timeOrigin + performance.now();
  const counts = await prunePaced(db, workerData.cutoff, emptyCounts(), {nowMs: workerData.nowMs,
    onBatch: (b) => batches.push(b), onCheckpoint: (c) => checkpoints.push(c), threadTimes: workerData.timeline ? threadTimes : undefined});
  const end = performance.timeOrigin + performance.now();
  db.close();
  parentPort.postMessage({counts, batches, checkpoints, start, end});
})();
`;

/** The calling thread's times, as THREAD_TIMES reads them (Linux). */
function threadTimes(): {cpuMs: number; queuedMs: number} {
  const [cpu, queued] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
  return {cpuMs: cpu! / 1e6, queuedMs: queued! / 1e6};
}

const agent = new Agent({keepAlive: true, maxSockets: 1});

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    request({host: '127.0.0.1', port, path, agent}, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - start));
    }).on('error', reject).end();
  });
}

function thread<T>(code: string, workerData: Record<string, unknown>): {worker: Worker; result: Promise<T>} {
  const worker = new Worker(code, {eval: true, workerData: {root: process.cwd(), ...workerData}});
  const result = new Promise<T>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  result.catch(() => undefined);
  return {worker, result};
}

const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
const max = (xs: number[]) => (xs.length ? xs.reduce((m, x) => Math.max(m, x), -Infinity) : NaN);

/** `--timeline=FILE` keeps every write, read, prune transaction and checkpoint with its time, as JSON. */
export async function benchRetention(benchDb: string): Promise<void> {
  const timeline = process.argv.find((a) => a.startsWith('--timeline='))?.slice('--timeline='.length);
  const path = `${benchDb}.retention`;
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, {force: true});
  copyFileSync(benchDb, path);
  const store = openStore(path);
  const total = store.db.prepare('SELECT count(*) FROM stacktach_rawdata').pluck().get() as number;
  const cutoff = store.db.prepare('SELECT "when" FROM stacktach_rawdata ORDER BY "when" LIMIT 1 OFFSET ?')
    .pluck().get(Math.floor(total / 10)) as number;
  const newest = store.db.prepare('SELECT max("when") FROM stacktach_rawdata').pluck().get() as number;
  const ids = store.db.prepare('SELECT instance FROM stacktach_rawdata WHERE instance IS NOT NULL AND "when" >= ? LIMIT 2000')
    .pluck().all(cutoff) as string[];
  const vacuum = store.db.pragma('auto_vacuum', {simple: true}) as number;
  const pagesBefore = store.db.pragma('page_count', {simple: true}) as number;
  const server = createStackyServer({store, pipeline: new Pipeline(store.writer(), {source: 'bench'}), cache: false});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const writer = thread<Write[]>(WRITER, {path, startMicros: newest + 1});

  let reading = true;
  // [began (ms since the epoch), took; with --timeline, of that the main thread's time on a core and waiting for one].
  const reads: [number, number, ...number[]][] = [];
  const times = timeline ? threadTimes : undefined;
  const reader = (async () => {
    let i = 0;
    while (reading) {
      const t = performance.timeOrigin + performance.now();
      const before = times?.();
      const took = await get(port, `/stacky/uuid/?uuid=${ids[i++ % ids.length]}`);
      const after = times?.();
      reads.push(before && after ? [t, took, after.cpuMs - before.cpuMs, after.queuedMs - before.queuedMs] : [t, took]);
    }
  })();

  // Load without pruning first, as long as the prune will take (at least 3 s), for comparison.
  const loadStart = performance.timeOrigin + performance.now();
  await new Promise((r) => setTimeout(r, 3000));
  process.stderr.write('pruning\n');
  // The bench file was just ingested: act as if it were an hour later, so its keyframes may go.
  const pruner = thread<{counts: PruneCounts; batches: BatchTiming[]; checkpoints: CheckpointTiming[]; start: number; end: number}>(PRUNER,
    {path, cutoff, nowMs: Date.now() + 3_600_000, timeline: timeline !== undefined});
  const pruned = await pruner.result;
  const baselineFrom = Math.max(loadStart + 1000, pruned.start - (pruned.end - pruned.start));
  reading = false;
  await reader;
  writer.worker.postMessage('stop');
  const written = await writer.result;
  await writer.worker.terminate();
  server.close();
  agent.destroy();
  const pagesAfter = store.db.pragma('page_count', {simple: true}) as number;
  const freeAfter = store.db.pragma('freelist_count', {simple: true}) as number;
  store.close();
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, {force: true});

  const {counts, batches, checkpoints, start, end} = pruned;
  // Every write, read, prune transaction and checkpoint with its time, to find what a stall overlapped.
  if (timeline) writeFileSync(timeline, JSON.stringify({start, end, written, reads, batches, checkpoints}));
  const during = <T extends [number, ...unknown[]]>(xs: T[]) => xs.filter(([t]) => t >= start && t <= end);
  const before = <T extends [number, ...unknown[]]>(xs: T[]) => xs.filter(([t]) => t >= baselineFrom && t < start);
  const waits = (xs: Write[]) => sorted(xs.map((w) => w[1]));
  const whole = (xs: Write[]) => sorted(xs.map((w) => w[2]));
  const took = (xs: [number, number, ...number[]][]) => sorted(xs.map(([, d]) => d));
  const w = during(written);
  const r = took(during(reads));
  const held = sorted(batches.map((b) => b.heldMs));
  const deleted = counts.raw + counts.glance + counts.generic;
  const seconds = (end - start) / 1000;
  line('prune 10% under load', `${fmt(deleted)} raw rows`, `${fmt(seconds, 1)} s, ${fmt(deleted / seconds)}/s; ` +
    `${fmt(counts.derived)} derived`);
  line('  prune transactions', fmt(counts.batches), `hold p50 ${fmt(percentile(held, 50), 1)} ms, p99 ${fmt(percentile(held, 99), 1)} ms`);
  line('  longest held write lock', `${fmt(counts.longestMs, 1)} ms`, `< ${LIMIT_MS} ms; in ${counts.longestIn}, ` +
    `${counts.over50} over`, verdict(counts.longestMs < LIMIT_MS));
  const passive = checkpoints.filter((c) => c.mode === 'PASSIVE');
  const restarts = checkpoints.filter((c) => c.mode === 'RESTART');
  line('  checkpoints (own thread)', `${fmt(passive.length)} + ${fmt(restarts.length)}`,
    `PASSIVE longest ${fmt(max(passive.map((c) => c.ms)), 1)} ms, no lock held; RESTART longest ` +
    `${fmt(max(restarts.map((c) => c.ms)), 1)} ms, ${fmt(restarts.filter((c) => c.done).length)} found no reader left in the WAL`);
  line('  longest writer stall (lock wait)', `${fmt(max(waits(w)), 1)} ms`,
    `< ${LIMIT_MS} ms; before the prune ${fmt(max(waits(before(written))), 1)} ms`, verdict(max(waits(w)) < LIMIT_MS));
  line('  writer batch, longest / p50', `${fmt(max(whole(w)), 1)} / ${fmt(percentile(whole(w), 50), 1)} ms`,
    `before ${fmt(max(whole(before(written))), 1)} / ${fmt(percentile(whole(before(written)), 50), 1)} ms; ${fmt(w.length)} batches`);
  const ckpt = w.filter((x) => x[3]);
  line('  writer commits with a checkpoint', fmt(ckpt.length), `${ckpt.length ? `longest batch ${fmt(max(whole(ckpt)), 1)} ms; ` : ''}` +
    `WAL at most ${fmt(max(w.map((x) => x[4])))} pages`);
  line('  longest reader stall (uuid query)', `${fmt(max(r), 1)} ms`,
    `< ${LIMIT_MS} ms; before the prune ${fmt(max(took(before(reads))), 1)} ms`, verdict(max(r) < LIMIT_MS));
  line('  reader p50 / p99', `${fmt(percentile(r, 50), 2)} / ${fmt(percentile(r, 99), 2)} ms`, `${fmt(r.length)} queries`);
  line('  file pages (16 KiB)', `${fmt(pagesBefore)} → ${fmt(pagesAfter)}`, `${fmt(freeAfter)} free for reuse; auto_vacuum ${vacuum}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const db = process.argv.find((a) => a.startsWith('--db='))?.slice(5) ?? '/tmp/stacky-bench/bench-1000000.db';
  await benchRetention(db);
}
