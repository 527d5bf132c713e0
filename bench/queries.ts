// Query latency, warm, on the benchmark database: sequential requests over one keep-alive connection.
import {Agent, request} from 'node:http';
import type {AddressInfo} from 'node:net';
import {openSqliteStore as openStore} from '../source/store/sqlite/store.js';
import {Pipeline} from '../source/ingest/pipeline.js';
import type {Store} from '../source/store/api.js';
import {createStackyServer} from '../source/server/app.js';
import {fmt, line, percentile, verdict} from './lib.js';

const agent = new Agent({keepAlive: true, maxSockets: 1});

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    request({host: '127.0.0.1', port, path, agent}, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${path}: HTTP ${res.statusCode}`));
        else resolve(Number(process.hrtime.bigint() - start) / 1e6);
      });
    }).on('error', reject).end();
  });
}

function pick<T>(xs: T[]): T {
  return xs[Math.floor(Math.random() * xs.length)]!;
}

/** Values that occur in the database, to ask about. */
export interface QuerySamples {
  instances: string[];
  requests: string[];
  tenants: string[];
  /** Notification times, µs. */
  whens: number[];
}

export async function benchQueries(dbPath: string, quick: boolean): Promise<void> {
  const store = openStore(dbPath);
  const sample = (sql: string) => (store.db.prepare(sql).pluck().all() as (string | number)[]).filter((v) => v !== null && v !== '');
  const maxId = store.db.prepare('SELECT max(id) FROM stacktach_rawdata').pluck().get() as number;
  const ids = Array.from({length: 2000}, () => 1 + Math.floor(Math.random() * maxId)).join(',');
  await timeQueries(store, {
    instances: sample(`SELECT instance FROM stacktach_rawdata WHERE id IN (${ids})`) as string[],
    requests: sample(`SELECT request_id FROM stacktach_rawdata WHERE id IN (${ids})`) as string[],
    tenants: sample(`SELECT tenant FROM stacktach_rawdata WHERE id IN (${ids})`) as string[],
    whens: sample(`SELECT "when" FROM stacktach_rawdata WHERE id IN (${ids})`) as number[],
  }, quick);
  await store.close();
}

/**
 * p50 and p99 of each API query over HTTP against the in-process server on `store` (any engine),
 * one line each with its target; `label` goes before each line's name.
 */
export async function timeQueries(store: Store, samples: QuerySamples, quick: boolean, label = 'query'): Promise<void> {
  const {instances, requests, tenants, whens} = samples;
  let now = 0;
  // No response cache here: these figures are the cost of building each answer.
  const server = createStackyServer({store, pipeline: new Pipeline(store.writer(), {source: 'bench'}), now: () => now, cache: false});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  const cases: [string, number, () => string][] = [
    ['uuid', 10, () => `/stacky/uuid/?uuid=${pick(instances)}`],
    ['request', 10, () => `/stacky/request/?request_id=${pick(requests)}`],
    ['watch (2 s tail)', 10, () => {
      const t = pick(whens);
      now = t + 1_000_000;
      return `/stacky/watch/0/?since=${(t - 1_000_000) / 1e6}`;
    }],
    ['timings/uuid', 10, () => `/stacky/timings/uuid/?uuid=${pick(instances)}`],
    ['search (tenant)', 100, () => `/stacky/search/?field=tenant&value=${pick(tenants)}`],
    ['summary', 100, () => '/stacky/summary/'],
  ];
  const warm = quick ? 100 : 300;
  const runs = quick ? 400 : 1000;
  for (const [name, targetMs, path] of cases) {
    for (let i = 0; i < warm; i++) await get(port, path());
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await get(port, path()));
    times.sort((a, b) => a - b);
    const p99 = percentile(times, 99);
    line(`${label} ${name}`, `p50 ${fmt(percentile(times, 50), 2)} ms`, `p99 ${fmt(p99, 2)} ms (target < ${targetMs} ms)`,
      verdict(p99 < targetMs));
  }
  await new Promise<void>((r) => server.close(() => r()));
  agent.destroy();
}
