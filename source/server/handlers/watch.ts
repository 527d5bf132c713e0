// watch/<dep>: the live tail, events in (since, now] (docs/api.md §2.10).
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
  const since = decimalParam(ctx.query, 'since', false, 'floor') ?? now - 2 * SECOND;
  let rows = ctx.store.raw.watch(service, deploymentId, eventName, since, now, WATCH_MAX_ROWS + 1);
  let until = secondsString(now);
  if (rows.length > WATCH_MAX_ROWS) {
    // Cut before the first row that does not fit, at a whole `when`, so the next poll
    // (since = until, exclusive) neither skips nor repeats a row.
    const boundary = rows[WATCH_MAX_ROWS]!.when;
    rows = rows.filter((r) => r.when < boundary);
    // Every row so far shares one instant: send all of that instant's rows, however many.
    if (rows.length === 0) rows = ctx.store.raw.watch(service, deploymentId, eventName, since, boundary, -1);
    until = decimalString(rows[rows.length - 1]!.when);
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
