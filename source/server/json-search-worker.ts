// Worker thread of json-search.ts: one search on a read-only connection of its own.
import {parentPort, workerData} from 'node:worker_threads';
import {openStore} from '../store/store.js';
import type {JsonSearchReply, JsonSearchRequest} from './json-search.js';

const {dbPath, query} = workerData as JsonSearchRequest;
let reply: JsonSearchReply;
try {
  const store = openStore(dbPath, {readonly: true});
  try {
    reply = {rows: store.raw.rows(query)};
  } finally {
    store.close();
  }
} catch (error) {
  reply = {error: (error as Error).message};
}
parentPort!.postMessage(reply);
