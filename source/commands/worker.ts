// `stacky worker --config FILE [--db PATH|URL]`: consume RabbitMQ as StackTach's worker did, into
// the database (a SQLite file or PostgreSQL). Runs until SIGINT/SIGTERM, then stops consuming, stores and acks what was
// delivered, and closes the connections.
import {workerConfigWarning} from './file-modes.js';
import {openStore, openWriter} from '../store/open.js';
import {createHealthServer} from '../server/health-server.js';
import {listenAt} from '../server/listen.js';
import type {ConsumerView} from '../server/metrics.js';
import {describeLocation} from '../store/location.js';
import {StoreOpenError} from '../store/errors.js';
import {defaultDbPath, dbLocation} from './paths.js';
import {consumerPlan, defaultWorkerConfigPath, loadWorkerConfig, WorkerConfigError} from '../ingest/sources/amqp/config.js';
import {startWorker, type WorkerHandle} from '../ingest/sources/amqp/worker.js';
import {retainFlag, startRetention} from './retention-embed.js';
import {createLogger, loggerOptions, type Logger} from './log.js';
import {UsageError} from './args.js';
import {command, type Values} from './spec.js';
import {workerSpec} from './specs/worker.js';
import {isLoopback, parseListen, RefusalError, reloadOnHup, setupFrom, type Setup} from './serve-setup.js';

export interface WorkerRunOptions {
  env?: NodeJS.ProcessEnv;
  stderr?: {write(text: string): unknown};
}

export async function run(argv: string[], options: WorkerRunOptions = {}): Promise<number> {
  const stderr = options.stderr ?? process.stderr;
  return command(workerSpec, argv, ({values}) => work(argv, values, options.env ?? process.env, stderr),
    {stdout: process.stdout, stderr});
}

async function work(argv: string[], values: Values<typeof workerSpec.flags>, env: NodeJS.ProcessEnv,
  stderr: {write(text: string): unknown}): Promise<number> {
  let log: (line: string) => void = (line) => void stderr.write(`${line}\n`);
  if (values['example-config']) {
    const {EXAMPLE_CONFIG} = await import('../ingest/sources/amqp/example.js');
    process.stdout.write(EXAMPLE_CONFIG);
    return 0;
  }
  const {prefetch, batch} = values;
  const retainEvery = values['retain-every'];
  const retain = retainFlag(values.retain);
  const stopTimeout = values['stop-timeout'];

  let logger: Logger;
  try {
    logger = createLogger({...loggerOptions(values['log-format'], values['log-level']), name: 'stacky worker',
      write: (line) => void stderr.write(line)});
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // One line per event, in the chosen format; the worker's own lines become the event text.
  log = (line: string) => logger.info(line.replace(/^stacky worker: /, ''));
  const stopBoundS = stopTimeout;
  if (values['print-systemd']) {
    const {systemdUnit} = await import('./serve-setup.js');
    process.stdout.write(systemdUnit('worker', argv, stopBoundS, values.db ?? defaultDbPath(env)));
    return 0;
  }

  // --listen: checked before anything connects (a bad address or a wide bind without tokens).
  let listen: {host: string; port: number; setup: Setup} | undefined;
  if (values.listen !== undefined) {
    const {host, port} = parseListen(values.listen);
    try {
      listen = {host, port, setup: setupFrom(values, host, logger)};
    } catch (error) {
      if (!(error instanceof RefusalError)) throw error;
      stderr.write(`stacky worker: ${error.message}\n`);
      return 2;
    }
    if (!listen.setup.tokens && !isLoopback(host)) {
      logger.warn('listening beyond loopback without tokens (--insecure): anyone who can reach the port can read /metrics', {host});
    }
  }

  const configPath = values.config ?? defaultWorkerConfigPath(env);
  let loaded;
  try {
    loaded = loadWorkerConfig(configPath);
  } catch (error) {
    if (!(error instanceof WorkerConfigError)) throw error;
    if (values.config === undefined) throw new UsageError(error.message);
    stderr.write(`stacky worker: ${error.message}\n`);
    return 2;
  }
  for (const w of loaded.warnings) log(`stacky worker: ${w}`);
  const modeWarning = workerConfigWarning(configPath);
  if (modeWarning) log(`stacky worker: warning: ${modeWarning}`);
  if (consumerPlan(loaded.config).length === 0) {
    stderr.write(`stacky worker: nothing to consume: no enabled deployment in ${configPath} lists topics\n`);
    return 2;
  }

  const dbPath = dbLocation(values, env);
  let writer;
  try {
    // As `stacky ingest --db`: the bulk writer keeps its indexes in memory well past a million rows.
    writer = await openWriter(dbPath, {cacheMiB: 512});
  } catch (error) {
    // A StoreOpenError names the database itself (PostgreSQL at user@host:port/db: ...).
    const what = error instanceof StoreOpenError ? '' : `cannot open the database ${describeLocation(dbPath)}: `;
    stderr.write(`stacky worker: ${what}${(error as Error).message}\n`);
    return 1;
  }
  log(`stacky worker: config ${configPath}, database ${describeLocation(dbPath)}`);

  const live: {handle?: WorkerHandle} = {};
  let health: {close(): Promise<void>} | undefined;
  if (listen) {
    try {
      health = await listenForHealth(listen, dbPath, () => live.handle, logger);
    } catch (error) {
      stderr.write(`stacky worker: cannot listen on ${values.listen}: ${(error as Error).message}\n`);
      await writer.close();
      return 1;
    }
  }
  const handle = live.handle = await startWorker(loaded.config, writer, log, {
    prefetch,
    batchSize: batch,
  });

  const retention = retain === undefined ? undefined : startRetention(dbPath, retain, {
    everySeconds: retainEvery,
    log: (event, fields) => logger.info(event, fields),
  });

  // Keeps the process up even while every consumer waits to reconnect.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log(`stacky worker: ${signal}: stopping`);
  // A second signal while stopping means "now".
  const force = () => {
    log('stacky worker: stopping immediately; unacked messages stay on the broker');
    process.exit(1);
  };
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  // In-flight batches get --stop-timeout to be stored and acked; then the process goes anyway.
  const late = setTimeout(() => {
    logger.error('stop took longer than --stop-timeout; unacked messages stay on the broker', {bound_s: stopBoundS});
    process.exit(1);
  }, stopBoundS * 1000);
  late.unref();
  await retention?.stop();
  await handle.stop();
  await health?.close();
  clearInterval(keepAlive);
  await writer.close();
  clearTimeout(late);
  logger.info('stop');
  process.removeListener('SIGINT', force);
  process.removeListener('SIGTERM', force);
  return 0;
}

/** GET /healthz and /metrics beside the worker (the consumers and the database, as serve --worker reports them). */
async function listenForHealth(listen: {host: string; port: number; setup: Setup}, location: string,
  consumers: () => ConsumerView | undefined, logger: Logger): Promise<{close(): Promise<void>}> {
  const store = await openStore(location);
  const {guard} = listen.setup.guard(store, consumers);
  const server = createHealthServer(guard);
  listen.setup.timeouts(server);
  let url: string;
  try {
    url = await listenAt(server, listen.port, listen.host);
  } catch (error) {
    await store.close();
    throw error;
  }
  if (listen.setup.tokens) reloadOnHup(listen.setup.tokens, logger);
  process.stdout.write(`listening on ${url}\n`);
  logger.info('health listening', {url, auth: listen.setup.tokens ? `${listen.setup.tokens.size} tokens` : 'none'});
  return {
    close: () => new Promise<void>((resolve) => {
      server.close(() => void store.close().then(resolve));
      server.closeAllConnections();
    }),
  };
}
