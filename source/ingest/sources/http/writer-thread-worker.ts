// Thread of writer-thread.ts: one connection, one pipeline, batches stored in the order they come.
import {parentPort, workerData} from 'node:worker_threads';
import {openStore} from '../../../store/store.js';
import {Pipeline} from '../../pipeline.js';
import type {IngestThreadData, IngestThreadReply, IngestThreadRequest} from './writer-thread.js';

const {dbPath, source} = workerData as IngestThreadData;
const store = openStore(dbPath);
const pipeline = new Pipeline(store.db, {source});
parentPort!.on('message', (m: IngestThreadRequest | 'close') => {
  if (m === 'close') {
    store.close();
    parentPort!.close();
    return;
  }
  const {id, chunk, defaults} = m;
  let reply: IngestThreadReply;
  try {
    reply = {id, result: pipeline.ingestChunk(chunk, defaults)};
  } catch (error) {
    reply = {id, error: (error as Error)?.message ?? String(error), code: (error as {code?: string})?.code};
  }
  parentPort!.postMessage(reply);
});
