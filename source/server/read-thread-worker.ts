// A read thread (read-threads.ts): answers the serving thread's uncached read requests with the
// same route table and handlers, on a read-only store of its own.
import {parentPort, workerData} from 'node:worker_threads';
import {openStore} from '../store/open.js';
import {pyDumps} from '../core/pyjson.js';
import {RawBody, StreamBody} from './context.js';
import {HttpError} from './http-error.js';
import {Query} from './params.js';
import {ROUTES} from './routes.js';
import type {ServerLimits} from './limits.js';
import type {JsonSearches} from './json-search.js';
import type {ReadReply, ReadRequest} from './read-threads.js';

const {location, limits} = workerData as {location: string; limits: ServerLimits};
const store = await openStore(location, {readonly: true});
/** Routes that search the raw JSON stay on the serving thread (routes.ts `mainThread`): none reaches this. */
const searches = null as unknown as JsonSearches;

/** The reply's text; a streamed one (routes that stream stay on the serving thread) is gathered whole. */
async function textOf(body: unknown): Promise<string> {
  if (body instanceof RawBody) return body.text;
  if (!(body instanceof StreamBody)) return pyDumps(body);
  let text = '';
  for await (const part of body.parts) text += part;
  return text;
}

async function answer(req: ReadRequest): Promise<ReadReply> {
  try {
    const body = await ROUTES[req.route]!.handler({
      store, query: new Query(new URLSearchParams(req.search)), path: req.captures, now: () => req.now, limits, searches,
    });
    return {id: req.id, text: await textOf(body)};
  } catch (error) {
    if (error instanceof HttpError) {
      return {id: req.id, http: {status: error.status, type: error.type, message: error.message, extra: error.extra,
        headers: error.headers}};
    }
    const code = (error as {code?: unknown} | null)?.code;
    return {id: req.id, internal: error instanceof Error
      ? {name: error.name, message: error.message, ...(typeof code === 'string' ? {code} : {})}
      : {name: 'Error', message: String(error)}};
  }
}

parentPort!.postMessage('ready');
parentPort!.on('message', (m: ReadRequest | 'stop') => {
  if (m === 'stop') {
    void store.close().finally(() => parentPort!.close());
    return;
  }
  void answer(m).then((reply) => parentPort!.postMessage(reply));
});
