// show/<id>: one raw event's key/value table, its pretty JSON and its instance (docs/api.md §2.9).
import {RawBody, type Context} from '../context.js';
import {whenString} from '../../core/time.js';
import {pyDumps} from '../../core/pyjson.js';
import {serviceOf} from '../params.js';
import {nestedDeeperThan} from '../../core/json-depth.js';

export async function show(ctx: Context): Promise<unknown> {
  const service = serviceOf(ctx.query, 'nova');
  const row = await ctx.store.raw.show(service, Number(ctx.path[0]));
  // A missing id answers 200 with an empty body; the original client tests for that.
  if (!row) return new RawBody('');
  const table = [
    ['Key', 'Value'],
    ['#', row.id],
    ['When', whenString(row.when)],
    ['Deployment', row.deployment],
    ['Category', row.routing_key],
    ['Publisher', row.publisher],
    // Generic rows have no state: the original crashed there; this answers null.
    [service === 'glance' ? 'Status' : 'State', row.state],
    ['Event', row.event],
    ['Service', row.service],
    ['Host', row.host],
    ['UUID', row.instance],
    ['Req ID', row.request_id],
  ];
  return [table, pretty(row.json), row.instance];
}

/**
 * The stored JSON indented, or as stored when it nests too deep to indent (a row stored before
 * ingest refused such bodies, see ingest/json-limits.ts): show answers it instead of a 500.
 */
function pretty(json: string): string {
  const value = JSON.parse(json) as unknown;
  return nestedDeeperThan(value, 1000) ? json : pyDumps(value, 2);
}
