// Small UTC time helpers for the print commands: argument parsing to decimal epoch strings
// (the stacky API's time format) and the original client's date formats for `reports`.
import {plainDateTime} from '../../core/time.js';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad2 = (n: number) => String(n).padStart(2, '0');

function epochDate(value: unknown): Date | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) return undefined;
  return new Date(Math.floor(n) * 1000);
}

/** Python's `%b %d %H:%M` in UTC, e.g. "Jan 14 19:00"; the value unchanged when it is not a number. */
export function formatMonthDayTime(value: unknown): unknown {
  const d = epochDate(value);
  if (!d) return value;
  return `${months[d.getUTCMonth()]} ${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** Python's `%a %b %d` in UTC, e.g. "Tue Jan 14". */
export function formatWeekdayDate(value: unknown): unknown {
  const d = epochDate(value);
  if (!d) return value;
  return `${weekdays[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${pad2(d.getUTCDate())}`;
}

/** "YYYY-MM-DD HH:MM:SS" for an epoch second count, in UTC. */
export function formatUtc(seconds: number): string {
  return plainDateTime(Math.floor(seconds) * 1_000_000);
}

/** Today's UTC midnight, in epoch seconds. */
export function utcMidnight(nowMs: number = Date.now()): number {
  const d = new Date(nowMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / 1000;
}
