import {useEffect, useState} from 'react';

/** A slow clock (a re-render each second) for rates, retry countdowns, ages and expiring messages. */
export function useClock(): number {
  const [clock, setClock] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setClock(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return clock;
}
