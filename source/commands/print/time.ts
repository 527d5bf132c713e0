// Small UTC time helpers for the print commands: argument parsing to decimal epoch strings
// (the stacky API's time format) and the original client's date formats for `reports`.

const dateTime = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?Z?$/;
const epoch = /^[+]?(\d+)(?:\.(\d{1,6})\d*)?$/;

/**
 * Epoch seconds ("1389892207", "1389892207.5") or a UTC date-time ("YYYY-MM-DD HH:MM:SS[.ffffff]",
 * "YYYY-MM-DD HH:MM", "YYYY-MM-DD"; a T may replace the space) → decimal epoch string with
 * no fraction when it is zero, else six digits ("1389892207", "1389892207.500000").
 * Returns undefined for anything else.
 */
export function toEpochString(text: string): string | undefined {
  const s = text.trim();
  const e = epoch.exec(s);
  if (e) return formatEpoch(BigInt(e[1]!), fractionMicros(e[2]));
  const m = dateTime.exec(s);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined; // e.g. 2014-02-30
  return formatEpoch(BigInt(Math.floor(ms / 1000)), fractionMicros(m[7]));
}

function fractionMicros(digits: string | undefined): number {
  return digits ? Number(digits.padEnd(6, '0')) : 0;
}

function formatEpoch(seconds: bigint, micros: number): string {
  return micros === 0 ? seconds.toString() : `${seconds}.${String(micros).padStart(6, '0')}`;
}

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
  const d = new Date(seconds * 1000);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** Today's UTC midnight, in epoch seconds. */
export function utcMidnight(nowMs: number = Date.now()): number {
  const d = new Date(nowMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / 1000;
}
