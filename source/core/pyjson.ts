// Python 2 json.dumps: ", " and ": " separators (", " even with indent, hence the trailing
// spaces), ensure_ascii escapes, floats as repr(). Lets stored JSON match the original bytes.

/** Marks a number that Python holds as a float, so it prints as `1389726000.0`. */
export class PyFloat {
  constructor(public value: number) {}
}

/** Python 2.7 repr(float): shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const [mant, exp] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const point = Number(exp) + 1; // value = 0.digits × 10^point
  if (point <= -4 || point > 16) {
    const e = Number(exp);
    const rest = digits.slice(1);
    return `${sign}${digits[0]}${rest ? `.${rest}` : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const SHORT_ESCAPES: Record<string, string> = {'"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t'};

/** ensure_ascii: everything outside ' '..'~' escaped; astral characters become surrogate pairs. */
const PLAIN = /^[ !#-[\]-~]*$/;

function pyString(s: string): string {
  // Most strings are plain printable ASCII: nothing to escape.
  if (PLAIN.test(s)) return `"${s}"`;
  return `"${s.replace(/["\\]|[^ -~]/g, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** json's float rendering: repr, with the JavaScript spellings of the non-finite values. */
function jsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  return pyFloatRepr(x);
}

/**
 * Python 2 `json.dumps(value)` or `json.dumps(value, indent=n)`. Integral JS numbers print as
 * ints, others as floats; wrap a value in PyFloat to force float form. Keys keep their
 * order (a Map keeps integer-like keys in place, which a plain object cannot).
 */
export function pyDumps(value: unknown, indent?: number): string {
  if (indent === undefined) return compact(value, new Set<object>());
  const seen = new Set<object>();
  const encode = (v: unknown, level: number): string => {
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'string') return pyString(v);
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number') {
      if (Number.isSafeInteger(v)) return String(v);
      return Number.isInteger(v) ? BigInt(v).toString() : jsonFloat(v);
    }
    if (v instanceof PyFloat) return jsonFloat(v.value);
    if (typeof v !== 'object') throw new TypeError(`${typeof v} is not JSON serializable`);
    if (seen.has(v)) throw new TypeError('Circular reference detected');
    const items: string[] = [];
    const open = Array.isArray(v) ? '[' : '{';
    const close = Array.isArray(v) ? ']' : '}';
    seen.add(v);
    if (Array.isArray(v)) {
      for (const item of v) items.push(encode(item, level + 1));
    } else {
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
      for (const [k, item] of entries) {
        if (item !== undefined) items.push(`${pyString(String(k))}: ${encode(item, level + 1)}`);
      }
    }
    seen.delete(v);
    if (items.length === 0) return open + close;
    if (indent === undefined) return open + items.join(', ') + close;
    const inner = '\n' + ' '.repeat(indent * (level + 1));
    return open + inner + items.join(', ' + inner) + '\n' + ' '.repeat(indent * level) + close;
  };
  return encode(value, 0);
}

/** A value that is no array, object or Map, as json.dumps writes it. */
function scalar(v: unknown): string {
  if (typeof v === 'string') return pyString(v);
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return String(v);
    return Number.isInteger(v) ? BigInt(v).toString() : jsonFloat(v);
  }
  if (v === null || v === undefined) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof PyFloat) return jsonFloat(v.value);
  throw new TypeError(`${typeof v} is not JSON serializable`);
}

/**
 * pyDumps without indent, the form of every reply: appended to one string as it goes, with no
 * list of parts per array (a /stacky/uuid/ reply is hundreds of cells: 24 µs instead of 38 µs for one of 20 rows).
 */
function compact(v: unknown, seen: Set<object>): string {
  if (typeof v !== 'object' || v === null || v instanceof PyFloat) return scalar(v);
  if (seen.has(v)) throw new TypeError('Circular reference detected');
  seen.add(v);
  let out: string;
  if (Array.isArray(v)) {
    out = '[';
    for (let i = 0; i < v.length; i++) out += (i === 0 ? '' : ', ') + compact(v[i], seen);
    out += ']';
  } else {
    out = '{';
    let first = true;
    for (const [k, item] of v instanceof Map ? v.entries() : Object.entries(v)) {
      if (item === undefined) continue;
      out += `${first ? '' : ', '}${pyString(String(k))}: ${compact(item, seen)}`;
      first = false;
    }
    out += '}';
  }
  seen.delete(v);
  return out;
}
