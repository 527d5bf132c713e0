// `stacky serve --worker FILE`: the RabbitMQ worker inside the server process, same database.
import type {Db} from '../store/database.js';
import {loadWorkerConfig, WorkerConfigError} from '../ingest/amqp-config.js';
import {startWorker} from '../ingest/amqp-worker.js';
import {UsageError} from './args.js';
import {workerConfigWarning} from './file-modes.js';
import type {Logger} from './log.js';
import type {ConsumerView} from '../server/metrics.js';

export async function startWorkerFromFile(path: string, db: Db, logger?: Logger):
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
  const handle = await startWorker(loaded.config, db, log);
  return {stop: () => handle.stop(), view: handle};
}
