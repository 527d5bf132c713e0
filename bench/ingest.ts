// Ingest throughput: the whole pipeline vs bare inserts of the same raw rows, and bytes on disk.
import {createReadStream, createWriteStream, existsSync, renameSync, statSync, rmSync} from 'node:fs';
import {once} from 'node:events';
import {createInterface} from 'node:readline';
import Database from 'better-sqlite3';
import {openDatabase} from '../source/store/sqlite/database.js';
import {SqliteWriter} from '../source/store/sqlite/writer.js';
import {ingestFile} from '../source/ingest/sources/jsonl/files.js';
import {fmt, line, verdict} from './lib.js';

export function dbBytes(path: string): number {
  let total = 0;
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      total += statSync(path + suffix).size;
    } catch {
      // absent
    }
  }
  return total;
}

export function remove(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, {force: true});
}

/** The physical limit: raw JSON lines into a bare table, one prepared statement, batched. */
async function bareInsert(corpus: string, path: string): Promise<number> {
  remove(path);
  const db = new Database(path);
  db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -524288');
  db.exec('CREATE TABLE raw (id INTEGER PRIMARY KEY, json TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO raw (json) VALUES (?)');
  const many = db.transaction((rows: string[]) => {
    for (const r of rows) insert.run(r);
  });
  const start = performance.now();
  let batch: string[] = [];
  let n = 0;
  for await (const text of createInterface({input: createReadStream(corpus, {highWaterMark: 1 << 20}), crlfDelay: Infinity})) {
    batch.push(text);
    n++;
    if (batch.length >= 5000) {
      many(batch);
      batch = [];
    }
  }
  many(batch);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const seconds = (performance.now() - start) / 1000;
  db.close();
  remove(path);
  return n / seconds;
}

/** The pipeline's rate (and µs of CPU a notification) on one corpus into a fresh database, as `stacky ingest` opens it. */
export async function pipelineRate(corpus: string, dbPath: string): Promise<{rate: number; stored: number; cpu: number}> {
  remove(dbPath);
  const db = openDatabase(dbPath, {cacheMiB: 512});
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const result = await ingestFile(corpus, new SqliteWriter(db), 'bench', {deployment: 'default', exchange: 'nova'});
  db.pragma('wal_checkpoint(TRUNCATE)');
  const seconds = (performance.now() - start) / 1000;
  // Every thread of this process: the writer and the preparing workers.
  const used = process.cpuUsage(cpuStart);
  db.close();
  return {rate: result.stored / seconds, stored: result.stored, cpu: (used.user + used.system) / result.stored};
}

/** The same corpus with every body in oslo.messaging's 2.0 envelope, as the messagingv2 driver sends it. */
async function envelopedCorpus(corpus: string): Promise<string> {
  const path = corpus.replace(/\.jsonl$/, '-enveloped.jsonl');
  if (existsSync(path)) return path;
  const out = createWriteStream(`${path}.tmp`, {highWaterMark: 1 << 20});
  for await (const text of createInterface({input: createReadStream(corpus, {highWaterMark: 1 << 20}), crlfDelay: Infinity})) {
    const line = JSON.parse(text) as {body: unknown};
    line.body = {'oslo.version': '2.0', 'oslo.message': JSON.stringify(line.body)};
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(`${path}.tmp`, path);
  return path;
}

/** Enveloped notifications cost one more JSON.parse of the envelope: within 10% of the flat rate. */
export async function benchEnveloped(corpus: string, dbPath: string, rounds: number): Promise<void> {
  const enveloped = await envelopedCorpus(corpus);
  // Alternate flat and enveloped runs so that both see the same machine state; the best of each.
  // A single pair moves by ±10% here (checkpoints, collections, a cold page cache), so several.
  const flat = [];
  const wrapped = [];
  for (let i = 0; i < rounds; i++) {
    flat.push((await pipelineRate(corpus, `${dbPath}.flat`)).rate);
    wrapped.push((await pipelineRate(enveloped, `${dbPath}.enveloped`)).rate);
  }
  remove(`${dbPath}.flat`);
  remove(`${dbPath}.enveloped`);
  const f = Math.max(...flat);
  const e = Math.max(...wrapped);
  line('ingest, messagingv2 envelopes', `${fmt(e)}/s`, `the same notifications flat ${fmt(f)}/s`, verdict(e >= 0.9 * f));
  line('  (target)', '>= 90% of flat', `(${fmt((e / f) * 100, 1)}%)`);
}

export async function benchIngest(corpus: string, dbPath: string, count: number): Promise<void> {
  const rawBytes = statSync(corpus).size / count;
  const bare = await bareInsert(corpus, `${dbPath}.bare`);
  const {rate, stored} = await pipelineRate(corpus, dbPath);
  const perRow = dbBytes(dbPath) / stored;
  line('ingest, whole pipeline', `${fmt(rate)}/s`, `bare insert of raw rows ${fmt(bare)}/s`,
    verdict(rate >= 10_000 && rate >= bare));
  line('  (target)', '>= 10,000/s', 'and >= the bare-insert rate');
  line('bytes on disk per notification', `${fmt(perRow)} B`, `raw JSON ${fmt(rawBytes)} B/notification`,
    verdict(perRow <= 1000));
  line('  (target)', '<= 1,000 B', `(${fmt((perRow / rawBytes) * 100, 1)}% of the raw JSON)`);
}
