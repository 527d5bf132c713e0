// watch/<dep>: the live tail, events in (since, now] (docs/api.md §2.10).
import type {Context} from '../context.js';
import {secondsString, decimalString, parseDecimalSeconds} from '../../core/time.js';
import {pyDumps} from '../../core/pyjson.js';
import {StreamBody} from '../context.js';
import {replyRowText, tailRow, type TailRow} from '../watch-tail.js';
import {serviceOf} from '../params.js';
import {badRequest} from '../http-error.js';

const SECOND = 1_000_000;

/**
 * `since` is epoch seconds, or the cursor a capped reply handed out: `SECONDS:ID`, meaning
 * after row ID of that instant (rows sharing one `when` are ordered by id). Either may end in
 * `~SEEN`, the highest raw id the reply that handed it out had seen (the gapless cursor below).
 */
function cursorOf(raw: string | undefined): {when: number; id: number; seen: number | null; time: string} | null {
  if (raw === undefined || raw === '') return null;
  const g = /^(.*)~(\d{1,15})$/.exec(raw);
  const time = g ? g[1]! : raw;
  const m = /^([^:]*):(\d{1,15})$/.exec(time);
  const when = parseDecimalSeconds(m ? m[1]! : time, 'floor');
  if (when === null) throw badRequest(`since must be a number of epoch seconds, got '${raw}'.`);
  return {when, id: m ? Number(m[2]) : Number.MAX_SAFE_INTEGER, seen: g ? Number(g[2]) : null, time};
}

/*
 * Stacky's own (docs/api.md §2.10, `gapless=1`, or a `since` ending in `~SEEN`): besides the
 * window, the rows committed since the last reply whose `when` it had already passed (a slow
 * writer, a late notification, another worker), first and by id; the cursor handed back ends in
 * `~SEEN`. Raw ids become visible in the order they are given (source/store/postgres/writer.ts;
 * SQLite has one writer at a time), so every row comes exactly once. Without it the answer is
 * the original's: such rows are never shown.
 */

/** Rows a reply is made of at a time: one page of a database read, one part of the streamed reply. */
const WATCH_PAGE = 500;

export async function watch(ctx: Context): Promise<StreamBody> {
  const service = serviceOf(ctx.query, 'nova');
  const deploymentId = Number(ctx.path[0]);
  const eventName = ctx.query.get('event_name') || null;
  // now is truncated to the whole second so identical polls can be cached.
  const now = Math.floor(ctx.now() / SECOND) * SECOND;
  const given = cursorOf(ctx.query.get('since'));
  const since = given ?? {when: now - 2 * SECOND, id: Number.MAX_SAFE_INTEGER, seen: null, time: secondsString(now - 2 * SECOND)};
  const cap = ctx.limits.watchRows;
  const gapless = since.seen !== null || ctx.query.get('gapless') === '1';
  // Read first: the window below is read later, so it holds every row up to `seen`; rows above it wait for the next poll.
  const read = gapless
    ? await ctx.store.raw.watchLate(service, deploymentId, eventName, since.seen ?? Number.MAX_SAFE_INTEGER, since, cap + 1)
    : undefined;
  const late = read && {rows: read.rows.map(tailRow), seen: read.maxId};
  const reply = await replyOf(ctx, service);
  if (late && late.rows.length >= cap) {
    // As many late rows as a reply holds: these, and the same window again next time.
    const rows = late.rows.slice(0, cap);
    return reply(async function* () {
      yield* rows;
      return `${since.time}~${rows[cap - 1]!.id}`;
    }());
  }
  const room = cap - (late?.rows.length ?? 0);
  // Rows committed after the late rows were read wait for the next poll, which finds them late:
  // cut after the cap, so that no row beyond them is passed over.
  const shown = (r: TailRow) => !late || r.id <= late.seen;
  const cursorAfter = (until: string) => (late ? `${until}~${late.seen}` : until);
  // The shared tail (watch-tail.ts) when it holds the window, in memory already.
  const held = await ctx.tails?.read(service, deploymentId, eventName, since, now, room + 1);
  if (held) {
    return reply(async function* () {
      yield* late?.rows ?? [];
      const window = held.slice(0, room);
      yield* window.filter(shown);
      return cursorAfter(held.length > room ? capCursor(window[room - 1]!, held[room]!) : secondsString(now));
    }());
  }
  // The database otherwise, a page at a time: the pages are the one read's rows, each after the last one's last row.
  return reply(async function* () {
    yield* late?.rows ?? [];
    let after = {when: since.when, id: since.id};
    for (let sent = 0; sent < room;) {
      const want = Math.min(WATCH_PAGE, room - sent);
      const page = (await ctx.store.raw.watch(service, deploymentId, eventName, after.when, now, want + 1, after.id)).map(tailRow);
      const rows = page.slice(0, want);
      yield* rows.filter(shown);
      sent += rows.length;
      if (page.length <= want) break;
      if (sent === room) return cursorAfter(capCursor(rows[want - 1]!, page[want]!));
      after = rows[want - 1]!;
    }
    return cursorAfter(secondsString(now));
  }());
}

/**
 * The cursor of a reply cut at the cap (the original had none): the last row's instant, and
 * when the next row shares it, the last id too, so the next poll neither skips nor repeats.
 */
function capCursor(last: TailRow, next: TailRow): string {
  return next.when === last.when ? `${decimalString(last.when)}:${last.id}` : decimalString(last.when);
}

/**
 * The reply `[widths, [rows], until]` made from rows as they come (the generator's value is
 * `until`), WATCH_PAGE rows a part, each row's text made once (by the tail, when shared).
 */
async function replyOf(ctx: Context, service: ReturnType<typeof serviceOf>):
  Promise<(rows: AsyncGenerator<TailRow, string>) => StreamBody> {
  // Stacky's own: `extra=1` adds host, tenant and request id to each row (the console's columns).
  const extra = ctx.query.get('extra') === '1';
  // Widths come from nova's event names even when watching glance or generic, as the original.
  const widthOf = async () => {
    const names = await ctx.store.raw.names('nova', 'event');
    const pool = names.length > 0 ? names : await ctx.store.raw.names(service, 'event');
    return pool.reduce((w, n) => Math.max(w, n === null ? 0 : n.length), 0);
  };
  // Keyed by service only when nova has no names, which a commit can change: one lookup a version.
  const width = ctx.tails ? await ctx.tails.width(service, widthOf) : await widthOf();
  return (rows) => new StreamBody(async function* () {
    let part = `[${pyDumps([10, 1, 15, 20, width, 36])}, [`;
    let n = 0;
    for (;;) {
      const next = await rows.next();
      if (next.done) {
        yield `${part}], ${pyDumps(next.value)}]`;
        return;
      }
      part += `${n > 0 ? ', ' : ''}${replyRowText(next.value, extra)}`;
      if (++n % WATCH_PAGE === 0) {
        yield part;
        part = '';
      }
    }
  }());
}
