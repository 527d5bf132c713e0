// The in-flight view: what is stuck right now. Derived from the rows the tail already holds
// (the server is not asked): an operation's `.start` seen for an instance without its `.end`
// (or `.error`) is in flight. Oldest first, with its age and the instance's last event.
import type {RowStore} from '../watch-rows.js';
import type {WatchRow} from '../tail.js';
import type {Column} from '../columns.js';
import type {InflightView, Line, Listing} from '../views.js';
import {eventScopes, loadsNothing, noLines, type ViewDef} from './def.js';
import type {StackyService} from '../../client/types.js';

export interface InFlight {
  uuid: string;
  operation: string;
  deployment: string;
  /** Epoch ms of the `.start`. */
  startedAt: number;
  last: WatchRow;
}

/** Epoch ms of a watch row (the server sends UTC date and time). */
export function rowTime(r: WatchRow): number {
  return Date.parse(`${r.date}T${r.time.slice(0, 12)}Z`);
}

/** The operations started and not ended among `rows`, oldest first. */
export function inFlight(rows: RowStore): InFlight[] {
  const open = new Map<string, InFlight>();
  const last = new Map<string, WatchRow>();
  for (let s = rows.firstSeq; s <= rows.lastSeq; s++) {
    const r = rows.bySeq(s);
    if (!r || !r.uuid) continue;
    last.set(r.uuid, r);
    const m = /^(.*)\.(start|end|error)$/.exec(r.event);
    if (!m) continue;
    const key = `${r.uuid} ${m[1]}`;
    if (m[2] === 'start') open.set(key, {uuid: r.uuid, operation: m[1]!, deployment: r.deployment, startedAt: rowTime(r), last: r});
    else open.delete(key);
  }
  const out = [...open.values()].map((f) => ({...f, last: last.get(f.uuid) ?? f.last}));
  return out.sort((a, b) => a.startedAt - b.startedAt);
}

/** `45s`, `12m05s`, `3h02m`. */
export function ageText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export const inflightColumns: Column[] = [
  {title: 'Age', min: 7, max: 8, priority: 1, align: 'right'},
  {title: 'Operation', min: 26, max: 34, priority: 1},
  {title: 'Last event', min: 30, max: 46, priority: 1},
  {title: 'Last at', min: 12, max: 15, priority: 4, cut: true},
  {title: 'Deployment', min: 10, max: 20, priority: 5},
  {title: 'UUID', min: 13, max: 36, priority: 3},
];

/** The in-flight rows as a listing; those older than `stuckMs` are highlighted. */
export function inflightListing(rows: RowStore, now: number, stuckMs: number, service: StackyService, relative = false): Listing {
  const list = inFlight(rows);
  const lines: Line[] = [{kind: 'header', cells: inflightColumns.map((c) => (c.title === 'Last at' && !relative ? 'Last at UTC' : c.title)), table: 0, search: ''}];
  for (const f of list) {
    const age = now - f.startedAt;
    const stuck = age >= stuckMs;
    const cells = [ageText(age), f.operation, f.last.event, relative ? `${ageText(now - rowTime(f.last))} ago` : f.last.time, f.deployment, f.uuid];
    lines.push({
      kind: 'data',
      cells,
      table: 0,
      tone: stuck ? 'warn' : undefined,
      error: f.last.error,
      search: cells.join(' '),
      target: {uuid: f.uuid, eventId: f.last.id, service},
    });
  }
  return {tables: [inflightColumns], lines, empty: 'nothing in flight: every .start seen has its .end'};
}

/** Its lines come from the tail (inflightListing, drawn by the app); it loads nothing itself. */
export const inflightView: ViewDef<InflightView> = {
  pane: 'inflight',
  scopes: eventScopes,
  label: () => 'inflight',
  needsLoad: () => false,
  fetch: loadsNothing,
  listing: noLines,
  open: () => ({kind: 'instance'}),
};
