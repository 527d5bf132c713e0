// Views (what sits on the navigation stack): a discriminated union, one member per kind, each
// holding what it needs and the reply it loaded, typed from the client's replies
// (client/types.ts). A pure layer with no React, so lists, filters and drill-down targets are
// testable alone. What each kind does lives in its file under views/, gathered in
// views/registry.ts.
import type {ReportReply, ShowReply, StackyService, Table} from '../client/types.js';
import type {Problem} from './data-source.js';
import type {Column} from './columns.js';
import {matches} from './text.js';
import type {Tone} from './theme.js';

export type Pane = 'watch' | 'search' | 'instance' | 'request' | 'reports' | 'summary' | 'inflight';
export const panes: readonly Pane[] = ['watch', 'search', 'instance', 'request', 'reports', 'summary', 'inflight'];

export type Load<D> =
  | {state: 'idle'}
  | {state: 'loading'}
  | {state: 'ok'; data: D}
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

/** What every view has: where its cursor and window are, and how its rows are read. */
export interface ViewCommon {
  key: number;
  /** Selected row; -1 until the user moves (the first data row is selected). */
  cursor: number;
  top: number;
  filter: string;
  /** Consecutive failed loads, for the retry backoff. */
  failures: number;
  /** `h`: rows stay, matches are highlighted in place and n/N jump between them (lnav's search). */
  highlight: string;
  /** `w`: the selected row (every row of a raw event) wraps instead of being cut (#6). */
  wrap: boolean;
  /** ←/→: columns scrolled off to the left (#6). */
  x: number;
}

/** An instance's events and timings, fetched together. */
export interface InstanceData {
  events: Table;
  timings: Table;
}

interface Of<K extends string, D> extends ViewCommon {
  kind: K;
  load: Load<D>;
}

/** The watch and in-flight views draw the tail's rows; they load nothing of their own. */
export type WatchView = Of<'watch', never>;
export type InflightView = Of<'inflight', never>;
export interface InstanceView extends Of<'instance', InstanceData> {
  /** Undefined: the pane opened before any instance was (a hint is shown). */
  uuid: string | undefined;
  service: StackyService;
  /** Event ids shown before the last live refresh; rows not among them are marked new (#16). */
  known?: readonly number[];
}
export interface RequestView extends Of<'request', Table> {
  requestId: string | undefined;
  known?: readonly number[];
}
export interface SearchView extends Of<'search', Table> {
  /** The search form as typed (a draft until Enter). */
  search: SearchParams;
  /** The search that was run: what is fetched and shown (#3: typing never fetches). */
  query: SearchParams | undefined;
  service: StackyService;
}
export interface ShowView extends Of<'show', ShowReply | null> {
  eventId: number;
  service: StackyService;
}
export type ReportsView = Of<'reports', Table>;
export interface ReportView extends Of<'report', ReportReply> {
  reportId: number;
  sortCol: number;
  sortDesc: boolean;
}
export type SummaryView = Of<'summary', Table>;
export interface KpiView extends Of<'kpi', Table> {
  tenant: string | undefined;
}
export type DeploymentsView = Of<'deployments', Table>;
export type EventsView = Of<'events', Table>;
export interface HostsView extends Of<'hosts', Table> {
  service: StackyService;
}

/** Every view kind by name. */
export interface ViewMap {
  watch: WatchView;
  inflight: InflightView;
  instance: InstanceView;
  request: RequestView;
  search: SearchView;
  show: ShowView;
  reports: ReportsView;
  report: ReportView;
  summary: SummaryView;
  kpi: KpiView;
  deployments: DeploymentsView;
  events: EventsView;
  hosts: HostsView;
}

export type ViewKind = keyof ViewMap;
export type View = ViewMap[ViewKind];
/** The reply a view of this type loads. */
export type DataOf<V extends View> = Extract<V['load'], {state: 'ok'}>['data'];

/** What opening a view takes: its own fields; the common ones (and a preloaded reply) optional. */
export type ViewInit = {
  [K in ViewKind]: Omit<ViewMap[K], keyof ViewCommon | 'load'> & Partial<Omit<ViewCommon, 'key'>> & {load?: ViewMap[K]['load']};
}[ViewKind];

export function isKind<K extends ViewKind>(v: View, kind: K): v is ViewMap[K] {
  return v.kind === kind;
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
