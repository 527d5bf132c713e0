// Views (what sits on the navigation stack), how each is fetched, and how its data becomes
// lines: a pure layer with no React, so lists, filters and drill-down targets are testable alone.
import type {StackyService} from '../client/types.js';
import type {ConsoleSource, Problem} from './data-source.js';
import type {Column} from './columns.js';
import {matches} from './text.js';
import type {Tone} from './theme.js';
import {viewDefs} from './views/registry.js';
import {asTable} from './views/tables.js';

export {cellNumber, reportColumnCount, reportHeader} from './views/report-listing.js';

export type ViewKind =
  | 'watch' | 'search' | 'instance' | 'request' | 'reports' | 'report' | 'show'
  | 'summary' | 'kpi' | 'deployments' | 'events' | 'hosts' | 'inflight';

export type Pane = 'watch' | 'search' | 'instance' | 'request' | 'reports' | 'summary' | 'inflight';
export const panes: readonly Pane[] = ['watch', 'search', 'instance', 'request', 'reports', 'summary', 'inflight'];

export type Load =
  | {state: 'idle'}
  | {state: 'loading'}
  | {state: 'ok'; data: unknown}
  | {state: 'error'; problem: Problem; attempt: number};

export interface SearchParams {
  field: string;
  value: string;
  whenMin: string;
  whenMax: string;
  offset: number;
  /** Focused form field: 0 field, 1 value, 2 when_min, 3 when_max. */
  focus: number;
}

export const pageSize = 50;

export interface View {
  key: number;
  kind: ViewKind;
  /** Selected row; -1 until the user moves (the first data row is selected). */
  cursor: number;
  top: number;
  filter: string;
  load: Load;
  uuid?: string;
  requestId?: string;
  eventId?: number;
  service?: StackyService;
  tenant?: string;
  reportId?: number;
  /** The search form as typed (a draft until Enter). */
  search?: SearchParams;
  /** The search that was run: what is fetched and shown (#3: typing never fetches). */
  query?: SearchParams;
  sortCol?: number;
  sortDesc?: boolean;
  /** Consecutive failed loads, for the retry backoff. */
  failures?: number;
  /** `h`: rows stay, matches are highlighted in place and n/N jump between them (lnav's search). */
  highlight?: string;
  /** `w`: the selected row (every row of a raw event) wraps instead of being cut (#6). */
  wrap?: boolean;
  /** ←/→: columns scrolled off to the left (#6). */
  x?: number;
  /** Event ids shown before the last live refresh; rows not among them are marked new (#16). */
  known?: readonly number[];
}

/** What Enter, d, r and i act on. */
export interface Target {
  eventId?: number;
  service?: StackyService;
  uuid?: string;
  requestId?: string;
  reportId?: number;
  deployment?: string;
  eventName?: string;
  host?: string;
}

export interface Line {
  kind: 'data' | 'header' | 'title' | 'meta' | 'blank';
  /** A pre-formatted line (titles, JSON, metadata). */
  text?: string;
  /** Table cells, laid out by listing.tables[table]. */
  cells?: readonly unknown[];
  table?: number;
  tone?: Tone;
  cellTones?: readonly (Tone | undefined)[];
  /** Column that holds a proportional bar (0..1 of its width). */
  bar?: {col: number; fraction: number};
  error?: boolean;
  target?: Target;
  /** Text the `/` filter matches. */
  search: string;
}

export interface Listing {
  tables: Column[][];
  lines: Line[];
  /** What the keys act on when the selected line has no target of its own (the shown event). */
  target?: Target;
  /** Shown when there are no data lines. */
  empty?: string;
}

export function paneOfKind(kind: ViewKind): Pane | undefined {
  return viewDefs[kind].pane;
}

/** The pane a stack is in: the nearest view from the top that belongs to one. */
export function currentPane(stack: readonly View[]): Pane {
  for (let i = stack.length - 1; i >= 0; i--) {
    const p = paneOfKind(stack[i]!.kind);
    if (p) return p;
  }
  return 'watch';
}

export const summaryCycle: readonly ViewKind[] = ['summary', 'kpi', 'deployments', 'events', 'hosts'];

/** Breadcrumb label of a view. */
export function viewLabel(v: View): string {
  return viewDefs[v.kind].label(v);
}

/** Whether the view has something to fetch (an instance pane without a uuid has not). */
export function needsLoad(v: View): boolean {
  return viewDefs[v.kind].needsLoad(v);
}

export function fetchView(v: View, source: ConsoleSource): Promise<unknown> {
  return viewDefs[v.kind].fetch(v, source);
}


















export function buildListing(v: View): Listing {
  if (v.load.state !== 'ok') return {tables: [], lines: []};
  return viewDefs[v.kind].listing(v, v.load.data);
}

/** Event ids an instance or request view shows now (for marking what a live refresh adds). */
export function shownEventIds(v: View): number[] {
  if (v.load.state !== 'ok') return [];
  const data = v.load.data as {events?: unknown} | unknown;
  const table = asTable(v.kind === 'instance' ? (data as {events: unknown}).events : data);
  return table.slice(1).map((r) => Number(r[0]));
}

/** Lines after the `/` filter: headers and titles stay; data lines must match. */
export function applyFilter(lines: readonly Line[], filter: string): {lines: Line[]; hidden: number} {
  if (filter === '') return {lines: [...lines], hidden: 0};
  const out: Line[] = [];
  let hidden = 0;
  for (const l of lines) {
    if (l.kind !== 'data' || matches(l.search, filter)) out.push(l);
    else hidden++;
  }
  return {lines: out, hidden};
}
