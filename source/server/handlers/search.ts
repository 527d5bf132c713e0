// search: raw events by any column, newest first (docs/api.md §2.11). The original passed
// field=value straight to Django's ORM; this accepts each table's columns, `deployment__name`,
// and the lookups operators use; the store turns the validated filter into SQL.
import {StreamBody, type Context} from '../context.js';
import {pyDumps} from '../../core/pyjson.js';
import {SEARCH_COLUMNS, type Filter, type Lookup, type RawQuery} from '../../store/types.js';
import type {Service} from '../../core/types.js';
import {parseDecimalSeconds} from '../../core/time.js';
import {badRequest} from '../http-error.js';
import {limitOf, offsetOf, serviceOf} from '../params.js';
import {HEADERS, resultRow} from './raw-rows.js';
import {whenRange} from './uuid.js';

const LOOKUPS = new Set<string>(['exact', 'iexact', 'contains', 'icontains', 'startswith', 'istartswith', 'endswith',
  'iendswith', 'gt', 'gte', 'lt', 'lte', 'isnull']);
const TEXT_ONLY = new Set<string>(['iexact', 'contains', 'icontains', 'startswith', 'istartswith', 'endswith', 'iendswith']);

function noSuchField(field: string): Error {
  return badRequest(`The requested field '${field}' does not exist for the corresponding object.\n` +
    'Note: The field names of database are case-sensitive.');
}

function typed(kind: string, field: string, value: string): string | number {
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

/** Validates `field` (with an optional `__lookup`) and `value` into a store filter. */
export function searchFilter(service: Service, field: string, value: string | undefined): Filter {
  const parts = field.split('__');
  let lookup = 'exact';
  if (parts.length > 1 && LOOKUPS.has(parts[parts.length - 1] ?? '')) lookup = parts.pop() as string;
  const base = parts.join('__');
  const kind = base === 'deployment__name' ? 'text' : SEARCH_COLUMNS[service][base];
  if (!kind) throw noSuchField(field);
  // A missing value is Django's equality with None: IS NULL.
  if (value === undefined) return {field: base, lookup: 'isnull', value: null};
  if (lookup === 'isnull') {
    const isNull = !['', '0', 'false', 'False'].includes(value);
    return {field: base, lookup: isNull ? 'isnull' : 'isnotnull', value: null};
  }
  if (TEXT_ONLY.has(lookup) && kind !== 'text' && kind !== 'json') throw noSuchField(field);
  return {field: base, lookup: lookup as Lookup, value: TEXT_ONLY.has(lookup) ? value : typed(kind, field, value)};
}

/** Rows read at a time, and sent as one part of a streamed reply. */
const SEARCH_PAGE = 500;

export async function search(ctx: Context): Promise<unknown> {
  const service = serviceOf(ctx.query, 'nova');
  const field = ctx.query.required('field');
  const filter = searchFilter(service, field, ctx.query.get('value'));
  const query: RawQuery = {
    service, order: 'desc', limit: limitOf(ctx.query), offset: offsetOf(ctx.query), ...whenRange(ctx.query),
    filters: [filter],
  };
  // Looking inside the deflated JSON inflates every row: off the main thread (json-search.ts).
  if (SEARCH_COLUMNS[service][filter.field] === 'json') {
    const rows = await ctx.searches.run(query);
    return rows.length === 0 ? [] : [HEADERS[service], ...rows.map(resultRow)];
  }
  return new StreamBody(pages(ctx, query));
}

/** pyDumps([headers, ...rows]) (or `[]`), a page of rows a part: each page after the last one's last row. */
async function* pages(ctx: Context, query: RawQuery): AsyncGenerator<string> {
  let after: RawQuery['after'];
  let n = 0;
  for (let left = query.limit; left > 0;) {
    const want = Math.min(SEARCH_PAGE, left);
    const rows = await ctx.store.raw.rows({...query, limit: want, ...(after ? {offset: 0, after} : {})});
    if (rows.length === 0) break;
    let part = '';
    for (const r of rows) part += `${n++ === 0 ? `[${pyDumps(HEADERS[query.service])}` : ''}, ${pyDumps(resultRow(r))}`;
    yield part;
    if (rows.length < want) break;
    left -= want;
    after = rows[want - 1]!;
  }
  yield n === 0 ? '[]' : ']';
}
