// Column layout for one-line-per-row tables: columns drop by priority when the terminal is
// narrow, the rest share the width, and every cell is cut to its width (never wrapped).
import {clean, fit} from './text.js';

export interface Column {
  title: string;
  /** Narrowest useful width; below it the column is dropped instead. */
  min: number;
  /** Widest it ever gets (Infinity for a column that takes what is left). */
  max: number;
  /** 1 = keep longest; higher numbers drop first. */
  priority: number;
  align?: 'left' | 'right';
  /** Cut long cells without an ellipsis (times: drop trailing digits). */
  cut?: boolean;
  /**
   * Shown only in the room left once every other column is at its widest, by priority (the
   * watch pane's host, tenant and request id): it never makes another column narrower.
   */
  extra?: boolean;
}

/** Width of each column (0 = dropped) so the row fits in `width` with one space between columns. */
export function layoutColumns(columns: readonly Column[], width: number): number[] {
  if (!columns.some((c) => c.extra)) return layoutCore(columns, width);
  const core = columns.map((c, i) => i).filter((i) => !columns[i]!.extra);
  const widths = columns.map(() => 0);
  layoutCore(core.map((i) => columns[i]!), width).forEach((w, k) => (widths[core[k]!] = w));
  const shown = widths.filter((w) => w > 0);
  let spare = width - shown.reduce((n, w) => n + w + 1, shown.length > 0 ? -1 : 0);
  const extras = columns.map((c, i) => i).filter((i) => columns[i]!.extra).sort((a, b) => columns[a]!.priority - columns[b]!.priority || a - b);
  for (const i of extras) {
    const c = columns[i]!;
    if (spare < c.min + 1) continue;
    widths[i] = Math.min(c.max, spare - 1);
    spare -= widths[i]! + 1;
  }
  return widths;
}

function layoutCore(columns: readonly Column[], width: number): number[] {
  const kept = columns.map(() => true);
  const need = () => {
    let sum = 0;
    let n = 0;
    columns.forEach((c, i) => {
      if (kept[i]) {
        sum += c.min;
        n++;
      }
    });
    return sum + Math.max(0, n - 1);
  };
  while (need() > width) {
    let drop = -1;
    columns.forEach((c, i) => {
      if (kept[i] && (drop < 0 || c.priority >= columns[drop]!.priority)) drop = i;
    });
    if (drop < 0 || kept.filter(Boolean).length <= 1) break;
    kept[drop] = false;
  }
  // A column dropped early may fit again once a wider one has gone: take it back, best first.
  const dropped = columns.map((c, i) => i).filter((i) => !kept[i]).sort((a, b) => columns[a]!.priority - columns[b]!.priority || a - b);
  for (const i of dropped) {
    kept[i] = true;
    if (need() > width) kept[i] = false;
  }
  const widths = columns.map((c, i) => (kept[i] ? c.min : 0));
  let spare = width - need();
  const order = columns.map((c, i) => i).filter((i) => kept[i]).sort((a, b) => columns[a]!.priority - columns[b]!.priority || a - b);
  // First bring finite columns up to their max, most important first; then the open-ended ones share the rest.
  for (const i of order) {
    const c = columns[i]!;
    if (!Number.isFinite(c.max) || spare <= 0) continue;
    const add = Math.min(spare, c.max - widths[i]!);
    widths[i] = widths[i]! + add;
    spare -= add;
  }
  const open = order.filter((i) => !Number.isFinite(columns[i]!.max));
  open.forEach((i, k) => {
    const add = Math.floor(spare / (open.length - k));
    widths[i] = widths[i]! + add;
    spare -= add;
  });
  if (widths.length === 1 && kept[0]) widths[0] = Math.min(widths[0]!, width);
  return widths;
}

export function fitCell(value: unknown, width: number, column: Column | undefined): string {
  const text = clean(value);
  if (column?.cut && text.length > width) return text.slice(0, width);
  return fit(text, width, column?.align ?? 'left');
}

/** Columns for an arbitrary stacky table: sized from its content, later columns drop first. */
export function columnsFor(header: readonly unknown[], rows: readonly (readonly unknown[])[]): Column[] {
  return header.map((h, i) => {
    let longest = clean(h).length;
    for (let r = 0; r < rows.length && r < 500; r++) longest = Math.max(longest, clean(rows[r]![i]).length);
    const numeric = rows.length > 0 && rows.slice(0, 50).every((r) => typeof r[i] === 'number');
    return {
      title: clean(h),
      min: Math.min(Math.max(clean(h).length, 3), Math.max(longest, 1), 12),
      max: Math.max(longest, 1),
      priority: i === 0 ? 1 : i + 1,
      align: numeric ? 'right' : 'left',
    } satisfies Column;
  });
}
