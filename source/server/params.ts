// Query-string rules shared by the stacky endpoints (docs/api.md §1.5, §1.6, §1.7, §1.12).
// Where the original crashed with a 500, these answer a 400 with a clear message instead.
import type {Micros, Service} from '../core/types.js';
import {parseDecimalSeconds, type Rounding} from '../core/time.js';
import {badRequest} from './http-error.js';

export const DEFAULT_LIMIT = 50;
export const HARD_LIMIT = 1000;

/** Django's QueryDict: the last value of a repeated name wins; '' is present-but-empty. */
export class Query {
  constructor(private readonly params: URLSearchParams) {}

  get(name: string): string | undefined {
    const all = this.params.getAll(name);
    return all.length === 0 ? undefined : all[all.length - 1];
  }

  has(name: string): boolean {
    return this.params.has(name);
  }

  names(): string[] {
    return [...new Set(this.params.keys())];
  }

  required(name: string): string {
    const v = this.get(name);
    if (v === undefined) throw badRequest(`Missing required parameter '${name}'.`);
    return v;
  }
}

/** Python int(): surrounding spaces and a sign are allowed, nothing else. */
function pyInt(text: string): number | null {
  const m = /^\s*([+-]?\d+)\s*$/.exec(text);
  return m ? Number(m[1]) : null;
}

export function limitOf(q: Query): number {
  const raw = q.get('limit');
  if (raw === undefined) return DEFAULT_LIMIT;
  // The original's Python 2 quirk: an empty limit compares above any number, so it means the cap.
  if (raw === '') return HARD_LIMIT;
  const n = pyInt(raw);
  if (n === null) throw badRequest(`limit must be a whole number, got '${raw}'.`);
  if (n < 0) throw badRequest(`limit must not be negative, got '${raw}'.`);
  return Math.min(n, HARD_LIMIT);
}

export function offsetOf(q: Query): number {
  const raw = q.get('offset');
  if (raw === undefined || raw === '') return 0;
  const n = pyInt(raw);
  if (n === null) throw badRequest(`offset must be a whole number, got '${raw}'.`);
  if (n < 0) throw badRequest(`offset must not be negative, got '${raw}'.`);
  // Past 2^53 the number is a float, which SQLite refuses as an OFFSET; no table is that long.
  return Math.min(n, Number.MAX_SAFE_INTEGER);
}

export function serviceOf(q: Query, fallback: Service): Service {
  const raw = q.get('service');
  if (raw === undefined) return fallback;
  if (raw === 'nova' || raw === 'glance' || raw === 'generic') return raw;
  throw badRequest(`Unknown service '${raw}'. Use nova, glance or generic.`);
}

/**
 * A decimal epoch-seconds parameter; empty counts as absent unless `emptyIsError`. Digits past
 * the microsecond are rounded the way that keeps the comparison exact: 'ceil' for a `>=` bound,
 * 'floor' for `<=` and `>` bounds.
 */
export function decimalParam(q: Query, name: string, emptyIsError = false, rounding: Rounding = 'trunc'): Micros | null {
  const raw = q.get(name);
  if (raw === undefined) return null;
  if (raw === '' && !emptyIsError) return null;
  const us = parseDecimalSeconds(raw, rounding);
  if (us === null) throw badRequest(`${name} must be a number of epoch seconds, got '${raw}'.`);
  return us;
}
