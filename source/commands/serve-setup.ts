// serve's flags for running unattended: tokens, TLS, limits, timeouts, logs, health, metrics,
// and the systemd unit. Read here (commands/ reads configuration), passed down as plain values.
import {readFileSync} from 'node:fs';
import {dirname, resolve} from 'node:path';
import type {Server} from 'node:http';
import {AuthFileError, TokenSet} from '../server/auth.js';
import {Guard} from '../server/guard.js';
import {StackyMetrics, type ConsumerView} from '../server/metrics.js';
import {checkHealth} from '../server/health.js';
import {DEFAULT_READ_THREADS} from '../server/read-threads.js';
import {CONNECTIONS_CHECK_MS} from '../server/limits.js';
import type {Store} from '../store/api.js';
import {createLogger, loggerOptions, type Logger} from './log.js';
import {UsageError} from './args.js';
import {defaults, type Values as SpecValues} from './spec.js';
import {setupFlags} from './specs/serve.js';

/** serve's parsed flags (source/commands/specs/serve.ts); those left out take the spec's defaults. */
type Values = Partial<SpecValues<typeof setupFlags>>;

export interface Setup {
  log: Logger;
  tokens?: TokenSet;
  tls?: {cert: Buffer; key: Buffer};
  stopTimeoutMs: number;
  readThreads: number;
  /** Builds the guard once the store (and maybe a worker) exists. */
  guard(store: Store, consumers?: () => ConsumerView | undefined): {guard: Guard; metrics: StackyMetrics};
  timeouts(server: Server): void;
}

/** Listening wide without tokens: said in one line, nothing else printed. */
export class RefusalError extends Error {}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function loggerFrom(values: Values, name: string): Logger {
  try {
    return createLogger({...loggerOptions(values['log-format'], values['log-level']), name});
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `log` is the command's own logger when it has one (worker --listen); else one from the flags. */
export function setupFrom(given: Values, host: string, log: Logger = loggerFrom({...defaults(setupFlags), ...given}, 'stacky serve')): Setup {
  const values = {...defaults(setupFlags), ...given};
  const maxRequests = values['max-requests'];
  const maxWatch = values['max-watch'];
  const headerMs = values['header-timeout'] * 1000;
  // 0 by default: node's whole-request timeout would cut a long upload with a bare 408, while
  // POST /ingest/ bounds its own upload time and silence and answers with the counts stored.
  const requestMs = values['request-timeout'] * 1000;
  const idleMs = values['idle-timeout'] * 1000;
  const maxLag = values['max-lag'];
  const minFree = values['min-free-mb'] * 2 ** 20;
  const stopTimeoutMs = values['stop-timeout'] * 1000;
  const readThreads = values['read-threads'] ?? DEFAULT_READ_THREADS;
  let tokens: TokenSet | undefined;
  if (values['auth-file'] !== undefined) {
    try {
      tokens = new TokenSet(values['auth-file']);
    } catch (error) {
      if (error instanceof AuthFileError) throw new UsageError(error.message);
      throw error;
    }
  } else if (!isLoopback(host) && !values.insecure) {
    throw new RefusalError(`refusing to listen on ${host} without --auth-file: anyone who can reach it could read and ` +
      'ingest (create tokens with `stacky token add`, or pass --insecure to accept that)');
  }
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
    throw new UsageError('--tls-cert and --tls-key go together');
  }
  let tls: Setup['tls'];
  if (values['tls-cert'] !== undefined) {
    try {
      tls = {cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']!)};
    } catch (error) {
      throw new UsageError(`cannot read the TLS certificate or key: ${(error as Error).message}`);
    }
  }
  return {
    log, tokens, tls, stopTimeoutMs, readThreads,
    guard(store, consumers) {
      const metrics = new StackyMetrics(store);
      const view = () => consumers?.();
      metrics.watchConsumers({
        states: () => view()?.states() ?? new Map(),
        stats: () => view()?.stats() ?? new Map(),
        depths: () => view()?.depths?.() ?? new Map(),
      });
      const guard = new Guard({
        tokens, openRead: values['open-read'] ?? false, metricsOpen: values['metrics-open'] ?? false,
        maxRequests, maxWatchPerToken: maxWatch, metrics, log,
        health: () => checkHealth({store, minFreeBytes: minFree, consumers: view(), maxLag}),
      });
      return {guard, metrics};
    },
    timeouts(server) {
      server.headersTimeout = headerMs;
      server.requestTimeout = requestMs;
      server.keepAliveTimeout = idleMs;
      // A connection with no traffic at all for this long is closed (slow or stalled clients).
      // Past the header timeout and the check that finds it (up to CONNECTIONS_CHECK_MS later),
      // with a check to spare: closed earlier, a slow client lost its 408 (seen under load).
      server.timeout = Math.max(idleMs, headerMs) + 2 * CONNECTIONS_CHECK_MS;
    },
  };
}

/** SIGHUP re-reads the auth file; a bad file keeps the previous tokens. */
export function reloadOnHup(tokens: TokenSet, log: Logger): void {
  process.on('SIGHUP', () => {
    try {
      tokens.reload();
      log.info('auth file reloaded', {file: tokens.path, tokens: tokens.size});
    } catch (error) {
      log.error('auth file not reloaded; the previous tokens stay', {file: tokens.path, error: (error as Error).message});
    }
  });
}

/** `[HOST:]PORT` or `[V6]:PORT` (worker --listen); the host defaults to loopback. */
export function parseListen(text: string): {host: string; port: number} {
  const m = /^(?:(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):)?(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new UsageError(`--listen: expected [HOST:]PORT (e.g. 9100 or 0.0.0.0:9100), got ${JSON.stringify(text)}`);
  return {host: m[1] ?? m[2] ?? '127.0.0.1', port};
}

/** A systemd unit running `stacky <argv>` (without --print-systemd), stopped by SIGTERM. */
export function systemdUnit(command: 'serve' | 'worker', argv: string[], stopTimeoutS: number, dbPath: string): string {
  const args = argv.filter((a) => a !== '--print-systemd');
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `"${a.replace(/(["\\$])/g, '\\$1')}"`);
  const bin = resolve(process.argv[1] ?? 'stacky');
  const exec = [process.execPath, bin, command, ...args].map(quote).join(' ');
  return `[Unit]
Description=Stacky ${command === 'serve' ? 'server (StackTach-compatible API)' : 'RabbitMQ worker'}
After=network-online.target${command === 'worker' ? ' rabbitmq-server.service' : ''}
Wants=network-online.target

[Service]
Type=simple
User=stacky
Group=stacky
ExecStart=${exec}
${command === 'serve' ? 'ExecReload=/bin/kill -HUP $MAINPID\n' : ''}# SIGTERM: stop taking work, store and ack what is in flight, exit within --stop-timeout.
KillSignal=SIGTERM
TimeoutStopSec=${stopTimeoutS + 10}
Restart=on-failure
RestartSec=5
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true
ReadWritePaths=${quote(dirname(resolve(dbPath)))}

[Install]
WantedBy=multi-user.target
`;
}
