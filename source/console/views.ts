// Views (what sits on the navigation stack), how each is fetched, and how its data becomes
// lines: a pure layer with no React, so lists, filters and drill-down targets are testable alone.
import type {StackyService, Table} from '../client/types.js';
import type {ConsoleSource, Problem} from './data-source.js';
import {columnsFor, type Column} from './columns.js';
import {clean, durationSeconds, epochText, fit, matches} from './text.js';
import type {Tone} from './theme.js';
import {viewDefs} from './views/registry.js';

export type ViewKind =
  | 'watch' | 'search' | 'instance' | 'request' | 'reports' | 'report' | 'show'
  | 'summary' | 'kpi' | 'deployments' | 'events' | 'hosts' | 'inflight';

export type Pane = 'watch' | 'search' | 'instance' | 'request' | 'reports' | 'summary' | 'inflight';
export const panes: readonly Pane[] = ['watch', 'search', 'instance', 'request', 'reports', 'summary', 'inflight'];

export type Load =
  | {state: 'idle'}
  | {state: 'loading'}
  | {state: 'ok'; data: unknown}
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

export interface View {
  key: number;
  kind: ViewKind;
  /** Selected row; -1 until the user moves (the first data row is selected). */
  cursor: number;
  top: number;
  filter: string;
  load: Load;
  uuid?: string;
  requestId?: string;
  eventId?: number;
  service?: StackyService;
  tenant?: string;
  reportId?: number;
  /** The search form as typed (a draft until Enter). */
  search?: SearchParams;
  /** The search that was run: what is fetched and shown (#3: typing never fetches). */
  query?: SearchParams;
  sortCol?: number;
  sortDesc?: boolean;
  /** Consecutive failed loads, for the retry backoff. */
  failures?: number;
  /** `h`: rows stay, matches are highlighted in place and n/N jump between them (lnav's search). */
  highlight?: string;
  /** `w`: the selected row (every row of a raw event) wraps instead of being cut (#6). */
  wrap?: boolean;
  /** ←/→: columns scrolled off to the left (#6). */
  x?: number;
  /** Event ids shown before the last live refresh; rows not among them are marked new (#16). */
  known?: readonly number[];
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

export function paneOfKind(kind: ViewKind): Pane | undefined {
  return viewDefs[kind].pane;
}

/** The pane a stack is in: the nearest view from the top that belongs to one. */
export function currentPane(stack: readonly View[]): Pane {
  for (let i = stack.length - 1; i >= 0; i--) {
    const p = paneOfKind(stack[i]!.kind);
    if (p) return p;
  }
  return 'watch';
}

export const summaryCycle: readonly ViewKind[] = ['summary', 'kpi', 'deployments', 'events', 'hosts'];

/** Breadcrumb label of a view. */
export function viewLabel(v: View): string {
  return viewDefs[v.kind].label(v);
}

/** Whether the view has something to fetch (an instance pane without a uuid has not). */
export function needsLoad(v: View): boolean {
  return viewDefs[v.kind].needsLoad(v);
}

export function fetchView(v: View, source: ConsoleSource): Promise<unknown> {
  return viewDefs[v.kind].fetch(v, source);
}

export function asTable(data: unknown): Table {
  return Array.isArray(data) ? (data as Table).filter((r) => Array.isArray(r)) : [];
}

/** An event table (uuid, request, search): header row + rows whose cell 0 is the event id and 1 the flag. */
export function eventTable(table: Table, service: StackyService, tableIndex: number, uuidHint?: string, known?: ReadonlySet<number>): {columns: Column[]; lines: Line[]} {
  const [header, ...rows] = table;
  if (!header) return {columns: [], lines: []};
  const shape: Record<string, Partial<Column>> = {
    '#': {priority: 3, align: 'right'},
    '?': {min: 1, max: 1, priority: 1},
    When: {min: 19, max: 19, priority: 2, cut: true},
    Deployment: {min: 15, max: 20, priority: 4},
    Event: {min: 30, max: 38, priority: 1},
    Host: {min: 8, max: 20, priority: 3},
    State: {min: 6, max: 12, priority: 5},
    Status: {min: 6, max: 12, priority: 5},
    "State'": {min: 6, max: 12, priority: 6},
    "Task'": {min: 6, max: 16, priority: 6},
    Instance: {min: 13, max: 36, priority: 4},
    'Request id': {min: 13, max: 44, priority: 6},
  };
  const columns = columnsFor(header, rows).map((c) => {
    const want = shape[c.title];
    if (c.title === '#') return {...c, ...want, min: c.max}; // ids are never cut
    if (!want) return c;
    const merged = {...c, ...want};
    // Only the time is cut on purpose; every other column may grow to its longest cell, so a
    // wide terminal shows it whole (#5: Task' was cut at 16 with 90 columns unused).
    if (merged.cut) return merged;
    return {...merged, max: Math.max(merged.min, c.max)};
  });
  const instanceCol = header.findIndex((h) => h === 'Instance');
  const requestCol = header.findIndex((h) => h === 'Request id');
  const lines: Line[] = [{kind: 'header', cells: header, table: tableIndex, search: ''}];
  for (const row of rows) {
    const error = row[1] === 'E';
    // A row that arrived with a live refresh: `+` in the flag column and green (#16).
    const fresh = known !== undefined && !known.has(Number(row[0]));
    lines.push({
      kind: 'data',
      cells: fresh && !error ? [row[0], '+', ...row.slice(2)] : row,
      table: tableIndex,
      error,
      tone: error ? 'error' : fresh ? 'ok' : undefined,
      search: row.map(clean).join(' '),
      target: {
        eventId: Number(row[0]),
        service,
        uuid: instanceCol >= 0 && row[instanceCol] ? String(row[instanceCol]) : uuidHint,
        requestId: requestCol >= 0 && row[requestCol] ? String(row[requestCol]) : undefined,
      },
    });
  }
  return {columns, lines};
}

export function genericTable(table: Table, target?: (row: readonly unknown[]) => Target | undefined, tableIndex = 0): {columns: Column[]; lines: Line[]} {
  const [header, ...rows] = table;
  if (!header) return {columns: [], lines: []};
  const columns = columnsFor(header, rows);
  const lines: Line[] = [{kind: 'header', cells: header, table: tableIndex, search: ''}];
  for (const row of rows) lines.push({kind: 'data', cells: row, table: tableIndex, search: row.map(clean).join(' '), target: target?.(row)});
  return {columns, lines};
}

function title(text: string, tone: Tone = 'title'): Line {
  return {kind: 'title', text, tone, search: ''};
}

const blank: Line = {kind: 'blank', text: '', search: ''};

function jsonLines(value: unknown, target?: Target): Line[] {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return text.split('\n').map((t) => ({kind: 'data' as const, text: t, search: t, target}));
}

export function instanceListing(v: View, data: {events: unknown; timings: unknown}): Listing {
  const service = v.service ?? 'nova';
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

function isRateColumn(title: unknown): boolean {
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
const num = cellNumber;

/** Sort comparator for report cells: numbers numerically, the rest as text. */
function compareCells(a: unknown, b: unknown): number {
  const x = num(a);
  const y = num(b);
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return clean(a).localeCompare(clean(b));
}

/** A report's metadata as a compact block: short values two to a line, long ones alone. */
function metaLines(meta: Record<string, unknown>): Line[] {
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
export function reportHeader(data: unknown): string[] {
  if (reportColumnCount(data) === 0) return [];
  return ((data as unknown[])[1] as unknown[]).map(clean);
}

/** Columns a report can be sorted by (0 when it has no table). */
export function reportColumnCount(data: unknown): number {
  if (!Array.isArray(data) || typeof data[0] !== 'object' || Array.isArray(data[0]) || !Array.isArray(data[1])) return 0;
  return (data[1] as unknown[]).length;
}

export function reportListing(v: View, data: unknown): Listing {
  if (!Array.isArray(data)) return {tables: [], lines: [title(`Report #${v.reportId}`), ...jsonLines(data)]};
  const [first, ...rest] = data as unknown[];
  const meta = first && typeof first === 'object' && !Array.isArray(first) ? (first as Record<string, unknown>) : undefined;
  if (!meta) return {tables: [], lines: [title(`Report #${v.reportId}`), ...jsonLines(data)]};
  const lines: Line[] = [title(`Report #${v.reportId}`), ...metaLines(meta), blank];
  if (meta.report_format === 'json') return {tables: [], lines: [...lines, ...jsonLines(rest)]};
  if (meta.raw_text) return {tables: [], lines: [...lines, ...rest.map((r) => ({kind: 'data' as const, text: clean(r), search: clean(r)}))]};
  const [header, ...rows] = rest.filter(Array.isArray) as unknown[][];
  if (!header) return {tables: [], lines};
  const sortCol = Math.min(v.sortCol ?? 0, header.length - 1);
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

export function reportsListing(data: unknown): Listing {
  const table = asTable(data);
  const [header, ...rows] = table;
  if (!header) return {tables: [], lines: [], empty: 'no reports in the last 24 hours'};
  const shown = rows.map((r) => r.map((c, i) => (i >= 1 && i <= 3 ? epochText(c).slice(0, 16) : c)));
  const {lines} = genericTable([header, ...shown], (row) => ({reportId: Number(row[0])}));
  const longest = Math.max(16, ...shown.map((r) => clean(r[4]).length));
  const columns: Column[] = [
    {title: 'Id', min: 4, max: 8, priority: 1, align: 'right'},
    {title: 'Start', min: 16, max: 16, priority: 2},
    {title: 'End', min: 16, max: 16, priority: 3},
    {title: 'Created', min: 16, max: 16, priority: 6},
    {title: 'Name', min: 24, max: longest, priority: 1},
    {title: 'Version', min: 7, max: 7, priority: 5, align: 'right'},
  ];
  return {tables: [columns], lines, empty: rows.length === 0 ? 'no reports in the last 24 hours' : undefined};
}

/** Which report columns survive on a narrow terminal: rates first, raw counts last. */
function reportPriority(title: string, index: number): number {
  if (index === 0) return 1;
  if (isRateColumn(title) || title === 'Requests') return 2;
  if (index <= 2) return 3;
  if (/^\d+%$/.test(title)) return 4;
  if (title === 'Med') return 5;
  if (title === 'Min' || title === 'Max') return 6;
  return 7;
}

export function buildListing(v: View): Listing {
  if (v.load.state !== 'ok') return {tables: [], lines: []};
  return viewDefs[v.kind].listing(v, v.load.data);
}

/** Event ids an instance or request view shows now (for marking what a live refresh adds). */
export function shownEventIds(v: View): number[] {
  if (v.load.state !== 'ok') return [];
  const data = v.load.data as {events?: unknown} | unknown;
  const table = asTable(v.kind === 'instance' ? (data as {events: unknown}).events : data);
  return table.slice(1).map((r) => Number(r[0]));
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
