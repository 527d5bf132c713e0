// uuid and request: an instance's or a request's events, oldest first (docs/api.md §2.4, §2.8).
import type {Context} from '../context.js';
import {isRequestIdLike, isUuidLike} from '../../core/ids.js';
import {badRequest} from '../http-error.js';
import {decimalParam, limitOf, offsetOf, serviceOf, type Query} from '../params.js';
import {HEADERS, resultRow} from './raw-rows.js';

/** when_min/when_max, inclusive; empty values are ignored (docs/api.md §1.12). */
export function whenRange(q: Query): {whenMin: number | null; whenMax: number | null} {
  return {whenMin: decimalParam(q, 'when_min', false, 'ceil'), whenMax: decimalParam(q, 'when_max', false, 'floor')};
}

export async function uuid(ctx: Context): Promise<unknown> {
  const value = ctx.query.required('uuid');
  if (!isUuidLike(value)) throw badRequest(`${value} is not uuid-like`);
  const service = serviceOf(ctx.query, 'nova');
  const rows = await ctx.store.raw.rows({
    service, order: 'asc', limit: limitOf(ctx.query), offset: offsetOf(ctx.query), ...whenRange(ctx.query),
    filters: [{field: service === 'glance' ? 'uuid' : 'instance', lookup: 'exact', value}],
  });
  // No match answers [] with no header, as the original (the client prints nothing).
  return rows.length === 0 ? [] : [HEADERS[service], ...rows.map(resultRow)];
}

export async function request(ctx: Context): Promise<unknown> {
  const value = ctx.query.required('request_id');
  if (!isRequestIdLike(value)) throw badRequest(`${value} is not request-id-like`);
  const rows = await ctx.store.raw.rows({
    service: 'nova', order: 'asc', limit: limitOf(ctx.query), offset: offsetOf(ctx.query), ...whenRange(ctx.query),
    filters: [{field: 'request_id', lookup: 'exact', value}],
  });
  return [HEADERS.nova, ...rows.map(resultRow)];
}
