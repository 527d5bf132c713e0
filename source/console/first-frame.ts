// The first rows before Ink has loaded. Importing Ink and React takes longer than the whole
// start-up budget (README "The console": first rows under 500 ms), so launch.tsx writes the
// watch pane's first rows as plain text as soon as the first poll answers, laid out as the app
// lays them out; Ink then clears the screen and draws the live console over it.
import {layoutColumns} from './columns.js';
import {heights} from './frame-size.js';
import {lineText} from './line-text.js';
import type {WatchTail} from './tail.js';
import {fit} from './text.js';
import {Snapshot, WatchRows, watchColumns} from './watch-rows.js';

/** The text of a first frame for a `columns`×`rows` terminal; undefined before the tail has rows. */
export function firstFrame(tail: WatchTail, columns: number, rows: number, url: string): string | undefined {
  if (tail.buffer.size === 0) return undefined;
  const {bodyHeight} = heights(rows);
  const list = new WatchRows(new Snapshot(tail.buffer), undefined, '', tail.service);
  const widths = layoutColumns(watchColumns, columns);
  const header = {kind: 'header' as const, cells: watchColumns.map((c) => (c.title === 'Time' ? 'Time UTC' : c.title)), table: 0, search: ''};
  const out = [fit(' stacky', columns), fit(` watch${' '.repeat(Math.max(1, columns - 8 - url.length))}${url} `, columns), lineText(header, watchColumns, widths, columns)];
  const shown = bodyHeight - 1;
  for (let i = Math.max(0, list.length - shown); i < list.length; i++) out.push(lineText(list.line(i)!, watchColumns, widths, columns));
  // Home first: the frame sits where Ink's will.
  return `\u001B[H\u001B[2J${out.join('\r\n')}`;
}
