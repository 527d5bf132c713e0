// The "summary for region" report's arithmetic (reports/pretty.py, docs/ingest.md §4): the window,
// the region match, per-request evaluation, buckets, statistics, failure classes, and the rows.
// Pure: the store hands in rows, this hands back the report.
//
// Quirks of the original kept on purpose (docs/ingest.md §7 item 14):
//   - the window is strict at the start and stops at HH:59:59.000000 (`when > start AND when <= end`);
//   - the request list ignores the region (only the updated instances are filtered by region);
//   - a request's raws span all time and all cells, exists events excluded;
//   - a request touching several updated instances is counted once per instance;
//   - an error-routed failure without a 4xx/5xx exception code ("http") is counted but never reported;
//   - the operation is picked by substring, and the last matching raw wins;
//   - snapshot beats base (import shows as snap), windows beats linux (freebsd shows as ?);
//   - median = sorted[floor(n/2)] (upper median), percentile = sorted[trunc(p/100·n)];
//   - the sec_to_str formats (`5s`, `5:44s`, `01:02:03`);
//   - the stored name uses the region as typed, metadata.region is uppercased;
//   - the too-long label is `> floor(too_long/60)`, and an error code replaces any other class;
//   - per-row failure columns are fractions 0..1, metadata percentages are × 100.
// Departures, decided in issue 6:
//   - a window without requests gives a valid report (percentages 0.0) instead of ZeroDivisionError;
//   - rows are sorted by (operation, image, OS type), not dict order;
//   - without a region, no deployments at all is an empty report, not "No regions found";
//   - an exception code that is not an integer counts as 0 (Python's int() would crash the run);
//     a missing payload counts as {}.
import {secToStr} from './duration.js';
import {PyFloat} from './pyjson.js';
import type {Cell, Micros} from './types.js';
import {isObject, truthy} from './python.js';

export const SECOND: Micros = 1_000_000;
export const HOUR: Micros = 3600 * SECOND;

export const REPORT_VERSION = 4;
export {DEFAULT_HOURS, DEFAULT_PERCENTILE, DEFAULT_TOO_LONG} from './report-defaults.js';

/** Checked in this order; a later raw that matches any of them overrides the operation. */
export const OPERATIONS = ['create', 'rebuild', 'rescue', 'resize', 'snapshot'] as const;

/** The reported failure classes, too-long in the middle under its configured label. */
export function failureTypes(tooLong: number): string[] {
  return ['4xx', '5xx', tooLongLabel(tooLong), 'state'];
}

/** `'> %d' % (too_long / 60)` with Python 2 integer division. */
export function tooLongLabel(tooLong: number): string {
  return `> ${Math.floor(tooLong / 60)}`;
}

/** The stored report's name: the region as typed, or `all`. */
export function summaryName(region: string | null | undefined): string {
  return `summary for region: ${region ? region : 'all'}`;
}

export interface Window {
  /** rstart, µs: queries take `when > start`. */
  start: Micros;
  /** rend = start + (hours − 1) h + 59 min 59 s, µs: queries take `when <= end`. */
  end: Micros;
}

export function reportWindow(start: Micros, hours: number): Window {
  return {start, end: start + hours * HOUR - SECOND};
}

export interface Deployment {
  id: number;
  name: string;
}

/** §4.2: the region, uppercased, must be a substring of the uppercased name; no region takes all. */
export function selectDeployments(all: readonly Deployment[], region: string | null | undefined): Deployment[] {
  if (!region) return [...all];
  const wanted = region.toUpperCase();
  return all.filter((d) => d.name.toUpperCase().includes(wanted));
}

/** The RawData columns the evaluation reads. */
export interface ReportRaw {
  id: number;
  when: Micros;
  routing_key: Cell;
  state: Cell;
  old_state: Cell;
  event: Cell;
  image_type: number | null;
}

export interface Evaluation<R extends ReportRaw = ReportRaw> {
  operation: string;
  image: string;
  osType: string;
  /** Last raw's when − first raw's when, µs. */
  durationUs: Micros;
  /** `http`, `state`, the too-long label or null, before the error code is looked at. */
  failure: string | null;
  /** The last raw whose routing key contains `error`. */
  err: R | null;
}

const text = (v: Cell): string => (v === null ? '' : String(v));

/** §4.4 over one request's raws in `when` order; null when there are none. */
export function evaluateRequest<R extends ReportRaw>(raws: readonly R[], tooLong: number): Evaluation<R> | null {
  const first = raws[0];
  const last = raws.at(-1);
  if (first === undefined || last === undefined) return null;
  let err: R | null = null;
  let failure: string | null = null;
  let operation = 'aux';
  let imageType = 0;
  for (const raw of raws) {
    if (text(raw.routing_key).includes('error')) {
      err = raw;
      failure = 'http';
    }
    if (failure !== 'state' && raw.old_state !== 'error' && raw.state === 'error') failure = 'state';
    if (raw.old_state === 'error' && raw.state !== 'deleted' && raw.state !== 'error') failure = null;
    const event = text(raw.event);
    for (const op of OPERATIONS) {
      if (event.includes(op)) {
        operation = op;
        break;
      }
    }
    if (raw.image_type) imageType |= raw.image_type;
  }
  let image = '?';
  if (imageType & 0x1) image = 'base';
  if (imageType & 0x2) image = 'snap';
  let osType = '?';
  if (imageType & 0x10) osType = 'linux';
  if (imageType & 0x20) osType = 'windows';
  const durationUs = last.when - first.when;
  if (durationUs > tooLong * SECOND && failure === null) failure = tooLongLabel(tooLong);
  return {operation, image, osType, durationUs, failure, err};
}


/** Python `int(x)` for the values an exception code takes; anything else is 0. */
function intOf(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v.trim());
  return 0;
}

/**
 * The error raw's exception code decides, replacing whatever class the request had:
 * 400–499 → 4xx, 500–599 → 5xx, otherwise the class stays. `stored` is the raw's JSON,
 * `[routing_key, body]`.
 */
export function resolveFailure(failure: string | null, stored: unknown): string | null {
  if (failure === null) return null;
  const body = Array.isArray(stored) ? stored[1] : undefined;
  const payload = isObject(body) && isObject(body.payload) ? body.payload : {};
  const exception = payload.exception;
  if (!truthy(exception)) return failure;
  const kwargs = isObject(exception) && isObject(exception.kwargs) ? exception.kwargs : {};
  const code = intOf(kwargs.code ?? 0);
  if (code >= 400 && code < 500) return '4xx';
  if (code >= 500 && code < 600) return '5xx';
  return failure;
}

interface Bucket {
  operation: string;
  image: string;
  osType: string;
  durations: Micros[];
  failures: Map<string, number>;
}

/** durations, attempts and failures of pretty.py, keyed by (operation, image, os_type). */
export class SummaryTally {
  private readonly buckets = new Map<string, Bucket>();

  add(operation: string, image: string, osType: string, durationUs: Micros, failure: string | null): void {
    const key = JSON.stringify([operation, image, osType]);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = {operation, image, osType, durations: [], failures: new Map()};
      this.buckets.set(key, bucket);
    }
    bucket.durations.push(durationUs);
    if (failure !== null) bucket.failures.set(failure, (bucket.failures.get(failure) ?? 0) + 1);
  }

  /** Buckets in (operation, image, OS type) order, by code point like Python's tuple sort. */
  sorted(): Bucket[] {
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return [...this.buckets.values()].sort((a, b) =>
      cmp(a.operation, b.operation) || cmp(a.image, b.image) || cmp(a.osType, b.osType));
  }
}

export interface Stats {
  min: Micros;
  max: Micros;
  median: Micros;
  percentile: Micros;
}

/** min, max, sorted[floor(n/2)] and sorted[trunc(p/100·n)] of a non-empty list. */
export function durationStats(durations: readonly Micros[], percentile: number): Stats {
  const sorted = [...durations].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) throw new RangeError('no durations');
  const at = (i: number) => sorted[Math.min(Math.max(i, 0), n - 1)]!;
  return {
    min: sorted[0]!,
    max: sorted[n - 1]!,
    median: at(Math.floor(n / 2)),
    percentile: at(Math.trunc((percentile / 100.0) * n)),
  };
}

/** sec_to_str of a duration in µs (it truncates to whole seconds). */
export function durationText(us: Micros): string {
  return secToStr(us / SECOND);
}

export type MetaValue = number | string | null | string[];
export type SummaryRow = (string | number)[];

export interface SummaryParams {
  percentile: number;
  hours: number;
  tooLong: number;
  window: Window;
  /** The region as typed, or null. */
  region: string | null;
  cells: string[];
}

export interface SummaryReport {
  metadata: Record<string, MetaValue>;
  header: string[];
  rows: SummaryRow[];
  /** Requests whose failure was `http` (or any unreported class): counted, never shown. */
  unreportedFailures: number;
}

/** Rows 0, 1 and 2.. of §4.5. An empty tally is a report with total 0 and rates 0.0. */
export function buildSummary(tally: SummaryTally, p: SummaryParams): SummaryReport {
  const types = failureTypes(p.tooLong);
  const metadata: Record<string, MetaValue> = {
    percentile: p.percentile,
    pct: ((100 - p.percentile) / 2) / 100,
    hours: p.hours,
    start: p.window.start / SECOND,
    end: p.window.end / SECOND,
    region: p.region ? p.region.toUpperCase() : null,
    cells: [...p.cells],
  };
  const header = ['Operation', 'Image', 'OS Type', 'Min', 'Max', 'Med', `${p.percentile}%`, 'Requests'];
  for (const t of types) header.push(t, `% ${t}`);

  const rows: SummaryRow[] = [];
  const totals = new Map<string, number>(types.map((t) => [t, 0]));
  let total = 0;
  let unreported = 0;
  for (const b of tally.sorted()) {
    const count = b.durations.length;
    total += count;
    const s = durationStats(b.durations, p.percentile);
    const row: SummaryRow = [b.operation, b.image, b.osType, durationText(s.min), durationText(s.max),
      durationText(s.median), durationText(s.percentile), count];
    for (const t of types) {
      const num = b.failures.get(t) ?? 0;
      row.push(num, num / count);
      totals.set(t, totals.get(t)! + num);
    }
    for (const [t, num] of b.failures) if (!types.includes(t)) unreported += num;
    rows.push(row);
  }

  const rate = (num: number) => (total === 0 ? 0 : (num / total) * 100);
  metadata.total = total;
  let grand = 0;
  for (const t of types) {
    const num = totals.get(t)!;
    grand += num;
    metadata[`${t} failure count`] = num;
    metadata[`${t} failure percentage`] = rate(num);
  }
  metadata.failure_grand_total = grand;
  metadata.failure_grand_rate = rate(grand);
  return {metadata, header, rows, unreportedFailures: unreported};
}

const FLOAT_META = (key: string) =>
  key === 'pct' || key === 'start' || key === 'end' || key === 'failure_grand_rate' || key.endsWith(' failure percentage');

/** Column indexes of the four per-row fractions. */
const FRACTION_COLUMNS = new Set([9, 11, 13, 15]);

/**
 * The report as the JSON array pretty.py stores: float-typed values wrapped in PyFloat so
 * pyDumps writes them the way Python does (`0.0`, `1389726000.0`).
 */
export function summaryArray(report: SummaryReport): unknown[] {
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(report.metadata)) meta[k] = FLOAT_META(k) && typeof v === 'number' ? new PyFloat(v) : v;
  const rows = report.rows.map((row) =>
    row.map((cell, i) => (FRACTION_COLUMNS.has(i) && typeof cell === 'number' ? new PyFloat(cell) : cell)));
  return [meta, [...report.header], ...rows];
}
