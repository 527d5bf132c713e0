// Thread of `--retain` (retention-embed.ts): retention passes on a connection of their own, so a
// pass never blocks the serving or consuming event loop, and readers of the other connections
// never wait for it. Each message starts one pass of the store's Pruner (source/store/api.ts).
import {parentPort, workerData} from 'node:worker_threads';
import {openPruner} from '../store/open.js';
import type {PruneCounts} from '../store/types.js';

export interface RetentionThreadData {
  /** A SQLite path or a postgres:// URL (source/store/open.ts). */
  location: string;
}

export type RetentionRequest = {cutoff: number; nowMs: number} | 'stop';
export type RetentionReply = {counts: PruneCounts; seconds: number} | {error: string};

const {location} = workerData as RetentionThreadData;
// Opened on the first pass, so a store that cannot be reached fails that pass (logged), not the thread.
let pruner: ReturnType<typeof openPruner> | undefined;
let stopping = false;
let busy = false;

const close = () => {
  const closing = pruner?.then((p) => p.close(), () => undefined) ?? Promise.resolve();
  void closing.finally(() => parentPort!.close());
};

parentPort!.on('message', (m: RetentionRequest) => {
  if (m === 'stop') {
    stopping = true;
    if (!busy) close();
    return;
  }
  busy = true;
  const start = performance.now();
  pruner ??= openPruner(location);
  const opened = pruner;
  opened.then((p) => p.prune(m.cutoff, {nowMs: m.nowMs, stopped: () => stopping})).then(
    (counts) => parentPort!.postMessage({counts, seconds: Math.round(performance.now() - start) / 1000} satisfies RetentionReply),
    (error: unknown) => {
      // A store that could not be opened is tried again at the next pass.
      if (pruner === opened) opened.catch(() => (pruner = undefined));
      parentPort!.postMessage({error: (error as Error).message} satisfies RetentionReply);
    },
  ).finally(() => {
    busy = false;
    if (stopping) close();
  });
});
