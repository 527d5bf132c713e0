// Retention spans on the command line: `30d`, `12h`, `90m`, `3600s` or `2w`.
import type {Micros} from './types.js';

const UNIT_SECONDS: Record<string, number> = {s: 1, m: 60, h: 3600, d: 86_400, w: 604_800};

/** The span in µs, or null when the text is not a positive whole number and one unit. */
export function parseRetain(text: string): Micros | null {
  const m = /^\s*(\d+)\s*([smhdw])\s*$/.exec(text);
  if (!m) return null;
  const seconds = Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  if (seconds <= 0 || !Number.isSafeInteger(seconds * 1_000_000)) return null;
  return seconds * 1_000_000;
}
