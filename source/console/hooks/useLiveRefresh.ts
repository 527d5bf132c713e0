import {useEffect, useRef} from 'react';
import type {ConsoleSource} from '../data-source.js';
import type {Action} from '../state.js';
import type {WatchTail} from '../tail.js';
import {asTable} from '../views/tables.js';
import {isKind, type InstanceView, type RequestView, type View} from '../views.js';
import {fetchView} from '../views/registry.js';

/** Event ids an instance or request view shows now (for marking what a live refresh adds). */
export function shownEventIds(v: InstanceView | RequestView): number[] {
  if (v.load.state !== 'ok') return [];
  const table = asTable(isKind(v, 'instance') ? v.load.data.events : v.load.data);
  return table.slice(1).map((r) => Number(r[0]));
}

/**
 * Live drill-downs (#16): an open instance refetches when the tail brings rows for its uuid; a
 * request (its rows carry no uuid the tail could match) refetches on the tail's own rhythm.
 * It runs for new rows or a new view, not for every change of the view (a cursor move): the
 * view is read from a ref that follows the latest render.
 */
export function useLiveRefresh(top: View, tail: WatchTail, tailVersion: number, source: ConsoleSource, pollSeconds: number, dispatch: (a: Action) => void): void {
  const checkedSeq = useRef(-1);
  const lastRefresh = useRef(0);
  const latestTop = useRef(top);
  useEffect(() => {
    latestTop.current = top;
  });
  useEffect(() => {
    const v = latestTop.current;
    const from = Math.max(checkedSeq.current + 1, tail.buffer.firstSeq);
    checkedSeq.current = tail.buffer.lastSeq;
    if ((v.kind !== 'instance' && v.kind !== 'request') || v.load.state !== 'ok') return;
    let due = false;
    if (v.kind === 'instance') {
      for (let s = from; s <= tail.buffer.lastSeq && !due; s++) due = tail.buffer.bySeq(s)?.uuid === v.uuid;
    } else due = Date.now() - lastRefresh.current >= Math.max(2000, pollSeconds * 2000);
    if (!due) return;
    lastRefresh.current = Date.now();
    const known = v.known ?? shownEventIds(v);
    fetchView(v, source).then(
      (settle) =>
        dispatch({
          type: 'update',
          key: v.key,
          update: (c) => {
            const next = settle(c);
            return isKind(next, 'instance') || isKind(next, 'request') ? {...next, known} : next;
          },
        }),
      () => undefined, // the next rows try again; the view keeps what it shows
    );
  }, [tailVersion, top.key, tail.buffer, source, pollSeconds, dispatch]);
}
