// App state and its reducer: the navigation stack, the input mode, the status message and the
// watch pane's pause/cursor. Pure, so the navigation rules are testable without rendering.
import type {Problem} from './data-source.js';
import type {CompletionState} from './commands.js';
import type {RowStore} from './watch-rows.js';
import {needsLoad, paneOfKind, type Pane, type SearchParams, type View, type ViewKind} from './views.js';

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
  last: {instance?: Partial<View>; request?: Partial<View>; search?: SearchParams; query?: SearchParams};
}

export type ViewSpec = Partial<View> & {kind: ViewKind};

export type Action =
  | {type: 'push'; view: ViewSpec}
  | {type: 'replaceTop'; view: ViewSpec}
  | {type: 'pop'}
  | {type: 'switchPane'; pane: Pane}
  | {type: 'patchTop'; patch: Partial<View>}
  | {type: 'patchView'; key: number; patch: Partial<View>}
  | {type: 'loading'; key: number}
  | {type: 'loaded'; key: number; data: unknown}
  | {type: 'failed'; key: number; problem: Problem}
  | {type: 'reload'; key: number}
  | {type: 'mode'; mode: Mode}
  | {type: 'status'; status: Status | undefined}
  | {type: 'watch'; patch: Partial<WatchUi>}
  | {type: 'relative'}
  | {type: 'mark'; eventId: number};

export const maxDepth = 30;

export const emptySearch: SearchParams = {field: '', value: '', whenMin: '', whenMax: '', offset: 0, focus: 0};

function makeView(key: number, spec: ViewSpec): View {
  return {cursor: -1, top: 0, filter: '', load: {state: 'idle'}, ...spec, key};
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
  if (v.kind === 'search' && v.search) return {...state.last, search: v.search, query: v.query};
  return state.last;
}

/** The view on top already shows what spec asks for (e.g. `i` pressed on the instance pane). */
function showing(top: View | undefined, spec: ViewSpec): boolean {
  if (!top || top.kind !== spec.kind || spec.kind === 'search') return false;
  return top.uuid === spec.uuid && top.requestId === spec.requestId && top.eventId === spec.eventId
    && top.reportId === spec.reportId && top.tenant === spec.tenant;
}

function push(state: AppState, spec: ViewSpec): AppState {
  if (showing(state.stack[state.stack.length - 1], spec)) return state;
  const view = makeView(state.nextKey, spec);
  let stack = [...state.stack, view];
  if (stack.length > maxDepth) stack = [stack[0]!, ...stack.slice(stack.length - maxDepth + 1)];
  return {...state, stack, nextKey: state.nextKey + 1, last: remember(state, view), mode: view.kind === 'search' && !needsLoad(view) ? {kind: 'form'} : {kind: 'normal'}};
}

function rootOf(pane: Pane): (kind: ViewKind) => boolean {
  if (pane === 'summary') return (k) => paneOfKind(k) === 'summary';
  return (k) => k === pane;
}

function switchPane(state: AppState, pane: Pane): AppState {
  const isRoot = rootOf(pane);
  for (let i = state.stack.length - 1; i >= 0; i--) {
    if (isRoot(state.stack[i]!.kind)) return {...state, stack: state.stack.slice(0, i + 1), mode: {kind: 'normal'}};
  }
  switch (pane) {
    case 'instance':
      return push(state, {kind: 'instance', ...state.last.instance});
    case 'request':
      return push(state, {kind: 'request', ...state.last.request});
    case 'search':
      return push(state, {kind: 'search', search: state.last.search ?? emptySearch, query: state.last.query});
    default:
      return push(state, {kind: pane});
  }
}

function patchView(state: AppState, key: number, patch: Partial<View>): AppState {
  let changed = false;
  const stack = state.stack.map((v) => {
    if (v.key !== key) return v;
    changed = true;
    return {...v, ...patch};
  });
  if (!changed) return state;
  const top = stack[stack.length - 1]!;
  return {...state, stack, last: top.key === key ? remember(state, top) : state.last};
}

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
      return switchPane(state, action.pane);
    case 'patchTop':
      return patchView(state, topView(state).key, action.patch);
    case 'patchView':
      return patchView(state, action.key, action.patch);
    case 'loading':
      return patchView(state, action.key, {load: {state: 'loading'}});
    case 'loaded':
      return patchView(state, action.key, {load: {state: 'ok', data: action.data}, failures: 0});
    case 'failed': {
      const v = state.stack.find((x) => x.key === action.key);
      const attempt = (v?.failures ?? 0) + 1;
      return patchView(state, action.key, {load: {state: 'error', problem: action.problem, attempt}, failures: attempt});
    }
    case 'reload':
      return patchView(state, action.key, {load: {state: 'idle'}});
    case 'mode':
      return {...state, mode: action.mode};
    case 'status':
      return {...state, status: action.status};
    case 'watch':
      return {...state, watch: {...state.watch, ...action.patch}};
    case 'relative':
      return {...state, relative: !state.relative};
    case 'mark':
      return {...state, marks: state.marks.includes(action.eventId) ? state.marks.filter((m) => m !== action.eventId) : [...state.marks, action.eventId]};
  }
}

