// A thread that should give way when the cores are contended lowers its own nice value: on
// Linux a thread's nice value is its own (/proc/thread-self names the thread); elsewhere the
// thread keeps the process's priority.
import {readlinkSync} from 'node:fs';
import {getPriority, setPriority} from 'node:os';

/** Puts the calling thread `by` nice levels lower (at most 19). */
export function lowerThisThread(by: number): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(tid, Math.min(19, getPriority(tid) + by));
  } catch {
    // no /proc/thread-self (not Linux)
  }
}
