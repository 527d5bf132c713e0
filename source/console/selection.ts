// Cursor and window moves over a list of `rows` rows shown `page` at a time: pure, so every
// key's effect is a function of the row count and testable alone (as gemini-cli's
// useSelectionList reduces its moves).

export interface Selection {
  /** Selected row. */
  cursor: number;
  /** First row on screen. */
  top: number;
}

export type Move =
  | {type: 'up' | 'down' | 'pageUp' | 'pageDown' | 'top' | 'bottom'}
  | {type: 'to'; index: number};

/** Rows the cursor may rest on (titles and blank lines are skipped); all when absent. */
export type Selectable = (index: number) => boolean;

function nearest(index: number, dir: 1 | -1, rows: number, ok: Selectable): number {
  for (let i = index; i >= 0 && i < rows; i += dir) if (ok(i)) return i;
  for (let i = index; i >= 0 && i < rows; i -= dir) if (ok(i)) return i;
  return index;
}

/** Keeps `top` in range and the cursor on screen. */
export function clampWindow(sel: Selection, rows: number, page: number): Selection {
  if (rows <= 0) return {cursor: 0, top: 0};
  const cursor = Math.max(0, Math.min(rows - 1, sel.cursor));
  let top = Math.max(0, Math.min(sel.top, rows - page));
  if (cursor < top) top = cursor;
  if (cursor >= top + page) top = cursor - page + 1;
  return {cursor, top: Math.max(0, top)};
}

/**
 * The selection after a move. A page move scrolls the window by a whole page and the cursor
 * with it (#10: the first PgDn used to scroll one line while the cursor jumped a page); at the
 * end of the list, where the window cannot move, the cursor goes to the last (first) row.
 */
export function move(sel: Selection, m: Move, rows: number, page: number, ok: Selectable = () => true): Selection {
  if (rows <= 0) return {cursor: 0, top: 0};
  const p = Math.max(1, page);
  const maxTop = Math.max(0, rows - p);
  const clampRow = (i: number) => Math.max(0, Math.min(rows - 1, i));
  switch (m.type) {
    case 'up':
      return clampWindow({cursor: nearest(clampRow(sel.cursor - 1), -1, rows, ok), top: sel.top}, rows, p);
    case 'down':
      return clampWindow({cursor: nearest(clampRow(sel.cursor + 1), 1, rows, ok), top: sel.top}, rows, p);
    case 'to':
      return clampWindow({cursor: nearest(clampRow(m.index), m.index >= sel.cursor ? 1 : -1, rows, ok), top: sel.top}, rows, p);
    case 'top':
      return clampWindow({cursor: nearest(0, 1, rows, ok), top: 0}, rows, p);
    case 'bottom':
      return clampWindow({cursor: nearest(rows - 1, -1, rows, ok), top: maxTop}, rows, p);
    case 'pageDown':
    case 'pageUp': {
      const dir = m.type === 'pageDown' ? 1 : -1;
      const top = Math.max(0, Math.min(maxTop, sel.top + dir * p));
      const cursor = top === sel.top ? (dir > 0 ? rows - 1 : 0) : clampRow(sel.cursor + (top - sel.top));
      return clampWindow({cursor: nearest(cursor, dir === 1 ? 1 : -1, rows, ok), top}, rows, p);
    }
  }
}
