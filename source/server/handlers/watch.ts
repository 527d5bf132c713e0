// watch/<dep>: the live tail, events in (since, now] (docs/api.md §2.10).
import type {Context} from '../context.js';
import {secondsString, decimalString, parseDecimalSeconds} from '../../core/time.js';
import {pyDumps} from '../../core/pyjson.js';
import {RawBody} from '../context.js';
import {replyRowText, tailRow, type TailRow} from '../watch-tail.js';
import {serviceOf} from '../params.js';
import {badRequest} from '../http-error.js';

const SECOND = 1_000_000;

/**
 * `since` is epoch seconds, or the cursor a capped reply handed out: `SECONDS:ID`, meaning
 * after row ID of that instant (rows sharing one `when` are ordered by id).
 */
function cursorOf(raw: string | undefined): {when: number; id: number} | null {
  if (raw === undefined || raw === '') return null;
  const m = /^([^:]*):(\d{1,15})$/.exec(raw);
  const when = parseDecimalSeconds(m ? m[1]! : raw, 'floor');
  if (when === null) throw badRequest(`since must be a number of epoch seconds, got '${raw}'.`);
  return {when, id: m ? Number(m[2]) : Number.MAX_SAFE_INTEGER};
}

export async function watch(ctx: Context): Promise<RawBody> {
  const service = serviceOf(ctx.query, 'nova');
  const deploymentId = Number(ctx.path[0]);
  const eventName = ctx.query.get('event_name') || null;
  // now is truncated to the whole second so identical polls can be cached.
  const now = Math.floor(ctx.now() / SECOND) * SECOND;
  const since = cursorOf(ctx.query.get('since')) ?? {when: now - 2 * SECOND, id: Number.MAX_SAFE_INTEGER};
  const cap = ctx.limits.watchRows;
  // The shared tail (watch-tail.ts) when it holds the window; the database otherwise.
  let rows: TailRow[] | undefined = await ctx.tails?.read(service, deploymentId, eventName, since, now, cap + 1);
  rows ??= (await ctx.store.raw.watch(service, deploymentId, eventName, since.when, now, cap + 1, since.id)).map(tailRow);
  // Stacky's own: `extra=1` adds host, tenant and request id to each row (the console's columns).
  const extra = ctx.query.get('extra') === '1';
  let until = secondsString(now);
  if (rows.length > cap) {
    // The original had no cap. Cut after `cap` rows; when the next row shares the last one's
    // instant, the cursor names the last id too, so the next poll neither skips nor repeats.
    const last = rows[cap - 1]!;
    const tie = rows[cap]!.when === last.when;
    rows = rows.slice(0, cap);
    until = tie ? `${decimalString(last.when)}:${last.id}` : decimalString(last.when);
  }
  // Widths come from nova's event names even when watching glance or generic, as the original.
  const widthOf = async () => {
    const names = await ctx.store.raw.names('nova', 'event');
    const pool = names.length > 0 ? names : await ctx.store.raw.names(service, 'event');
    return pool.reduce((w, n) => Math.max(w, n === null ? 0 : n.length), 0);
  };
  // Keyed by service only when nova has no names, which a commit can change: one lookup a version.
  const width = ctx.tails ? await ctx.tails.width(service, widthOf) : await widthOf();
  // pyDumps([widths, rows, until]), with each row's text made once (by the tail, when shared).
  return new RawBody(`[${pyDumps([10, 1, 15, 20, width, 36])}, [${rows.map((r) => replyRowText(r, extra)).join(', ')}], ${pyDumps(until)}]`);
}
