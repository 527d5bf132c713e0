import React from 'react';
import {Text} from 'ink';
import {fitCell, type Column} from '../columns.js';
import {clean, fit} from '../text.js';
import type {Theme, Tone} from '../theme.js';
import type {Line} from '../views.js';

interface Segment {
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

export interface LineRowProps {
  line: Line;
  columns?: readonly Column[];
  widths?: readonly number[];
  width: number;
  selected?: boolean;
  theme: Theme;
}

export function LineRow({line, columns, widths, width, selected, theme}: LineRowProps) {
  const segs = lineSegments(line, columns, widths, width);
  const tone: Tone | undefined = line.kind === 'header' ? 'accent' : line.tone;
  const bold = line.kind === 'header' || line.kind === 'title';
  if (segs.length === 1 || !segs.some((s) => s.tone)) {
    return (
      <Text wrap="truncate" color={tone ? theme.color(tone) : undefined} bold={bold} inverse={selected}>
        {segs.map((s) => s.text).join('')}
      </Text>
    );
  }
  return (
    <Text wrap="truncate" color={tone ? theme.color(tone) : undefined} bold={bold} inverse={selected}>
      {segs.map((s, i) =>
        s.tone ? (
          <Text key={i} color={theme.color(s.tone)} bold>
            {s.text}
          </Text>
        ) : (
          s.text
        ),
      )}
    </Text>
  );
}
