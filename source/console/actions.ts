// What the keymap's actions do (keymap.ts names them): navigation, drill-downs, commands, copy.
// Each reads the state as it is now (ctx.get(), never a render's copy) and the rows of the last
// frame drawn, and changes things only by dispatching reducer actions, so keys that arrive
// faster than renders (a paste, key repeat over SSH) still compose.
import type {StackyService} from '../client/types.js';
import {parseCommand, type Command, type CompletionContext} from './commands.js';
import {layoutColumns} from './columns.js';
import {describeError, type ConsoleSource} from './data-source.js';
import {selectedLine, type Frame} from './frame.js';
import {keyFor, type ActionId} from './keymap.js';
import {saveJson} from './save.js';
import {findRow, resolveCursor, type Move} from './selection.js';
import {makeView, topView, type Action, type AppState, type Status} from './state.js';
import type {WatchTail} from './tail.js';
import {clean, matches, toEpoch} from './text.js';
import {isKind, pageSize, panes, type Line, type Target, type ViewInit} from './views.js';
import {currentPane, fetchView, needsLoad, openIntent, viewLabel} from './views/registry.js';
import {reportColumnCount} from './views/report.js';
import {searchFor} from './views/search.js';
import {nextSummary} from './views/summary.js';
import {requestIdOf} from './views/show.js';

export interface Ctx {
  get(): AppState;
  dispatch(action: Action): void;
  /** The last frame drawn: the rows the user sees. */
  frame(): Frame;
  tail: WatchTail;
  source: ConsoleSource;
  completion: CompletionContext;
  clipboard?: (text: string) => void;
  saveDir?: string;
  quit(): void;
}

export interface Actions {
  perform(id: ActionId): void;
  runCommand(text: string): void;
  runSearch(): void;
  setStatus(text: string, tone?: Status['tone']): void;
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

/** Deployment names for `:watch` completion (on start, and each time the command line opens). */
export function loadDeployments(source: ConsoleSource, completion: CompletionContext): void {
  source.deployments().then(
    (t) => {
      completion.deployments = t.slice(1).map((r) => clean(r[1]));
    },
    () => undefined,
  );
}

export function createActions(ctx: Ctx): Actions {
  const {dispatch, tail, source} = ctx;
  const top = () => topView(ctx.get());
  const service = (): StackyService => tail.service;
  const setStatus = (text: string, tone: Status['tone'] = 'info') => dispatch({type: 'status', status: {text, tone, at: Date.now()}});
  const cursor = () => resolveCursor(ctx.get(), ctx.frame().body.rows);
  const selected = (): Line | undefined => selectedLine(ctx.frame().body, cursor());
  const over = () => {
    const f = ctx.frame();
    return {rows: f.body.rows, page: f.listHeight, watch: f.watch};
  };
  const go = (m: Move) => dispatch({type: 'move', move: m, over: over()});
  const jump = (dir: 1 | -1, test: (l: Line) => boolean, none: string) => {
    const i = findRow(ctx.frame().body.rows, cursor(), dir, test);
    return i === undefined ? setStatus(none) : go({type: 'to', index: i});
  };
  const push = (view: ViewInit) => dispatch({type: 'push', view});

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
        const requestId = requestIdOf(reply);
        if (!requestId) return setStatus(`event #${t.eventId} has no request id`, 'error');
        dispatch({type: 'status', status: undefined});
        push({kind: 'request', requestId});
      },
      (error: unknown) => setStatus(describeError(error).message, 'error'),
    );
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
    dispatch({type: 'resume'});
    dispatch({type: 'switchPane', pane: 'watch', service: service()});
  };

  const drill = () => {
    const t = selected()?.target;
    if (!t) return setStatus('nothing to open on this row');
    // What Enter does is the view's own business (views/registry.ts); the app carries it out.
    const intent = openIntent(top(), t);
    switch (intent.kind) {
      case 'push':
        return push(intent.view);
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

  /**
   * A typed id is fetched before its view is pushed: a bad one (`:uuid deadbeef`) is a status
   * message, never an error view left on the back stack (#14).
   */
  const openChecked = (init: ViewInit) => {
    const probe = makeView(-1, init);
    setStatus(`opening ${viewLabel(probe)}…`);
    fetchView(probe, source).then(
      (settle) => {
        dispatch({type: 'status', status: undefined});
        push(settle(probe));
      },
      (error: unknown) => setStatus(describeError(error).message, 'error'),
    );
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
        return openChecked({kind: 'report', reportId: c.id, sortCol: 0, sortDesc: false});
      case 'search': {
        const q = searchFor(c.field, c.value);
        return push({kind: 'search', search: q, query: q, service: service()});
      }
      case 'watch':
      case 'service':
      case 'event':
        return watchCommand(c);
      case 'kpi':
        return push({kind: 'kpi', tenant: c.tenant});
      case 'list':
        return push(c.view === 'hosts' ? {kind: 'hosts', service: service()} : {kind: c.view});
      case 'help':
        return dispatch({type: 'mode', mode: {kind: 'help', top: 0}});
      case 'quit':
        return ctx.quit();
    }
  };

  const runSearch = () => {
    const v = top();
    if (!isKind(v, 'search')) return;
    const s = v.search;
    if (!s.field.trim() || !s.value.trim()) return setStatus('search needs a field and a value', 'error');
    const whenMin = s.whenMin.trim() ? toEpoch(s.whenMin) : '';
    const whenMax = s.whenMax.trim() ? toEpoch(s.whenMax) : '';
    if (whenMin === undefined || whenMax === undefined) return setStatus('when_min/when_max: use epoch seconds or YYYY-MM-DD HH:MM:SS (UTC)', 'error');
    dispatch({type: 'mode', mode: {kind: 'normal'}});
    // Dates typed in the form stay readable there; the search view sends them as epochs.
    const query = {...s, field: s.field.trim(), value: s.value.trim(), offset: 0};
    dispatch({type: 'update', key: v.key, update: (c) => (isKind(c, 'search') ? {...c, search: query, query, load: {state: 'idle'}, cursor: -1, top: 0} : c)});
  };

  /**
   * `y`: a raw event's JSON, or the selected row's id, goes to the clipboard with OSC 52 (works
   * through tmux and SSH); the JSON is also saved as a file in the data directory, for terminals
   * that ignore OSC 52 — never in the working tree.
   */
  const copyShown = () => {
    const v = top();
    if (!isKind(v, 'show')) {
      const t = selected()?.target;
      const id = t?.uuid ?? t?.requestId ?? (t?.eventId !== undefined ? String(t.eventId) : undefined) ?? (t?.reportId !== undefined ? String(t.reportId) : undefined);
      if (!id) return setStatus('this row has no id to copy', 'error');
      ctx.clipboard?.(id);
      return setStatus(`copied ${id}`, 'ok');
    }
    if (v.load.state !== 'ok' || !v.load.data) return setStatus('nothing to copy yet', 'error');
    const json = v.load.data[1];
    let value: unknown = json;
    try {
      value = JSON.parse(json);
    } catch {
      // save the text as it came
    }
    ctx.clipboard?.(JSON.stringify(value, null, 2));
    if (!ctx.saveDir) return setStatus(`copied event #${v.eventId}`, 'ok');
    saveJson(ctx.saveDir, `stacky-event-${v.eventId}`, value).then(
      (path) => setStatus(`copied event #${v.eventId}; saved to ${path}`, 'ok'),
      (error: unknown) => setStatus(`copied event #${v.eventId}; could not save: ${(error as Error).message}`, 'error'),
    );
  };

  const back = (orQuit: boolean) => {
    const v = top();
    if (v.filter) return dispatch({type: 'patchTop', patch: {filter: '', cursor: -1, top: 0}});
    if (ctx.get().stack.length > 1) return dispatch({type: 'pop'});
    if (orQuit) ctx.quit();
  };

  const page = (dir: 1 | -1) => {
    const v = top();
    if (!isKind(v, 'search') || !v.query || !needsLoad(v)) return setStatus('run a search first (s edits the form)');
    const q = v.query;
    const offset = Math.max(0, q.offset + dir * pageSize);
    if (dir > 0 && ctx.frame().body.rows.length < pageSize) return setStatus('this is the last page');
    if (offset === q.offset) return setStatus('this is the first page');
    dispatch({type: 'update', key: v.key, update: (c) => (isKind(c, 'search') ? {...c, query: {...q, offset}, load: {state: 'idle'}, cursor: -1, top: 0} : c)});
  };

  const sort = (reverse: boolean) => {
    const v = top();
    const n = isKind(v, 'report') && v.load.state === 'ok' ? reportColumnCount(v.load.data) : 0;
    if (!isKind(v, 'report') || n === 0) return setStatus('this report has no table to sort');
    if (reverse) return dispatch({type: 'update', key: v.key, update: (c) => (isKind(c, 'report') ? {...c, sortDesc: !c.sortDesc} : c)});
    // Only columns on screen at this width: sorting by a hidden one shows nothing (#2).
    const f = ctx.frame();
    const widths = f.body.tables[0] ? layoutColumns(f.body.tables[0], f.width) : [];
    let next = v.sortCol;
    for (let step = 1; step <= n; step++) {
      const c = (v.sortCol + step) % n;
      if ((widths[c] ?? 0) > 0) {
        next = c;
        break;
      }
    }
    dispatch({type: 'update', key: v.key, update: (c) => (isKind(c, 'report') ? {...c, sortCol: next, cursor: -1, top: 0} : c)});
  };

  const perform = (id: ActionId) => {
    const state = ctx.get();
    const v = topView(state);
    switch (id) {
      case 'quit':
        return ctx.quit();
      case 'back':
      case 'backOrQuit':
        return back(id === 'backOrQuit');
      case 'help':
        return dispatch({type: 'mode', mode: {kind: 'help', top: 0}});
      case 'command':
        loadDeployments(source, ctx.completion);
        ctx.completion.uuids = recentUuids(tail);
        ctx.completion.eventNames = recentEvents(tail);
        return dispatch({type: 'mode', mode: {kind: 'command', text: ''}});
      case 'filter':
        return dispatch({type: 'mode', mode: {kind: 'filter', text: v.filter, previous: v.filter}});
      case 'nextPane':
      case 'prevPane': {
        const i = panes.indexOf(currentPane(state.stack));
        return dispatch({type: 'switchPane', pane: panes[(i + (id === 'nextPane' ? 1 : panes.length - 1)) % panes.length]!, service: service()});
      }
      case 'pane1':
      case 'pane2':
      case 'pane3':
      case 'pane4':
      case 'pane5':
      case 'pane6':
      case 'pane7':
        return dispatch({type: 'switchPane', pane: panes[Number(id.slice(4)) - 1]!, service: service()});
      case 'refresh':
        if (v.kind === 'watch') {
          tail.retryNow();
          return setStatus('polling now');
        }
        return needsLoad(v) ? dispatch({type: 'reload', key: v.key}) : undefined;
      case 'up':
      case 'down':
      case 'pageUp':
      case 'pageDown':
      case 'top':
        return go({type: id});
      case 'bottom':
        return v.kind === 'watch' ? dispatch({type: 'resume'}) : go({type: 'bottom'});
      case 'open':
        return drill();
      case 'mark': {
        const eventId = selected()?.target?.eventId;
        if (eventId === undefined || !Number.isFinite(eventId)) return setStatus('only event rows can be marked', 'error');
        dispatch({type: 'mark', eventId});
        return setStatus(state.marks.includes(eventId) ? `unmarked #${eventId}` : `marked #${eventId} (${keyFor('nextMark')} jumps between marks)`, 'ok');
      }
      case 'nextMark':
        if (state.marks.length === 0) return setStatus(`no marks: ${keyFor('mark')} marks a row`);
        return jump(1, (l) => l.kind === 'data' && l.target?.eventId !== undefined && state.marks.includes(l.target.eventId), 'no marked rows in this list');
      case 'relativeTime':
        dispatch({type: 'relative'});
        return setStatus(state.relative ? 'times in UTC' : 'times as ages', 'ok');
      case 'wrap':
        return dispatch({type: 'patchTop', patch: {wrap: !v.wrap}});
      case 'scrollLeft':
      case 'scrollRight': {
        const f = ctx.frame();
        const max = Math.max(0, f.natural - f.width);
        if (max === 0) return setStatus('nothing is cut at this width');
        const x = Math.max(0, Math.min(max, v.x + (id === 'scrollRight' ? 1 : -1) * Math.max(8, Math.floor(f.width / 4))));
        return dispatch({type: 'patchTop', patch: {x}});
      }
      case 'highlight':
        return dispatch({type: 'mode', mode: {kind: 'highlight', text: v.highlight, previous: v.highlight}});
      case 'nextMatch':
      case 'prevMatch': {
        const needle = v.highlight || v.filter;
        if (!needle) return setStatus(`nothing to match: ${keyFor('highlight')} highlights, ${keyFor('filter')} filters`);
        return jump(id === 'nextMatch' ? 1 : -1, (l) => l.kind === 'data' && matches(l.search, needle), `no rows match "${needle}"`);
      }
      case 'nextError':
      case 'prevError':
        return jump(id === 'nextError' ? 1 : -1, (l) => !!l.error, 'no error rows');
      case 'pause':
        return state.watch.pausedAt === undefined ? dispatch({type: 'pause', over: over()}) : dispatch({type: 'resume'});
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
        if (isKind(v, 'search')) dispatch({type: 'update', key: v.key, update: (c) => (isKind(c, 'search') ? {...c, search: {...c.search, focus: c.search.field ? 1 : 0}} : c)});
        return dispatch({type: 'mode', mode: {kind: 'form'}});
      case 'nextPage':
      case 'prevPage':
        return page(id === 'nextPage' ? 1 : -1);
      case 'sort':
      case 'sortReverse':
        return sort(id === 'sortReverse');
      case 'cycleView': {
        const next = nextSummary(v, service());
        return next ? dispatch({type: 'replaceTop', view: next}) : undefined;
      }
      default:
        return;
    }
  };

  return {perform, runCommand, runSearch, setStatus};
}
