// Retention under load: prune the oldest 10% of the bench database while a writer ingests in
// batches (its own connection, as a separate worker would) and a reader queries over HTTP in
// the pruning process (as `serve --retain`). Prints the longest writer and reader stall.
// The writer thread loads the built dist/ (npm run build first).
import {copyFileSync, rmSync} from 'node:fs';
import {Agent, request} from 'node:http';
import type {AddressInfo} from 'node:net';
import {Worker} from 'node:worker_threads';
import {openStore} from '../source/store/store.js';
import {Pipeline} from '../source/ingest/pipeline.js';
import {createStackyServer} from '../source/server/app.js';
import {emptyCounts, pruneSteps} from '../source/store/retention.js';
import {fmt, line, percentile, verdict} from './lib.js';

const WRITER = `
const {parentPort, workerData} = require('node:worker_threads');
(async () => {
  const {openDatabase} = await import(workerData.root + '/dist/source/store/database.js');
  const {Pipeline} = await import(workerData.root + '/dist/source/ingest/pipeline.js');
  const {DemoGenerator} = await import(workerData.root + '/dist/source/demo/generator.js');
  const db = openDatabase(workerData.path);
  const pipeline = new Pipeline(db, {source: 'bench'});
  const gen = new DemoGenerator({seed: 99, startMicros: workerData.startMicros});
  let stop = false;
  parentPort.on('message', () => { stop = true; });
  const times = [];
  while (!stop) {
    const items = [];
    for (let i = 0; i < 200; i++) {
      const e = gen.next();
      items.push({deployment: e.deployment, exchange: e.exchange, routingKey: e.routing_key, body: e.body});
    }
    const t = performance.timeOrigin + performance.now();
    pipeline.ingest(items);
    times.push([t, performance.timeOrigin + performance.now() - t]);
    await new Promise((r) => setTimeout(r, 20));
  }
  db.close();
  parentPort.postMessage(times);
})();
`;

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

export async function benchRetention(benchDb: string): Promise<void> {
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
  const server = createStackyServer({store, pipeline: new Pipeline(store.db, {source: 'bench'}), cache: false});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const writer = new Worker(WRITER, {eval: true, workerData: {root: process.cwd(), path, startMicros: newest + 1},
  });
  const writes = new Promise<[number, number][]>((resolve, reject) => {
    writer.once('message', resolve);
    writer.once('error', reject);
  });
  writes.catch(() => undefined);

  let reading = true;
  const reads: [number, number][] = [];
  const reader = (async () => {
    let i = 0;
    while (reading) {
      const t = performance.timeOrigin + performance.now();
      reads.push([t, await get(port, `/stacky/uuid/?uuid=${ids[i++ % ids.length]}`)]);
    }
  })();

  // One second of load without pruning, for comparison.
  await new Promise((r) => setTimeout(r, 1500));
  process.stderr.write('pruning\n');
  const pruneStart = performance.timeOrigin + performance.now();
  const counts = emptyCounts();
  // The bench file was just ingested: act as if it were an hour later, so its keyframes may go.
  for (const step of pruneSteps(store.db, cutoff, counts, {nowMs: Date.now() + 3_600_000})) {
    step();
    await new Promise<void>((r) => setImmediate(r));
  }
  const pruneEnd = performance.timeOrigin + performance.now();
  reading = false;
  await reader;
  writer.postMessage('stop');
  const written = await writes;
  server.close();
  agent.destroy();
  store.close();
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, {force: true});

  const during = (xs: [number, number][]) => xs.filter(([t]) => t >= pruneStart && t <= pruneEnd).map(([, d]) => d).sort((a, b) => a - b);
  const before = (xs: [number, number][]) => xs.filter(([t]) => t < pruneStart).map(([, d]) => d).sort((a, b) => a - b);
  const w = during(written);
  const r = during(reads);
  const deleted = counts.raw + counts.glance + counts.generic;
  const seconds = (pruneEnd - pruneStart) / 1000;
  line('prune 10% under load', `${fmt(deleted)} raw rows`, `${fmt(seconds, 1)} s, ${fmt(deleted / seconds)}/s, ` +
    `${fmt(counts.batches)} transactions`);
  line('  (longest in)', counts.longestIn, '');
  line('  longest prune transaction', `${fmt(counts.longestMs, 1)} ms`, `target < 50 ms; ${counts.over50} took longer`,
    verdict(counts.longestMs < 50));
  line('  longest writer stall', `${fmt(w[w.length - 1] ?? NaN, 1)} ms`,
    `200-row batch; before the prune ${fmt(before(written).at(-1) ?? NaN, 1)} ms`, verdict((w.at(-1) ?? 0) < 50 + (before(written).at(-1) ?? 0)));
  line('  writer batch p50 / p99', `${fmt(percentile(w, 50), 1)} / ${fmt(percentile(w, 99), 1)} ms`, `${fmt(w.length)} batches`);
  line('  longest reader stall', `${fmt(r[r.length - 1] ?? NaN, 1)} ms`,
    `uuid query; before the prune ${fmt(before(reads).at(-1) ?? NaN, 1)} ms`, verdict((r.at(-1) ?? 0) < 50 + (before(reads).at(-1) ?? 0)));
  line('  reader p50 / p99', `${fmt(percentile(r, 50), 2)} / ${fmt(percentile(r, 99), 2)} ms`, `${fmt(r.length)} queries`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const db = process.argv.find((a) => a.startsWith('--db='))?.slice(5) ?? '/tmp/stacky-bench/bench-1000000.db';
  await benchRetention(db);
}
