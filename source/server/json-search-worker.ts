// Worker thread of json-search.ts: one search on a read-only store of its own.
import {parentPort, workerData} from 'node:worker_threads';
import {openStore} from '../store/open.js';
import type {JsonSearchReply, JsonSearchRequest} from './json-search.js';

const {location, query} = workerData as JsonSearchRequest;
let reply: JsonSearchReply;
try {
  const store = await openStore(location, {readonly: true});
  try {
    reply = {rows: await store.raw.rows(query)};
  } finally {
    await store.close();
  }
} catch (error) {
  reply = {error: (error as Error).message};
}
parentPort!.postMessage(reply);
