// Thread of `--retain` (retention-embed.ts): retention passes on a connection of their own, so a
// pass never blocks the serving or consuming event loop, and readers of the other connections
// never wait for it (WAL). Each message starts one paced pass (source/store/sqlite/retention.ts).
import {parentPort, workerData} from 'node:worker_threads';
import {openDatabase} from '../store/sqlite/database.js';
import {emptyCounts, prunePaced, type PruneCounts} from '../store/sqlite/retention.js';

export interface RetentionThreadData {
  dbPath: string;
}

export type RetentionRequest = {cutoff: number; nowMs: number} | 'stop';
export type RetentionReply = {counts: PruneCounts; seconds: number} | {error: string};

const {dbPath} = workerData as RetentionThreadData;
const db = openDatabase(dbPath);
let stopping = false;
let busy = false;

const close = () => {
  db.close();
  parentPort!.close();
};

parentPort!.on('message', (m: RetentionRequest) => {
  if (m === 'stop') {
    stopping = true;
    if (!busy) close();
    return;
  }
  busy = true;
  const start = performance.now();
  prunePaced(db, m.cutoff, emptyCounts(), {nowMs: m.nowMs, stopped: () => stopping}).then(
    (counts) => parentPort!.postMessage({counts, seconds: Math.round(performance.now() - start) / 1000} satisfies RetentionReply),
    (error: unknown) => parentPort!.postMessage({error: (error as Error).message} satisfies RetentionReply),
  ).finally(() => {
    busy = false;
    if (stopping) close();
  });
});
