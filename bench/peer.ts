// Ingest next to the peer a user would reach for instead: every notification as jsonb in one
// PostgreSQL table with expression indexes on Stacky's lookup paths, loaded with COPY. Runs on the
// local PostgreSQL (127.0.0.1:5432, user postgres); the bench creates and drops its own database.
import {createReadStream} from 'node:fs';
import {once} from 'node:events';
import {createInterface} from 'node:readline';
import {finished} from 'node:stream/promises';
import {loadavg} from 'node:os';
import pg from 'pg';
import {from as copyFrom} from 'pg-copy-streams';
import {dbBytes, pipelineRate, remove} from './ingest.js';
import {fmt, line, PG_SERVER, processCpu, serverHelpers, verdict, withScratchDatabase} from './lib.js';

// The same lookup paths Stacky indexes: instance, request id, time, event, tenant, publisher (host).
const SCHEMA = `
CREATE TABLE notifications (id bigserial PRIMARY KEY, deployment text NOT NULL, routing_key text NOT NULL, body jsonb NOT NULL);
CREATE INDEX ON notifications ((body->'payload'->>'instance_id'));
CREATE INDEX ON notifications ((body->>'_context_request_id'));
CREATE INDEX ON notifications ((body->>'timestamp'));
CREATE INDEX ON notifications ((body->>'event_type'));
CREATE INDEX ON notifications ((body->'payload'->>'tenant_id'));
CREATE INDEX ON notifications ((body->>'publisher_id'));
`;

// The corpus's lines are JSON.stringify of {deployment, exchange, routing_key, body}, in that order
// (source/demo/corpus.ts): the loader slices the body out instead of parsing it in
// JavaScript, so the peer's client costs next to nothing and PostgreSQL does the parsing.
const HEAD = /^\{"deployment":("(?:[^"\\]|\\.)*"),"exchange":"(?:[^"\\]|\\.)*","routing_key":("(?:[^"\\]|\\.)*"),"body":/;

/** A COPY text-format field: backslash is its escape character; JSON text has no raw tab or newline. */
const field = (text: string) => text.replaceAll('\\', '\\\\');

/** Rows/s of COPY of the whole corpus into a fresh table, and the table's bytes (indexes, TOAST) a row. */
export async function peerRate(corpus: string): Promise<{rate: number; bytes: number; rows: number; client: number; server: number}> {
  return withScratchDatabase(`stacky_bench_peer_${process.pid}`, async (name) => {
    const client = new pg.Client({...PG_SERVER, database: name});
    await client.connect();
    try {
      await client.query(SCHEMA);
      const [{pid}] = (await client.query<{pid: number}>('SELECT pg_backend_pid() AS pid')).rows as [{pid: number}];
      const server = [pid, ...serverHelpers()];
      const serverStart = server.reduce((sum, p) => sum + processCpu(p), 0);
      const start = performance.now();
      const clientStart = process.cpuUsage();
      const copy = client.query(copyFrom('COPY notifications (deployment, routing_key, body) FROM STDIN'));
      const lines = createInterface({input: createReadStream(corpus, {highWaterMark: 1 << 20}), crlfDelay: Infinity});
      let chunk = '';
      for await (const text of lines) {
        const m = HEAD.exec(text);
        if (!m) throw new Error('peer bench: a corpus line not as the demo writes it');
        chunk += `${field(JSON.parse(m[1]!) as string)}\t${field(JSON.parse(m[2]!) as string)}\t${field(text.slice(m[0].length, -1))}\n`;
        if (chunk.length >= 1 << 20) {
          if (!copy.write(chunk)) await once(copy, 'drain');
          chunk = '';
        }
      }
      copy.end(chunk);
      await finished(copy);
      const seconds = (performance.now() - start) / 1000;
      const clientUsed = process.cpuUsage(clientStart);
      const serverUsed = server.reduce((sum, p) => sum + processCpu(p), 0) - serverStart;
      const [{count, size}] = (await client.query<{count: string; size: string}>(
        "SELECT count(*) AS count, pg_total_relation_size('notifications') AS size FROM notifications")).rows as [{count: string; size: string}];
      const rows = Number(count);
      return {rate: rows / seconds, bytes: Number(size) / rows, rows,
        client: (clientUsed.user + clientUsed.system) / rows, server: serverUsed / rows};
    } finally {
      await client.end();
    }
  });
}

/**
 * Stacky's whole pipeline and the peer on the same corpus, alternating, best of two each. CPU a
 * notification is printed too: unlike the rates, it hardly moves when other work shares the cores.
 */
export async function benchPeer(corpus: string, dbPath: string): Promise<void> {
  let stacky = {rate: 0, bytes: 0, cpu: Infinity};
  let peer = {rate: 0, bytes: 0, client: Infinity, server: Infinity};
  const load: number[] = [];
  for (let i = 0; i < 2; i++) {
    const s = await pipelineRate(corpus, dbPath);
    if (s.rate > stacky.rate) stacky = {...stacky, rate: s.rate, bytes: dbBytes(dbPath) / s.stored};
    stacky.cpu = Math.min(stacky.cpu, s.cpu);
    remove(dbPath);
    const p = await peerRate(corpus);
    if (p.rate > peer.rate) peer = {...peer, rate: p.rate, bytes: p.bytes};
    peer.client = Math.min(peer.client, p.client);
    peer.server = Math.min(peer.server, p.server);
    load.push(loadavg()[0]!);
  }
  line('ingest next to PostgreSQL jsonb COPY', `${fmt(stacky.rate)}/s`, `the peer ${fmt(peer.rate)}/s`,
    verdict(stacky.rate >= 1.5 * peer.rate));
  line('  (target)', '>= 1.5x the peer', `(${fmt(stacky.rate / peer.rate, 2)}x; load average ${load.map((l) => fmt(l, 1)).join(', ')})`);
  line('  CPU per notification', `${fmt(stacky.cpu, 1)} µs`, `the peer ${fmt(peer.client + peer.server, 1)} µs ` +
    `(server ${fmt(peer.server, 1)}, loader ${fmt(peer.client, 1)})`);
  line('bytes per notification, same runs', `${fmt(stacky.bytes)} B`, `the peer ${fmt(peer.bytes)} B`, verdict(stacky.bytes <= 900));
  line('  (target)', '<= 900 B', '(peer: pg_total_relation_size / rows)');
}
