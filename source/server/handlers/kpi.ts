// kpi and kpi/<tenant>: request durations of the last 24 hours (docs/api.md §2.12).
import type {Context} from '../context.js';
import {secToTimeDecimal} from '../../core/duration.js';
import {notFound} from '../http-error.js';

const DAY = 86_400_000_000;

export async function kpi(ctx: Context): Promise<unknown> {
  const tenant = ctx.path[0];
  if (tenant !== undefined && !(await ctx.store.raw.tenantExists(tenant))) {
    throw notFound(`Could not find raws for tenant ${tenant}`);
  }
  const rows = (await ctx.store.timing.kpi(ctx.now() - DAY))
    .filter((r) => tenant === undefined || r.tenant === tenant)
    // The event loses its last four characters (meant to drop ".end"), as the original.
    .map((r) => [typeof r.event === 'string' ? r.event.slice(0, Math.max(0, r.event.length - 4)) : r.event,
      secToTimeDecimal(r.duration), r.instance, r.deployment]);
  return [['Event', 'Time', 'UUID', 'Deployment'], ...rows];
}
