// What every request passes before a handler runs: /healthz and /metrics, the bound on
// concurrent requests (503 + Retry-After), bearer tokens and roles (401/403), and the bound on
// concurrent watch tails per token (429 + Retry-After). Refusals are logged with the peer.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {pyDumps} from '../core/pyjson.js';
import {allows, bearerOf, type Principal, type TokenSet} from './auth.js';
import type {Health} from './health.js';
import type {StackyMetrics} from './metrics.js';

export interface GuardLog {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
}

export interface GuardOptions {
  /** No tokens: everything is open (loopback, or --insecure). */
  tokens?: TokenSet;
  /** Reads need no token (the original client sends none). */
  openRead?: boolean;
  /** /healthz and /metrics need no token. */
  metricsOpen?: boolean;
  /** Requests answered at once; more get 503 (default 64). */
  maxRequests: number;
  /** Watch requests in flight per token (or per peer address without tokens); more get 429. */
  maxWatchPerToken: number;
  metrics?: StackyMetrics;
  health?: () => Promise<Health>;
  log?: GuardLog;
}

const RETRY_AFTER_S = 1;

function sendTable(res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(pyDumps([['Error', 'Message'], [type, message]]), 'utf8');
  res.writeHead(status, {'Content-Type': 'application/json', 'Content-Length': body.length, ...headers});
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function kindOf(path: string): 'ingest' | 'watch' | 'health' | 'metrics' | 'query' {
  if (path === '/ingest/' || path === '/ingest') return 'ingest';
  if (path === '/healthz') return 'health';
  if (path === '/metrics') return 'metrics';
  if (path.startsWith('/stacky/watch/')) return 'watch';
  return 'query';
}

export class Guard {
  private inFlight = 0;
  private readonly watching = new Map<string, number>();

  constructor(private readonly o: GuardOptions) {}

  /** Answers the request itself, or calls next() to let the API answer it. */
  handle(req: IncomingMessage, res: ServerResponse, next: () => Promise<void>): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const kind = kindOf(path);
    const done = this.o.metrics?.time(kind);
    const peer = req.socket.remoteAddress ?? '?';
    const refuse = (status: number, type: string, message: string, reason: string, headers: Record<string, string> = {}) => {
      this.o.metrics?.refused.inc({reason});
      this.o.log?.warn('request refused', {status, reason, peer, method: req.method, path});
      sendTable(res, status, type, message, headers);
    };
    res.once('finish', () => done?.(res.statusCode));

    if (this.inFlight >= this.o.maxRequests) {
      refuse(503, 'Service Unavailable', `The server is answering ${this.o.maxRequests} requests already; retry shortly.`,
        'busy', {'Retry-After': String(RETRY_AFTER_S)});
      return;
    }
    const principal = this.authorize(req, kind);
    if (principal === 'missing' || principal === 'wrong') {
      refuse(401, 'Unauthorized', principal === 'missing'
        ? 'This server needs a bearer token: send Authorization: Bearer TOKEN (stacky config set token TOKEN, or STACKY_TOKEN).'
        : 'The bearer token is not valid.', principal === 'missing' ? 'no token' : 'bad token', {'WWW-Authenticate': 'Bearer'});
      return;
    }
    if (principal === 'forbidden') {
      refuse(403, 'Forbidden', `This token's role may not ${kind === 'ingest' ? 'ingest' : 'read'}.`, 'role');
      return;
    }
    let watchKey: string | undefined;
    if (kind === 'watch') {
      watchKey = principal ? `token:${principal.name}` : `peer:${peer}`;
      const n = this.watching.get(watchKey) ?? 0;
      if (n >= this.o.maxWatchPerToken) {
        refuse(429, 'Too Many Requests', `At most ${this.o.maxWatchPerToken} watch requests at a time per token.`,
          'watch limit', {'Retry-After': String(RETRY_AFTER_S)});
        return;
      }
      this.watching.set(watchKey, n + 1);
    }
    this.inFlight++;
    this.o.metrics?.inFlight.inc();
    res.once('close', () => {
      this.inFlight--;
      this.o.metrics?.inFlight.dec();
      if (watchKey !== undefined) {
        const n = (this.watching.get(watchKey) ?? 1) - 1;
        if (n === 0) this.watching.delete(watchKey);
        else this.watching.set(watchKey, n);
      }
    });
    if (kind === 'health' && (req.method === 'GET' || req.method === 'HEAD')) {
      this.health(res).catch(() => sendTable(res, 500, 'Internal Server Error', 'Health could not be checked.'));
      return;
    }
    if (kind === 'metrics' && (req.method === 'GET' || req.method === 'HEAD') && this.o.metrics) {
      this.o.metrics.text().then((text) => {
        const body = Buffer.from(text, 'utf8');
        res.writeHead(200, {'Content-Type': this.o.metrics!.contentType, 'Content-Length': body.length});
        res.end(req.method === 'HEAD' ? undefined : body);
      }, () => sendTable(res, 500, 'Internal Server Error', 'Metrics could not be collected.'));
      return;
    }
    void next();
  }

  /** The caller, null when no token is needed, or why it is refused. */
  private authorize(req: IncomingMessage, kind: ReturnType<typeof kindOf>): Principal | null | 'missing' | 'wrong' | 'forbidden' {
    const tokens = this.o.tokens;
    if (!tokens) return null;
    const need = kind === 'ingest' ? 'ingest' : 'read';
    const open = need === 'read' && (this.o.openRead || ((kind === 'health' || kind === 'metrics') && this.o.metricsOpen));
    const token = bearerOf(req.headers.authorization);
    if (token === null) return open ? null : 'missing';
    const who = tokens.check(token);
    if (!who) return 'wrong';
    if (!allows(who.role, need)) return open ? null : 'forbidden';
    return who;
  }

  private async health(res: ServerResponse): Promise<void> {
    const h = await this.o.health?.() ?? {ok: true, reasons: []};
    const body = h.ok ? 'ok\n' : `${h.reasons.join('\n')}\n`;
    res.writeHead(h.ok ? 200 : 503, {'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body)});
    res.end(res.req.method === 'HEAD' ? undefined : body);
  }
}
