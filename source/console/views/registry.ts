// Every view kind in one table (the k9s registrar idea): its pane, its breadcrumb label, the
// key scopes it answers to, whether and how it fetches, how its data becomes lines, and what
// Enter on one of its rows opens. Adding a view means adding a row here; nothing else switches
// on the kind.
import type {ConsoleSource} from '../data-source.js';
import type {Scope} from '../keymap.js';
import type {Command} from '../commands.js';
import {clean, toEpoch} from '../text.js';
import {pageSize, type Listing, type Pane, type SearchParams, type Target, type View, type ViewKind} from '../views.js';
import {asTable, eventTable, genericTable} from './tables.js';
import {instanceListing} from './instance-listing.js';
import {showListing} from './show-listing.js';
import {reportListing} from './report-listing.js';
import {reportsListing} from './reports-listing.js';

/** What Enter on a row asks the app to do. */
export type Intent =
  | {kind: 'push'; view: Partial<View> & {kind: ViewKind}}
  | {kind: 'instance'}
  | {kind: 'show'}
  | {kind: 'watch'; command: Command}
  | {kind: 'status'; text: string};

export interface ViewDef {
  /** The tab it lives under (a raw event belongs to none). */
  pane?: Pane;
  /** Key scopes, most specific first (keymap.ts). */
  scopes: Scope[];
  label(v: View): string;
  needsLoad(v: View): boolean;
  fetch(v: View, source: ConsoleSource): Promise<unknown>;
  listing(v: View, data: unknown): Listing;
  /** Enter on a row whose target is `t`. */
  open(t: Target): Intent;
}

const always = () => true;
const never = () => false;
const nothing = () => Promise.resolve(null);
const noLines = (): Listing => ({tables: [], lines: []});
const eventScopes: Scope[] = ['event', 'list', 'global'];
const summaryScopes: Scope[] = ['summary', 'list', 'global'];
const showOrSay = (t: Target): Intent =>
  t.eventId !== undefined ? {kind: 'show'} : {kind: 'status', text: 'timing rows have no drill-down; Enter on an event row shows it'};
const hostSearch = (host: string): SearchParams => ({field: 'host', value: host, whenMin: '', whenMax: '', offset: 0, focus: 0});

/** A table view of the summary pane, fetched with `fetch`, rows opening `open`. */
function summaryTable(name: ViewKind, fetch: (v: View, s: ConsoleSource) => Promise<unknown>, empty: string | undefined, target: ((row: readonly unknown[]) => Target | undefined) | undefined, open: (t: Target) => Intent): ViewDef {
  return {
    pane: 'summary',
    scopes: summaryScopes,
    label: (v) => (v.kind === 'kpi' && v.tenant ? `kpi ${v.tenant}` : name),
    needsLoad: always,
    fetch,
    listing: (_v, data) => {
      const t = genericTable(asTable(data), target);
      return {tables: [t.columns], lines: t.lines, empty: t.lines.length <= 1 ? empty : undefined};
    },
    open,
  };
}

export const viewDefs: Record<ViewKind, ViewDef> = {
  watch: {
    pane: 'watch', scopes: ['watch', 'event', 'list', 'global'], label: () => 'watch', needsLoad: never, fetch: nothing, listing: noLines,
    open: (t) => (t.uuid ? {kind: 'instance'} : {kind: 'show'}),
  },
  inflight: {
    pane: 'inflight', scopes: eventScopes, label: () => 'inflight', needsLoad: never, fetch: nothing, listing: noLines,
    open: () => ({kind: 'instance'}),
  },
  instance: {
    pane: 'instance', scopes: eventScopes,
    label: (v) => (v.uuid ? `instance ${v.uuid.slice(0, 8)}…` : 'instance'),
    needsLoad: (v) => !!v.uuid,
    fetch: (v, source) =>
      Promise.all([source.uuid(v.uuid!, {service: v.service ?? 'nova'}), source.timingsForUuid(v.uuid!)]).then(([events, timings]) => ({events, timings})),
    listing: (v, data) => instanceListing(v, data as {events: unknown; timings: unknown}),
    open: showOrSay,
  },
  request: {
    pane: 'request', scopes: eventScopes,
    label: (v) => (v.requestId ? `request ${v.requestId.slice(0, 12)}…` : 'request'),
    needsLoad: (v) => !!v.requestId,
    fetch: (v, source) => source.request(v.requestId!),
    listing: (v, data) => {
      const t = eventTable(asTable(data), 'nova', 0, undefined, v.known ? new Set(v.known) : undefined);
      return {tables: [t.columns], lines: t.lines, empty: t.lines.length <= 1 ? `no events for request ${v.requestId}` : undefined};
    },
    open: showOrSay,
  },
  search: {
    pane: 'search', scopes: ['search', 'event', 'list', 'global'],
    label: (v) => (v.query ? `search ${v.query.field}=${v.query.value}` : 'search'),
    needsLoad: (v) => !!v.query && v.query.field !== '' && v.query.value !== '',
    fetch: (v, source) => {
      const s = v.query!;
      return source.search(s.field, s.value, {service: v.service ?? 'nova', limit: pageSize, offset: s.offset, whenMin: toEpoch(s.whenMin), whenMax: toEpoch(s.whenMax)});
    },
    listing: (v, data) => {
      const t = eventTable(asTable(data), v.service ?? 'nova', 0);
      return {tables: [t.columns], lines: t.lines, empty: t.lines.length <= 1 ? 'no events found' : undefined};
    },
    open: showOrSay,
  },
  show: {
    scopes: ['show', 'event', 'list', 'global'],
    label: (v) => `event #${v.eventId}`,
    needsLoad: always,
    fetch: (v, source) => source.show(v.eventId!, v.service ?? 'nova'),
    listing: showListing,
    open: (t) => (t.uuid ? {kind: 'instance'} : {kind: 'status', text: 'no instance for this event'}),
  },
  reports: {
    pane: 'reports', scopes: ['list', 'global'], label: () => 'reports', needsLoad: always,
    fetch: (_v, source) => source.reports(),
    listing: (_v, data) => reportsListing(data),
    open: (t) => (t.reportId !== undefined ? {kind: 'push', view: {kind: 'report', reportId: t.reportId}} : {kind: 'status', text: 'not a report'}),
  },
  report: {
    pane: 'reports', scopes: ['report', 'list', 'global'],
    label: (v) => `report #${v.reportId}`,
    needsLoad: always,
    fetch: (v, source) => source.report(v.reportId!),
    listing: reportListing,
    open: showOrSay,
  },
  summary: summaryTable('summary', (_v, s) => s.summary(), 'no complete timings yet', undefined, showOrSay),
  kpi: summaryTable('kpi', (v, s) => s.kpi(v.tenant), 'no requests tracked in the last 24 hours', (row) => ({uuid: row[2] ? String(row[2]) : undefined}), () => ({kind: 'instance'})),
  deployments: summaryTable('deployments', (_v, s) => s.deployments(), 'no deployments yet', (row) => ({deployment: clean(row[1])}),
    (t) => ({kind: 'watch', command: {kind: 'watch', deployment: t.deployment ?? 'all'}})),
  events: summaryTable('events', (_v, s) => s.events('all'), undefined, (row) => ({eventName: clean(row[0])}),
    (t) => ({kind: 'watch', command: {kind: 'event', eventName: t.eventName ?? ''}})),
  hosts: summaryTable('hosts', (v, s) => s.hosts(v.service ?? 'nova'), undefined, (row) => ({host: clean(row[0])}),
    (t) => ({kind: 'push', view: {kind: 'search', search: hostSearch(t.host ?? ''), query: hostSearch(t.host ?? '')}})),
};
