// A line of a view as text exactly `width` wide: its cells laid out by column widths (a bar
// drawn in its column), or its pre-formatted text. Pure: components/LineRow.tsx paints it, and
// first-frame.ts writes it before Ink has loaded.
import {fitCell, type Column} from './columns.js';
import {clean, fit} from './text.js';
import type {Tone} from './theme.js';
import type {Line} from './views.js';

export interface Segment {
  text: string;
  tone?: Tone;
}

/** A line as coloured segments exactly `width` characters wide. */
export function lineSegments(line: Line, columns: readonly Column[] | undefined, widths: readonly number[] | undefined, width: number): Segment[] {
  if (line.cells && columns && widths) {
    const segs: Segment[] = [];
    let used = 0;
    widths.forEach((w, i) => {
      if (w <= 0) return;
      if (used > 0) {
        segs.push({text: ' '});
        used++;
      }
      let text: string;
      if (line.bar && line.bar.col === i) {
        const n = Math.max(1, Math.round(line.bar.fraction * w));
        text = '█'.repeat(Math.min(n, w)).padEnd(w, ' ');
      } else {
        text = fitCell(line.cells![i], w, columns[i]);
      }
      segs.push({text, tone: line.cellTones?.[i]});
      used += w;
    });
    if (used < width) segs.push({text: ' '.repeat(width - used)});
    return trimTo(segs, width);
  }
  return [{text: fit(clean(line.text ?? ''), width)}];
}

function trimTo(segs: Segment[], width: number): Segment[] {
  const out: Segment[] = [];
  let left = width;
  for (const s of segs) {
    if (left <= 0) break;
    const text = s.text.length > left ? s.text.slice(0, left) : s.text;
    out.push({...s, text});
    left -= text.length;
  }
  return out;
}

/** The whole text of a line laid out `virtual` wide, trailing spaces trimmed (for wrapping). */
export function lineText(line: Line, columns: readonly Column[] | undefined, widths: readonly number[] | undefined, virtual: number): string {
  return lineSegments(line, columns, widths, virtual).map((s) => s.text).join('').trimEnd();
}
