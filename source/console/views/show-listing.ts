// The raw event view's lines: the key/value table, then the pretty JSON.
import type {Table} from '../../client/types.js';
import type {Column} from '../columns.js';
import {clean} from '../text.js';
import type {Line, Listing, Target, View} from '../views.js';
import {asTable, blank, jsonLines, title} from './tables.js';

export function showListing(v: View, data: unknown): Listing {
  if (!Array.isArray(data)) return {tables: [], lines: [], empty: `event #${v.eventId} does not exist (${v.service ?? 'nova'})`};
  const [kv, json, related] = data as [Table, string, string | null];
  const rows = asTable(kv).slice(1);
  const requestId = rows.find((r) => r[0] === 'Req ID')?.[1];
  const target: Target = {
    eventId: v.eventId,
    service: v.service,
    uuid: related ? String(related) : undefined,
    requestId: requestId ? String(requestId) : undefined,
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
