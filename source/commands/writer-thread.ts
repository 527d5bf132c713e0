// Ingest off the HTTP event loop (issue #18): the demo feeder and `serve --worker` write from a
// thread of their own with its own SQLite connection, so no request waits behind a batch. The
// server sees their commits through the data version (source/store/version.ts).
import {Worker} from 'node:worker_threads';
import {lowerThisThread} from '../ingest/thread-priority.js';

/** Starts `script` (next to this file) on a thread: the compiled .js, or the .ts through tsx (tests, bench). */
export function startWriterThread(script: string, workerData: unknown): Worker {
  const ts = import.meta.url.endsWith('.ts');
  const url = new URL(`./${script}.${ts ? 'ts' : 'js'}`, import.meta.url);
  if (!ts) return new Worker(url, {workerData});
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, {eval: true, workerData});
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
