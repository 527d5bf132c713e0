import React from 'react';
import {Text, Transform} from 'ink';
import type {Column} from '../columns.js';
import {lineSegments, type Segment} from '../line-text.js';
import type {Theme, Tone} from '../theme.js';
import type {Line} from '../views.js';

export interface LineRowProps {
  line: Line;
  columns?: readonly Column[];
  widths?: readonly number[];
  width: number;
  selected?: boolean;
  /** A marked row (`m`): `▸` in its first cell when blank, and underlined. */
  marked?: boolean;
  /** Text shown bold and underlined wherever it occurs in the row (`h`). */
  highlight?: string;
  theme: Theme;
  /** Horizontal scroll: the line is laid out `virtual` wide and shown from column `offset`. */
  offset?: number;
  virtual?: number;
}

/** The segments of `segs` from column `offset`, `width` long. */
function sliceSegments(segs: Segment[], offset: number, width: number): Segment[] {
  const out: Segment[] = [];
  let skip = offset;
  let left = width;
  for (const s of segs) {
    if (left <= 0) break;
    let text = s.text;
    if (skip > 0) {
      const cut = Math.min(skip, text.length);
      text = text.slice(cut);
      skip -= cut;
    }
    if (!text) continue;
    text = text.slice(0, left);
    out.push({...s, text});
    left -= text.length;
  }
  if (left > 0) out.push({text: ' '.repeat(left)});
  return out;
}

// SGR codes for the 16 basic colours (the names theme.ts hands out).
const fg: Record<string, number> = {red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90};
const paint = (text: string, color: string | undefined, bold: boolean): string => {
  let out = text;
  const code = color ? fg[color] : undefined;
  if (code !== undefined) out = `\u001B[${code}m${out}\u001B[39m`;
  if (bold) out = `\u001B[1m${out}\u001B[22m`;
  return out;
};

/**
 * One table row. Ink 6.8 caches the measurement of every distinct text it lays out, forever
 * (measure-text.js); a live tail shows a new text in every row of every frame, so rows put
 * a blank of the right width through layout and swap in the real line with <Transform>
 * at output time. The cache then holds one entry per width instead of one per event.
 */
/** `text` with every case-insensitive occurrence of `needle` bold and underlined. */
function emphasise(text: string, needle: string | undefined): string {
  if (!needle) return text;
  const lower = text.toLowerCase();
  const n = needle.toLowerCase();
  let out = '';
  let from = 0;
  for (let at = lower.indexOf(n); at >= 0; at = lower.indexOf(n, from)) {
    out += `${text.slice(from, at)}\u001B[1;4m${text.slice(at, at + n.length)}\u001B[22;24m`;
    from = at + n.length;
  }
  return out + text.slice(from);
}

export function LineRow({line, columns, widths, width, selected, marked, highlight, theme, offset = 0, virtual}: LineRowProps) {
  let segs = offset > 0 && virtual ? sliceSegments(lineSegments(line, columns, widths, virtual), offset, width) : lineSegments(line, columns, widths, width);
  const tone: Tone | undefined = line.kind === 'header' ? 'accent' : line.tone;
  const bold = line.kind === 'header' || line.kind === 'title';
  const lineColor = tone ? theme.color(tone) : undefined;
  if (marked && segs[0]) segs = [{...segs[0], text: segs[0].text.replace(/^ /, '▸')}, ...segs.slice(1)];
  const needle = line.kind === 'data' ? highlight : undefined;
  let text = segs.map((s) => (s.tone ? paint(emphasise(s.text, needle), theme.color(s.tone), true) : emphasise(s.text, needle))).join('');
  text = paint(text, lineColor, bold);
  if (marked) text = `\u001B[4m${text}\u001B[24m`;
  if (selected) text = `\u001B[7m${text}\u001B[27m`;
  const out = text;
  return (
    <Transform transform={() => out}>
      <Text>{' '.repeat(width)}</Text>
    </Transform>
  );
}
