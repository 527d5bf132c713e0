// The console: one state reducer, one key dispatcher driven by keymap.ts, and panes that only
// draw. Every line is pre-cut to the width, and the frame is always rows − 1 lines tall.
import React, {useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState} from 'react';
import {Box, Text, useApp, useInput, useStdin, type Key} from 'ink';
import type {Settings} from '../commands/settings.js';
import type {StackyService} from '../client/types.js';
import {complete, parseCommand, type Command, type CompletionContext} from './commands.js';
import {layoutColumns} from './columns.js';
import {backoffMs, describeError, type ConsoleSource} from './data-source.js';
import {charKeyName, footerHints, helpLines, keyFor, keyName, lookup, type ActionId, type Scope} from './keymap.js';
import {emptySearch, initialState, reducer, topView, type AppState, type Mode, type Status, type ViewSpec} from './state.js';
import {WatchTail} from './tail.js';
import {clean, fit, matches, sparkline, toEpoch, truncate, wrapText} from './text.js';
import {makeTheme, type Theme} from './theme.js';
import {
  applyFilter, buildListing, shownEventIds, currentPane, fetchView, needsLoad, pageSize, panes, reportColumnCount, reportHeader,
  summaryCycle, viewLabel, type Line, type Listing, type Target, type View,
} from './views.js';
import {Snapshot, WatchRows, watchColumns} from './watch-rows.js';
import {useTerminalSize, type Size} from './hooks/useTerminalSize.js';
import {useTailVersion} from './hooks/useTailVersion.js';
import {Crumbs, Footer, InputLine, StatusLine, TabBar, TooSmall, type StatusPart} from './components/Chrome.js';
import {LineRow, lineText} from './components/LineRow.js';
import {saveJson} from './save.js';
import {inflightListing} from './views/inflight.js';
import {viewDefs} from './views/registry.js';
import {move, type Move} from './selection.js';

export const minColumns = 80;
export const minRows = 24;

export interface AppProps {
  source: ConsoleSource;
  settings: Settings;
  /** Fixed terminal size (tests); otherwise stdout's, following resizes. */
  size?: Size;
  env?: NodeJS.ProcessEnv;
  /** Where `y` also saves a raw event's JSON (start.tsx: the data directory); no file when absent. */
  saveDir?: string;
  /** Puts text on the terminal's clipboard (start.tsx: OSC 52). */
  clipboard?: (text: string) => void;
  /** Ring-buffer size of the watch pane. */
  capacity?: number;
  /** Minimum gap between tail-driven renders (default 66 ms ≈ 15 fps). */
  renderIntervalMs?: number;
  banner?: string;
  /** Backoff base for retries (tests use a few ms). */
  retryBaseMs?: number;
  onExit?: (code: number) => void;
  /** Age past which an in-flight operation is highlighted (default 60 s). */
  stuckSeconds?: number;
  /** A tail made by the caller (launch.tsx, for its stats); the app makes one otherwise. */
  tail?: WatchTail;
}

/** Rows of the current view that the key handler and the body share. */
interface RowsLike {
  length: number;
  line(index: number): Line | undefined;
}

interface Body {
  rows: RowsLike;
  hidden: number;
  tables: Listing['tables'];
  /** A header line kept above the scrolling rows. */
  pinned?: Line;
  /** Lines the pane draws above the list (search form). */
  above: number;
  /** Fallback target for rows without one. */
  target?: Target;
  empty?: string;
}

const statusTtlMs = 6000;

function scopesFor(kind: View['kind']): Scope[] {
  return viewDefs[kind].scopes;
}

const printable = /^[^\u0000-\u001f\u007f]+$/;

/** One character of a multi-character read, as a key. */
function charKey(ch: string): {name: string; input: string} {
  return {name: charKeyName(ch), input: ch};
}

/** A key that types its character (letters, digits, punctuation, space) in a text field. */
function typed(name: string, input: string): boolean {
  return input.length === 1 && printable.test(input) && (name === input || name === charKeyName(input));
}

function arrayRows(lines: Line[]): RowsLike {
  return {length: lines.length, line: (i) => lines[i]};
}

export function App(props: AppProps) {
  const {source, settings} = props;
  const theme: Theme = useMemo(() => makeTheme(props.env ?? process.env), [props.env]);
  const size = useTerminalSize(props.size);
  const {isRawModeSupported} = useStdin();
  const {exit} = useApp();
  // Made once: the tail lives as long as the console, whatever props later say.
  const [tail] = useState(
    () =>
      props.tail ??
      new WatchTail(source, {
        deployment: settings.deployment,
        service: settings.service,
        pollMs: Math.max(200, settings.pollSeconds * 1000),
        capacity: props.capacity ?? 5000,
        baseBackoffMs: props.retryBaseMs,
      }),
  );
  const {version: tailVersion, snapshot: tailSnapshot, at: tailAt} = useTailVersion(tail, props.renderIntervalMs ?? 66);
  const [state, dispatch] = useReducer(reducer, undefined, initialState);
  const [clock, setClock] = useState(() => Date.now());
  const loadSeq = useRef(new Map<number, number>());
  const completion = useRef<CompletionContext>({deployments: [], uuids: [], requestIds: [], reportIds: [], eventNames: []});

  useEffect(() => {
    tail.start();
    return () => tail.stop();
  }, [tail]);

  // A slow clock (a re-render each second) for the events/s figure, retry countdowns and
  // expiring status messages.
  useEffect(() => {
    const t = setInterval(() => setClock(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  // Deployment names for `:watch` completion; refreshed when the command line opens.
  const loadDeployments = () => {
    source.deployments().then(
      (t) => {
        completion.current.deployments = t.slice(1).map((r) => clean(r[1]));
      },
      () => undefined,
    );
  };
  useEffect(loadDeployments, [source]);

  const top = topView(state);
  // The time is never read during render: it is the latest moment this render knows of (the
  // clock's tick, the tail's last version, the status message just set).
  const now = Math.max(clock, tailAt, state.status?.at ?? 0);
  const setStatus = (text: string, tone: Status['tone'] = 'info') => dispatch({type: 'status', status: {text, tone, at: Date.now()}});

  // Fetch the top view when it needs data; retry an unreachable server with backoff.
  useEffect(() => {
    const v = top;
    if (!needsLoad(v) || v.load.state !== 'idle') return;
    const n = (loadSeq.current.get(v.key) ?? 0) + 1;
    loadSeq.current.set(v.key, n);
    dispatch({type: 'loading', key: v.key});
    fetchView(v, source).then(
      (data) => {
        if (loadSeq.current.get(v.key) !== n) return;
        dispatch({type: 'loaded', key: v.key, data});
        if (v.kind === 'reports' && Array.isArray(data)) completion.current.reportIds = data.slice(1).map((r) => clean((r as unknown[])[0]));
        if (v.kind === 'show' && Array.isArray(data)) {
          const req = (data[0] as unknown[][]).find((r) => r[0] === 'Req ID')?.[1];
          if (req) completion.current.requestIds = [...new Set([clean(req), ...completion.current.requestIds])].slice(0, 50);
        }
      },
      (error: unknown) => {
        if (loadSeq.current.get(v.key) !== n) return;
        // The view's own status part shows the problem; a message too would say it twice (#7).
        dispatch({type: 'failed', key: v.key, problem: describeError(error)});
      },
    );
  }, [source, top]);

  const retryBaseMs = props.retryBaseMs ?? 1000;
  useEffect(() => {
    if (top.load.state !== 'error' || top.load.problem.kind !== 'unreachable') return;
    const t = setTimeout(() => dispatch({type: 'reload', key: top.key}), backoffMs(top.load.attempt, retryBaseMs));
    return () => clearTimeout(t);
  }, [top.key, top.load, retryBaseMs]);

  // Live drill-downs (#16): an open instance refetches when the tail brings rows for its uuid; a
  // request (its rows carry no uuid the tail could match) refetches on the tail's own rhythm.
  // It runs for new rows or a new view, not for every change of the view (a cursor move): the
  // view is read from a ref that follows the latest render.
  const checkedSeq = useRef(-1);
  const lastRefresh = useRef(0);
  const latestTop = useRef(top);
  useEffect(() => {
    latestTop.current = top;
  });
  const pollSeconds = settings.pollSeconds;
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
      (data) => dispatch({type: 'patchView', key: v.key, patch: {load: {state: 'ok', data}, known}}),
      () => undefined, // the next rows try again; the view keeps what it shows
    );
  }, [tailVersion, top.key, tail.buffer, source, pollSeconds]);

  // ---- layout -------------------------------------------------------------------------------
  const {columns: width, rows: termRows} = size;
  const frameHeight = Math.max(1, termRows - 1);
  const bodyHeight = Math.max(1, frameHeight - 4);
  const tooSmall = width < minColumns || termRows < minRows;

  const stuckMs = (props.stuckSeconds ?? 60) * 1000;
  // Only the in-flight view follows the tail and the clock; the others follow their view.
  const inflightRows = top.kind === 'inflight' ? tailSnapshot : undefined;
  const inflightNow = top.kind === 'inflight' ? now : 0;
  const listing = useMemo(
    () => (top.kind === 'watch' ? undefined : inflightRows ? inflightListing(inflightRows, inflightNow, stuckMs, tail.service, state.relative) : buildListing(top)),
    [state.relative, top, inflightRows, inflightNow, stuckMs, tail.service],
  );
  // Over a snapshot, never the live ring: a batch arriving before this render would push the
  // first rows out under it (seen: a crash on a row index that was valid a moment earlier).
  const watchSnapshot = top.kind === 'watch' ? (state.watch.frozen ?? tailSnapshot) : undefined;
  const relativeTo = top.kind === 'watch' && state.relative ? now : undefined;
  const watchRows = useMemo(
    () => (watchSnapshot ? new WatchRows(watchSnapshot, state.watch.pausedAt, top.filter, tail.service, relativeTo) : undefined),
    [watchSnapshot, state.watch.pausedAt, top.filter, tail.service, relativeTo],
  );

  const body: Body = useMemo(() => {
    if (watchRows) {
      // The header says which clock the times are on.
      const titles = watchColumns.map((c) => (c.title === 'Time' ? (state.relative ? 'Ago' : 'Time UTC') : c.title));
      return {rows: watchRows, hidden: watchRows.hidden, tables: [watchColumns], pinned: {kind: 'header', cells: titles, table: 0, search: ''}, above: 0};
    }
    const l = listing!;
    const lines = [...l.lines];
    let pinned: Line | undefined;
    if (l.tables.length === 1 && lines[0]?.kind === 'header') pinned = lines.shift();
    const filtered = applyFilter(lines, top.filter);
    return {rows: arrayRows(filtered.lines), hidden: filtered.hidden, tables: l.tables, pinned, above: top.kind === 'search' ? 3 : 0, empty: l.empty, target: l.target};
  }, [watchRows, listing, top.filter, top.kind, state.relative]);

  const listHeight = Math.max(1, bodyHeight - body.above - (body.pinned ? 1 : 0));
  const following = top.kind === 'watch' && state.watch.pausedAt === undefined;

  const cursor = (() => {
    if (top.kind !== 'watch') {
      // -1 = not moved yet: start on the first data row rather than on a title.
      // Rows that are events come first (an instance's timings sit above its events, #17).
      if (top.cursor < 0) {
        let first = -1;
        for (let i = 0; i < body.rows.length && i < 500; i++) {
          const l = body.rows.line(i);
          if (l?.kind !== 'data' && l?.kind !== 'meta') continue;
          if (l.target?.eventId !== undefined) return i;
          if (first < 0) first = i;
        }
        return Math.max(0, first);
      }
      return Math.min(top.cursor, Math.max(0, body.rows.length - 1));
    }
    if (following || state.watch.cursorSeq === undefined) return Math.max(0, body.rows.length - 1);
    return watchRows!.indexOf(state.watch.cursorSeq);
  })();

  const windowTop = (() => {
    const maxTop = Math.max(0, body.rows.length - listHeight);
    let t: number;
    if (top.kind === 'watch') t = following ? maxTop : state.watch.topSeq === undefined ? cursor - listHeight + 1 : watchRows!.indexOf(state.watch.topSeq);
    else t = top.top;
    t = Math.max(t, cursor - listHeight + 1);
    t = Math.min(t, cursor);
    return Math.max(0, Math.min(t, maxTop));
  })();

  const statusParts = buildStatus(state, top, tail, body, now, following, stuckMs);
  // `?` opens with the whole status line (never cut there, #6), then the keys of this view first.
  const helpStatus = state.mode.kind === 'help' ? statusParts.map((p) => p.text).join('') : '';
  const helpContent = useMemo(() => {
    if (state.mode.kind !== 'help') return [];
    const status = helpStatus.trim();
    const keys = helpLines(scopesFor(top.kind));
    const filter = state.mode.filter ?? '';
    if (filter) return keys.filter((l) => l.startsWith(' ') && matches(l, filter));
    return [...wrapText(`Status: ${status}`, width), '', ...keys];
  }, [state.mode, top.kind, width, helpStatus]);

  // Widest a row of this view gets with nothing cut: how far ←/→ can scroll (#6).
  const natural = useMemo(() => {
    // Open-ended columns (a raw event's values) are as wide as their longest cell on screen.
    const open = body.tables.map((t) => t.map((c) => (Number.isFinite(c.max) ? c.max : c.min)));
    let w = 0;
    for (let i = windowTop; i < Math.min(body.rows.length, windowTop + listHeight); i++) {
      const l = body.rows.line(i);
      if (!l) continue;
      w = Math.max(w, clean(l.text ?? '').length);
      const cols = body.tables[l.table ?? 0];
      l.cells?.forEach((c, k) => {
        if (cols?.[k] && !Number.isFinite(cols[k]!.max)) open[l.table ?? 0]![k] = Math.max(open[l.table ?? 0]![k]!, clean(c).length);
      });
    }
    for (const t of open) w = Math.max(w, t.reduce((n, c) => n + c + 1, -1));
    return w;
  }, [body, windowTop, listHeight]);
  // The watch view's wrap/scroll live on the view like every other's.
  const shown = top;
  const patchShown = (patch: Partial<View>) => dispatch({type: 'patchTop', patch});

  // ---- actions ------------------------------------------------------------------------------
  const quit = () => {
    tail.stop();
    props.onExit?.(0);
    exit();
  };

  const selected = (): Line | undefined => {
    const l = body.rows.line(cursor);
    if (l?.target || !body.target) return l;
    return {...(l ?? {kind: 'blank', search: ''}), target: body.target};
  };
  const service = (): StackyService => tail.service;

  /** Cursor and window moves come from selection.ts, given the row count and the page height. */
  const apply = (m: Move) => {
    const len = body.rows.length;
    if (len === 0) return;
    const ok = top.kind === 'watch' ? undefined : (i: number) => {
      const k = body.rows.line(i)?.kind;
      return k === 'data' || k === 'meta';
    };
    const next = move({cursor, top: windowTop}, m, len, listHeight, ok);
    if (top.kind === 'watch') {
      const pausedAt = state.watch.pausedAt ?? tail.buffer.lastSeq;
      const frozen = state.watch.frozen ?? new Snapshot(tail.buffer);
      dispatch({type: 'watch', patch: {pausedAt, frozen, cursorSeq: watchRows!.seqAt(next.cursor), topSeq: watchRows!.seqAt(next.top)}});
      return;
    }
    dispatch({type: 'patchTop', patch: {cursor: next.cursor, top: next.top}});
  };

  const findFrom = (dir: 1 | -1, test: (l: Line) => boolean): number | undefined => {
    const len = body.rows.length;
    for (let step = 1; step <= len; step++) {
      const i = (((cursor + dir * step) % len) + len) % len;
      const l = body.rows.line(i);
      if (l && test(l)) return i;
    }
    return undefined;
  };

  const resumeWatch = () => dispatch({type: 'watch', patch: {pausedAt: undefined, cursorSeq: undefined, topSeq: undefined, frozen: undefined}});

  const push = (view: ViewSpec) => dispatch({type: 'push', view});

  const openInstance = (t: Target | undefined) => {
    if (!t?.uuid) return setStatus('this row has no instance uuid', 'error');
    push({kind: 'instance', uuid: t.uuid, service: t.service ?? service()});
  };
  const openShow = (t: Target | undefined) => {
    if (t?.eventId === undefined || !Number.isFinite(t.eventId)) return setStatus('this row is not an event', 'error');
    push({kind: 'show', eventId: t.eventId, service: t.service ?? service()});
  };
  const openRequest = (t: Target | undefined) => {
    if (t?.requestId) return push({kind: 'request', requestId: t.requestId});
    if (t?.eventId === undefined) return setStatus('this row is not an event', 'error');
    setStatus(`looking up the request of event #${t.eventId}…`);
    source.show(t.eventId, t.service ?? service()).then(
      (reply) => {
        const req = Array.isArray(reply) ? (reply[0] as unknown[][]).find((r) => r[0] === 'Req ID')?.[1] : undefined;
        if (!req) return setStatus(`event #${t.eventId} has no request id`, 'error');
        dispatch({type: 'status', status: undefined});
        push({kind: 'request', requestId: clean(req)});
      },
      (error: unknown) => setStatus(describeError(error).message, 'error'),
    );
  };

  const drill = () => {
    const line = selected();
    const t = line?.target;
    if (!line || !t) return setStatus('nothing to open on this row');
    // What Enter does is the view's own business (views/registry.ts); the app carries it out.
    const intent = viewDefs[top.kind].open(t);
    switch (intent.kind) {
      case 'push':
        return push({service: t.service ?? top.service ?? service(), ...intent.view});
      case 'instance':
        return openInstance(t);
      case 'show':
        return openShow(t);
      case 'watch':
        return watchCommand(intent.command);
      case 'status':
        return setStatus(intent.text);
    }
  };

  const watchCommand = (c: Command) => {
    if (c.kind === 'watch') {
      tail.configure({deployment: c.deployment});
      setStatus(`watching ${c.deployment === 'all' ? 'all deployments' : `deployment ${c.deployment}`}`, 'ok');
    } else if (c.kind === 'service') {
      tail.configure({service: c.service});
      setStatus(`service ${c.service}`, 'ok');
    } else if (c.kind === 'event') {
      tail.configure({eventName: c.eventName});
      setStatus(c.eventName ? `only ${c.eventName} events` : 'all events', 'ok');
    }
    resumeWatch();
    dispatch({type: 'switchPane', pane: 'watch'});
  };

  const runCommand = (text: string) => {
    dispatch({type: 'mode', mode: {kind: 'normal'}});
    const c = parseCommand(text);
    if ('error' in c) return setStatus(c.error, 'error');
    switch (c.kind) {
      case 'uuid':
        return openChecked({kind: 'instance', uuid: c.uuid, service: service()});
      case 'req':
        return openChecked({kind: 'request', requestId: c.requestId});
      case 'show':
        return openChecked({kind: 'show', eventId: c.id, service: service()});
      case 'report':
        return openChecked({kind: 'report', reportId: c.id});
      case 'search':
        return push({kind: 'search', search: {...emptySearch, field: c.field, value: c.value}, query: {...emptySearch, field: c.field, value: c.value}, service: service()});
      case 'watch':
      case 'service':
      case 'event':
        return watchCommand(c);
      case 'kpi':
        return push({kind: 'kpi', tenant: c.tenant});
      case 'list':
        return push({kind: c.view});
      case 'help':
        return dispatch({type: 'mode', mode: {kind: 'help', top: 0}});
      case 'quit':
        return quit();
    }
  };

  /**
   * A typed id is fetched before its view is pushed: a bad one (`:uuid deadbeef`) is a status
   * message, never an error view left on the back stack (#14).
   */
  const openChecked = (spec: ViewSpec) => {
    const probe: View = {key: -1, cursor: -1, top: 0, filter: '', load: {state: 'idle'}, ...spec};
    setStatus(`opening ${viewLabel(probe)}…`);
    fetchView(probe, source).then(
      (data) => {
        dispatch({type: 'status', status: undefined});
        push({...spec, load: {state: 'ok', data}});
      },
      (error: unknown) => setStatus(describeError(error).message, 'error'),
    );
  };

  const runSearch = () => {
    const s = top.search ?? emptySearch;
    if (!s.field.trim() || !s.value.trim()) return setStatus('search needs a field and a value', 'error');
    const whenMin = s.whenMin.trim() ? toEpoch(s.whenMin) : '';
    const whenMax = s.whenMax.trim() ? toEpoch(s.whenMax) : '';
    if (whenMin === undefined || whenMax === undefined) return setStatus('when_min/when_max: use epoch seconds or YYYY-MM-DD HH:MM:SS (UTC)', 'error');
    dispatch({type: 'mode', mode: {kind: 'normal'}});
    // Dates typed in the form stay readable there; fetchView sends them as epochs.
    const query = {...s, field: s.field.trim(), value: s.value.trim(), offset: 0};
    dispatch({type: 'patchTop', patch: {search: query, query, service: top.service ?? service(), load: {state: 'idle'}, cursor: -1, top: 0}});
  };

  /**
   * `y`: a raw event's JSON, or the selected row's id, goes to the clipboard with OSC 52 (works
   * through tmux and SSH); the JSON is also saved as a file in the data directory, for terminals
   * that ignore OSC 52 — never in the working tree.
   */
  const copyShown = () => {
    if (top.kind !== 'show') {
      const t = selected()?.target;
      const id = t?.uuid ?? t?.requestId ?? (t?.eventId !== undefined ? String(t.eventId) : undefined) ?? (t?.reportId !== undefined ? String(t.reportId) : undefined);
      if (!id) return setStatus('this row has no id to copy', 'error');
      props.clipboard?.(id);
      return setStatus(`copied ${id}`, 'ok');
    }
    if (top.load.state !== 'ok' || !Array.isArray(top.load.data)) return setStatus('nothing to copy yet', 'error');
    const json = (top.load.data as unknown[])[1];
    let value: unknown = json;
    try {
      value = typeof json === 'string' ? JSON.parse(json) : json;
    } catch {
      // save the text as it came
    }
    props.clipboard?.(JSON.stringify(value, null, 2));
    if (!props.saveDir) return setStatus(`copied event #${top.eventId}`, 'ok');
    saveJson(props.saveDir, `stacky-event-${top.eventId}`, value).then(
      (path) => setStatus(`copied event #${top.eventId}; saved to ${path}`, 'ok'),
      (error: unknown) => setStatus(`copied event #${top.eventId}; could not save: ${(error as Error).message}`, 'error'),
    );
  };

  const perform = (id: ActionId) => {
    const len = body.rows.length;
    switch (id) {
      case 'quit':
        return quit();
      case 'back':
        if (top.filter) return dispatch({type: 'patchTop', patch: {filter: '', cursor: -1, top: 0}});
        if (state.stack.length > 1) return dispatch({type: 'pop'});
        return;
      case 'backOrQuit':
        if (top.filter) return dispatch({type: 'patchTop', patch: {filter: '', cursor: -1, top: 0}});
        if (state.stack.length > 1) return dispatch({type: 'pop'});
        return quit();
      case 'help':
        return dispatch({type: 'mode', mode: {kind: 'help', top: 0}});
      case 'command':
        loadDeployments();
        completion.current.uuids = recentUuids(tail);
        completion.current.eventNames = recentEvents(tail);
        return dispatch({type: 'mode', mode: {kind: 'command', text: ''}});
      case 'filter':
        return dispatch({type: 'mode', mode: {kind: 'filter', text: top.filter, previous: top.filter}});
      case 'nextPane':
      case 'prevPane': {
        const i = panes.indexOf(currentPane(state.stack));
        const next = panes[(i + (id === 'nextPane' ? 1 : panes.length - 1)) % panes.length]!;
        return dispatch({type: 'switchPane', pane: next});
      }
      case 'pane1':
      case 'pane2':
      case 'pane3':
      case 'pane4':
      case 'pane5':
      case 'pane6':
      case 'pane7':
        return dispatch({type: 'switchPane', pane: panes[Number(id.slice(4)) - 1]!});
      case 'refresh':
        if (top.kind === 'watch') {
          tail.retryNow();
          return setStatus('polling now');
        }
        return needsLoad(top) ? dispatch({type: 'reload', key: top.key}) : undefined;
      case 'up':
      case 'down':
      case 'pageUp':
      case 'pageDown':
      case 'top':
        return apply({type: id});
      case 'bottom':
        if (top.kind === 'watch') return resumeWatch();
        return apply({type: 'bottom'});
      case 'open':
        return drill();
      case 'mark': {
        const id = selected()?.target?.eventId;
        if (id === undefined || !Number.isFinite(id)) return setStatus('only event rows can be marked', 'error');
        dispatch({type: 'mark', eventId: id});
        return setStatus(state.marks.includes(id) ? `unmarked #${id}` : `marked #${id} (${keyFor('nextMark')} jumps between marks)`, 'ok');
      }
      case 'nextMark': {
        if (state.marks.length === 0) return setStatus(`no marks: ${keyFor('mark')} marks a row`);
        const i = findFrom(1, (l) => l.kind === 'data' && l.target?.eventId !== undefined && state.marks.includes(l.target.eventId));
        return i === undefined ? setStatus('no marked rows in this list') : apply({type: 'to', index: i});
      }
      case 'relativeTime':
        dispatch({type: 'relative'});
        return setStatus(state.relative ? 'times in UTC' : 'times as ages', 'ok');
      case 'wrap':
        return patchShown({wrap: !shown.wrap});
      case 'scrollLeft':
      case 'scrollRight': {
        const max = Math.max(0, natural - width);
        if (max === 0) return setStatus('nothing is cut at this width');
        const x = Math.max(0, Math.min(max, (shown.x ?? 0) + (id === 'scrollRight' ? 1 : -1) * Math.max(8, Math.floor(width / 4))));
        return patchShown({x});
      }
      case 'highlight':
        return dispatch({type: 'mode', mode: {kind: 'highlight', text: top.highlight ?? '', previous: top.highlight ?? ''}});
      case 'nextMatch':
      case 'prevMatch': {
        // The mode may have just set the highlight (Enter): read it from there first.
        const needle = (state.mode.kind === 'highlight' ? state.mode.text : top.highlight) || top.filter;
        if (!needle) return setStatus(`nothing to match: ${keyFor('highlight')} highlights, ${keyFor('filter')} filters`);
        const i = findFrom(id === 'nextMatch' ? 1 : -1, (l) => l.kind === 'data' && matches(l.search, needle));
        return i === undefined ? setStatus(`no rows match "${needle}"`) : apply({type: 'to', index: i});
      }
      case 'nextError':
      case 'prevError': {
        const i = findFrom(id === 'nextError' ? 1 : -1, (l) => !!l.error);
        return i === undefined ? setStatus('no error rows') : apply({type: 'to', index: i});
      }
      case 'pause':
        if (state.watch.pausedAt === undefined) {
          const last = tail.buffer.lastSeq;
          return dispatch({type: 'watch', patch: {pausedAt: last, frozen: new Snapshot(tail.buffer), cursorSeq: watchRows?.seqAt(cursor) ?? last, topSeq: watchRows?.seqAt(windowTop)}});
        }
        return resumeWatch();
      case 'showEvent':
        return openShow(selected()?.target);
      case 'openRequest':
        return openRequest(selected()?.target);
      case 'openInstance':
        return openInstance(selected()?.target);
      case 'save':
        return copyShown();
      case 'editSearch':
        // Most edits change the value, so the form opens there.
        if (top.search) dispatch({type: 'patchTop', patch: {search: {...top.search, focus: top.search.field ? 1 : 0}}});
        return dispatch({type: 'mode', mode: {kind: 'form'}});
      case 'nextPage':
      case 'prevPage': {
        const s = top.query;
        if (!s || !needsLoad(top)) return setStatus('run a search first (s edits the form)');
        const offset = Math.max(0, s.offset + (id === 'nextPage' ? pageSize : -pageSize));
        if (id === 'nextPage' && len < pageSize) return setStatus('this is the last page');
        if (offset === s.offset) return setStatus('this is the first page');
        return dispatch({type: 'patchTop', patch: {query: {...s, offset}, load: {state: 'idle'}, cursor: -1, top: 0}});
      }
      case 'sort':
      case 'sortReverse': {
        const n = top.load.state === 'ok' ? reportColumnCount(top.load.data) : 0;
        if (n === 0) return setStatus('this report has no table to sort');
        if (id === 'sortReverse') return dispatch({type: 'patchTop', patch: {sortDesc: !top.sortDesc}});
        // Only columns on screen at this width: sorting by a hidden one shows nothing (#2).
        const widths = body.tables[0] ? layoutColumns(body.tables[0], width) : [];
        let next = top.sortCol ?? 0;
        for (let step = 1; step <= n; step++) {
          const c = ((top.sortCol ?? 0) + step) % n;
          if ((widths[c] ?? 0) > 0) {
            next = c;
            break;
          }
        }
        return dispatch({type: 'patchTop', patch: {sortCol: next, cursor: -1, top: 0}});
      }
      case 'cycleView': {
        const i = summaryCycle.indexOf(top.kind);
        if (i < 0) return;
        return dispatch({type: 'replaceTop', view: {kind: summaryCycle[(i + 1) % summaryCycle.length]!, service: service()}});
      }
      default:
        return;
    }
  };

  // ---- text entry ---------------------------------------------------------------------------
  const editText = (mode: Mode, name: string, input: string): string | undefined => {
    const text = mode.kind === 'filter' || mode.kind === 'command' || mode.kind === 'highlight' ? mode.text : '';
    if (lookup(name, ['input'])?.id === 'erase') return text.slice(0, -1);
    if (typed(name, input)) return text + input;
    return undefined;
  };

  const onFormKey = (name: string, input: string) => {
    const s = top.search ?? emptySearch;
    const b = lookup(name, ['form', 'input']);
    if (b?.id === 'runSearch') return runSearch();
    if (b?.id === 'closeForm') return dispatch({type: 'mode', mode: {kind: 'normal'}});
    if (b?.id === 'nextField') return dispatch({type: 'patchTop', patch: {search: {...s, focus: (s.focus + 1) % 4}}});
    if (b?.id === 'prevField') return dispatch({type: 'patchTop', patch: {search: {...s, focus: (s.focus + 3) % 4}}});
    const keys = ['field', 'value', 'whenMin', 'whenMax'] as const;
    const k = keys[s.focus]!;
    let value = s[k];
    if (b?.id === 'erase') value = value.slice(0, -1);
    else if (typed(name, input)) value += input;
    else return;
    dispatch({type: 'patchTop', patch: {search: {...s, [k]: value}}});
  };

  const onKey = (name: string, input: string) => {
    if (name === '') return;
    if (lookup(name, ['global'])?.id === 'quit') return quit();
    const mode = state.mode;
    if (mode.kind === 'help') {
      if (mode.typing) {
        const b = lookup(name, ['input']);
        if (b?.id === 'submit' || b?.id === 'cancel') return dispatch({type: 'mode', mode: {...mode, typing: false, filter: b.id === 'cancel' ? '' : mode.filter}});
        const f = mode.filter ?? '';
        const next = b?.id === 'erase' ? f.slice(0, -1) : typed(name, input) ? f + input : undefined;
        return next === undefined ? undefined : dispatch({type: 'mode', mode: {...mode, filter: next, top: 0}});
      }
      const b = lookup(name, ['list', 'global']);
      if (b?.id === 'filter') return dispatch({type: 'mode', mode: {...mode, typing: true, filter: mode.filter ?? ''}});
      if (b?.id === 'back' && mode.filter) return dispatch({type: 'mode', mode: {...mode, filter: '', top: 0}});
      const lines = helpContent.length;
      const page = bodyHeight;
      const move = (t: number) => dispatch({type: 'mode', mode: {...mode, top: Math.max(0, Math.min(t, Math.max(0, lines - page)))}});
      switch (b?.id) {
        case 'up':
          return move(mode.top - 1);
        case 'down':
          return move(mode.top + 1);
        case 'pageUp':
          return move(mode.top - page);
        case 'pageDown':
          return move(mode.top + page);
        case 'top':
          return move(0);
        case 'bottom':
          return move(lines);
        case 'back':
        case 'backOrQuit':
        case 'help':
          return dispatch({type: 'mode', mode: {kind: 'normal'}});
        default:
          return;
      }
    }
    if (mode.kind === 'filter') {
      const b = lookup(name, ['input']);
      if (b?.id === 'submit') return dispatch({type: 'mode', mode: {kind: 'normal'}});
      if (b?.id === 'cancel') {
        dispatch({type: 'patchTop', patch: {filter: mode.previous, cursor: -1, top: 0}});
        return dispatch({type: 'mode', mode: {kind: 'normal'}});
      }
      const text = editText(mode, name, input);
      if (text === undefined) return;
      dispatch({type: 'mode', mode: {...mode, text}});
      return dispatch({type: 'patchTop', patch: {filter: text, cursor: -1, top: 0}});
    }
    if (mode.kind === 'highlight') {
      const b = lookup(name, ['input']);
      if (b?.id === 'submit') {
        dispatch({type: 'mode', mode: {kind: 'normal'}});
        return perform('nextMatch');
      }
      if (b?.id === 'cancel') {
        dispatch({type: 'patchTop', patch: {highlight: mode.previous}});
        return dispatch({type: 'mode', mode: {kind: 'normal'}});
      }
      const text = editText(mode, name, input);
      if (text === undefined) return;
      dispatch({type: 'mode', mode: {...mode, text}});
      return dispatch({type: 'patchTop', patch: {highlight: text}});
    }
    if (mode.kind === 'command') {
      const b = lookup(name, ['input']);
      if (b?.id === 'submit') return runCommand(mode.text);
      if (b?.id === 'cancel') return dispatch({type: 'mode', mode: {kind: 'normal'}});
      if (b?.id === 'complete') {
        const r = complete(mode.text, completion.current, mode.completion);
        return dispatch({type: 'mode', mode: {kind: 'command', text: r.line, completion: r.state, options: r.state?.options}});
      }
      const text = editText(mode, name, input);
      if (text === undefined) return;
      return dispatch({type: 'mode', mode: {kind: 'command', text}});
    }
    if (mode.kind === 'form') {
      if (top.kind !== 'search') return dispatch({type: 'mode', mode: {kind: 'normal'}});
      return onFormKey(name, input);
    }
    const b = lookup(name, scopesFor(top.kind));
    if (b) perform(b.id);
  };

  // A key is handled at once with the closure of the latest render. When a key arrives before
  // the previous key's update has rendered (several keys in one read: paste, key repeat over
  // SSH), it waits in a queue and runs after that render commits, so it never sees stale state.
  const onKeyRef = useRef(onKey);
  const keyQueue = useRef<{name: string; input: string}[]>([]);
  const keyPending = useRef(false);
  const [keyTick, setKeyTick] = useState(0);
  // After each commit: the latest closure handles keys, and the last key's update has rendered.
  useLayoutEffect(() => {
    onKeyRef.current = onKey;
    keyPending.current = false;
  });
  const handleInput = useCallback((input: string, key: Key) => {
    // Ink hands over several plain characters that arrive in one read as one string (a paste,
    // or keys sent together by tmux/SSH); they are keys one by one.
    const list = input.length > 1 && !input.includes('\u001B') && !key.ctrl ? [...input].map(charKey) : [{name: keyName(input, key), input}];
    for (const k of list) {
      if (keyPending.current || keyQueue.current.length > 0) {
        keyQueue.current.push(k);
        setKeyTick((t) => t + 1);
        continue;
      }
      keyPending.current = true;
      onKeyRef.current(k.name, k.input);
    }
  }, []);
  useLayoutEffect(() => {
    const next = keyQueue.current.shift();
    if (!next) return;
    keyPending.current = true;
    onKeyRef.current(next.name, next.input);
    if (keyQueue.current.length > 0) setKeyTick((t) => t + 1);
    // Queued keys always bump the tick, so a render with a new tick is the only one with work.
  }, [keyTick]);
  useInput(handleInput, {isActive: isRawModeSupported === true});

  // ---- drawing ------------------------------------------------------------------------------
  if (tooSmall) return <TooSmall columns={width} rows={termRows} theme={theme} />;

  const pane = currentPane(state.stack);

  let footer: React.ReactNode;
  if (state.mode.kind === 'highlight') footer = <InputLine prefix="h/" text={state.mode.text} width={width} note="Enter next match · Esc cancel" />;
  else if (state.mode.kind === 'filter') footer = <InputLine prefix="/" text={state.mode.text} width={width} note={`${body.hidden} hidden · Enter keep · Esc cancel`} />;
  else if (state.mode.kind === 'command') footer = <InputLine prefix=":" text={state.mode.text} width={width} note={state.mode.options ? state.mode.options.slice(0, 12).join(' ') : 'Tab completes · Enter runs · Esc closes'} />;
  else if (state.mode.kind === 'form') footer = <Footer text={footerHints(['form', 'input'], width - 1)} width={width} theme={theme} />;
  else if (state.mode.kind === 'help' && state.mode.typing) footer = <InputLine prefix="/" text={state.mode.filter ?? ''} width={width} note={`${helpContent.length} lines match`} />;
  else if (state.mode.kind === 'help') footer = <Footer text={`${keyFor('down')}/${keyFor('up')} scroll  ${keyFor('pageDown')}/${keyFor('pageUp')} page  ${keyFor('filter')} filter  ${keyFor('back')}/${keyFor('help')} close`} width={width} theme={theme} />;
  else footer = <Footer text={footerHints(scopesFor(top.kind), width - 1, new Set(state.watch.pausedAt !== undefined && top.kind === 'watch' ? ['paused'] : []))} width={width} theme={theme} />;

  return (
    <Box flexDirection="column" width={width} height={frameHeight} overflow="hidden">
      <TabBar current={pane} width={width} right={props.banner ?? ''} theme={theme} />
      <Crumbs labels={state.stack.map(viewLabel)} width={width} theme={theme} right={source.baseUrl} middle={top.kind === 'watch' ? rateLines(tail, width - source.baseUrl.length - 10) : ''} />
      <Box flexDirection="column" height={bodyHeight} overflow="hidden">
        {state.mode.kind === 'help' ? (
          <HelpBody lines={helpContent} top={state.mode.top} height={bodyHeight} width={width} />
        ) : (
          <PaneBody marks={state.marks} view={top} body={body} cursor={cursor} windowTop={windowTop} listHeight={listHeight} bodyHeight={bodyHeight} width={width} natural={natural} theme={theme} formActive={state.mode.kind === 'form'} service={top.service ?? tail.service} />
        )}
      </Box>
      <StatusLine parts={statusParts} width={width} theme={theme} />
      {footer}
    </Box>
  );
}

function recentUuids(tail: WatchTail): string[] {
  const out = new Set<string>();
  for (let i = tail.buffer.size - 1; i >= 0 && out.size < 50; i--) {
    const u = tail.buffer.at(i)?.uuid;
    if (u) out.add(u);
  }
  return [...out];
}

function recentEvents(tail: WatchTail): string[] {
  const out = new Set<string>();
  for (let i = tail.buffer.size - 1; i >= 0 && i > tail.buffer.size - 2000; i--) {
    const e = tail.buffer.at(i)?.event;
    if (e) out.add(e);
  }
  return [...out].sort();
}

function buildStatus(state: AppState, top: View, tail: WatchTail, body: Body, now: number, following: boolean, stuckMs: number): StatusPart[] {
  const parts: StatusPart[] = [{text: ' '}];
  const msg = state.status && now - state.status.at < statusTtlMs ? state.status : undefined;
  if (top.kind === 'watch') {
    const s = tail.status;
    let stalled = '';
    if (s.kind === 'live') parts.push({text: '● live', tone: 'ok'});
    else if (s.kind === 'connecting') parts.push({text: '… connecting', tone: 'warn'});
    else {
      const secs = Math.max(0, Math.ceil((s.retryAt - now) / 1000));
      // No answers, no rate: a decaying figure would pretend events still arrive (#9). The
      // stall comes first so it survives a cut; `?` shows the whole line.
      const last = tail.lastAnswerAt;
      stalled = last === undefined ? 'no answer yet' : `stalled ${Math.max(0, Math.round((now - last) / 1000))}s`;
      parts.push({text: `✖ ${stalled} · ${s.message} · retry in ${secs}s (#${s.attempt})`, tone: 'error'});
    }
    if (!following && state.watch.pausedAt !== undefined) {
      parts.push({text: ` · ❚❚ PAUSED ${Math.max(0, tail.buffer.lastSeq - state.watch.pausedAt)} new`, tone: 'warn'});
    }
    if (top.filter) parts.push({text: ` · filter "${top.filter}" ${body.hidden} hidden`, tone: 'accent'});
    if (top.highlight) parts.push({text: ` · highlight "${top.highlight}"`, tone: 'accent'});
    if (msg) parts.push({text: ` · ${msg.text}`, tone: msg.tone === 'error' ? 'error' : msg.tone === 'ok' ? 'ok' : 'accent'});
    const dep = tail.deployment.toLowerCase() === 'all' ? 'all' : tail.deployment;
    parts.push({text: ` · ${stalled ? '' : `${formatRate(tail.rate())} ev/s · `}${dep} · ${tail.service}${tail.eventName ? ` · ${tail.eventName}` : ''} · ${plural(body.rows.length, 'row')}`});
    return dedupe(parts);
  }
  // A fresh error from an action comes first in the other views: it is what the user just did.
  const msgPart = msg ? {text: ` · ${msg.text}`, tone: msg.tone === 'error' ? ('error' as const) : msg.tone === 'ok' ? ('ok' as const) : ('accent' as const)} : undefined;
  if (msgPart && msg?.tone === 'error') parts.push({text: `✖ ${msg.text}`, tone: 'error'});
  if (top.kind === 'inflight') parts.push({text: ` · ${countData(body)} in flight · yellow after ${Math.round(stuckMs / 1000)}s · from the last ${plural(tail.buffer.size, 'tail row')}`});
  if (top.load.state === 'loading') parts.push({text: ' · … loading', tone: 'warn'});
  else if (top.load.state === 'error') {
    parts.push({text: ` · ✖ ${top.load.problem.message}`, tone: 'error'});
    if (top.load.problem.kind === 'unreachable') parts.push({text: ` · retrying (${keyFor('refresh')} now)`});
  } else if (top.load.state === 'ok') {
    parts.push({text: ` · ${plural(countData(body), top.kind === 'show' ? 'line' : 'row')}`});
    if (top.kind === 'search' && top.query) parts.push({text: ` · page ${Math.floor(top.query.offset / pageSize) + 1}`});
    if (top.kind === 'report' && reportHeader(top.load.data).length > 0) {
      parts.push({text: ` · sorted by ${reportHeader(top.load.data)[top.sortCol ?? 0]}${top.sortDesc ? ' ▼' : ' ▲'} (${keyFor('sort')} next column, ${keyFor('sortReverse')} reverse)`});
    }
  }
  if (top.filter) parts.push({text: ` · filter "${top.filter}" ${body.hidden} hidden`, tone: 'accent'});
  if (top.highlight) parts.push({text: ` · highlight "${top.highlight}"`, tone: 'accent'});
  // The tail keeps polling behind every pane, so a lost server shows here too (once, #7).
  if (tail.status.kind === 'unreachable' && !(top.load.state === 'error' && top.load.problem.kind === 'unreachable')) {
    parts.push({text: ` · ✖ ${tail.status.message}`, tone: 'error'});
  }
  if (msgPart && msg?.tone !== 'error') parts.push(msgPart);
  return tidy(dedupe(parts));
}

/** The first part of a non-watch status line starts without its ` · ` joiner. */
function tidy(parts: StatusPart[]): StatusPart[] {
  const i = parts.findIndex((p) => p.text.trim() !== '');
  if (i >= 0) parts[i] = {...parts[i]!, text: parts[i]!.text.replace(/^ · /, '')};
  return parts;
}

/** Drops a part whose words an earlier part already says (the same error from two places, #7). */
function dedupe(parts: StatusPart[]): StatusPart[] {
  const said: string[] = [];
  const core = (t: string) => t.replace(/^[\s·✖]+/, '').trim();
  return parts.filter((p) => {
    const c = core(p.text);
    if (c.length > 3 && said.some((s) => s.includes(c))) return false;
    said.push(c);
    return true;
  });
}

/**
 * The watch header's rates: events/s and errors/s as sparklines over the last five minutes
 * (10 s a bar), in `room` characters; the peak of each is written after it.
 */
function rateLines(tail: WatchTail, room: number): string {
  const bars = Math.max(4, Math.min(30, Math.floor((room - 24) / 2)));
  const per = Math.max(1, Math.ceil(300 / bars));
  const ev = tail.rates(bars, per);
  const err = tail.rates(bars, per, true);
  const peak = (v: number[]) => formatRate(Math.max(0, ...v));
  return `ev/s ${sparkline(ev)} ${peak(ev)}  err/s ${sparkline(err)} ${peak(err)}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function countData(body: Body): number {
  let n = 0;
  for (let i = 0; i < body.rows.length; i++) if (body.rows.line(i)?.kind === 'data') n++;
  return n;
}

function formatRate(r: number): string {
  if (r >= 100) return String(Math.round(r));
  return r.toFixed(1);
}

function HelpBody({lines, top, height, width}: {lines: string[]; top: number; height: number; width: number}) {
  const shown = lines.slice(top, top + height);
  return (
    <>
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate" bold={!l.startsWith(' ') && l !== ''}>
          {truncate(clean(l), width) || ' '}
        </Text>
      ))}
    </>
  );
}

interface PaneBodyProps {
  view: View;
  body: Body;
  cursor: number;
  windowTop: number;
  listHeight: number;
  bodyHeight: number;
  width: number;
  natural: number;
  marks: readonly number[];
  theme: Theme;
  formActive: boolean;
  service: StackyService;
}

function PaneBody({view, body, cursor, windowTop, listHeight, width, natural, marks, theme, formActive, service}: PaneBodyProps) {
  const x = view.x ?? 0;
  const virtual = Math.max(width, natural);
  const widths = useMemo(() => body.tables.map((t) => layoutColumns(t, width)), [body.tables, width]);
  const wide = useMemo(() => body.tables.map((t) => layoutColumns(t, virtual)), [body.tables, virtual]);
  const laid = x > 0 ? wide : widths;
  const out: React.ReactNode[] = [];
  if (view.kind === 'search') out.push(...searchForm(view, width, theme, formActive, service));
  const placeholder = (text: string, tone?: 'error' | 'dim') => (
    <Text key="ph" wrap="truncate" color={tone ? theme.color(tone) : undefined}>
      {` ${clean(text)}`.slice(0, width)}
    </Text>
  );
  if ((view.kind === 'instance' || view.kind === 'request') && !needsLoad(view)) {
    const hint = view.kind === 'instance' ? 'No instance yet: Enter on a watch row that has a UUID, or :uuid ID' : 'No request yet: r on an event row, or :req ID';
    out.push(placeholder(hint, 'dim'));
    return <>{out}</>;
  }
  if (view.kind !== 'watch' && view.kind !== 'inflight') {
    if (view.load.state === 'loading' || view.load.state === 'idle') {
      if (needsLoad(view)) out.push(placeholder('loading…', 'dim'));
      return <>{out}</>;
    }
    if (view.load.state === 'error') {
      out.push(placeholder(`✖ ${view.load.problem.message}`, 'error'));
      return <>{out}</>;
    }
  }
  if (body.pinned) {
    const t = body.pinned.table ?? 0;
    out.push(<LineRow key="pinned" line={body.pinned} columns={body.tables[t]} widths={laid[t]} width={width} theme={theme} offset={x} virtual={virtual} />);
  }
  if (body.rows.length === 0) {
    const empty = view.kind === 'watch' ? (view.filter ? 'no rows match the filter' : 'waiting for events…') : body.empty ?? (view.filter ? 'no rows match the filter' : 'nothing here');
    out.push(placeholder(empty, 'dim'));
    return <>{out}</>;
  }
  // Wrapped rows take several lines; rows stop when the list's lines are used up.
  const wrapAll = view.wrap === true && view.kind === 'show';
  let used = 0;
  for (let i = windowTop; i < body.rows.length && used < listHeight; i++) {
    const line = body.rows.line(i)!;
    const t = line.table ?? 0;
    const selected = i === cursor && !formActive;
    if (view.wrap && (selected || wrapAll)) {
      const parts = wrapText(lineText(line, body.tables[t], wide[t], virtual), width).slice(0, listHeight - used);
      parts.forEach((p, k) => {
        out.push(
          <Text key={`${i - windowTop}.${k}`} inverse={selected} color={line.tone ? theme.color(line.tone) : undefined}>
            {fit(p, width)}
          </Text>,
        );
      });
      used += parts.length;
      continue;
    }
    const marked = line.target?.eventId !== undefined && marks.includes(line.target.eventId);
    out.push(<LineRow key={i - windowTop} line={line} columns={body.tables[t]} widths={laid[t]} width={width} selected={selected} marked={marked} highlight={view.highlight} theme={theme} offset={x} virtual={virtual} />);
    used++;
  }
  return <>{out}</>;
}

function searchForm(view: View, width: number, theme: Theme, active: boolean, service: StackyService): React.ReactNode[] {
  const s = view.search ?? emptySearch;
  const field = (label: string, value: string, index: number, w: number) => {
    const focused = active && s.focus === index;
    const shown = value.length > w ? `…${value.slice(value.length - w + 1)}` : value.padEnd(w);
    return (
      <Text key={label}>
        {` ${label} `}
        <Text inverse={focused} underline={!focused}>
          {shown}
        </Text>
      </Text>
    );
  };
  const w = Math.max(10, Math.floor((width - 20) / 2));
  const info = needsLoad(view)
    ? `results ${(view.query?.offset ?? 0) + 1}–${(view.query?.offset ?? 0) + pageSize} · ${service}${active ? '' : ` · ${keyFor('editSearch')} edits · ${keyFor('nextPage')} next page · ${keyFor('prevPage')} prev page`}`
    : active
      ? 'a field and a value, then Enter · dates: epoch or YYYY-MM-DD HH:MM:SS (UTC)'
      : `${keyFor('editSearch')} opens the search form`;
  return [
    <Text key="f1" wrap="truncate">
      {field('field   ', s.field, 0, w)}
      {field('value', s.value, 1, w)}
    </Text>,
    <Text key="f2" wrap="truncate">
      {field('when_min', s.whenMin, 2, w)}
      {field('max  ', s.whenMax, 3, w)}
    </Text>,
    <Text key="f3" wrap="truncate" color={theme.color('dim')}>
      {` ${info}`.slice(0, width)}
    </Text>,
  ];
}
