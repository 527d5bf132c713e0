// The summary pane's views (pane 6, v cycles them): timing summary, KPIs, and the lists of
// deployments, event names and hosts, each a stacky table whose rows open what they name.
import type {Table} from '../../client/types.js';
import type {ConsoleSource} from '../data-source.js';
import type {Scope} from '../keymap.js';
import {clean} from '../text.js';
import type {StackyService} from '../../client/types.js';
import type {DeploymentsView, EventsView, HostsView, KpiView, SummaryView, Target, View, ViewInit} from '../views.js';
import {showOrSay, type Intent, type ViewDef} from './def.js';
import {searchFor} from './search.js';
import {asTable, genericTable} from './tables.js';

const summaryScopes: Scope[] = ['summary', 'list', 'global'];

type TableView = SummaryView | KpiView | DeploymentsView | EventsView | HostsView;

interface TableOptions<V extends TableView> {
  label: (v: V) => string;
  identity?: (v: V) => string;
  fetch: (v: V, source: ConsoleSource) => Promise<Table>;
  /** Shown when the table has no rows. */
  empty?: string;
  /** What a row names, for Enter. */
  target?: (row: readonly unknown[]) => Target | undefined;
  open: (t: Target, v: V) => Intent;
}

function summaryTable<V extends TableView>(o: TableOptions<V>): ViewDef<V> {
  return {
    pane: 'summary',
    scopes: summaryScopes,
    label: o.label,
    identity: o.identity,
    needsLoad: () => true,
    fetch: o.fetch,
    listing: (_v, data) => {
      const t = genericTable(asTable(data), o.target);
      return {tables: [t.columns], lines: t.lines, empty: t.lines.length <= 1 ? o.empty : undefined};
    },
    open: o.open,
  };
}

export const summaryView = summaryTable<SummaryView>({label: () => 'summary', fetch: (_v, s) => s.summary(), empty: 'no complete timings yet', open: showOrSay});

export const kpiView = summaryTable<KpiView>({
  label: (v) => (v.tenant ? `kpi ${v.tenant}` : 'kpi'),
  identity: (v) => v.tenant ?? '',
  fetch: (v, s) => s.kpi(v.tenant),
  empty: 'no requests tracked in the last 24 hours',
  target: (row) => ({uuid: row[2] ? String(row[2]) : undefined}),
  open: () => ({kind: 'instance'}),
});

export const deploymentsView = summaryTable<DeploymentsView>({
  label: () => 'deployments',
  fetch: (_v, s) => s.deployments(),
  empty: 'no deployments yet',
  target: (row) => ({deployment: clean(row[1])}),
  open: (t) => ({kind: 'watch', command: {kind: 'watch', deployment: t.deployment ?? 'all'}}),
});

export const eventsView = summaryTable<EventsView>({
  label: () => 'events',
  fetch: (_v, s) => s.events('all'),
  target: (row) => ({eventName: clean(row[0])}),
  open: (t) => ({kind: 'watch', command: {kind: 'event', eventName: t.eventName ?? ''}}),
});

export const hostsView = summaryTable<HostsView>({
  label: () => 'hosts',
  fetch: (v, s) => s.hosts(v.service),
  target: (row) => ({host: clean(row[0])}),
  open: (t, v) => {
    const q = searchFor('host', t.host ?? '');
    return {kind: 'push', view: {kind: 'search', search: q, query: q, service: t.service ?? v.service}};
  },
});

/** `v` cycles summary → kpi → deployments → events → hosts → summary. */
const cycle: Partial<Record<View['kind'], (service: StackyService) => ViewInit>> = {
  summary: () => ({kind: 'kpi', tenant: undefined}),
  kpi: () => ({kind: 'deployments'}),
  deployments: () => ({kind: 'events'}),
  events: (service) => ({kind: 'hosts', service}),
  hosts: () => ({kind: 'summary'}),
};

/** The view after `v` in the summary pane's cycle; undefined outside it. */
export function nextSummary(v: View, service: StackyService): ViewInit | undefined {
  return cycle[v.kind]?.(service);
}
