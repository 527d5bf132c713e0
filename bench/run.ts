// npm run bench [-- --quick]: every performance goal, each figure next to its physical limit
// measured in the same run. Never part of the tests.
import {existsSync, mkdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {spawnSync} from 'node:child_process';
import {writeCorpus} from '../source/demo/corpus.js';
import {benchEnveloped, benchIngest} from './ingest.js';
import {benchCodec} from './codec.js';
import {benchPeer} from './peer.js';
import {benchPg} from './postgres.js';
import {benchQueries} from './queries.js';
import {benchHttp} from './http.js';
import {benchStartup} from './startup.js';
import {benchLive} from './live.js';
import {benchRetention} from './retention.js';
import {fmt, machine} from './lib.js';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const count = quick ? 100_000 : 1_000_000;
const dir = process.env.STACKY_BENCH_DIR ?? '/tmp/stacky-bench';
mkdirSync(dir, {recursive: true});
const want = (name: string) => !only || only.includes(name);

process.stdout.write(`stacky bench ${new Date().toISOString().slice(0, 10)} on ${machine()}; ` +
  `${fmt(count)} notifications${quick ? ' (--quick)' : ''}\n\n`);

const corpus = join(dir, `corpus-${count}.jsonl`);
if (!existsSync(corpus)) {
  const start = performance.now();
  await writeCorpus(corpus, count, {seed: 1});
  const s = (performance.now() - start) / 1000;
  process.stdout.write(`corpus: wrote ${fmt(count)} demo notifications (${fmt(statSync(corpus).size / 2 ** 20)} MiB) ` +
    `in ${fmt(s, 1)} s\n\n`);
}
const db = join(dir, `bench-${count}.db`);
// The SQLite database the read benchmarks use, loaded by the ingest part.
const readers = ['queries', 'http', 'startup', 'retention'];
if (want('ingest') || (readers.some(want) && !existsSync(db))) await benchIngest(corpus, db, count);
if (want('codec')) await benchCodec(corpus, quick);
if (want('peer')) await benchPeer(corpus, join(dir, `bench-${count}-peer.db`));
if (want('pg')) await benchPg(corpus, quick);
if (want('enveloped')) await benchEnveloped(corpus, join(dir, `bench-${count}-shapes.db`), quick ? 5 : 3);
if (want('queries')) await benchQueries(db, quick);
if (want('http')) await benchHttp(db, quick);
if (want('startup')) await benchStartup(db);
if (want('live')) await benchLive(quick);
if (want('retention')) await benchRetention(db);
for (const [name, script] of [['worker', 'bench/worker.ts'], ['console', 'bench/console.ts']] as const) {
  if (!want(name) || !existsSync(script)) continue;
  process.stdout.write('\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...(quick ? ['--quick'] : [])], {stdio: 'inherit'});
  if (r.status !== 0) process.stdout.write(`${name} bench exited with ${r.status}\n`);
}
