// The request view (pane 4, `:req ID`, r on an event row): every event of one request id;
// refreshed on the tail's rhythm while open, new rows marked (#16).
import type {RequestView} from '../views.js';
import {eventScopes, showOrSay, type ViewDef} from './def.js';
import {asTable, eventTable} from './tables.js';

export const requestView: ViewDef<RequestView> = {
  pane: 'request',
  scopes: eventScopes,
  label: (v) => (v.requestId ? `request ${v.requestId.slice(0, 12)}…` : 'request'),
  identity: (v) => v.requestId ?? '',
  idle: () => 'No request yet: r on an event row, or :req ID',
  needsLoad: (v) => v.requestId !== undefined,
  fetch: (v, source) => source.request(v.requestId ?? ''),
  listing: (v, data) => {
    const t = eventTable(asTable(data), 'nova', 0, undefined, v.known ? new Set(v.known) : undefined);
    return {tables: [t.columns], lines: t.lines, empty: t.lines.length <= 1 ? `no events for request ${v.requestId}` : undefined};
  },
  open: showOrSay,
};
