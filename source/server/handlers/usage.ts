// usage/launches, usage/deletes and usage/exists: restored from the pre-2014 server (docs/api.md §2.16),
// because the original client's `usage` command still calls them.
import type {Context} from '../context.js';
import type {Micros} from '../../core/types.js';
import {isUuidLike} from '../../core/ids.js';
import {whenString} from '../../core/time.js';
import type {UsageKind} from '../../store/types.js';
import {badRequest} from '../http-error.js';
import {limitOf, offsetOf} from '../params.js';

const HEADERS: Record<UsageKind, string[]> = {
  launches: ['UUID', 'Launched At', 'Instance Type Id', 'Instance Flavor Id'],
  deletes: ['UUID', 'Launched At', 'Deleted At'],
  exists: ['UUID', 'Launched At', 'Deleted At', 'Instance Type Id', 'Instance Flavor Id', 'Message ID', 'Status'],
};

function when(us: Micros | null): string | null {
  return us === null || us === 0 ? null : whenString(us);
}

export function usage(kind: UsageKind) {
  return async (ctx: Context): Promise<unknown> => {
    const instance = ctx.query.get('instance');
    if (instance !== undefined && !isUuidLike(instance)) throw badRequest(`${instance} is not uuid-like`);
    const rows = await ctx.store.usage.list(kind, instance ?? null, limitOf(ctx.query), offsetOf(ctx.query));
    return [HEADERS[kind], ...rows.map((r) => {
      const row = r as unknown as Record<string, unknown>;
      if (kind === 'launches') return [row.instance, when(row.launched_at as Micros | null), row.instance_type_id, row.instance_flavor_id];
      if (kind === 'deletes') return [row.instance, when(row.launched_at as Micros | null), when(row.deleted_at as Micros | null)];
      return [row.instance, when(row.launched_at as Micros | null), when(row.deleted_at as Micros | null),
        row.instance_type_id, row.instance_flavor_id, row.message_id, row.status];
    })];
  };
}
