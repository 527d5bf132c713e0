// Thread of `stacky serve --worker` (worker-embed.ts): the RabbitMQ worker with a connection of
// its own, so its batches are written off the HTTP event loop (writer-thread.ts).
import {parentPort, workerData} from 'node:worker_threads';
import {loadWorkerConfig} from '../ingest/sources/amqp/config.js';
import {startWorker} from '../ingest/sources/amqp/worker.js';
import {openWriter} from '../store/open.js';
import {yieldToReaders} from './writer-thread.js';

export interface AmqpThreadData {
  configPath: string;
  dbPath: string;
}

/** The consumers' state as /healthz and /metrics read it (source/server/metrics.ts ConsumerView). */
export interface ConsumerSnapshot {
  states: Map<string, {state: string}>;
  stats: Map<string, {stored: number; duplicates: number; quarantined: number}>;
  depths?: Map<string, number>;
}

/** What the thread posts: a log line, the consumers' state, that it consumes (or failed to start), that it stopped. */
export type AmqpThreadMessage = {log: string} | {view: ConsumerSnapshot} | {started: true} | {error: string} | {stopped: true};

yieldToReaders();
const {configPath, dbPath} = workerData as AmqpThreadData;
const post = (m: AmqpThreadMessage) => parentPort!.postMessage(m);
try {
  // Already loaded once by the serving thread, which printed its warnings.
  const {config} = loadWorkerConfig(configPath);
  const writer = await openWriter(dbPath);
  const live: {handle?: Awaited<ReturnType<typeof startWorker>>} = {};
  const snapshot = () => {
    const h = live.handle;
    if (h) post({view: {states: h.states(), stats: h.stats(), depths: h.depths?.()}});
  };
  const handle = await startWorker(config, writer, (line) => {
    post({log: line});
    snapshot(); // a state change is usually logged
  });
  live.handle = handle;
  snapshot();
  const timer = setInterval(snapshot, 1000);
  post({started: true});
  parentPort!.on('message', (m) => {
    if (m !== 'stop') return;
    clearInterval(timer);
    void handle.stop().then(async () => {
      snapshot();
      await writer.close();
      post({stopped: true});
      parentPort!.close();
    });
  });
} catch (error) {
  post({error: (error as Error).message});
  parentPort!.close();
}
