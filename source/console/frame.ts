// What one render of the console shows, as plain data: the rows of the top view (the tail's,
// or a listing's after the `/` filter), the heights they are laid out in, and how wide the
// widest row would be uncut. Built by hooks/useFrame.ts; the keys read the last one drawn.
import type {Column} from './columns.js';
import {arrayRows, type Rows} from './selection.js';
import {clean} from './text.js';
import {applyFilter, type Line, type Listing, type Target, type View} from './views.js';
import {watchColumns, type RowStore, type WatchRows} from './watch-rows.js';

export {heights, minColumns, minRows} from './frame-size.js';

export interface Body {
  rows: Rows;
  hidden: number;
  tables: Column[][];
  /** A header line kept above the scrolling rows. */
  pinned?: Line;
  /** Lines the pane draws above the list (the search form). */
  above: number;
  /** Fallback target for rows without one (the shown event). */
  target?: Target;
  empty?: string;
}

export interface Frame {
  body: Body;
  /** The watch pane's rows and the snapshot they are over (what a pause freezes). */
  watch?: {rows: WatchRows; snapshot: RowStore};
  width: number;
  /** Lines of the pane between the crumbs and the status line. */
  bodyHeight: number;
  /** Lines the scrolling rows get. */
  listHeight: number;
  /** Widest a row on screen gets with nothing cut: how far ←/→ can scroll (#6). */
  natural: number;
  /** Lines of the help screen (for its scrolling). */
  helpLines: number;
}


/** The watch pane's body: the tail's rows under a header that says which clock the times are on. */
export function watchBody(rows: WatchRows, relative: boolean): Body {
  const titles = watchColumns.map((c) => (c.title === 'Time' ? (relative ? 'Ago' : 'Time UTC') : c.title));
  return {rows, hidden: rows.hidden, tables: [watchColumns], pinned: {kind: 'header', cells: titles, table: 0, search: ''}, above: 0};
}

/** A listing's body: its header pinned when it has one table, data lines narrowed by the filter. */
export function listingBody(view: View, l: Listing): Body {
  const lines = [...l.lines];
  let pinned: Line | undefined;
  if (l.tables.length === 1 && lines[0]?.kind === 'header') pinned = lines.shift();
  const filtered = applyFilter(lines, view.filter);
  return {rows: arrayRows(filtered.lines), hidden: filtered.hidden, tables: l.tables, pinned, above: view.kind === 'search' ? 3 : 0, empty: l.empty, target: l.target};
}

/** Widest a row from `from` for `count` rows gets with nothing cut. */
export function naturalWidth(body: Body, from: number, count: number): number {
  // Open-ended columns (a raw event's values) are as wide as their longest cell on screen.
  const open = body.tables.map((t) => t.map((c) => (Number.isFinite(c.max) ? c.max : c.min)));
  let w = 0;
  for (let i = from; i < Math.min(body.rows.length, from + count); i++) {
    const l = body.rows.line(i);
    if (!l) continue;
    w = Math.max(w, clean(l.text ?? '').length);
    const t = l.table ?? 0;
    const cols = body.tables[t];
    l.cells?.forEach((c, k) => {
      if (cols?.[k] && !Number.isFinite(cols[k].max)) open[t]![k] = Math.max(open[t]![k]!, clean(c).length);
    });
  }
  for (const t of open) w = Math.max(w, t.reduce((n, c) => n + c + 1, -1));
  return w;
}

/** The selected line, or the view's own target (the shown event) when it has none. */
export function selectedLine(body: Body, cursor: number): Line | undefined {
  const l = body.rows.line(cursor);
  if (l?.target || !body.target) return l;
  return {...(l ?? {kind: 'blank', search: ''}), target: body.target};
}

export function countData(rows: Rows): number {
  let n = 0;
  for (let i = 0; i < rows.length; i++) if (rows.line(i)?.kind === 'data') n++;
  return n;
}
