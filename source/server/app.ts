// The stacky HTTP server: routing, the slash redirect, error tables, and POST /ingest/.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {Store} from '../store/store.js';
import type {Pipeline} from '../ingest/pipeline.js';
import type {Micros} from '../core/types.js';
import {RawBody} from './context.js';
import {HttpError, errorTable, badRequest} from './http-error.js';
import {Query} from './params.js';
import {match} from './routes.js';
import {sendBody, sendHtml404, sendHtml500, sendJson} from './respond.js';
import {ResponseCache} from './response-cache.js';
import {dataVersion} from '../store/version.js';
import {pyDumps} from '../core/pyjson.js';
import {handleIngest} from './ingest-handler.js';
import {createServer as createHttpsServer} from 'node:https';
import type {Guard} from './guard.js';

export interface AppOptions {
  store: Store;
  pipeline: Pipeline;
  now?: () => Micros;
  log?: (line: string) => void;
  /** Keep answers of read-only URLs until the database changes (default on; STACKY_HTTP_CACHE=0 turns it off). */
  cache?: boolean;
  /** Health, metrics, limits and tokens, before the API (source/server/guard.ts). */
  guard?: Guard;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: {cert: Buffer; key: Buffer};
}

export function createStackyServer(options: AppOptions): Server {
  const enabled = options.cache ?? process.env.STACKY_HTTP_CACHE !== '0';
  const cache = enabled ? new ResponseCache(dataVersion(options.store.db)) : undefined;
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const run = () => handle(req, res, options, cache).catch((error: unknown) => fail(res, error, options));
    if (options.guard) options.guard.handle(req, res, run);
    else void run();
  };
  // An https.Server answers the same calls (listen, close, address, closeAllConnections).
  // Header and request timeouts are checked every second (node's default is every 30 s).
  const checking = {connectionsCheckingInterval: 1000};
  const server = options.tls ? createHttpsServer({...options.tls, ...checking}, listener) as unknown as Server
    : createServer(checking, listener);
  server.keepAliveTimeout = 65_000;
  return server;
}

function fail(res: ServerResponse, error: unknown, options: AppOptions): void {
  if (error instanceof HttpError) {
    if (!res.headersSent) sendJson(res, error.status, errorTable(error));
    return;
  }
  (options.log ?? ((l) => process.stderr.write(`${l}\n`)))(`stacky: internal error: ${(error as Error)?.stack ?? String(error)}`);
  if (!res.headersSent) sendHtml500(res);
  else res.destroy();
}

async function handle(req: IncomingMessage, res: ServerResponse, options: AppOptions, cache?: ResponseCache): Promise<void> {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const rawPath = q === -1 ? raw : raw.slice(0, q);
  const search = q === -1 ? '' : raw.slice(q + 1);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw badRequest(`The path ${rawPath} is not valid percent-encoding.`);
  }
  const query = new Query(new URLSearchParams(search));

  if (path === '/ingest/' || path === '/ingest') {
    if (req.method !== 'POST') throw new HttpError(405, 'Method Not Allowed', 'POST JSON Lines to /ingest/.');
    await handleIngest(req, res, options.pipeline, query);
    return;
  }

  const found = match(path);
  if (!found) {
    // Django's APPEND_SLASH: a slash-less path that matches with a slash gets a 301, query kept.
    if (!path.endsWith('/') && match(`${path}/`)) {
      const host = req.headers.host ?? 'localhost';
      res.writeHead(301, {Location: `http://${host}${rawPath}/${search ? `?${search}` : ''}`, 'Content-Length': 0});
      res.end();
      return;
    }
    sendHtml404(res, path);
    return;
  }
  const cacheable = cache !== undefined && !found.route.live;
  const cached = cacheable ? cache.get(raw) : undefined;
  if (cached !== undefined) {
    sendBody(res, 200, cached);
    return;
  }
  const body = found.route.handler({
    store: options.store, query, path: found.captures, now: options.now ?? (() => Date.now() * 1000),
  });
  const text = body instanceof RawBody ? body.text : pyDumps(body);
  if (cacheable) cache.set(raw, text);
  sendBody(res, 200, text);
}
