// `stacky worker --config FILE [--db PATH]`: consume RabbitMQ as StackTach's worker did, into
// the SQLite file. Runs until SIGINT/SIGTERM, then stops consuming, stores and acks what was
// delivered, and closes the connections.
import {workerConfigWarning} from './file-modes.js';
import {parseArgs} from 'node:util';
import {openDatabase} from '../store/database.js';
import {defaultDbPath} from './paths.js';
import {consumerPlan, defaultWorkerConfigPath, loadWorkerConfig, WorkerConfigError} from '../ingest/amqp-config.js';
import {startWorker} from '../ingest/amqp-worker.js';
import {retainFlag, startRetention} from './retention-embed.js';
import {createLogger, loggerOptions, type Logger} from './log.js';

export interface WorkerRunOptions {
  env?: NodeJS.ProcessEnv;
  stderr?: {write(text: string): unknown};
}

const USAGE = 'usage: stacky worker --config FILE [--db PATH] [--prefetch N] [--batch N] [--retain SPAN] | --example-config';

function positiveInt(name: string, value: string | undefined): number | undefined | Error {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) return new Error(`--${name} must be a positive whole number, got '${value}'`);
  return n;
}

export async function run(argv: string[], options: WorkerRunOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const stderr = options.stderr ?? process.stderr;
  let log: (line: string) => void = (line) => void stderr.write(`${line}\n`);

  let values;
  try {
    ({values} = parseArgs({
      args: argv,
      options: {
        config: {type: 'string', short: 'c'},
        db: {type: 'string'},
        prefetch: {type: 'string'},
        batch: {type: 'string'},
        retain: {type: 'string'},
        'retain-every': {type: 'string'},
        'log-format': {type: 'string'},
        'log-level': {type: 'string'},
        'stop-timeout': {type: 'string'},
        'print-systemd': {type: 'boolean'},
        help: {type: 'boolean', short: 'h'},
        'example-config': {type: 'boolean'},
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    stderr.write(`stacky worker: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n\nConsume OpenStack notifications from RabbitMQ, configured as StackTach's worker\n` +
      `(etc/stacktach_worker_config.json format; default: $STACKTACH_DEPLOYMENTS_FILE or\n` +
      `./stacktach_worker_config.json), into the SQLite database (default: $STACKY_DB or the per-user data dir's stacky.db).\n` +
      `  --retain SPAN        delete notifications older than SPAN (30d, 12h, 2w) in the background\n` +
      `  --retain-every N     seconds between retention passes (default 600)\n` +
      `  --stop-timeout S     on SIGTERM, seconds to store and ack what arrived before exiting anyway (default 30)\n` +
      `  --log-format json|text  --log-level debug|info|warn|error  (default text, info)\n` +
      `  --print-systemd      print a systemd unit running this command line, and exit\n` +
      `  --example-config     print a commented config for a current cloud (exchanges and topics by name)\n`);
    return 0;
  }
  if (values['example-config']) {
    const {EXAMPLE_CONFIG} = await import('../ingest/amqp-example.js');
    process.stdout.write(EXAMPLE_CONFIG);
    return 0;
  }
  const prefetch = positiveInt('prefetch', values.prefetch);
  const batch = positiveInt('batch', values.batch);
  const retainEvery = positiveInt('retain-every', values['retain-every']);
  let retain: number | undefined;
  try {
    retain = retainFlag(values.retain);
  } catch (error) {
    stderr.write(`stacky worker: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const stopTimeout = positiveInt('stop-timeout', values['stop-timeout']);
  for (const v of [prefetch, batch, retainEvery, stopTimeout]) {
    if (v instanceof Error) {
      stderr.write(`stacky worker: ${v.message}\n${USAGE}\n`);
      return 2;
    }
  }

  let logger: Logger;
  try {
    logger = createLogger({...loggerOptions(values['log-format'], values['log-level']), name: 'stacky worker',
      write: (line) => void stderr.write(line)});
  } catch (error) {
    stderr.write(`stacky worker: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  // One line per event, in the chosen format; the worker's own lines become the event text.
  log = (line: string) => logger.info(line.replace(/^stacky worker: /, ''));
  const stopBoundS = (stopTimeout as number | undefined) ?? 30;
  if (values['print-systemd']) {
    const {systemdUnit} = await import('./serve-setup.js');
    process.stdout.write(systemdUnit('worker', argv, stopBoundS, values.db ?? defaultDbPath(env)));
    return 0;
  }

  const configPath = values.config ?? defaultWorkerConfigPath(env);
  let loaded;
  try {
    loaded = loadWorkerConfig(configPath);
  } catch (error) {
    if (!(error instanceof WorkerConfigError)) throw error;
    stderr.write(`stacky worker: ${error.message}\n`);
    if (values.config === undefined) stderr.write(`${USAGE}\n`);
    return 2;
  }
  for (const w of loaded.warnings) log(`stacky worker: ${w}`);
  const modeWarning = workerConfigWarning(configPath);
  if (modeWarning) log(`stacky worker: warning: ${modeWarning}`);
  if (consumerPlan(loaded.config).length === 0) {
    stderr.write(`stacky worker: nothing to consume: no enabled deployment in ${configPath} lists topics\n`);
    return 2;
  }

  const dbPath = values.db ?? defaultDbPath(env);
  let db;
  try {
    // As `stacky ingest --db`: the bulk writer keeps its indexes in memory well past a million rows.
    db = openDatabase(dbPath, {cacheMiB: 512});
  } catch (error) {
    stderr.write(`stacky worker: cannot open the database ${dbPath}: ${(error as Error).message}\n`);
    return 1;
  }
  log(`stacky worker: config ${configPath}, database ${dbPath}`);

  const handle = await startWorker(loaded.config, db, log, {
    prefetch: prefetch as number | undefined,
    batchSize: batch as number | undefined,
  });

  const retention = retain === undefined ? undefined : startRetention(dbPath, retain, {
    everySeconds: retainEvery as number | undefined,
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
  clearInterval(keepAlive);
  db.close();
  clearTimeout(late);
  logger.info('stop');
  process.removeListener('SIGINT', force);
  process.removeListener('SIGTERM', force);
  return 0;
}
