import {useEffect, useRef} from 'react';
import type {CompletionContext} from '../commands.js';
import {backoffMs, describeError, type ConsoleSource} from '../data-source.js';
import type {Action} from '../state.js';
import {clean} from '../text.js';
import {isKind, type View} from '../views.js';
import {fetchView, needsLoad} from '../views/registry.js';
import {requestIdOf} from '../views/show.js';

/** Ids the `:` line completes, learnt from what views loaded. */
function learn(v: View, completion: CompletionContext): void {
  if (isKind(v, 'reports') && v.load.state === 'ok') completion.reportIds = v.load.data.slice(1).map((r) => clean(r[0]));
  if (isKind(v, 'show') && v.load.state === 'ok') {
    const req = requestIdOf(v.load.data);
    if (req) completion.requestIds = [...new Set([req, ...completion.requestIds])].slice(0, 50);
  }
}

/**
 * Fetches the top view when it needs data; an unreachable server is retried with backoff
 * (data-source.ts). A reply for a view that has since been reloaded is dropped.
 */
export function useViewLoader(top: View, source: ConsoleSource, dispatch: (a: Action) => void, completion: CompletionContext, retryBaseMs: number): void {
  const loadSeq = useRef(new Map<number, number>());
  useEffect(() => {
    const v = top;
    if (!needsLoad(v) || v.load.state !== 'idle') return;
    const n = (loadSeq.current.get(v.key) ?? 0) + 1;
    loadSeq.current.set(v.key, n);
    dispatch({type: 'loading', key: v.key});
    fetchView(v, source).then(
      (settle) => {
        if (loadSeq.current.get(v.key) !== n) return;
        dispatch({type: 'update', key: v.key, update: settle});
        learn(settle(v), completion);
      },
      (error: unknown) => {
        if (loadSeq.current.get(v.key) !== n) return;
        // The view's own status part shows the problem; a message too would say it twice (#7).
        dispatch({type: 'failed', key: v.key, problem: describeError(error)});
      },
    );
  }, [source, top, dispatch, completion]);

  useEffect(() => {
    if (top.load.state !== 'error' || top.load.problem.kind !== 'unreachable') return;
    const t = setTimeout(() => dispatch({type: 'reload', key: top.key}), backoffMs(top.load.attempt, retryBaseMs));
    return () => clearTimeout(t);
  }, [top.key, top.load, retryBaseMs, dispatch]);
}
