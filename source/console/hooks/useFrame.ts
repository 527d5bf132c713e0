import {useMemo} from 'react';
import type {StatusPart} from '../components/Chrome.js';
import {buildStatus} from '../status.js';
import {heights, listingBody, naturalWidth, watchBody, type Frame} from '../frame.js';
import {helpLines} from '../keymap.js';
import {resolveCursor, windowTopOf} from '../selection.js';
import {topView, type AppState} from '../state.js';
import type {WatchTail} from '../tail.js';
import {matches, wrapText} from '../text.js';
import {buildListing, scopesOf} from '../views/registry.js';
import {inflightListing} from '../views/inflight.js';
import {WatchRows, type Snapshot} from '../watch-rows.js';
import type {Size} from './useTerminalSize.js';

export interface FrameInput {
  state: AppState;
  tail: WatchTail;
  /** The tail's rows at its last version. */
  snapshot: Snapshot;
  /** The latest moment this render knows of (never read from the clock during render). */
  now: number;
  size: Size;
  stuckMs: number;
}

export interface Drawn extends Frame {
  cursor: number;
  windowTop: number;
  status: StatusPart[];
  help: string[];
}

/** What this render shows of the top view: its rows, the cursor and window over them, the help lines. */
export function useFrame({state, tail, snapshot, now, size, stuckMs}: FrameInput): Drawn {
  const top = topView(state);
  const width = size.columns;
  const {bodyHeight} = heights(size.rows);
  // Only the in-flight view follows the tail and the clock; the others follow their view.
  const inflightRows = top.kind === 'inflight' ? snapshot : undefined;
  const inflightNow = top.kind === 'inflight' ? now : 0;
  const listing = useMemo(
    () => (top.kind === 'watch' ? undefined : inflightRows ? inflightListing(inflightRows, inflightNow, stuckMs, tail.service, state.relative) : buildListing(top)),
    [state.relative, top, inflightRows, inflightNow, stuckMs, tail.service],
  );
  // Over a snapshot, never the live ring: a batch arriving before this render would push the
  // first rows out under it (seen: a crash on a row index that was valid a moment earlier).
  const watchSnapshot = top.kind === 'watch' ? (state.watch.frozen ?? snapshot) : undefined;
  const relativeTo = top.kind === 'watch' && state.relative ? now : undefined;
  const watchRows = useMemo(
    () => (watchSnapshot ? new WatchRows(watchSnapshot, state.watch.pausedAt, top.filter, tail.service, relativeTo) : undefined),
    [watchSnapshot, state.watch.pausedAt, top.filter, tail.service, relativeTo],
  );
  const body = useMemo(() => (watchRows ? watchBody(watchRows, state.relative) : listingBody(top, listing ?? {tables: [], lines: []})), [watchRows, listing, top, state.relative]);
  const listHeight = Math.max(1, bodyHeight - body.above - (body.pinned ? 1 : 0));
  const cursor = resolveCursor(state, body.rows);
  const windowTop = windowTopOf(state, body.rows, listHeight, cursor);
  const natural = useMemo(() => naturalWidth(body, windowTop, listHeight), [body, windowTop, listHeight]);

  const status = buildStatus(state, top, tail, body, now, stuckMs);
  const statusText = state.mode.kind === 'help' ? status.map((p) => p.text).join('') : '';
  // `?` opens with the whole status line (never cut there, #6), then the keys of this view first.
  const mode = state.mode;
  const help = useMemo(() => {
    if (mode.kind !== 'help') return [];
    const keys = helpLines(scopesOf(top.kind));
    if (mode.filter) return keys.filter((l) => l.startsWith(' ') && matches(l, mode.filter ?? ''));
    return [...wrapText(`Status: ${statusText.trim()}`, width), '', ...keys];
  }, [mode, top.kind, width, statusText]);

  const watch = watchRows && watchSnapshot ? {rows: watchRows, snapshot: watchSnapshot} : undefined;
  return {body, watch, width, bodyHeight, listHeight, natural, helpLines: help.length, cursor, windowTop, status, help};
}
