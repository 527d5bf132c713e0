// uuid and request: an instance's or a request's events, oldest first (api spec §2.4, §2.8).
import type {Context} from '../context.js';
import type {Condition} from '../../store/raw-reader.js';
import {isRequestIdLike, isUuidLike} from '../../core/ids.js';
import {badRequest} from '../http-error.js';
import {decimalParam, limitOf, offsetOf, serviceOf, type Query} from '../params.js';
import {HEADERS, resultRow} from './raw-rows.js';

export function whenRange(q: Query): Condition[] {
  const conds: Condition[] = [];
  const min = decimalParam(q, 'when_min');
  const max = decimalParam(q, 'when_max');
  if (min !== null) conds.push({sql: 'r."when" >= ?', params: [min]});
  if (max !== null) conds.push({sql: 'r."when" <= ?', params: [max]});
  return conds;
}

export function uuid(ctx: Context): unknown {
  const value = ctx.query.required('uuid');
  if (!isUuidLike(value)) throw badRequest(`${value} is not uuid-like`);
  const service = serviceOf(ctx.query, 'nova');
  const column = service === 'glance' ? 'r.uuid' : 'r.instance';
  const rows = ctx.store.raw.rows({
    service, order: 'asc', limit: limitOf(ctx.query), offset: offsetOf(ctx.query),
    where: [{sql: `${column} = ?`, params: [value]}, ...whenRange(ctx.query)],
  });
  // No match answers [] with no header, as the original (the client prints nothing).
  return rows.length === 0 ? [] : [HEADERS[service], ...rows.map(resultRow)];
}

export function request(ctx: Context): unknown {
  const value = ctx.query.required('request_id');
  if (!isRequestIdLike(value)) throw badRequest(`${value} is not request-id-like`);
  const rows = ctx.store.raw.rows({
    service: 'nova', order: 'asc', limit: limitOf(ctx.query), offset: offsetOf(ctx.query),
    where: [{sql: 'r.request_id = ?', params: [value]}, ...whenRange(ctx.query)],
  });
  return [HEADERS.nova, ...rows.map(resultRow)];
}
