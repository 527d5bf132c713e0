// A stored report (Enter in the reports list, `:report ID`): the metadata block as stored, then
// its table sorted by one column (s next column, S reverse).
import type {ReportReply} from '../../client/types.js';
import {columnsFor} from '../columns.js';
import {clean, durationSeconds, epochText, fit} from '../text.js';
import type {Line, Listing, ReportView} from '../views.js';
import {blank, jsonLines, title} from './tables.js';
import {showOrSay, type ViewDef} from './def.js';
import {keyFor} from '../keymap.js';

export function isRateColumn(title: unknown): boolean {
  return /^%|percent|rate/i.test(String(title ?? ''));
}

/**
 * A report cell as a number: plain numbers and percentages, and the durations of
 * core/duration.ts secToStr (`16s`, `1:28s`, `01:02:03`) or stacky's `0d 00:00:55.50`,
 * so a duration column sorts by time, not as text (#1).
 */
export function cellNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return Number.NaN;
  const t = value.trim();
  if (/^-?\d+(\.\d+)?\s*%?$/.test(t)) return Number.parseFloat(t);
  let m = /^(\d+(?:\.\d+)?)s$/.exec(t);
  if (m) return Number(m[1]);
  m = /^(\d+):(\d\d(?:\.\d+)?)s$/.exec(t);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  m = /^(\d+):(\d\d):(\d\d(?:\.\d+)?)$/.exec(t);
  if (m) return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  return durationSeconds(t);
}

export const num = cellNumber;

/** Sort comparator for report cells: numbers numerically, the rest as text. */
export function compareCells(a: unknown, b: unknown): number {
  const x = num(a);
  const y = num(b);
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return clean(a).localeCompare(clean(b));
}

/** A report's metadata as a compact block: short values two to a line, long ones alone. */
export function metaLines(meta: Record<string, unknown>): Line[] {
  const items = Object.keys(meta).map((k) => {
    const value = meta[k];
    const shown =
      (k === 'start' || k === 'end') && typeof value === 'number'
        ? epochText(value)
        : typeof value === 'object'
            ? JSON.stringify(value)
            : clean(value);
    const rate = /(percentage|rate)$/.test(k) && num(value) > 0;
    return {k, shown, rate};
  });
  const half = 39;
  const keyWidth = 24;
  const cell = (i: {k: string; shown: string}) => `${fit(i.k, keyWidth)} ${fit(i.shown, half - keyWidth - 1)}`;
  const out: Line[] = [];
  let pending: (typeof items)[number] | undefined;
  const flush = () => {
    if (!pending) return;
    out.push({kind: 'meta', text: cell(pending), tone: pending.rate ? 'error' : undefined, search: `${pending.k} ${pending.shown}`});
    pending = undefined;
  };
  for (const item of items) {
    if (item.shown.length > half - keyWidth - 1) {
      flush();
      out.push({kind: 'meta', text: `${fit(item.k, keyWidth)} ${item.shown}`, search: `${item.k} ${item.shown}`});
    } else if (pending) {
      out.push({
        kind: 'meta',
        text: `${cell(pending)} ${cell(item)}`,
        tone: pending.rate || item.rate ? 'error' : undefined,
        search: `${pending.k} ${pending.shown} ${item.k} ${item.shown}`,
      });
      pending = undefined;
    } else pending = item;
  }
  flush();
  return out;
}

/** The column titles of a report's table (empty when it has none). */
export function reportHeader(data: ReportReply): string[] {
  if (reportColumnCount(data) === 0) return [];
  return ((data as unknown[])[1] as unknown[]).map(clean);
}

/** Columns a report can be sorted by (0 when it has no table). */
export function reportColumnCount(data: ReportReply): number {
  if (!Array.isArray(data) || typeof data[0] !== 'object' || Array.isArray(data[0]) || !Array.isArray(data[1])) return 0;
  return (data[1] as unknown[]).length;
}

function reportListing(v: ReportView, data: ReportReply): Listing {
  if (!Array.isArray(data)) return {tables: [], lines: [title(`Report #${v.reportId}`), ...jsonLines(data)]};
  const [first, ...rest] = data as unknown[];
  const meta = first && typeof first === 'object' && !Array.isArray(first) ? (first as Record<string, unknown>) : undefined;
  if (!meta) return {tables: [], lines: [title(`Report #${v.reportId}`), ...jsonLines(data)]};
  const lines: Line[] = [title(`Report #${v.reportId}`), ...metaLines(meta), blank];
  if (meta.report_format === 'json') return {tables: [], lines: [...lines, ...jsonLines(rest)]};
  if (meta.raw_text) return {tables: [], lines: [...lines, ...rest.map((r) => ({kind: 'data' as const, text: clean(r), search: clean(r)}))]};
  const [header, ...rows] = rest.filter(Array.isArray) as unknown[][];
  if (!header) return {tables: [], lines};
  const sortCol = Math.min(v.sortCol, header.length - 1);
  const sorted = [...rows].sort((a, b) => compareCells(a[sortCol], b[sortCol]) * (v.sortDesc ? -1 : 1));
  const rateCols = header.map(isRateColumn);
  const shownRows = sorted.map((r) => r.map((c, i) => (rateCols[i] && typeof c === 'number' && c <= 1 ? `${(c * 100).toFixed(1)}%` : c)));
  const titled = header.map((h, i) => (i === sortCol ? `${clean(h)}${v.sortDesc ? '▼' : '▲'}` : h));
  const columns = columnsFor(titled, shownRows).map((c, i) => ({
    ...c,
    min: i < 3 ? Math.max(c.min, Math.min(c.max, 14)) : Math.max(c.min, Math.min(c.max, 8)),
    // The sorted column is never the one dropped, so its ▲/▼ is always on screen (#2).
    priority: i === sortCol ? 1 : reportPriority(clean(header[i]), i),
  }));
  lines.push({kind: 'header', cells: columns.map((c) => c.title), table: 0, search: ''});
  sorted.forEach((r, idx) => {
    const tones = r.map((c, i) => (rateCols[i] && num(c) > 0 ? ('error' as const) : undefined));
    const failing = tones.some(Boolean);
    lines.push({kind: 'data', cells: shownRows[idx]!, table: 0, cellTones: tones, error: failing, search: shownRows[idx]!.map(clean).join(' ')});
  });
  return {tables: [columns], lines};
}

/** Which report columns survive on a narrow terminal: rates first, raw counts last. */
export function reportPriority(title: string, index: number): number {
  if (index === 0) return 1;
  if (isRateColumn(title) || title === 'Requests') return 2;
  if (index <= 2) return 3;
  if (/^\d+%$/.test(title)) return 4;
  if (title === 'Med') return 5;
  if (title === 'Min' || title === 'Max') return 6;
  return 7;
}

export const reportView: ViewDef<ReportView> = {
  pane: 'reports',
  scopes: ['report', 'list', 'global'],
  label: (v) => `report #${v.reportId}`,
  identity: (v) => String(v.reportId),
  status: (v, data) => {
    const header = reportHeader(data);
    return header.length > 0 ? `sorted by ${header[v.sortCol]}${v.sortDesc ? ' ▼' : ' ▲'} (${keyFor('sort')} next column, ${keyFor('sortReverse')} reverse)` : undefined;
  },
  needsLoad: () => true,
  fetch: (v, source) => source.report(v.reportId),
  listing: reportListing,
  open: showOrSay,
};
