// Text helpers for a terminal that never wraps: one cell = one character of ASCII-ish text.
// Control characters and bidirectional overrides are shown escaped (core/terminal-text.ts), so a
// payload can never move the cursor, retitle or recolour the terminal.

import {epochArgString, plainDateTime} from '../core/time.js';
import {terminalSafe} from '../core/terminal-text.js';

export function clean(value: unknown): string {
  if (value === null || value === undefined) return '';
  return terminalSafe(String(value), true);
}

/** Exactly `width` characters: cut with an ellipsis when too long, padded with spaces when short. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  if (text.length > width) return width === 1 ? text.slice(0, 1) : `${text.slice(0, width - 1)}…`;
  return align === 'left' ? text.padEnd(width) : text.padStart(width);
}

/** At most `width` characters, cut with an ellipsis; never padded. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return width === 1 ? text.slice(0, 1) : `${text.slice(0, width - 1)}…`;
}

/** Lines of at most `width` characters, broken at spaces where possible (long words are split). */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const para of clean(text).split('\n')) {
    let line = '';
    for (const word of para.split(/(?<= )/)) {
      let rest = word;
      while ((line + rest).length > w) {
        if (line.trim() !== '') {
          out.push(line.trimEnd());
          line = '';
          rest = rest.trimStart();
          continue;
        }
        out.push(rest.slice(0, w));
        rest = rest.slice(w);
      }
      line += rest;
    }
    out.push(line.trimEnd());
  }
  return out;
}

const bars = '▁▂▃▄▅▆▇█';

/** A sparkline of `values` scaled to their maximum; all-zero values draw the lowest bar. */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values.map((v) => (max <= 0 ? bars[0] : bars[Math.min(7, Math.round((v / max) * 7))])).join('');
}

/** Case-insensitive substring test; an empty needle matches everything. */
export function matches(haystack: string, needle: string): boolean {
  if (needle === '') return true;
  return haystack.toLowerCase().includes(needle.toLowerCase());
}

/** Epoch seconds (number or numeric string) as a UTC `YYYY-MM-DD HH:MM:SS`; other values as text. */
export function epochText(value: unknown): string {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) return clean(value);
  return plainDateTime(Math.floor(n) * 1_000_000);
}

/** A `YYYY-MM-DD[ HH:MM[:SS]]` UTC date (core's argument rules, a trailing Z allowed) or a decimal epoch, as a decimal epoch string; undefined when unreadable. */
export function toEpoch(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(t)) return t;
  return epochArgString(t.replace(/Z$/, ''));
}

/** `0d 00:00:55.50` (stacky duration) → seconds; NaN when not a duration. */
export function durationSeconds(text: unknown): number {
  const m = /^(-?\d+)d (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(String(text ?? ''));
  if (!m) return Number.NaN;
  return Number(m[1]) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}
