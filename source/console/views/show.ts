// The raw event view (Enter on an event row, `:show ID`): the key/value table, then the pretty JSON.
import type {ShowReply} from '../../client/types.js';
import type {Column} from '../columns.js';
import {clean} from '../text.js';
import type {Line, Listing, ShowView, Target} from '../views.js';
import {asTable, blank, jsonLines, title} from './tables.js';
import type {ViewDef} from './def.js';

/** The request id a raw event names, if any. */
export function requestIdOf(reply: ShowReply | null): string | undefined {
  const req = reply ? asTable(reply[0]).find((r) => r[0] === 'Req ID')?.[1] : undefined;
  return req ? clean(req) : undefined;
}

function showListing(v: ShowView, data: ShowReply | null): Listing {
  if (!data) return {tables: [], lines: [], empty: `event #${v.eventId} does not exist (${v.service})`};
  const [kv, json, related] = data;
  const rows = asTable(kv).slice(1);
  const requestId = requestIdOf(data);
  const target: Target = {
    eventId: v.eventId,
    service: v.service,
    uuid: related ? String(related) : undefined,
    requestId,
  };
  const columns: Column[] = [
    {title: 'Key', min: 10, max: 10, priority: 1},
    {title: 'Value', min: 20, max: Number.POSITIVE_INFINITY, priority: 1},
  ];
  const lines: Line[] = [title(`Event #${v.eventId}`), {kind: 'header', cells: ['Key', 'Value'], table: 0, search: ''}];
  for (const r of rows) lines.push({kind: 'data', cells: r, table: 0, search: r.map(clean).join(' '), target, tone: r[0] === 'Category' && /error$/.test(String(r[1])) ? 'error' : undefined});
  lines.push(blank, title('JSON'));
  let parsed: unknown = json;
  try {
    parsed = typeof json === 'string' ? JSON.parse(json) : json;
  } catch {
    // keep the text as it came
  }
  lines.push(...jsonLines(parsed, target));
  return {tables: [columns], lines, target};
}

export const showView: ViewDef<ShowView> = {
  scopes: ['show', 'event', 'list', 'global'],
  label: (v) => `event #${v.eventId}`,
  identity: (v) => String(v.eventId),
  needsLoad: () => true,
  fetch: (v, source) => source.show(v.eventId, v.service),
  listing: showListing,
  open: (t) => (t.uuid ? {kind: 'instance'} : {kind: 'status', text: 'no instance for this event'}),
};
