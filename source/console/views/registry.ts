// Every view kind in one table: each kind's file under views/ declares
// its pane, label, key scopes, fetch, listing and what Enter opens (def.ts); this file only
// gathers them. Adding a view means adding its file and a row here; nothing else switches on
// the kind. The accessors below are generic over the kind, so each view's functions get its
// own type of view and reply without casts.
import type {ConsoleSource} from '../data-source.js';
import type {Scope} from '../keymap.js';
import {isKind, type Listing, type Pane, type Target, type View, type ViewKind, type ViewMap} from '../views.js';
import type {Intent, ViewDef} from './def.js';
import {watchView} from './watch.js';
import {inflightView} from './inflight.js';
import {instanceView} from './instance.js';
import {requestView} from './request.js';
import {searchView} from './search.js';
import {showView} from './show.js';
import {reportsView} from './reports.js';
import {reportView} from './report.js';
import {deploymentsView, eventsView, hostsView, kpiView, summaryView} from './summary.js';

export type {Intent, ViewDef} from './def.js';

type Registry = {[K in ViewKind]: ViewDef<ViewMap[K]>};

export const viewDefs: Registry = {
  watch: watchView,
  inflight: inflightView,
  instance: instanceView,
  request: requestView,
  search: searchView,
  show: showView,
  reports: reportsView,
  report: reportView,
  summary: summaryView,
  kpi: kpiView,
  deployments: deploymentsView,
  events: eventsView,
  hosts: hostsView,
};

export function paneOfKind(kind: ViewKind): Pane | undefined {
  return viewDefs[kind].pane;
}

export function scopesOf(kind: ViewKind): Scope[] {
  return viewDefs[kind].scopes;
}

/** The pane a stack is in: the nearest view from the top that belongs to one. */
export function currentPane(stack: readonly View[]): Pane {
  for (let i = stack.length - 1; i >= 0; i--) {
    const p = paneOfKind(stack[i]!.kind);
    if (p) return p;
  }
  return 'watch';
}

function labelFor<K extends ViewKind>(kind: K, v: ViewMap[K]): string {
  return viewDefs[kind].label(v);
}
/** Breadcrumb label of a view. */
export function viewLabel(v: View): string {
  return labelFor(v.kind, v);
}

function identityFor<K extends ViewKind>(kind: K, v: ViewMap[K]): string {
  return viewDefs[kind].identity?.(v) ?? '';
}
/** What the view shows, for telling the same view apart from another of its kind. */
export function identityOf(v: View): string {
  return identityFor(v.kind, v);
}

function needsLoadFor<K extends ViewKind>(kind: K, v: ViewMap[K]): boolean {
  return viewDefs[kind].needsLoad(v);
}
/** Whether the view has something to fetch (an instance pane without a uuid has not). */
export function needsLoad(v: View): boolean {
  return needsLoadFor(v.kind, v);
}

function listingFor<K extends ViewKind>(kind: K, v: ViewMap[K]): Listing {
  if (v.load.state !== 'ok') return {tables: [], lines: []};
  return viewDefs[kind].listing(v, v.load.data);
}
/** The view's lines, from the reply it loaded. */
export function buildListing(v: View): Listing {
  return listingFor(v.kind, v);
}

function idleFor<K extends ViewKind>(kind: K, v: ViewMap[K]): string | undefined {
  return viewDefs[kind].idle?.(v);
}
/** What the pane says when the view has nothing to load yet. */
export function idleText(v: View): string | undefined {
  return needsLoad(v) ? undefined : idleFor(v.kind, v);
}

function statusFor<K extends ViewKind>(kind: K, v: ViewMap[K]): string | undefined {
  return v.load.state === 'ok' ? viewDefs[kind].status?.(v, v.load.data) : undefined;
}
/** The view's own part of the status line, once loaded. */
export function viewStatus(v: View): string | undefined {
  return statusFor(v.kind, v);
}

function openFor<K extends ViewKind>(kind: K, v: ViewMap[K], t: Target): Intent {
  return viewDefs[kind].open(t, v);
}
/** What Enter on a row of `v` whose target is `t` asks for. */
export function openIntent(v: View, t: Target): Intent {
  return openFor(v.kind, v, t);
}

/** A fetched reply, put into the view it was fetched for as that view now is (same key). */
export type Settle = (current: View) => View;

async function fetchFor<K extends ViewKind>(kind: K, v: ViewMap[K], source: ConsoleSource): Promise<Settle> {
  const data = await viewDefs[kind].fetch(v, source);
  return (current) => (isKind(current, kind) ? {...current, load: {state: 'ok', data}, failures: 0} : current);
}
/** Fetches what the view shows. */
export function fetchView(v: View, source: ConsoleSource): Promise<Settle> {
  return fetchFor(v.kind, v, source);
}
