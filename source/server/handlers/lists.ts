// deployments, events and hosts (docs/api.md §2.1–2.3).
import type {Context} from '../context.js';
import type {Service} from '../../core/types.js';
import {badRequest} from '../http-error.js';
import {serviceOf} from '../params.js';

export async function deployments(ctx: Context): Promise<unknown> {
  return [['#', 'Name'], ...(await ctx.store.raw.deployments()).map((d) => [d.id, d.name])];
}

export async function events(ctx: Context): Promise<unknown> {
  const raw = ctx.query.get('service') ?? 'all';
  let services: Service[];
  if (raw === 'all') services = ['nova', 'glance', 'generic'];
  else if (raw === 'nova' || raw === 'glance' || raw === 'generic') services = [raw];
  else throw badRequest(`Unknown service '${raw}'. Use all, nova, glance or generic.`);
  // No de-duplication across tables, as the original.
  const names = await Promise.all(services.map((s) => ctx.store.raw.names(s, 'event')));
  const rows = names.flatMap((list) => list.map((n) => [n]));
  return [['Event Name'], ...rows];
}

export async function hosts(ctx: Context): Promise<unknown> {
  const service = serviceOf(ctx.query, 'nova');
  return [['Host Name'], ...(await ctx.store.raw.names(service, 'host')).map((h) => [h])];
}
