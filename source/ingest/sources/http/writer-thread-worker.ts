// Thread of writer-thread.ts: one connection, one pipeline, batches stored in the order they come.
import {parentPort, workerData} from 'node:worker_threads';
import {openWriter} from '../../../store/open.js';
import {Pipeline} from '../../pipeline.js';
import type {Writer} from '../../../store/types.js';
import type {IngestThreadData, IngestThreadReply, IngestThreadRequest, OutcomeCount} from './writer-thread.js';

const {dbPath, source} = workerData as IngestThreadData;
// Each batch's rows by outcome go back with its result, for the server's /metrics.
let outcomes = new Map<string, OutcomeCount>();
let opened: Promise<{writer: Writer; pipeline: Pipeline}> | undefined;

/**
 * The connection, opened on the first batch. An open that failed (the database was down) is
 * tried again on the next batch instead of failing every later one (issue #16).
 */
function open(): Promise<{writer: Writer; pipeline: Pipeline}> {
  if (opened) return opened;
  const attempt = openWriter(dbPath).then((writer) => ({writer, pipeline: new Pipeline(writer, {source, observe: (row, status) => {
    const key = `${row.deployment}\0${row.exchange}\0${status}`;
    const counted = outcomes.get(key);
    if (counted) counted[3]++;
    else outcomes.set(key, [row.deployment, row.exchange, status, 1]);
  }})}));
  opened = attempt;
  attempt.catch(() => {
    if (opened === attempt) opened = undefined;
  });
  return attempt;
}
// Batches are stored one after another, in the order they came; 'close' waits for them.
let queue: Promise<void> = Promise.resolve();
parentPort!.on('message', (m: IngestThreadRequest | 'close') => {
  queue = queue.then(() => handle(m));
});

async function handle(m: IngestThreadRequest | 'close'): Promise<void> {
  if (m === 'close') {
    await opened?.then(({writer}) => writer.close(), () => undefined);
    parentPort!.close();
    return;
  }
  const {id, chunk, defaults} = m;
  let reply: IngestThreadReply;
  try {
    reply = {id, result: await (await open()).pipeline.ingestChunk(chunk, defaults), outcomes: [...outcomes.values()]};
  } catch (error) {
    reply = {id, error: (error as Error)?.message ?? String(error), code: (error as {code?: string})?.code};
  }
  outcomes = new Map();
  parentPort!.postMessage(reply);
}
