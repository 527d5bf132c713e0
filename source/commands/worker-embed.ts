// `stacky serve --worker FILE`: the RabbitMQ worker inside the server process, same database,
// on a thread with a connection of its own (amqp-thread.ts) so no request waits behind a batch.
import {loadWorkerConfig, WorkerConfigError} from '../ingest/sources/amqp/config.js';
import {startWriterThread, stopWriterThread} from './writer-thread.js';
import type {AmqpThreadData, AmqpThreadMessage, ConsumerSnapshot} from './amqp-thread.js';
import {UsageError} from './args.js';
import {workerConfigWarning} from './file-modes.js';
import type {Logger} from './log.js';
import type {ConsumerView} from '../server/metrics.js';

/** `location` is the serving store's: the thread opens its own writer there. */
export async function startWorkerFromFile(path: string, location: string, logger?: Logger):
  Promise<{stop: () => Promise<void>; view: ConsumerView}> {
  let loaded;
  try {
    loaded = loadWorkerConfig(path);
  } catch (error) {
    if (error instanceof WorkerConfigError) throw new UsageError(error.message);
    throw error;
  }
  const log = (line: string) => (logger ? logger.info(line) : void process.stderr.write(`${line}\n`));
  for (const warning of loaded.warnings) log(`stacky serve: ${warning}`);
  const modeWarning = workerConfigWarning(path);
  if (modeWarning) log(`stacky serve: warning: ${modeWarning}`);
  const data: AmqpThreadData = {configPath: path, dbPath: location};
  const thread = startWriterThread('amqp-thread', data);
  // /healthz and /metrics read the consumers' state: the thread posts it each second and on changes.
  let seen: ConsumerSnapshot = {states: new Map(), stats: new Map()};
  await new Promise<void>((resolve, reject) => {
    thread.on('message', (m: AmqpThreadMessage) => {
      if ('log' in m) log(m.log);
      else if ('view' in m) seen = m.view;
      else if ('started' in m) resolve();
      else if ('error' in m) reject(new Error(m.error));
    });
    thread.once('error', reject);
    thread.once('exit', () => reject(new Error('the worker thread exited before consuming')));
  });
  const view: ConsumerView = {states: () => seen.states, stats: () => seen.stats, depths: () => seen.depths ?? new Map()};
  return {stop: () => stopWriterThread(thread), view};
}
