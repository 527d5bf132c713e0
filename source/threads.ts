// Threads of Stacky's own (preparing, writing, reading, searching, pruning): how one starts, and
// how one gives way when the cores are contended.
import {readlinkSync} from 'node:fs';
import {getPriority, setPriority} from 'node:os';
import {Worker, type WorkerOptions} from 'node:worker_threads';

/**
 * Starts the module `script` (a path without extension, relative to `base`, the caller's
 * import.meta.url) on a thread: the compiled .js, or under tsx (tests, bench) the .ts through tsx.
 */
export function startThread(script: string, base: string, options: WorkerOptions = {}): Worker {
  const ts = base.endsWith('.ts');
  const url = new URL(`${script}.${ts ? 'ts' : 'js'}`, base);
  if (!ts) return new Worker(url, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, {...options, eval: true});
}

/**
 * Puts the calling thread `by` nice levels lower (at most 19). On Linux a thread's nice value is
 * its own (/proc/thread-self names the thread); elsewhere the thread keeps the process's priority.
 */
export function lowerThisThread(by: number): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(tid, Math.min(19, getPriority(tid) + by));
  } catch {
    // no /proc/thread-self (not Linux)
  }
}
