// PrettyTable-style tables, as the original stacky client printed them: a +---+ frame above
// and below the header and at the bottom, | between columns, one space of padding, every
// cell centred the way Python's str.center does it. When the table would be wider than
// maxWidth, columns are left out or cut by the rules of columns.ts.
import {columnRule, layoutColumns} from './columns.js';

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
function textWidth(text: string): number {
  let n = text.length;
  // A surrogate pair is two UTF-16 units and one code point: count its low half out.
  for (let i = 0; i < text.length; i++) if ((text.charCodeAt(i) & 0xfc00) === 0xdc00) n--;
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
  const rules = headLines.map((lines, i) => columnRule(lines.join('\n'), i));
  const shown = layoutColumns(rules, natural, floors, options.maxWidth, 3, 1);
  const rule = '+' + shown.map((c) => '-'.repeat(c.width + 2)).join('+') + '+\n';
  const render = (cells: string[][]): string => {
    const height = Math.max(1, ...shown.map((c) => cells[c.index]!.length));
    let out = '';
    for (let line = 0; line < height; line++) {
      out += '|' + shown.map((c) => ' ' + center(c.cut ? truncate(cells[c.index]![line] ?? '', c.width) : cells[c.index]![line] ?? '', c.width) + ' ').join('|') + '|\n';
    }
    return out;
  };
  let out = rule + render(headLines) + rule;
  for (const row of bodyLines) out += render(row);
  return out + rule;
}
