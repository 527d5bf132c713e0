// Cursor and window moves over a list of `rows` rows shown `page` at a time: pure, so every
// key's effect is a function of the row count and testable alone. state.ts applies them as
// reducer actions.
import type {AppState} from './state.js';
import type {Line} from './views.js';

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

/** The rows a view shows, as the cursor moves over them (watch-rows.ts, or a listing's lines). */
export interface Rows {
  readonly length: number;
  line(index: number): Line | undefined;
  /** Index of a tail sequence number (the watch pane's rows only). */
  indexOf?(seq: number): number;
}

export function arrayRows(lines: readonly Line[]): Rows {
  return {length: lines.length, line: (i) => lines[i]};
}

/** Titles, headers and blank lines never hold the cursor. */
export function selectable(rows: Rows): Selectable {
  return (i) => {
    const k = rows.line(i)?.kind;
    return k === 'data' || k === 'meta';
  };
}

/**
 * Where the cursor is. A view not moved yet starts on its first event row (an instance's
 * timings sit above its events, #17), else its first data row; the watch pane follows its last
 * row until paused.
 */
export function resolveCursor(state: AppState, rows: Rows): number {
  const top = state.stack[state.stack.length - 1]!;
  if (top.kind === 'watch') {
    const seq = state.watch.cursorSeq;
    if (state.watch.pausedAt === undefined || seq === undefined || !rows.indexOf) return Math.max(0, rows.length - 1);
    return rows.indexOf(seq);
  }
  if (top.cursor >= 0) return Math.min(top.cursor, Math.max(0, rows.length - 1));
  let first = -1;
  for (let i = 0; i < rows.length && i < 500; i++) {
    const l = rows.line(i);
    if (l?.kind !== 'data' && l?.kind !== 'meta') continue;
    if (l.target?.eventId !== undefined) return i;
    if (first < 0) first = i;
  }
  return Math.max(0, first);
}

/** The first row on screen: where the view left it, kept so the cursor is on screen. */
export function windowTopOf(state: AppState, rows: Rows, page: number, cursor: number): number {
  const top = state.stack[state.stack.length - 1]!;
  const maxTop = Math.max(0, rows.length - page);
  let t: number;
  if (top.kind !== 'watch') t = top.top;
  else if (state.watch.pausedAt === undefined) t = maxTop;
  else t = state.watch.topSeq === undefined || !rows.indexOf ? cursor - page + 1 : rows.indexOf(state.watch.topSeq);
  t = Math.max(t, cursor - page + 1);
  t = Math.min(t, cursor);
  return Math.max(0, Math.min(t, maxTop));
}

/** The index of the next row after (dir 1) or before (-1) `from` that passes `test`, wrapping. */
export function findRow(rows: Rows, from: number, dir: 1 | -1, test: (l: Line) => boolean): number | undefined {
  const len = rows.length;
  for (let step = 1; step <= len; step++) {
    const i = (((from + dir * step) % len) + len) % len;
    const l = rows.line(i);
    if (l && test(l)) return i;
  }
  return undefined;
}
