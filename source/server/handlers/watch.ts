// watch/<dep>: the live tail, events in (since, now] (api spec §2.10).
import type {Context} from '../context.js';
import {secondsString, watchDateTime, decimalString} from '../../core/time.js';
import {errorFlag} from '../../core/notification.js';
import {decimalParam, serviceOf} from '../params.js';

const SECOND = 1_000_000;
/** The original had no cap; one reply stops at this many rows and `now` says where it stopped. */
export const WATCH_MAX_ROWS = 5000;

export function watch(ctx: Context): unknown {
  const service = serviceOf(ctx.query, 'nova');
  const deploymentId = Number(ctx.path[0]);
  const eventName = ctx.query.get('event_name') || null;
  // now is truncated to the whole second so identical polls can be cached.
  const now = Math.floor(ctx.now() / SECOND) * SECOND;
  const since = decimalParam(ctx.query, 'since') ?? now - 2 * SECOND;
  let rows = ctx.store.raw.watch(service, deploymentId, eventName, since, now, WATCH_MAX_ROWS + 1);
  let until = secondsString(now);
  if (rows.length > WATCH_MAX_ROWS) {
    // Cut at a whole `when` so the next poll (since = until) neither skips nor repeats a row.
    const last = rows[WATCH_MAX_ROWS - 1]!.when;
    const cut = rows.filter((r) => r.when <= last);
    if (cut.length < rows.length && cut.length > 0) {
      rows = cut.length > WATCH_MAX_ROWS ? cut : cut;
      until = decimalString(last);
    }
  }
  // Widths come from nova's event names even when watching glance or generic, as the original.
  const names = ctx.store.raw.names('nova', 'event');
  const pool = names.length > 0 ? names : ctx.store.raw.names(service, 'event');
  const width = pool.reduce((w, n) => Math.max(w, n === null ? 0 : n.length), 0);
  return [
    [10, 1, 15, 20, width, 36],
    rows.map((r) => {
      const [date, time] = watchDateTime(r.when);
      return [r.id, errorFlag(r.routing_key), date, time, r.deployment ?? '', r.event ?? '',
        r.instance === null || r.instance === '' ? '-' : r.instance];
    }),
    until,
  ];
}
