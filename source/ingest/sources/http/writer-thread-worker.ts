// Thread of writer-thread.ts: one connection, one pipeline, batches stored in the order they come.
import {parentPort, workerData} from 'node:worker_threads';
import {openSqliteStore as openStore} from '../../../store/sqlite/store.js';
import {Pipeline} from '../../pipeline.js';
import type {IngestThreadData, IngestThreadReply, IngestThreadRequest, OutcomeCount} from './writer-thread.js';

const {dbPath, source} = workerData as IngestThreadData;
const store = openStore(dbPath);
// Each batch's rows by outcome go back with its result, for the server's /metrics.
let outcomes = new Map<string, OutcomeCount>();
const pipeline = new Pipeline(store.db, {source, observe: (row, status) => {
  const key = `${row.deployment}\0${row.exchange}\0${status}`;
  const counted = outcomes.get(key);
  if (counted) counted[3]++;
  else outcomes.set(key, [row.deployment, row.exchange, status, 1]);
}});
parentPort!.on('message', (m: IngestThreadRequest | 'close') => {
  if (m === 'close') {
    store.close();
    parentPort!.close();
    return;
  }
  const {id, chunk, defaults} = m;
  let reply: IngestThreadReply;
  try {
    reply = {id, result: pipeline.ingestChunk(chunk, defaults), outcomes: [...outcomes.values()]};
  } catch (error) {
    reply = {id, error: (error as Error)?.message ?? String(error), code: (error as {code?: string})?.code};
  }
  outcomes = new Map();
  parentPort!.postMessage(reply);
});
