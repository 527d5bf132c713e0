// PrettyTable-style tables, as the original stacky client printed them: a +---+ frame above
// and below the header and at the bottom, | between columns, one space of padding, every
// cell centred the way Python's str.center does it. Columns shrink (widest first) and
// cells are cut with … when the table would be wider than maxWidth.

import {terminalSafe} from '../../core/terminal-text.js';

export interface TableOptions {
  /** Total width limit in characters; undefined or 0 means unlimited. */
  maxWidth?: number;
}

/** How the original (Python) client showed a JSON value in a cell. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** Display length in code points (wide characters are not special-cased). */
export function textWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** PrettyTable's centring: with an odd margin the extra space goes right for odd-length text, left otherwise. */
export function center(text: string, width: number): string {
  const len = textWidth(text);
  const excess = width - len;
  if (excess <= 0) return text;
  const half = Math.floor(excess / 2);
  if (excess % 2 === 0) return ' '.repeat(half) + text + ' '.repeat(half);
  return len % 2 === 1 ? ' '.repeat(half) + text + ' '.repeat(half + 1) : ' '.repeat(half + 1) + text + ' '.repeat(half);
}

/** Cuts text to width code points, ending in … when something was cut. */
export function truncate(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  if (width <= 0) return '';
  const chars = [...text];
  return width === 1 ? '…' : chars.slice(0, width - 1).join('') + '…';
}

const minColumn = 3;

/**
 * Column widths after fitting: the widest column loses a character until the table fits.
 * Columns first keep at least their header's width (floors), then at least 3 characters.
 * perColumn/fixed describe the frame: a PrettyTable line is 1 + Σ(w + 3) wide.
 */
export function fitWidths(natural: readonly number[], maxWidth: number | undefined, perColumn = 3, fixed = 1, floors: readonly number[] = []): number[] {
  const widths = [...natural];
  if (!maxWidth || maxWidth <= 0) return widths;
  const total = () => widths.reduce((sum, w) => sum + w + perColumn, fixed);
  const shrink = (floor: (i: number) => number) => {
    while (total() > maxWidth) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) {
        if (widths[i]! > floor(i) && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      }
      if (widest < 0) return; // every column is at its floor
      widths[widest]!--;
    }
  };
  shrink((i) => Math.max(minColumn, floors[i] ?? 0));
  shrink(() => minColumn);
  return widths;
}

/** A cell's lines, each terminal-safe: data can hold escape sequences (see core/terminal-text.ts). */
function cellLines(value: unknown): string[] {
  return cellText(value).split(/\r?\n/).map((line) => terminalSafe(line, true));
}

/** The table as text, each line ending in \n. */
export function renderTable(header: readonly unknown[], rows: readonly (readonly unknown[])[], options: TableOptions = {}): string {
  const columns = Math.max(header.length, ...rows.map((r) => r.length));
  const headLines = Array.from({length: columns}, (_, i) => cellLines(header[i] ?? ''));
  const bodyLines = rows.map((row) => Array.from({length: columns}, (_, i) => cellLines(i < row.length ? row[i] : '')));
  const natural = Array.from({length: columns}, (_, i) => {
    let w = 0;
    for (const line of headLines[i]!) w = Math.max(w, textWidth(line));
    for (const row of bodyLines) for (const line of row[i]!) w = Math.max(w, textWidth(line));
    return w;
  });
  const floors = headLines.map((lines) => Math.max(0, ...lines.map(textWidth)));
  const widths = fitWidths(natural, options.maxWidth, 3, 1, floors);
  const rule = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+\n';
  const render = (cells: string[][]): string => {
    const height = Math.max(1, ...cells.map((c) => c.length));
    let out = '';
    for (let line = 0; line < height; line++) {
      out += '|' + cells.map((c, i) => ' ' + center(truncate(c[line] ?? '', widths[i]!), widths[i]!) + ' ').join('|') + '|\n';
    }
    return out;
  };
  let out = rule + render(headLines) + rule;
  for (const row of bodyLines) out += render(row);
  return out + rule;
}
