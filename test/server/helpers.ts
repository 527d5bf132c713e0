// Test helpers for the stacky server: a real server on a temporary SQLite file or PostgreSQL database, plain HTTP
// requests that keep the raw bytes, and a fixture builder turning compact descriptions into
// OpenStack notification bodies.
import {after, before} from 'node:test';
import {mkdtempSync, rmSync} from 'node:fs';
import {request, type IncomingHttpHeaders, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import postgres from 'postgres';
import {openSqliteStore, SqliteStore} from '../../source/store/sqlite/store.js';
import {openStore} from '../../source/store/open.js';
import type {Store} from '../../source/store/api.js';
import {createTestDatabase} from '../store/postgres/test-database.js';
import {Pipeline} from '../../source/ingest/pipeline.js';

import {createStackyServer} from '../../source/server/app.js';
import type {IngestItem, IngestResult} from '../../source/ingest/item.js';
import type {Micros} from '../../source/core/types.js';
import type {ServerLimits} from '../../source/server/limits.js';

export const INSTANCE_ID_1 = '2222bbbb-6352-4dbc-8271-96cc54bf14cd';
export const INSTANCE_ID_2 = '3333cccc-41d3-b86d-5467-e584edc61dab';
export const REQUEST_ID_1 = 'req-8888bbbb-9e47-4b27-a95e-27996cc40c06';
export const REQUEST_ID_2 = 'req-9999cccc-9e47-4b27-a95e-27996cc40c06';

export const SECOND = 1_000_000;

/** Epoch microseconds of a UTC wall-clock time `YYYY-MM-DD HH:MM:SS[.ffffff]`. */
export function micros(text: string): Micros {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) throw new Error(`bad test time ${text}`);
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return ms * 1000 + Number((m[7] ?? '').padEnd(6, '0'));
}

/** A notification timestamp `YYYY-MM-DD HH:MM:SS.ffffff` for epoch microseconds. */
export function stamp(us: Micros): string {
  const secs = Math.floor(us / SECOND);
  const frac = us - secs * SECOND;
  const iso = new Date(secs * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(frac).padStart(6, '0')}`;
}

/** A compact description of one notification. Only the keys given end up in the payload. */
export interface Note {
  event: string;
  /** Notification timestamp text, or epoch microseconds. */
  at: string | Micros;
  publisher?: string;
  exchange?: string;
  deployment?: string;
  /** Routing key; default monitor.info (monitor.error when priority is ERROR). */
  routingKey?: string;
  /** payload.instance_id (nova, generic). */
  instance?: string | null;
  /** _context_request_id. */
  request?: string | null;
  /** payload.tenant_id. */
  tenant?: string | null;
  state?: string | null;
  oldState?: string | null;
  oldTask?: string | null;
  newTask?: string | null;
  messageId?: string;
  priority?: string;
  /** Extra payload keys (for glance, the whole image payload). */
  payload?: Record<string, unknown>;
  /** Extra top-level body keys. */
  body?: Record<string, unknown>;
}

/** The notification body a description stands for. */
export function notification(n: Note): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  if (n.tenant !== undefined) payload.tenant_id = n.tenant;
  if (n.instance !== undefined) payload.instance_id = n.instance;
  if (n.state !== undefined) payload.state = n.state;
  if (n.oldState !== undefined) payload.old_state = n.oldState;
  if (n.oldTask !== undefined) payload.old_task_state = n.oldTask;
  if (n.newTask !== undefined) payload.new_task_state = n.newTask;
  Object.assign(payload, n.payload ?? {});
  const body: Record<string, unknown> = {
    event_type: n.event,
    publisher_id: n.publisher ?? 'compute.c-01',
    priority: n.priority ?? 'INFO',
    timestamp: typeof n.at === 'number' ? stamp(n.at) : n.at,
  };
  if (n.messageId !== undefined) body.message_id = n.messageId;
  if (n.request !== undefined) body._context_request_id = n.request;
  body.payload = payload;
  Object.assign(body, n.body ?? {});
  return body;
}

function routingKeyOf(n: Note): string {
  return n.routingKey ?? (n.priority === 'ERROR' ? 'monitor.error' : 'monitor.info');
}

/** A pipeline item, as the JSON Lines reader would make from an envelope line. */
export function item(n: Note): IngestItem {
  return {deployment: n.deployment ?? 'default', exchange: n.exchange ?? 'nova', routingKey: routingKeyOf(n),
    body: notification(n)};
}

/** One JSON Lines line in any of the three accepted forms (the bare form cannot name a deployment). */
export function line(n: Note, form: 'envelope' | 'pair' | 'bare' = 'envelope'): string {
  const body = notification(n);
  if (form === 'bare') return JSON.stringify(body);
  if (form === 'pair') return JSON.stringify([routingKeyOf(n), body]);
  // The envelope names only what the description names; the rest comes from the defaults.
  return JSON.stringify({deployment: n.deployment, exchange: n.exchange, routing_key: n.routingKey, body});
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body exactly as sent. */
  text: string;
  json(): unknown;
}

/** One HTTP request; redirects are not followed. */
export function send(url: string, method = 'GET', body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, {method, headers, agent: false}, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown});
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The engine the server tests run on: SQLite by default, PostgreSQL when STACKY_TEST_ENGINE is
 * `postgres` (`npm test` runs the server suites on both; each test gets a database of its own).
 */
export const ENGINE: 'sqlite' | 'postgres' = process.env.STACKY_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
/** The `skip` option of a test about SQLite's own internals (its file, pragmas, threads). */
export const SQLITE_ONLY = ENGINE === 'postgres' ? 'about SQLite internals' : false;

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT`, the Host header the server sees. */
  host: string;
  dir: string;
  /** The store's location: the SQLite file, or the test's own PostgreSQL database. */
  dbPath: string;
  store: Store;
  pipeline: Pipeline;
  server: Server;
  /** The injected clock, µs; tests may move it. */
  clock: {now: Micros};
  get(path: string): Promise<Reply>;
  /** GET a path and parse the JSON body, asserting nothing. */
  json(path: string): Promise<unknown>;
  request(path: string, method: string, body?: string): Promise<Reply>;
  /** Stores notifications through the real pipeline, one transaction. */
  ingest(...notes: Note[]): Promise<IngestResult>;
  /** Inserts a stored report row (reports are written by the report builders, not by ingest). */
  addReport(r: {id?: number; periodStart: Micros; periodEnd: Micros; created: Micros; name: string; version?: number; json?: string}): Promise<number>;
  /** SQL on the test's database, on either engine (`?` placeholders); rows as objects. */
  query(sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  /** The SQLite store underneath, for tests of SQLite's own internals (skipped on PostgreSQL). */
  sqlite(): SqliteStore;
  close(): Promise<void>;
}

/** `?` placeholders as PostgreSQL's `$n` (test SQL has no `?` inside strings). */
const dollars = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

export async function startServer(options: {now?: Micros; limits?: Partial<ServerLimits>; log?: (line: string) => void} = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'stacky-test-'));
  let dbPath = join(dir, 'stacky.db');
  let drop = async () => {};
  let query: (sql: string, ...params: unknown[]) => Promise<Record<string, unknown>[]>;
  let store: Store;
  let endQuery = async () => {};
  if (ENGINE === 'postgres') {
    const db = await createTestDatabase();
    dbPath = db.url;
    drop = db.drop;
    store = await openStore(dbPath);
    const sql = postgres(dbPath, {onnotice: () => {}, max: 2, types: {int8: {to: 20, from: [20], serialize: String, parse: Number}}});
    query = async (text, ...params) => [...await sql.unsafe(dollars(text), params as never[])] as Record<string, unknown>[];
    endQuery = () => sql.end({timeout: 1});
  } else {
    const lite = openSqliteStore(dbPath);
    store = lite;
    query = async (text, ...params) => {
      const stmt = lite.db.prepare(text);
      if (stmt.reader) return stmt.all(...params) as Record<string, unknown>[];
      stmt.run(...params);
      return [];
    };
  }
  const pipeline = new Pipeline(store.writer(), {source: 'test', nowMicros: () => clock.now});
  const clock = {now: options.now ?? micros('2014-01-16 17:10:07.500000')};
  const server = createStackyServer({store, pipeline, now: () => clock.now, log: options.log ?? (() => {}), limits: options.limits});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url, host: `127.0.0.1:${port}`, dir, dbPath, store, pipeline, server, clock, query,
    get: (path) => send(url + path),
    json: async (path) => (await send(url + path)).json(),
    request: (path, method, body) => send(url + path, method, body),
    ingest: (...notes) => pipeline.ingest(notes.map(item)),
    addReport: async (r) => {
      const [row] = await query(`INSERT INTO stacktach_jsonreport (${r.id === undefined ? '' : 'id, '}period_start, period_end,
        created, name, version, json) VALUES (${r.id === undefined ? '' : '?, '}?, ?, ?, ?, ?, ?) RETURNING id`,
      ...(r.id === undefined ? [] : [r.id]), r.periodStart, r.periodEnd, r.created, r.name, r.version ?? 1, r.json ?? '[]');
      return Number(row!.id);
    },
    sqlite: () => {
      if (!(store instanceof SqliteStore)) throw new Error('this test is about SQLite; it runs on SQLite only (SQLITE_ONLY)');
      return store;
    },
    close: () => new Promise<void>((resolve, reject) => {
      server.close(() => {
        void (async () => {
          await endQuery();
          await store.close();
          await drop();
          rmSync(dir, {recursive: true, force: true});
        })().then(resolve, reject);
      });
      server.closeAllConnections();
    }),
  };
}

/** The exact body of an error table, as Python's json.dumps writes it. */
export function errorBody(type: 'Bad Request' | 'Not Found', message: string): string {
  const ascii = (text: string) => JSON.stringify(text).replace(/[^ -~]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `[["Error", "Message"], [${ascii(type)}, ${ascii(message)}]]`;
}


/** A server for one describe block: started before its tests, set up once, closed after. */
export function withServer(setup: (s: TestServer) => unknown, now?: number): () => TestServer {
  let s: TestServer | undefined;
  before(async () => {
    s = await startServer(now === undefined ? {} : {now});
    await setup(s);
  });
  after(async () => s?.close());
  return () => s!;
}
