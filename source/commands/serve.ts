// stacky serve: the StackTach-compatible server on one SQLite file.
import type {Server} from 'node:http';
import {openStore, type Store} from '../store/store.js';
import {Pipeline} from '../ingest/pipeline.js';
import {createStackyServer} from '../server/app.js';
import {defaultDbPath} from './paths.js';
import {guarded, intFlag, parse, UsageError} from './args.js';
import {parseLimits, type ServerLimits} from '../server/limits.js';
import {DEFAULT_RETAIN_EVERY_S, retainFlag, startRetention} from './retention-embed.js';
import {isLoopback, RefusalError, SETUP_FLAGS, SETUP_HELP, setupFrom, systemdUnit, type Setup} from './serve-setup.js';
import type {ConsumerView} from '../server/metrics.js';

interface ServeBounds {
  limits?: ServerLimits;
  allowedHosts?: string[];
}

const HELP = `Usage: stacky serve [--db PATH] [--host 127.0.0.1] [--port 8000] [--worker FILE] [--reports hourly] [flags]

Serves every stacky/ URL of StackTach, plus POST /ingest/ for JSON Lines.
  --db PATH         SQLite file (default: $STACKY_DB or the per-user data dir's stacky.db)
  --host HOST       address to listen on (default 127.0.0.1)
  --port N          port (default 8000; 0 picks a free one)
  --worker FILE     also consume RabbitMQ with StackTach's worker config FILE
  --reports hourly  generate the hourly summary report a few minutes after each hour
  --limit NAME=N    change a bound (repeatable; names and defaults in the README's Limits table)
  --allow-host NAME also answer requests for this host name (repeatable; '*' for any); IP
                    addresses and localhost are always answered
  --retain SPAN     delete notifications older than SPAN (30d, 12h, 2w) in the background
  --retain-every N  seconds between retention passes (default 600)
${SETUP_HELP}
Example: stacky serve --db /var/lib/stacky/stacky.db --port 8000
`;

export interface Running {
  server: Server;
  store: Store;
  url: string;
  close(): Promise<void>;
}

/** Starts the server; resolves once it accepts connections. Used by serve and demo. */
export async function startServer(opts: {db: string; host: string; port: number; source?: string; setup?: Setup;
  consumers?: () => ConsumerView | undefined} & ServeBounds): Promise<Running> {
  const store = openStore(opts.db);
  const built = opts.setup?.guard(store, opts.db, opts.consumers);
  const metrics = built?.metrics;
  const pipeline = new Pipeline(store.db, {source: opts.source ?? 'http',
    ...(metrics ? {observe: (row, status) => metrics.count(row.deployment, row.exchange,
      status === 'rejected' ? 'quarantined' : status)} : {})});
  const server = createStackyServer({store, pipeline, limits: opts.limits, allowedHosts: opts.allowedHosts,
    guard: built?.guard, tls: opts.setup?.tls,
    // Off the event loop (issue #18) where no /metrics counts rows per outcome in this process.
    ingestThread: metrics ? undefined : {source: opts.source ?? 'http'}});
  opts.setup?.timeouts(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    server, store, url: `${opts.setup?.tls ? 'https' : 'http'}://${host}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => {
        store.close();
        resolve();
      });
      server.closeAllConnections();
    }),
  };
}

export function onSignals(stop: () => Promise<void>, boundMs?: number, onLate?: () => void): void {
  let stopping = false;
  const handler = () => {
    if (stopping) process.exit(1);
    stopping = true;
    // In-flight work gets boundMs to finish; then the process goes anyway (systemd's stop).
    if (boundMs !== undefined) {
      setTimeout(() => {
        onLate?.();
        process.exit(1);
      }, boundMs).unref();
    }
    stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

export async function run(argv: string[]): Promise<number> {
  return guarded('serve', async () => {
    const {values} = parse(argv, {
      db: {type: 'string'}, host: {type: 'string'}, port: {type: 'string'}, worker: {type: 'string'},
      reports: {type: 'string'}, help: {type: 'boolean', short: 'h'},
      limit: {type: 'string', multiple: true}, 'allow-host': {type: 'string', multiple: true},
      retain: {type: 'string'}, 'retain-every': {type: 'string'}, ...SETUP_FLAGS,
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (values.reports !== undefined && values.reports !== 'hourly') {
      throw new UsageError(`--reports takes 'hourly', got '${values.reports}'`);
    }
    const port = intFlag('port', values.port, 8000);
    let limits: ServerLimits;
    try {
      limits = parseLimits(values.limit ?? []);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const retain = retainFlag(values.retain);
    const host = values.host ?? '127.0.0.1';
    const db = values.db ?? defaultDbPath();
    if (values['print-systemd']) {
      process.stdout.write(systemdUnit('serve', argv, intFlag('stop-timeout', values['stop-timeout'], 30, 1), db));
      return 0;
    }
    let setup: Setup;
    try {
      setup = setupFrom(values, host);
    } catch (error) {
      if (!(error instanceof RefusalError)) throw error;
      process.stderr.write(`stacky serve: ${error.message}\n`);
      return 2;
    }
    const log = setup.log;
    if (!setup.tokens && !isLoopback(host)) {
      log.warn('listening beyond loopback without tokens (--insecure): anyone who can reach the port can read and ingest', {host});
    }
    let consumers: ConsumerView | undefined;
    const running = await startServer({db, host, port, setup, consumers: () => consumers,
      limits, allowedHosts: [...(values['allow-host'] ?? []), host]});
    const stops: (() => Promise<void> | void)[] = [];
    if (values.worker) {
      const {startWorkerFromFile} = await import('./worker-embed.js');
      const worker = await startWorkerFromFile(values.worker, running.store.db, log);
      consumers = worker.view;
      stops.push(worker.stop);
    }
    if (setup.tokens) {
      const tokens = setup.tokens;
      process.on('SIGHUP', () => {
        try {
          tokens.reload();
          log.info('auth file reloaded', {file: tokens.path, tokens: tokens.size});
        } catch (error) {
          log.error('auth file not reloaded; the previous tokens stay', {file: tokens.path, error: (error as Error).message});
        }
      });
    }
    if (retain !== undefined) {
      const handle = startRetention(db, retain, {
        everySeconds: intFlag('retain-every', values['retain-every'], DEFAULT_RETAIN_EVERY_S, 1),
        log: (event, fields) => log.info(event, fields),
      });
      stops.push(() => handle.stop());
    }
    if (values.reports === 'hourly') {
      const {startHourly} = await import('./reports-embed.js');
      stops.push(startHourly(running.store.db));
    }
    process.stdout.write(`listening on ${running.url}\n`);
    log.info('start', {url: running.url, db, auth: setup.tokens ? `${setup.tokens.size} tokens` : 'none',
      tls: setup.tls !== undefined, retain: values.retain, worker: values.worker});
    onSignals(async () => {
      log.info('stopping', {bound_s: setup.stopTimeoutMs / 1000});
      for (const stop of stops) await stop();
      await running.close();
      log.info('stop');
    }, setup.stopTimeoutMs, () => log.error('stop took longer than --stop-timeout; exiting anyway'));
    await new Promise(() => {});
    return 0;
  });
}
