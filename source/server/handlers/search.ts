// search: raw events by any column, newest first (api spec §2.11). The original passed
// field=value straight to Django's ORM; this supports the columns, `deployment__name`, and the
// lookups operators use (exact, iexact, contains, icontains, startswith, istartswith,
// endswith, iendswith, gt, gte, lt, lte, isnull).
import type {Context} from '../context.js';
import type {Condition} from '../../store/raw-reader.js';
import {SEARCH_COLUMNS} from '../../store/raw-reader.js';
import type {Service} from '../../core/types.js';
import {parseDecimalSeconds} from '../../core/time.js';
import {badRequest} from '../http-error.js';
import {limitOf, offsetOf, serviceOf} from '../params.js';
import {HEADERS, resultRow} from './raw-rows.js';
import {whenRange} from './uuid.js';

type Kind = 'text' | 'int' | 'when' | 'json';

const LOOKUPS = new Set(['exact', 'iexact', 'contains', 'icontains', 'startswith', 'istartswith', 'endswith',
  'iendswith', 'gt', 'gte', 'lt', 'lte', 'isnull']);

function noSuchField(field: string): Error {
  return badRequest(`The requested field '${field}' does not exist for the corresponding object.\n` +
    'Note: The field names of database are case-sensitive.');
}

function columnSql(service: Service, field: string, base: string): {sql: string; kind: Kind} {
  if (base === 'deployment__name') {
    return {sql: '(SELECT name FROM stacktach_deployment WHERE id = r.deployment_id)', kind: 'text'};
  }
  const kind = SEARCH_COLUMNS[service][base];
  if (!kind) throw noSuchField(field);
  if (kind === 'json') return {sql: `stacky_json('${service}', r.json_z)`, kind};
  const column = base === 'deployment' ? 'deployment_id' : base;
  return {sql: `r."${column}"`, kind};
}

function typed(kind: Kind, field: string, value: string): string | number {
  if (kind === 'int') {
    if (!/^\s*[+-]?\d+\s*$/.test(value)) throw badRequest(`Field '${field}' expected a number but got '${value}'.`);
    return Number(value);
  }
  if (kind === 'when') {
    const us = parseDecimalSeconds(value);
    if (us === null) throw badRequest(`Field '${field}' expected epoch seconds but got '${value}'.`);
    return us;
  }
  return value;
}

export function searchCondition(service: Service, field: string, value: string | undefined): Condition {
  const parts = field.split('__');
  let lookup = 'exact';
  if (parts.length > 1 && LOOKUPS.has(parts[parts.length - 1] ?? '')) lookup = parts.pop() as string;
  const base = parts.join('__');
  const {sql, kind} = columnSql(service, field, base);
  // A missing value is Django's equality with None: IS NULL.
  if (value === undefined) return {sql: `${sql} IS NULL`, params: []};
  if (lookup === 'isnull') {
    const truthy = !['', '0', 'false', 'False'].includes(value);
    return {sql: `${sql} IS ${truthy ? '' : 'NOT '}NULL`, params: []};
  }
  const text = kind === 'json' || kind === 'text';
  switch (lookup) {
    case 'exact': return {sql: `${sql} = ?`, params: [typed(kind, field, value)]};
    case 'gt': return {sql: `${sql} > ?`, params: [typed(kind, field, value)]};
    case 'gte': return {sql: `${sql} >= ?`, params: [typed(kind, field, value)]};
    case 'lt': return {sql: `${sql} < ?`, params: [typed(kind, field, value)]};
    case 'lte': return {sql: `${sql} <= ?`, params: [typed(kind, field, value)]};
    default: break;
  }
  if (!text) throw noSuchField(field);
  switch (lookup) {
    case 'iexact': return {sql: `lower(${sql}) = lower(?)`, params: [value]};
    case 'contains': return {sql: `instr(${sql}, ?) > 0`, params: [value]};
    case 'icontains': return {sql: `instr(lower(${sql}), lower(?)) > 0`, params: [value]};
    case 'startswith': return {sql: `substr(${sql}, 1, ?) = ?`, params: [value.length, value]};
    case 'istartswith': return {sql: `lower(substr(${sql}, 1, ?)) = lower(?)`, params: [value.length, value]};
    case 'endswith': return {sql: `substr(${sql}, -?) = ?`, params: [value.length, value]};
    default: return {sql: `lower(substr(${sql}, -?)) = lower(?)`, params: [value.length, value]};
  }
}

export function search(ctx: Context): unknown {
  const service = serviceOf(ctx.query, 'nova');
  const field = ctx.query.required('field');
  const cond = searchCondition(service, field, ctx.query.get('value'));
  const rows = ctx.store.raw.rows({
    service, order: 'desc', limit: limitOf(ctx.query), offset: offsetOf(ctx.query),
    where: [cond, ...whenRange(ctx.query)],
  });
  return rows.length === 0 ? [] : [HEADERS[service], ...rows.map(resultRow)];
}
