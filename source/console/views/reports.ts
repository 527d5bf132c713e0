// The reports list (pane 5): stored reports, Enter opens one.
import type {Table} from '../../client/types.js';
import type {Column} from '../columns.js';
import {clean, epochText} from '../text.js';
import type {Listing, ReportsView} from '../views.js';
import {asTable, genericTable} from './tables.js';
import type {ViewDef} from './def.js';

function reportsListing(data: Table): Listing {
  const table = asTable(data);
  const [header, ...rows] = table;
  if (!header) return {tables: [], lines: [], empty: 'no reports in the last 24 hours'};
  const shown = rows.map((r) => r.map((c, i) => (i >= 1 && i <= 3 ? epochText(c).slice(0, 16) : c)));
  const {lines} = genericTable([header, ...shown], (row) => ({reportId: Number(row[0])}));
  const longest = Math.max(16, ...shown.map((r) => clean(r[4]).length));
  const columns: Column[] = [
    {title: 'Id', min: 4, max: 8, priority: 1, align: 'right'},
    {title: 'Start', min: 16, max: 16, priority: 2},
    {title: 'End', min: 16, max: 16, priority: 3},
    {title: 'Created', min: 16, max: 16, priority: 6},
    {title: 'Name', min: 24, max: longest, priority: 1},
    {title: 'Version', min: 7, max: 7, priority: 5, align: 'right'},
  ];
  return {tables: [columns], lines, empty: rows.length === 0 ? 'no reports in the last 24 hours' : undefined};
}

export const reportsView: ViewDef<ReportsView> = {
  pane: 'reports',
  scopes: ['list', 'global'],
  label: () => 'reports',
  needsLoad: () => true,
  fetch: (_v, source) => source.reports(),
  listing: (_v, data) => reportsListing(data),
  open: (t) =>
    t.reportId !== undefined ? {kind: 'push', view: {kind: 'report', reportId: t.reportId, sortCol: 0, sortDesc: false}} : {kind: 'status', text: 'not a report'},
};
