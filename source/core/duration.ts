// Duration strings. sec_to_time (docs/api.md §1.9) depends on the Python type of its input, so there
// is one function per path; sec_to_str is reports/pretty.py's shorter format (docs/ingest.md §4.5).
import type {Micros} from './types.js';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `<days>d HH:MM:SS` of whole seconds; days floor-divide like Python 2 ints. */
function dhms(whole: number): string {
  const days = Math.floor(whole / 86400);
  const rest = whole - days * 86400;
  return `${days}d ${pad2(Math.floor(rest / 3600))}:${pad2(Math.floor(rest / 60) % 60)}:${pad2(rest % 60)}`;
}

/**
 * Decimal path (DB values with 6 places): the fraction prints as `0.dddddd` or `-0.dddddd`,
 * and characters 1..3 of that are appended, so negatives come out malformed on purpose.
 */
export function secToTimeDecimal(us: Micros): string {
  const whole = Math.trunc(us / 1e6);
  const frac = us - whole * 1e6;
  const fracText = `${frac < 0 ? '-' : ''}0.${String(Math.abs(frac)).padStart(6, '0')}`;
  return dhms(whole) + fracText.slice(1, 4);
}

/** int path: `str(0)[1:4]` is empty, so no fraction. */
export function secToTimeInt(seconds: number): string {
  return dhms(Math.trunc(seconds));
}

/** float path: Python 2 `str()` of the fractional double, characters 1..3. */
export function secToTimeFloat(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`cannot format duration ${x}`);
  const whole = Math.trunc(x) || 0; // Python's int(-0.0) is an unsigned 0, so -0.0 keeps its sign
  return dhms(whole) + pyFloatStr(x - whole).slice(1, 4);
}

/** reports/pretty.py sec_to_str: `5s`, `5:44s`, then `HH:MM:SS` (hours uncapped, no s). */
export function secToStr(seconds: number): string {
  const s = Math.trunc(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}:${pad2(s % 60)}s`;
  return `${pad2(Math.floor(m / 60))}:${pad2(m % 60)}:${pad2(s % 60)}`;
}

/** Python 2 `str(float)`: `%.12g`, plus `.0` when that looks like an integer. */
export function pyFloatStr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const g = formatG(x, 12);
  return /[.e]/.test(g) ? g : `${g}.0`;
}

/**
 * C's `%.<prec>g`, computed on the exact binary value with round-half-even, as glibc does
 * (toPrecision rounds exact ties up, which differs for values such as 0.5001220703125).
 */
export function formatG(x: number, prec: number): string {
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const [digits, pointPos] = exactDecimal(Math.abs(x)); // value = 0.digits × 10^pointPos
  if (digits === '') return `${sign}0`;
  let kept = digits.slice(0, prec);
  let exp10 = pointPos - 1;
  const rest = digits.slice(prec);
  const roundUp = rest !== '' && (rest[0]! > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || Number(kept.at(-1)) % 2 === 1)));
  if (roundUp) {
    const bumped = (BigInt(kept) + 1n).toString();
    if (bumped.length > kept.length) exp10 += 1;
    kept = bumped.slice(0, prec);
  }
  if (exp10 < -4 || exp10 >= prec) {
    const mant = (kept[0] + '.' + kept.slice(1)).replace(/\.?0*$/, '');
    return `${sign}${mant}e${exp10 < 0 ? '-' : '+'}${pad2(Math.abs(exp10))}`;
  }
  const intLen = exp10 + 1;
  const all = intLen <= 0 ? '0'.repeat(1 - intLen) + kept : kept.padEnd(intLen, '0');
  const at = Math.max(intLen, 1);
  const text = `${all.slice(0, at)}.${all.slice(at)}`.replace(/\.?0*$/, '');
  return sign + text;
}

/** Exact decimal digits of a finite non-negative double (no leading/trailing zeros) and the point position. */
function exactDecimal(x: number): [string, number] {
  if (x === 0) return ['', 0];
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  if (biased !== 0) mant |= 1n << 52n;
  const exp2 = (biased === 0 ? 1 : biased) - 1075; // value = mant × 2^exp2
  // m × 2^e = m × 5^-e / 10^-e for negative e.
  const [n, scale] = exp2 >= 0 ? [mant << BigInt(exp2), 0] : [mant * 5n ** BigInt(-exp2), -exp2];
  const raw = n.toString();
  const digits = raw.replace(/0+$/, '');
  return [digits, raw.length - scale];
}
