// Timestamp strings the way Python prints them, from integer microseconds since the epoch (UTC).
// Kept local to the demo generator on purpose: it must not depend on source/core.

const DAY_MICROS = 86_400_000_000;
const HOUR_MICROS = 3_600_000_000;

let cachedDay = NaN;
let cachedDate = '';

function datePart(day: number): string {
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * 86_400_000).toISOString().slice(0, 10);
  }
  return cachedDate;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : '' + n;
}

function pad6(n: number): string {
  const s = '' + n;
  return '000000'.slice(s.length) + s;
}

function parts(micros: number, sep: string, fraction: 'auto' | 'always' | 'never'): string {
  const day = Math.floor(micros / DAY_MICROS);
  let rest = micros - day * DAY_MICROS;
  const us = rest % 1_000_000;
  rest = (rest - us) / 1_000_000;
  const s = rest % 60;
  rest = (rest - s) / 60;
  const m = rest % 60;
  const h = (rest - m) / 60;
  const base = datePart(day) + sep + pad2(h) + ':' + pad2(m) + ':' + pad2(s);
  if (fraction === 'never' || (fraction === 'auto' && us === 0)) return base;
  return base + '.' + pad6(us);
}

/** Python str(datetime): `YYYY-MM-DD HH:MM:SS.ffffff`, the fraction dropped when it is 0. */
export function pyTime(micros: number): string {
  return parts(micros, ' ', 'auto');
}

/** Python datetime.isoformat(): `YYYY-MM-DDTHH:MM:SS.ffffff`, the fraction dropped when it is 0. */
export function isoTime(micros: number): string {
  return parts(micros, 'T', 'auto');
}

/** oslo timeutils.strtime(): `YYYY-MM-DDTHH:MM:SS.ffffff`, always six digits. */
export function strTime(micros: number): string {
  return parts(micros, 'T', 'always');
}

/** Whole seconds with a T, as glance prints created_at: `YYYY-MM-DDTHH:MM:SS`. */
export function isoSeconds(micros: number): string {
  return parts(micros, 'T', 'never');
}

/** Whole seconds with a space: `YYYY-MM-DD HH:MM:SS`. */
export function pySeconds(micros: number): string {
  return parts(micros, ' ', 'never');
}

/** Start of the (hourly) audit period containing micros. */
export function hourFloor(micros: number): number {
  return Math.floor(micros / HOUR_MICROS) * HOUR_MICROS;
}

export const HOUR = HOUR_MICROS;
export const SECOND = 1_000_000;
