import {useEffect, useState} from 'react';
import type {WatchTail} from '../tail.js';
import {Snapshot} from '../watch-rows.js';

export interface TailVersion {
  version: number;
  /** The tail's rows as they were at this version: views draw over it, never over the live ring. */
  snapshot: Snapshot;
  /** When this version was taken (ms): a render for new rows knows the time without asking during render. */
  at: number;
}

/**
 * Re-render when the tail changes, at most once per `intervalMs`: however fast rows arrive,
 * the console draws at most ~15 frames a second.
 */
export function useTailVersion(tail: WatchTail, intervalMs: number): TailVersion {
  const [current, setCurrent] = useState<TailVersion>(() => ({version: tail.version, snapshot: new Snapshot(tail.buffer), at: Date.now()}));
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    let last = 0;
    const unsubscribe = tail.subscribe(() => {
      if (timer) return;
      const wait = Math.max(0, last + intervalMs - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        setCurrent((c) => (c.version === tail.version ? c : {version: tail.version, snapshot: new Snapshot(tail.buffer), at: last}));
      }, wait);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [tail, intervalMs]);
  return current;
}
