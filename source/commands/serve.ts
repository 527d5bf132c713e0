// stacky serve: the StackTach-compatible server on one database (a SQLite file or PostgreSQL).
import {DEFAULT_READ_THREADS} from '../server/read-threads.js';
import type {Server} from 'node:http';
import type {Store} from '../store/api.js';
import {openStore} from '../store/open.js';
import {describeLocation} from '../store/location.js';
import {Pipeline, type RowStatus} from '../ingest/pipeline.js';

import {createStackyServer} from '../server/app.js';
import {listenAt} from '../server/listen.js';
import {dbLocation} from './paths.js';
import {UsageError} from './args.js';
import {command} from './spec.js';
import {serveSpec} from './specs/serve.js';
import {parseLimits, type ServerLimits} from '../server/limits.js';
import {retainFlag, startRetention} from './retention-embed.js';
import {isLoopback, RefusalError, reloadOnHup, setupFrom, systemdUnit, type Setup} from './serve-setup.js';
import type {ConsumerView} from '../server/metrics.js';

interface ServeBounds {
  limits?: ServerLimits;
  allowedHosts?: string[];
}

export interface Running {
  server: Server;
  store: Store;
  url: string;
  close(): Promise<void>;
}

/** Starts the server; resolves once it accepts connections. Used by serve and demo. */
export async function startServer(opts: {db: string; host: string; port: number; source?: string; setup?: Setup;
  consumers?: () => ConsumerView | undefined} & ServeBounds): Promise<Running> {
  const store = await openStore(opts.db);
  const built = opts.setup?.guard(store, opts.consumers);
  const metrics = built?.metrics;
  const observe = metrics ? (deployment: string, exchange: string, status: RowStatus, rows = 1) =>
    metrics.count(deployment, exchange, status === 'rejected' ? 'quarantined' : status, rows) : undefined;
  // In process only for a database without a file (:memory:), which a thread cannot open.
  const pipeline = new Pipeline(store.writer(), {source: opts.source ?? 'http',
    ...(observe ? {observe: (row, status) => observe(row.deployment, row.exchange, status)} : {})});
  const server = createStackyServer({store, pipeline, limits: opts.limits, allowedHosts: opts.allowedHosts,
    guard: built?.guard, tls: opts.setup?.tls, readThreads: opts.setup?.readThreads ?? DEFAULT_READ_THREADS,
    // POST /ingest/ off the event loop (issue #18), its rows counted by /metrics as they commit.
    ingestThread: {source: opts.source ?? 'http', ...(observe ? {observe} : {})}});
  opts.setup?.timeouts(server);
  const url = await listenAt(server, opts.port, opts.host, opts.setup?.tls ? 'https' : 'http');
  return {
    server, store, url,
    close: () => new Promise<void>((resolve) => {
      server.close(() => {
        void store.close().then(resolve);
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
  return command(serveSpec, argv, async ({values}) => {
    const port = values.port;
    let limits: ServerLimits;
    try {
      limits = parseLimits(values.limit ?? []);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const host = values.host;
    const db = dbLocation(values);
    const retain = retainFlag(values.retain);
    if (values['print-systemd']) {
      process.stdout.write(systemdUnit('serve', argv, values['stop-timeout'], db));
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
      const worker = await startWorkerFromFile(values.worker, running.store.location ?? ':memory:', log);
      consumers = worker.view;
      stops.push(worker.stop);
    }
    if (setup.tokens) reloadOnHup(setup.tokens, log);
    if (retain !== undefined) {
      const handle = startRetention(db, retain, {
        everySeconds: values['retain-every'],
        log: (event, fields) => log.info(event, fields),
      });
      stops.push(() => handle.stop());
    }
    if (values.reports === 'hourly') {
      const {startHourly} = await import('./reports-embed.js');
      stops.push(startHourly(running.store.reportSource));
    }
    process.stdout.write(`listening on ${running.url}\n`);
    log.info('start', {url: running.url, db: describeLocation(db), auth: setup.tokens ? `${setup.tokens.size} tokens` : 'none',
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
