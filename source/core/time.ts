// Time parsing and formatting. Every instant is an integer count of microseconds since the
// Unix epoch (UTC), the exact equivalent of StackTach's DECIMAL(20,6) seconds.
import type {Micros} from './types.js';

export class TimeFormatError extends Error {
  override name = 'TimeFormatError';
}

const US_PER_SEC = 1_000_000;
const US_PER_DAY = 86_400 * US_PER_SEC;

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Micros of a UTC wall-clock time, or null when the fields are not a real datetime. */
/** A UTC date and time from its fields, or null when it is not a real one (month 13, 30 February). */
export function fromFields(y: number, mo: number, d: number, h: number, mi: number, s: number, us: number): Micros | null {
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  const v = daysFromCivil(y, mo, d) * US_PER_DAY + ((h * 60 + mi) * 60 + s) * US_PER_SEC + us;
  // Beyond ±2^53 µs (years ~1685..2255) a JS number is no longer exact.
  return Number.isSafeInteger(v) ? v : null;
}

// Python 2.7 _strptime directive regexes; the format's literal space becomes \s+ (ASCII).
const Y = '([0-9]{4})';
const MO = '(1[0-2]|0[1-9]|[1-9])';
const D = '(3[01]|[12][0-9]|0[1-9]|[1-9]| [1-9])';
const H = '(2[0-3]|[01][0-9]|[0-9])';
const MI = '([0-5][0-9]|[0-9])';
const S = '(6[01]|[0-5][0-9]|[0-9])'; // 60 and 61 match, then datetime() rejects them
const F = '(?:\\.([0-9]{1,6}))';
const DATE = `${Y}-${MO}-${D}`;
const TIME = `${H}:${MI}:${S}`;
// strptime compiles with IGNORECASE, so the literal T also matches t; the family test does not.
const Z_FORMS = new RegExp(`^${DATE}T${TIME}${F}?Z$`, 'i');
const T_FORMS = new RegExp(`^${DATE}T${TIME}${F}?$`, 'i');
const SPACE_FORMS = new RegExp(`^${DATE}[ \\t\\n\\r\\f\\v]+${TIME}${F}?$`);

function describe(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (v === undefined) return 'undefined';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * StackTach's str_time_to_unix: the format family is picked by 'Z', then 'T', else a space
 * (each family has a with- and without-fraction form). No offsets, no surrounding spaces.
 */
export function parseNotificationTime(s: unknown): Micros {
  if (typeof s === 'string') {
    const re = s.includes('Z') ? Z_FORMS : s.includes('T') ? T_FORMS : SPACE_FORMS;
    const m = re.exec(s);
    if (m) {
      const n = (i: number) => Number(m[i]);
      const us = Number((m[7] ?? '').padEnd(6, '0'));
      const v = fromFields(n(1), n(2), n(3), n(4), n(5), n(6), us);
      if (v !== null) return v;
    }
  }
  throw new TimeFormatError(`unparseable timestamp ${describe(s)}`);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Floor-split into [days since epoch, µs within the day]. */
function splitDay(us: Micros): [number, number] {
  const days = Math.floor(us / US_PER_DAY);
  return [days, us - days * US_PER_DAY];
}

function dateOf(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** HH:MM:SS plus .ffffff unless the microseconds are 0 (Python str(datetime)). */
function timeOf(dayUs: number, fraction: boolean): string {
  const secs = Math.floor(dayUs / US_PER_SEC);
  const micro = dayUs - secs * US_PER_SEC;
  const hms = `${pad(Math.floor(secs / 3600))}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}`;
  return fraction && micro !== 0 ? `${hms}.${pad(micro, 6)}` : hms;
}

/** The "When" string: `YYYY-MM-DD HH:MM:SS[.ffffff]` (docs/api.md §1.8). */
export function whenString(us: Micros): string {
  const [date, time] = watchDateTime(us);
  return `${date} ${time}`;
}

/** watch's two cells: date and time (same zero-microsecond rule). */
export function watchDateTime(us: Micros): [string, string] {
  const [days, dayUs] = splitDay(us);
  return [dateOf(days), timeOf(dayUs, true)];
}

/** `YYYY-MM-DD HH:MM:SS`, never a fraction (reports/search). */
export function plainDateTime(us: Micros): string {
  const [days, dayUs] = splitDay(us);
  return `${dateOf(days)} ${timeOf(dayUs, false)}`;
}

/** Whole epoch seconds, floored (watch's end-time cell). */
export function secondsString(us: Micros): string {
  return String(Math.floor(us / US_PER_SEC));
}

/** DECIMAL(20,6) text: `<seconds>.<6 digits>`, sign in front as Python's Decimal prints it. */
export function decimalString(us: Micros): string {
  const abs = Math.abs(us);
  const whole = Math.floor(abs / US_PER_SEC);
  return `${us < 0 ? '-' : ''}${whole}.${pad(abs - whole * US_PER_SEC, 6)}`;
}

export type Rounding = 'trunc' | 'floor' | 'ceil';

// Python Decimal's finite grammar. NaN/sNaN/Inf/Infinity are valid Decimals but are left
// out on purpose: callers answer them with a 400 instead of comparing against them.
const DECIMAL_RE = /^([+-]?)(?:([0-9]+)(?:\.([0-9]*))?|\.([0-9]+))(?:[eE]([+-]?[0-9]+))?$/;

/**
 * Python `Decimal(s)` (surrounding whitespace stripped) in microseconds, or null if it is
 * not a finite decimal. Sub-microsecond digits are truncated toward zero by default; pass
 * 'ceil' for an inclusive lower bound and 'floor' for an inclusive upper bound to keep
 * `when >= x` / `when <= x` exact. Magnitudes past 2^53 µs clamp to ±MAX_SAFE_INTEGER,
 * which still compares correctly against every storable time.
 */
export function parseDecimalSeconds(s: string, rounding: Rounding = 'trunc'): Micros | null {
  const m = DECIMAL_RE.exec(s.trim());
  if (!m) return null;
  const negative = m[1] === '-';
  const fraction = m[3] ?? m[4] ?? '';
  const digits = ((m[2] ?? '') + fraction).replace(/^0+/, '');
  if (digits === '') return 0;
  const shift = Number(m[5] ?? '0') - fraction.length + 6; // power of ten from digits to µs
  const clamp = negative ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  if (digits.length + shift > 16) return clamp;
  let mag: bigint;
  if (shift >= 0) {
    mag = BigInt(digits) * 10n ** BigInt(shift);
  } else {
    const exact = -shift <= digits.length;
    const p = exact ? 10n ** BigInt(-shift) : 0n;
    mag = exact ? BigInt(digits) / p : 0n;
    const inexact = !exact || BigInt(digits) % p !== 0n;
    if (inexact && ((rounding === 'ceil' && !negative) || (rounding === 'floor' && negative))) mag += 1n;
  }
  const v = Number(mag);
  if (v > Number.MAX_SAFE_INTEGER) return clamp;
  return negative && v !== 0 ? -v : v;
}

const ARG_DATE = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2})(?:\.([0-9]{1,6}))?)?)?$/;

/** A command-line time: epoch seconds, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD` (UTC). */
export function parseDateTimeArg(s: string): Micros | null {
  const t = s.trim();
  const m = ARG_DATE.exec(t);
  if (m) {
    const n = (i: number) => Number(m[i] ?? '0');
    return fromFields(n(1), n(2), n(3), n(4), n(5), n(6), Number((m[7] ?? '').padEnd(6, '0')));
  }
  const us = parseDecimalSeconds(t);
  return us === null || Math.abs(us) === Number.MAX_SAFE_INTEGER ? null : us;
}

/**
 * A command-line time (see parseDateTimeArg) as the stacky API's decimal epoch string: no fraction
 * when it is zero, else six digits ("1389892207", "1389892207.500000"). undefined when unreadable.
 */
export function epochArgString(text: string): string | undefined {
  const us = parseDateTimeArg(text);
  if (us === null) return undefined;
  return us % US_PER_SEC === 0 ? secondsString(us) : decimalString(us);
}
