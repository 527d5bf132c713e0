// Thread of `stacky demo`'s feeder (demo.ts): generates the stream as real time reaches its
// timestamps and stores it through the pipeline on a connection of its own (writer-thread.ts).
import {parentPort, workerData} from 'node:worker_threads';
import {DemoGenerator} from '../demo/generator.js';
import {DemoPacer} from '../demo/pacer.js';
import type {DemoShape, Envelope} from '../demo/types.js';
import {Pipeline} from '../ingest/pipeline.js';
import type {IngestItem} from '../ingest/item.js';
import {openWriter} from '../store/open.js';
import {yieldToReaders} from './writer-thread.js';

export interface FeederData {
  dbPath: string;
  rate: number;
  seed: number;
  shape: DemoShape;
}

/** What the thread posts: after each batch the counts stored and generated so far, or a failed batch's message. */
export type FeederMessage = {stored: number; offered: number} | {error: string};

const TICK_MS = 100;

function toItem(e: Envelope): IngestItem {
  return {deployment: e.deployment, exchange: e.exchange, routingKey: e.routing_key, body: e.body};
}

yieldToReaders();
const {dbPath, rate, seed, shape} = workerData as FeederData;
const writer = await openWriter(dbPath);
const pipeline = new Pipeline(writer, {source: 'demo'});
const generator = new DemoGenerator({seed, rate, startMicros: Date.now() * 1000, shape});
// Up to 5 s of notifications a batch: a feeder that fell behind (a busy core) catches up in a few.
const pacer = new DemoPacer(generator, rate * 5);
let stored = 0;
let offered = 0;
const post = (m: FeederMessage) => parentPort!.postMessage(m);
// One batch at a time: a tick while the last batch is still being stored is skipped.
let storing: Promise<void> | undefined;
const timer = setInterval(() => {
  if (storing) return;
  const batch = pacer.until(Date.now() * 1000).map(toItem);
  if (batch.length === 0) return;
  offered += batch.length;
  storing = pipeline.ingest(batch).then((r) => {
    stored += r.stored;
    post({stored, offered});
  }, (error: unknown) => post({error: (error as Error).message})).finally(() => {
    storing = undefined;
  });
}, TICK_MS);
parentPort!.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  void (storing ?? Promise.resolve()).then(() => writer.close()).then(() => parentPort!.close());
});
