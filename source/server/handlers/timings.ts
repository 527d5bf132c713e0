// timings, timings/uuid and summary (docs/api.md §2.5–2.7).
import type {Context} from '../context.js';
import {isUuidLike} from '../../core/ids.js';
import {secToTimeDecimal, secToTimeFloat, secToTimeInt} from '../../core/duration.js';
import {badRequest} from '../http-error.js';
import {decimalParam, limitOf, offsetOf} from '../params.js';

const SECOND = 1_000_000;

export async function timingsForUuid(ctx: Context): Promise<unknown> {
  const value = ctx.query.required('uuid');
  if (!isUuidLike(value)) throw badRequest(`${value} is not uuid-like`);
  const timings = await ctx.store.timing.forInstance(value, limitOf(ctx.query), offsetOf(ctx.query));
  const rows = timings.map((t) => {
    const hasStart = t.start_raw_id !== null;
    const hasEnd = t.end_raw_id !== null;
    const state = hasStart && hasEnd ? '.' : hasStart ? 'S' : hasEnd ? 'E' : '?';
    const time = state === '.' && t.diff !== null ? secToTimeDecimal(t.diff) : 'n/a';
    return [state, t.name, time];
  });
  return [['?', 'Event', 'Time (secs)'], ...rows];
}

export async function timingsByName(ctx: Context): Promise<unknown> {
  const name = ctx.query.required('name');
  // Present-but-empty bounds crashed the original; here they are a 400 like any bad number.
  const min = decimalParam(ctx.query, 'end_when_min', true, 'ceil');
  const max = decimalParam(ctx.query, 'end_when_max', true, 'floor');
  const rows = await ctx.store.timing.byEventName(name, min, max, limitOf(ctx.query), offsetOf(ctx.query));
  return [[name, 'Time'], ...rows.map((r) => [r.instance, secToTimeDecimal(r.diff)])];
}

export async function summary(ctx: Context): Promise<unknown> {
  const limit = limitOf(ctx.query);
  const offset = offsetOf(ctx.query);
  const names = (await ctx.store.raw.names('nova', 'event'))
    .filter((n): n is string => n !== null && n.endsWith('.start'))
    .map((n) => n.slice(0, -'.start'.length));
  const rows: unknown[][] = [];
  for (const name of names) {
    const diffs = await ctx.store.timing.summaryDiffs(name, limit, offset);
    if (diffs.length === 0) continue;
    // The original converts to floats: Min/Max take the float path, Avg the int path.
    const secs = diffs.map((d) => d / SECOND);
    const total = secs.reduce((a, b) => a + b, 0);
    rows.push([name, secs.length, secToTimeFloat(Math.min(...secs)), secToTimeFloat(Math.max(...secs)),
      secToTimeInt(Math.trunc(total / secs.length))]);
  }
  return [['Event', 'N', 'Min', 'Max', 'Avg'], ...rows];
}
