// Worker thread: prepares batches (parse, fields, deflate) for ParallelIngest on the main thread.
import {parentPort} from 'node:worker_threads';
import {Preparer, type LinesChunk, type PackedItems, type Prepared, type Work} from './prepare.js';
import type {LineDefaults} from './sources/jsonl/line.js';
import {lowerThisThread} from '../threads.js';

export interface PrepareRequest {
  id: number;
  work: Work[] | LinesChunk | PackedItems;
  defaults: LineDefaults;
}

export interface PrepareReply {
  id: number;
  rows: Prepared[];
}

// The writing thread is the serial stage: when the cores are contended (two preparing threads,
// the broker, V8's helpers), it should run whenever it can.
lowerThisThread(10);
const preparer = new Preparer();

parentPort!.on('message', (req: PrepareRequest | 'reset') => {
  if (req === 'reset') {
    preparer.reset();
    return;
  }
  const work = req.work;
  const rows = Array.isArray(work) ? work.map((w) => preparer.prepareWork(w, req.defaults))
    : 'ends' in work ? preparer.preparePacked(work) : preparer.prepareChunk(work, req.defaults);
  const transfer: ArrayBuffer[] = [];
  for (const row of rows) {
    // Nova payloads are not needed after parsing; cloning them back would cost more than the rest.
    if (row.notification?.kind === 'nova') row.notification.payload = {};
    if (row.jsonZ) {
      // encodeJson gives each blob a buffer of its own; anything else is copied before it moves.
      const z = row.jsonZ;
      const own = z.byteOffset === 0 && z.byteLength === z.buffer.byteLength ? z : new Uint8Array(z);
      row.jsonZ = own;
      transfer.push(own.buffer as ArrayBuffer);
    }
  }
  parentPort!.postMessage({id: req.id, rows} satisfies PrepareReply, transfer);
});
