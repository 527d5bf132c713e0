import {useEffect, useState} from 'react';
import type {WatchTail} from '../tail.js';

/**
 * Re-render when the tail changes, at most once per `intervalMs`: however fast rows arrive,
 * the console draws at most ~15 frames a second.
 */
export function useTailVersion(tail: WatchTail, intervalMs: number): number {
  const [version, setVersion] = useState(tail.version);
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    let last = 0;
    const unsubscribe = tail.subscribe(() => {
      if (timer) return;
      const wait = Math.max(0, last + intervalMs - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        setVersion(tail.version);
      }, wait);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [tail, intervalMs]);
  return version;
}
