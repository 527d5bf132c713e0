// The instance view (pane 3, `:uuid`, Enter on a watch row): one instance's timings first (bars
// proportional to duration), then its events; refreshed live while open (hooks/useLiveRefresh.ts).
import type {Column} from '../columns.js';
import {clean, durationSeconds} from '../text.js';
import type {InstanceData, InstanceView, Line, Listing} from '../views.js';
import {asTable, blank, eventTable, title} from './tables.js';
import {eventScopes, showOrSay, type ViewDef} from './def.js';

function instanceListing(v: InstanceView, data: InstanceData): Listing {
  const service = v.service;
  const events = eventTable(asTable(data.events), service, 0, v.uuid, v.known ? new Set(v.known) : undefined);
  const timings = asTable(data.timings);
  const [th, ...trows] = timings;
  const max = Math.max(0, ...trows.map((r) => durationSeconds(r[2])).filter(Number.isFinite));
  const timingColumns: Column[] = [
    {title: '?', min: 1, max: 1, priority: 1},
    {title: 'Event', min: 16, max: Math.max(16, ...trows.map((r) => clean(r[1]).length)), priority: 1},
    {title: 'Time (secs)', min: 14, max: 16, priority: 1},
    {title: '', min: 10, max: Number.POSITIVE_INFINITY, priority: 2},
  ];
  // Timings first: an instance with hundreds of events still shows them on the first screen (#17).
  const lines: Line[] = [title(`Timings (${trows.length})   S = start without end · E = end without start`)];
  if (th) lines.push({kind: 'header', cells: [th[0], th[1], th[2], 'duration'], table: 1, search: ''});
  for (const r of trows) {
    const state = clean(r[0]);
    const secs = durationSeconds(r[2]);
    const partial = state === 'S' || state === 'E';
    const note = state === 'S' ? 'start, no end' : state === 'E' ? 'end, no start' : '';
    lines.push({
      kind: 'data',
      cells: [state, r[1], r[2], note],
      table: 1,
      tone: partial ? 'warn' : undefined,
      bar: !partial && Number.isFinite(secs) && max > 0 ? {col: 3, fraction: secs / max} : undefined,
      search: `${state} ${clean(r[1])} ${clean(r[2])} ${note}`,
      target: {uuid: v.uuid},
    });
  }
  if (trows.length === 0) lines.push({kind: 'meta', text: '  no timings', tone: 'dim', search: ''});
  lines.push(blank, title(`Events of ${v.uuid} (${Math.max(0, events.lines.length - 1)})`));
  if (events.lines.length === 0) lines.push({kind: 'meta', text: '  no events for this instance', tone: 'dim', search: ''});
  lines.push(...events.lines);
  return {tables: [events.columns, timingColumns], lines};
}

export const instanceView: ViewDef<InstanceView> = {
  pane: 'instance',
  scopes: eventScopes,
  label: (v) => (v.uuid ? `instance ${v.uuid.slice(0, 8)}…` : 'instance'),
  identity: (v) => v.uuid ?? '',
  idle: () => 'No instance yet: Enter on a watch row that has a UUID, or :uuid ID',
  needsLoad: (v) => v.uuid !== undefined,
  fetch: async (v, source) => {
    const uuid = v.uuid ?? '';
    const [events, timings] = await Promise.all([source.uuid(uuid, {service: v.service}), source.timingsForUuid(uuid)]);
    return {events, timings};
  },
  listing: instanceListing,
  open: showOrSay,
};
