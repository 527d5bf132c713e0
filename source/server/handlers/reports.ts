// reports, reports/search and report/<id> (docs/api.md §2.13–2.15).
import {RawBody, type Context} from '../context.js';
import type {Micros} from '../../core/types.js';
import {PyFloat} from '../../core/pyjson.js';
import {fromFields, plainDateTime} from '../../core/time.js';
import type {ReportFilter} from '../../store/types.js';
import {badRequest, notFound} from '../http-error.js';
import {decimalParam, limitOf, offsetOf} from '../params.js';

const SECOND = 1_000_000;
const DAY = 86_400 * SECOND;
const HEADER = ['Id', 'Start', 'End', 'Created', 'Name', 'Version'];
const SEARCHABLE = new Set(['id', 'name', 'created', 'period_start', 'period_end']);

export async function reports(ctx: Context): Promise<unknown> {
  const now = ctx.now();
  const from = decimalParam(ctx.query, 'created_from', true, 'ceil') ?? now - DAY;
  const to = decimalParam(ctx.query, 'created_to', true, 'floor') ?? now;
  const rows = await ctx.store.reports.createdBetween(from, to, limitOf(ctx.query), offsetOf(ctx.query));
  const seconds = (us: Micros) => new PyFloat(us / SECOND);
  return [HEADER, ...rows.map((r) => [r.id, seconds(r.period_start), seconds(r.period_end), seconds(r.created),
    r.name, r.version])];
}

export async function report(ctx: Context): Promise<unknown> {
  const id = Number(ctx.path[0]);
  const json = await ctx.store.reports.json(id);
  // The original answered Django's HTML 404 here; a JSON error table says the same, readably.
  if (json === undefined) throw notFound(`Report ${id} does not exist`);
  return new RawBody(json);
}

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, us = 0): Micros | null =>
  fromFields(y, mo, d, h, mi, s, us);

const DATE_ONLY = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
// Django 1.5's datetime_re (matched from the start, so trailing text after the tz fails).
const DATE_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6})\d{0,6})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function periodValue(value: string): Micros {
  const fmt = 'YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]';
  const m = DATE_TIME.exec(value);
  if (m) {
    if (m[8] !== undefined) {
      throw badRequest(`'${value}' value has a time zone; stored periods are UTC without one.`);
    }
    const us = Number((m[7] ?? '').padEnd(6, '0') || 0);
    const t = utc(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0), us);
    if (t === null) throw badRequest(`'${value}' value has the correct format (${fmt}) but it is an invalid date/time.`);
    return t;
  }
  const d = DATE_ONLY.exec(value);
  if (d) {
    const t = utc(+d[1]!, +d[2]!, +d[3]!);
    if (t === null) throw badRequest(`'${value}' value has the correct format (YYYY-MM-DD) but it is an invalid date.`);
    return t;
  }
  throw badRequest(`'${value}' value has an invalid format. It must be in ${fmt} format.`);
}

export async function reportsSearch(ctx: Context): Promise<unknown> {
  const q = ctx.query;
  const unknown = q.names().filter((n) => n !== 'limit' && n !== 'offset' && !SEARCHABLE.has(n)).sort();
  if (unknown.length > 0) {
    throw badRequest('The requested fields either do not exist for the corresponding object or are not ' +
      `searchable: ${unknown.join(', ')}. Note: The field names of database are case-sensitive.`);
  }
  const f: ReportFilter = {};
  const id = q.get('id');
  if (id !== undefined) {
    if (!/^\s*[+-]?\d+\s*$/.test(id)) throw badRequest(`'${id}' value has an invalid format. It must be in integer format.`);
    f.id = Number(id);
  }
  const name = q.get('name');
  if (name !== undefined) f.name = name;
  const created = q.get('created');
  if (created !== undefined) {
    const m = DATE_ONLY.exec(created);
    const day = m ? utc(+m[1]!, +m[2]!, +m[3]!) : null;
    if (day === null) throw badRequest(`'${created}' value has an invalid format. It must be in YYYY-MM-DD format.`);
    // Both bounds exclusive, as the original.
    f.createdAfter = day;
    f.createdBefore = day + DAY;
  }
  const start = q.get('period_start');
  if (start !== undefined) f.periodStart = periodValue(start);
  const end = q.get('period_end');
  if (end !== undefined) f.periodEnd = periodValue(end);
  const rows = await ctx.store.reports.search(f, limitOf(q), offsetOf(q));
  return [HEADER, ...rows.map((r) => [r.id, plainDateTime(r.period_start), plainDateTime(r.period_end),
    plainDateTime(r.created), r.name, r.version])];
}
