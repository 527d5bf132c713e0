// Worker thread: prepares batches (parse, fields, deflate) for ParallelIngest on the main thread.
import {parentPort} from 'node:worker_threads';
import {Preparer, type LinesChunk, type Prepared, type Work} from './prepare.js';
import type {LineDefaults} from './jsonl.js';

export interface PrepareRequest {
  id: number;
  work: Work[] | LinesChunk;
  defaults: LineDefaults;
}

export interface PrepareReply {
  id: number;
  rows: Prepared[];
}

const preparer = new Preparer();

parentPort!.on('message', (req: PrepareRequest | 'reset') => {
  if (req === 'reset') {
    preparer.reset();
    return;
  }
  const rows = Array.isArray(req.work)
    ? req.work.map((w) => preparer.prepareWork(w, req.defaults))
    : preparer.prepareChunk(req.work, req.defaults);
  const transfer: ArrayBuffer[] = [];
  for (const row of rows) {
    // Nova payloads are not needed after parsing; cloning them back would cost more than the rest.
    if (row.notification?.kind === 'nova') row.notification.payload = {};
    if (row.jsonZ) {
      // Own buffer of exact size: zlib output may sit in a shared pool slab.
      const own = new Uint8Array(row.jsonZ);
      row.jsonZ = own;
      transfer.push(own.buffer);
    }
  }
  parentPort!.postMessage({id: req.id, rows} satisfies PrepareReply, transfer);
});
