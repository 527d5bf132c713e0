// Ingest off the HTTP event loop (issue #18): the demo feeder and `serve --worker` write from a
// thread of their own with its own connection to the store, so no request waits behind a batch.
// The server sees their commits through the store's version (source/store/api.ts).
import type {Worker} from 'node:worker_threads';
import {lowerThisThread, startThread} from '../threads.js';

/** Starts `script` (next to this file) on a thread. */
export function startWriterThread(script: string, workerData: unknown): Worker {
  return startThread(`./${script}`, import.meta.url, {workerData});
}

/** Asks a writer thread to stop (it finishes the batch in hand and closes its connection); resolves when it has exited. */
export function stopWriterThread(thread: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (thread.threadId === -1) return resolve(); // already gone (it failed)
    thread.once('exit', () => resolve());
    thread.postMessage('stop');
  });
}

/** Nice levels a writer thread puts itself below the serving thread (Linux; elsewhere a no-op). */
export const WRITER_NICENESS = 5;

/**
 * Called first thing on a writer thread: when the cores are contended, the thread answering
 * requests runs first and a batch waits, not a reader (event-loop delay, issue #18). A batch
 * a second at 2,000/s needs about a third of a core, which the lower priority still leaves it.
 * On Linux a thread's nice value is its own (/proc/thread-self names it).
 */
export function yieldToReaders(): void {
  lowerThisThread(WRITER_NICENESS);
}
