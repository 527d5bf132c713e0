// Building blocks shared by the views' listings: stacky tables (header row first) as lines.
import type {StackyService, Table} from '../../client/types.js';
import {columnsFor, type Column} from '../columns.js';
import {clean} from '../text.js';
import type {Tone} from '../theme.js';
import type {Line, Target} from '../views.js';

export function asTable(data: unknown): Table {
  return Array.isArray(data) ? (data as Table).filter((r) => Array.isArray(r)) : [];
}

/** An event table (uuid, request, search): header row + rows whose cell 0 is the event id and 1 the flag. */
export function eventTable(table: Table, service: StackyService, tableIndex: number, uuidHint?: string, known?: ReadonlySet<number>): {columns: Column[]; lines: Line[]} {
  const [header, ...rows] = table;
  if (!header) return {columns: [], lines: []};
  const shape: Record<string, Partial<Column>> = {
    '#': {priority: 3, align: 'right'},
    '?': {min: 1, max: 1, priority: 1},
    When: {min: 19, max: 19, priority: 2, cut: true},
    Deployment: {min: 15, max: 20, priority: 4},
    Event: {min: 30, max: 38, priority: 1},
    Host: {min: 8, max: 20, priority: 3},
    State: {min: 6, max: 12, priority: 5},
    Status: {min: 6, max: 12, priority: 5},
    "State'": {min: 6, max: 12, priority: 6},
    "Task'": {min: 6, max: 16, priority: 6},
    Instance: {min: 13, max: 36, priority: 4},
    'Request id': {min: 13, max: 44, priority: 6},
  };
  const columns = columnsFor(header, rows).map((c) => {
    const want = shape[c.title];
    if (c.title === '#') return {...c, ...want, min: c.max}; // ids are never cut
    if (!want) return c;
    const merged = {...c, ...want};
    // Only the time is cut on purpose; every other column may grow to its longest cell, so a
    // wide terminal shows it whole (#5: Task' was cut at 16 with 90 columns unused).
    if (merged.cut) return merged;
    return {...merged, max: Math.max(merged.min, c.max)};
  });
  const instanceCol = header.findIndex((h) => h === 'Instance');
  const requestCol = header.findIndex((h) => h === 'Request id');
  const lines: Line[] = [{kind: 'header', cells: header, table: tableIndex, search: ''}];
  for (const row of rows) {
    const error = row[1] === 'E';
    // A row that arrived with a live refresh: `+` in the flag column and green (#16).
    const fresh = known !== undefined && !known.has(Number(row[0]));
    lines.push({
      kind: 'data',
      cells: fresh && !error ? [row[0], '+', ...row.slice(2)] : row,
      table: tableIndex,
      error,
      tone: error ? 'error' : fresh ? 'ok' : undefined,
      search: row.map(clean).join(' '),
      target: {
        eventId: Number(row[0]),
        service,
        uuid: instanceCol >= 0 && row[instanceCol] ? String(row[instanceCol]) : uuidHint,
        requestId: requestCol >= 0 && row[requestCol] ? String(row[requestCol]) : undefined,
      },
    });
  }
  return {columns, lines};
}

export function genericTable(table: Table, target?: (row: readonly unknown[]) => Target | undefined, tableIndex = 0): {columns: Column[]; lines: Line[]} {
  const [header, ...rows] = table;
  if (!header) return {columns: [], lines: []};
  const columns = columnsFor(header, rows);
  const lines: Line[] = [{kind: 'header', cells: header, table: tableIndex, search: ''}];
  for (const row of rows) lines.push({kind: 'data', cells: row, table: tableIndex, search: row.map(clean).join(' '), target: target?.(row)});
  return {columns, lines};
}

export function title(text: string, tone: Tone = 'title'): Line {
  return {kind: 'title', text, tone, search: ''};
}

export const blank: Line = {kind: 'blank', text: '', search: ''};

export function jsonLines(value: unknown, target?: Target): Line[] {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return text.split('\n').map((t) => ({kind: 'data' as const, text: t, search: t, target}));
}
