// The stacky HTTP server: routing, the slash redirect, error tables, and POST /ingest/.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {Duplex} from 'node:stream';
import type {Store} from '../store/api.js';
import type {Pipeline} from '../ingest/pipeline.js';
import type {Micros} from '../core/types.js';
import {RawBody, StreamBody} from './context.js';
import {sendStream} from './stream-reply.js';
import {HttpError, errorTable, badRequest, storeUnavailable} from './http-error.js';
import {isStoreUnavailable} from '../store/errors.js';
import {Query} from './params.js';
import {match, ROUTES} from './routes.js';
import {ReadThreads} from './read-threads.js';
import {sendBody, sendHtml404, sendHtml500, sendJson} from './respond.js';
import {ResponseCache} from './response-cache.js';
import {pyDumps} from '../core/pyjson.js';
import {handleIngest} from './ingest-handler.js';
import {CONNECTIONS_CHECK_MS, DEFAULT_LIMITS, type ServerLimits} from './limits.js';
import {screen, screenMethod} from './guards.js';
import {JsonSearches} from './json-search.js';
import {WatchTails} from './watch-tail.js';
import {inProcess} from '../ingest/sources/http/in-process.js';
import type {BatchSink} from '../ingest/stream.js';
import {IngestThread, type ObserveOutcomes} from '../ingest/sources/http/writer-thread.js';
import {createServer as createHttpsServer} from 'node:https';
import type {Guard} from './guard.js';

export interface AppOptions {
  store: Store;
  pipeline: Pipeline;
  now?: () => Micros;
  log?: (line: string) => void;
  /** Keep answers of read-only URLs until the database changes (default on; STACKY_HTTP_CACHE=0 turns it off). */
  cache?: boolean;
  /** Bounds (src/server/limits.ts); unset ones take their defaults. */
  limits?: Partial<ServerLimits>;
  /** Host names served besides IP literals and localhost ('*' for any), see guards.ts. */
  allowedHosts?: readonly string[];
  /**
   * POST /ingest/ stores on a writer thread with its own connection, quarantine source named so,
   * its rows by outcome heard by `observe` (source/ingest/sources/http/writer-thread.ts).
   */
  ingestThread?: {source: string; observe?: ObserveOutcomes};
  /** Health, metrics, limits and tokens, before the API (source/server/guard.ts). */
  guard?: Guard;
  /** Build uncached read answers on this many read threads (read-threads.ts); 0 or unset: on the serving thread. */
  readThreads?: number;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: {cert: Buffer; key: Buffer};
}

/** The response cache of a server, for tests and diagnostics. */
export const responseCacheOf = new WeakMap<Server, ResponseCache>();
/** The shared watch tails of a server, likewise. */
export const watchTailsOf = new WeakMap<Server, WatchTails>();
/** The read threads of a server, likewise. */
export const readThreadsOf = new WeakMap<Server, ReadThreads>();

export function createStackyServer(options: AppOptions): Server {
  const limits: ServerLimits = {...DEFAULT_LIMITS, ...options.limits};
  const log = options.log ?? ((l) => process.stderr.write(`${l}\n`));
  const enabled = options.cache ?? process.env.STACKY_HTTP_CACHE !== '0';
  const version = () => options.store.version();
  const cache = enabled ? new ResponseCache(limits.cacheBytes, limits.cacheEntries) : undefined;
  const tails = enabled ? new WatchTails(options.store, version, limits.watchTailRows, limits.watchTails) : undefined;
  // Threads open the store anew at its location: none for a store only this one reaches (in memory).
  const location = options.store.location;
  const ingestSink = options.ingestThread && location !== undefined
    ? new IngestThread({dbPath: location, source: options.ingestThread.source}, options.ingestThread.observe) : inProcess(options.pipeline);
  const readers = location !== undefined && (options.readThreads ?? 0) > 0 ? new ReadThreads(location, options.readThreads!, limits) : undefined;
  const app: App = {...options, limits, log, responses: cache, tails, ingestSink, searches: new JsonSearches(options.store, limits),
    readers, version, errors: 0, unavailableLogged: 0};
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const run = () => handle(req, res, app).catch((error: unknown) => fail(req, res, error, app));
    if (options.guard) options.guard.handle(req, res, run);
    else void run();
  };
  // An https.Server answers the same calls (listen, close, address, closeAllConnections).
  // Header and request timeouts are checked every second (node's default is every 30 s).
  const checking = {connectionsCheckingInterval: CONNECTIONS_CHECK_MS};
  const server = options.tls ? createHttpsServer({...options.tls, ...checking}, listener) as unknown as Server
    : createServer(checking, listener);
  if (cache) responseCacheOf.set(server, cache);
  if (tails) watchTailsOf.set(server, tails);
  if (readers) readThreadsOf.set(server, readers);
  server.keepAliveTimeout = 65_000;
  // Node's whole-request timeout would cut a long upload with a bare 408; POST /ingest/ keeps its
  // own (limits.bodyMs, bodyIdleMs) and answers with the counts stored. Headers keep headersTimeout.
  server.requestTimeout = 0;
  // A client that sends its requests and then closes its side (`printf … | nc -N`) still gets
  // every answer: by default node drops the requests still being answered when the client's FIN
  // arrives, which only answers built synchronously survived. The socket closes after the last.
  (server as Server & {httpAllowHalfOpen: boolean}).httpAllowHalfOpen = true;
  server.on('clientError', answerClientError);
  server.on('close', () => {
    app.searches.close();
    readers?.close();
    void ingestSink.close();
  });
  return server;
}

/** Node's answers to a request it could not read, by its error code (the rest: 400). */
const CLIENT_ERRORS: Record<string, string> = {
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: '413 Payload Too Large',
};

/**
 * A request node could not read (headers too slow, too large, malformed): node's own answer.
 * A slow client's 408 is ended rather than written and destroyed at once, which under load could
 * drop it before it was sent (the client saw the connection close without it); one that does not
 * close its side within a second is cut off. The others are node's: written, then destroyed, so
 * that the rest of an oversized request is not read.
 */
function answerClientError(error: Error & {code?: string}, socket: Duplex): void {
  // As node: answer only when no reply of this connection has begun going out.
  const inFlight = (socket as Duplex & {_httpMessage?: {headersSent?: boolean}})._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy(error);
    return;
  }
  const answer = `HTTP/1.1 ${CLIENT_ERRORS[error.code ?? ''] ?? '400 Bad Request'}\r\nConnection: close\r\n\r\n`;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    socket.end(answer);
    setTimeout(() => socket.destroy(), 1000).unref();
    return;
  }
  socket.write(answer);
  socket.destroy(error);
}

function fail(req: IncomingMessage, res: ServerResponse, error: unknown, app: App): void {
  if (isStoreUnavailable(error)) {
    // The database is away (down, restarting): every request fails alike, so one log line per
    // UNAVAILABLE_LOG_MS says so, and clients are told to come back (issue #16).
    const now = Date.now();
    if (now - app.unavailableLogged >= UNAVAILABLE_LOG_MS) {
      app.unavailableLogged = now;
      app.log(`stacky: the database cannot answer (${errorText(error)}); answering 503 until it does`);
    }
    error = storeUnavailable();
  }
  if (error instanceof HttpError) {
    if (!res.headersSent) sendJson(res, error.status, errorTable(error), error.headers);
    else res.destroy();
    return;
  }
  // One line, no stack: the log is read by operators, and a stack names internals (issue #13).
  app.log(`stacky: internal error #${++app.errors} on ${req.method} ${String(req.url).slice(0, 200)}: ${errorText(error)}`);
  if (!res.headersSent) sendHtml500(res);
  else res.destroy();
}

interface App extends AppOptions {
  limits: ServerLimits;
  log: (line: string) => void;
  responses: ResponseCache | undefined;
  tails: WatchTails | undefined;
  ingestSink: BatchSink;
  searches: JsonSearches;
  readers: ReadThreads | undefined;
  version: () => Promise<string>;
  /** Internal errors so far, to tell log lines apart. */
  errors: number;
  /** When the database's being away was last logged (ms). */
  unavailableLogged: number;
}

const UNAVAILABLE_LOG_MS = 10_000;

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').slice(0, 500);
}

async function handle(req: IncomingMessage, res: ServerResponse, app: App): Promise<void> {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const rawPath = q === -1 ? raw : raw.slice(0, q);
  const search = q === -1 ? '' : raw.slice(q + 1);
  const isIngest = rawPath === '/ingest/' || rawPath === '/ingest';
  screen(req, app.allowedHosts ?? []);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw badRequest(`The path ${rawPath} is not valid percent-encoding.`);
  }
  const query = new Query(new URLSearchParams(search));

  if (isIngest) {
    screenMethod(req, true);
    await handleIngest(req, res, app.ingestSink, query, app.limits, app.log);
    return;
  }

  const found = match(path);
  if (!found) {
    // Django's APPEND_SLASH: a slash-less path that matches with a slash gets a 301, query kept.
    // The Host header was checked by screen(): a name the client chose never ends up here.
    if (!path.endsWith('/') && match(`${path}/`)) {
      const host = req.headers.host ?? 'localhost';
      res.writeHead(301, {Location: `http://${host}${rawPath}/${search ? `?${search}` : ''}`, 'Content-Length': 0});
      res.end();
      return;
    }
    sendHtml404(res, path);
    return;
  }
  screenMethod(req, false);
  const clock = app.now ?? (() => Date.now() * 1000);
  // watch depends on the clock only through the whole second: its replies are shared within it.
  const at = clock();
  const second = found.route.live === 'second';
  const key = second ? `${raw}\n${Math.floor(at / 1_000_000)}` : raw;
  const cacheable = app.responses !== undefined && (!found.route.live || second);
  // The version before the body: whatever builds it reads a snapshot at least as new.
  const version = cacheable ? await app.version() : undefined;
  const cached = version !== undefined ? app.responses!.get(key, version) : undefined;
  if (cached !== undefined) {
    sendBody(res, 200, cached);
    return;
  }
  // Built on a read thread when there are some.
  let text = app.readers && !found.route.mainThread
    ? await app.readers.run(ROUTES.indexOf(found.route), found.captures, search, at) : undefined;
  if (text === undefined) {
    const body = await found.route.handler({
      store: app.store, query, path: found.captures, now: second ? () => at : clock,
      limits: app.limits, searches: app.searches, tails: app.tails,
    });
    if (body instanceof StreamBody) {
      // Kept for the cache only as far as the cache takes an answer (response-cache.ts: 1/16 of it).
      const whole = await sendStream(res, body.parts, version === undefined ? 0 : app.limits.cacheBytes / 16);
      if (whole !== undefined && version !== undefined) app.responses!.set(key, whole, version);
      return;
    }
    text = body instanceof RawBody ? body.text : pyDumps(body);
  }
  if (version !== undefined) app.responses!.set(key, text, version);
  sendBody(res, 200, text);
}
