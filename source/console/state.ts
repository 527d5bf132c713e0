// App state and its reducer: the navigation stack, the input mode, the status message and the
// watch pane's pause. Cursor, page and scroll moves are actions that carry the rows they move
// over (their count, which rows may hold the cursor): the reducer clamps with what it is given,
// so keys arriving faster than renders still compose.
// Pure, so the navigation rules are testable without rendering.
import type {StackyService} from '../client/types.js';
import type {Problem} from './data-source.js';
import type {CompletionState} from './commands.js';
import type {RowStore, WatchRows} from './watch-rows.js';
import {move, resolveCursor, selectable, windowTopOf, type Move, type Rows} from './selection.js';
import {identityOf, needsLoad, paneOfKind} from './views/registry.js';
import {emptySearch} from './views/search.js';
import type {Pane, SearchParams, View, ViewCommon, ViewInit, ViewKind} from './views.js';

export type Mode =
  | {kind: 'normal'}
  | {kind: 'filter'; text: string; previous: string}
  | {kind: 'highlight'; text: string; previous: string}
  | {kind: 'command'; text: string; completion?: CompletionState; options?: string[]}
  | {kind: 'help'; top: number; filter?: string; typing?: boolean}
  | {kind: 'form'};

export interface Status {
  text: string;
  tone: 'info' | 'error' | 'ok';
  at: number;
}

export interface WatchUi {
  /** Sequence number of the last row shown while paused; undefined = following. */
  pausedAt: number | undefined;
  /** Selected row (sequence number) while paused. */
  cursorSeq: number | undefined;
  /** Sequence number of the first row on screen while paused. */
  topSeq: number | undefined;
  /** The rows as they were at the pause (kept while paused). */
  frozen: RowStore | undefined;
}

export interface AppState {
  stack: View[];
  nextKey: number;
  mode: Mode;
  status: Status | undefined;
  watch: WatchUi;
  /** `t`: times shown as `12s ago` instead of UTC clock times. */
  relative: boolean;
  /** `m`: marked event ids; kept across pauses and panes. */
  marks: readonly number[];
  /** The last instance/request/search opened, so switching back to that pane shows it again. */
  last: {
    instance?: {uuid: string; service: StackyService};
    request?: {requestId: string};
    search?: {search: SearchParams; query: SearchParams | undefined; service: StackyService};
  };
}

/** What a move goes over: the rows on screen, and for the watch pane the snapshot it freezes. */
export interface MoveOver {
  rows: Rows;
  page: number;
  watch?: {rows: WatchRows; snapshot: RowStore};
}

export type Action =
  | {type: 'push'; view: ViewInit}
  | {type: 'replaceTop'; view: ViewInit}
  | {type: 'pop'}
  | {type: 'switchPane'; pane: Pane; service: StackyService}
  | {type: 'patchTop'; patch: Partial<Omit<ViewCommon, 'key'>>}
  | {type: 'update'; key: number; update: (v: View) => View}
  | {type: 'loading'; key: number}
  | {type: 'failed'; key: number; problem: Problem}
  | {type: 'reload'; key: number}
  | {type: 'move'; move: Move; over: MoveOver}
  | {type: 'pause'; over: MoveOver}
  | {type: 'resume'}
  | {type: 'mode'; mode: Mode}
  | {type: 'status'; status: Status | undefined}
  | {type: 'relative'}
  | {type: 'mark'; eventId: number};

export const maxDepth = 30;

export function makeView(key: number, init: ViewInit): View {
  return {cursor: -1, top: 0, filter: '', failures: 0, highlight: '', wrap: false, x: 0, load: {state: 'idle'}, ...init, key};
}

export function initialState(): AppState {
  return {
    stack: [makeView(0, {kind: 'watch'})],
    nextKey: 1,
    mode: {kind: 'normal'},
    status: undefined,
    watch: {pausedAt: undefined, cursorSeq: undefined, topSeq: undefined, frozen: undefined},
    relative: false,
    marks: [],
    last: {},
  };
}

export function topView(state: AppState): View {
  return state.stack[state.stack.length - 1]!;
}

function remember(state: AppState, v: View): AppState['last'] {
  if (v.kind === 'instance' && v.uuid) return {...state.last, instance: {uuid: v.uuid, service: v.service}};
  if (v.kind === 'request' && v.requestId) return {...state.last, request: {requestId: v.requestId}};
  if (v.kind === 'search') return {...state.last, search: {search: v.search, query: v.query, service: v.service}};
  return state.last;
}

/** The view on top already shows what init asks for (e.g. `i` pressed on the instance pane). */
function showing(top: View | undefined, init: ViewInit): boolean {
  if (!top || top.kind !== init.kind || init.kind === 'search') return false;
  return identityOf(top) === identityOf(makeView(-1, init));
}

function push(state: AppState, init: ViewInit): AppState {
  if (showing(state.stack[state.stack.length - 1], init)) return state;
  const view = makeView(state.nextKey, init);
  let stack = [...state.stack, view];
  if (stack.length > maxDepth) stack = [stack[0]!, ...stack.slice(stack.length - maxDepth + 1)];
  return {...state, stack, nextKey: state.nextKey + 1, last: remember(state, view), mode: view.kind === 'search' && !needsLoad(view) ? {kind: 'form'} : {kind: 'normal'}};
}

function rootOf(pane: Pane): (kind: ViewKind) => boolean {
  if (pane === 'summary') return (k) => paneOfKind(k) === 'summary';
  return (k) => k === pane;
}

function switchPane(state: AppState, pane: Pane, service: StackyService): AppState {
  const isRoot = rootOf(pane);
  for (let i = state.stack.length - 1; i >= 0; i--) {
    if (isRoot(state.stack[i]!.kind)) return {...state, stack: state.stack.slice(0, i + 1), mode: {kind: 'normal'}};
  }
  switch (pane) {
    case 'instance':
      return push(state, {kind: 'instance', uuid: undefined, service, ...state.last.instance});
    case 'request':
      return push(state, {kind: 'request', requestId: state.last.request?.requestId});
    case 'search':
      return push(state, {kind: 'search', search: emptySearch, query: undefined, service, ...state.last.search});
    case 'summary':
      return push(state, {kind: 'summary'});
    default:
      return push(state, {kind: pane});
  }
}

function updateView(state: AppState, key: number, update: (v: View) => View): AppState {
  let changed = false;
  const stack = state.stack.map((v) => {
    if (v.key !== key) return v;
    const next = update(v);
    changed ||= next !== v;
    return next;
  });
  if (!changed) return state;
  const top = stack[stack.length - 1]!;
  return {...state, stack, last: top.key === key ? remember(state, top) : state.last};
}

/** The selection after a move over `over` (the rows the key was pressed on). */
function moved(state: AppState, m: Move, over: MoveOver): AppState {
  const top = topView(state);
  const rows = over.rows;
  if (rows.length === 0) return state;
  const page = Math.max(1, over.page);
  const cursor = resolveCursor(state, rows);
  const next = move({cursor, top: windowTopOf(state, rows, page, cursor)}, m, rows.length, page, top.kind === 'watch' ? undefined : selectable(rows));
  if (top.kind === 'watch' && over.watch) {
    const w = over.watch;
    const watch: WatchUi = {
      pausedAt: state.watch.pausedAt ?? w.snapshot.lastSeq,
      frozen: state.watch.frozen ?? w.snapshot,
      cursorSeq: w.rows.seqAt(next.cursor),
      topSeq: w.rows.seqAt(next.top),
    };
    return {...state, watch};
  }
  return updateView(state, top.key, (v) => ({...v, cursor: next.cursor, top: next.top}));
}

function pause(state: AppState, over: MoveOver): AppState {
  const w = over.watch;
  if (!w || state.watch.pausedAt !== undefined) return state;
  const page = Math.max(1, over.page);
  const cursor = resolveCursor(state, over.rows);
  const last = w.snapshot.lastSeq;
  return {...state, watch: {pausedAt: last, frozen: w.snapshot, cursorSeq: w.rows.seqAt(cursor) ?? last, topSeq: w.rows.seqAt(windowTopOf(state, over.rows, page, cursor))}};
}

const following: WatchUi = {pausedAt: undefined, cursorSeq: undefined, topSeq: undefined, frozen: undefined};

export function reducer(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'push':
      return push(state, action.view);
    case 'replaceTop': {
      const view = makeView(state.nextKey, action.view);
      return {...state, stack: [...state.stack.slice(0, -1), view], nextKey: state.nextKey + 1, mode: {kind: 'normal'}};
    }
    case 'pop':
      if (state.stack.length <= 1) return state;
      return {...state, stack: state.stack.slice(0, -1), mode: {kind: 'normal'}};
    case 'switchPane':
      return switchPane(state, action.pane, action.service);
    case 'patchTop':
      return updateView(state, topView(state).key, (v) => ({...v, ...action.patch}));
    case 'update':
      return updateView(state, action.key, action.update);
    case 'loading':
      return updateView(state, action.key, (v) => ({...v, load: {state: 'loading'}}));
    case 'failed':
      return updateView(state, action.key, (v) => ({...v, load: {state: 'error', problem: action.problem, attempt: v.failures + 1}, failures: v.failures + 1}));
    case 'reload':
      return updateView(state, action.key, (v) => ({...v, load: {state: 'idle'}}));
    case 'move':
      return moved(state, action.move, action.over);
    case 'pause':
      return pause(state, action.over);
    case 'resume':
      return {...state, watch: following};
    case 'mode':
      return {...state, mode: action.mode};
    case 'status':
      return {...state, status: action.status};
    case 'relative':
      return {...state, relative: !state.relative};
    case 'mark':
      return {...state, marks: state.marks.includes(action.eventId) ? state.marks.filter((m) => m !== action.eventId) : [...state.marks, action.eventId]};
  }
}
