// The search view (pane 2, `:search FIELD VALUE`): a form (field, value, time range) and the
// page of events the last run search found. Typing in the form never fetches (#3).
import {toEpoch} from '../text.js';
import {pageSize, type SearchParams, type SearchView} from '../views.js';
import {showOrSay, type ViewDef} from './def.js';
import {asTable, eventTable} from './tables.js';

export const emptySearch: SearchParams = {field: '', value: '', whenMin: '', whenMax: '', offset: 0, focus: 0};

/** A search already run for `field` = `value` (`:search`, Enter on a host). */
export function searchFor(field: string, value: string): SearchParams {
  return {...emptySearch, field, value};
}

/** Whether a search has something to fetch: a field and a value. */
export function runnable(q: SearchParams | undefined): q is SearchParams {
  return q !== undefined && q.field !== '' && q.value !== '';
}

export const searchView: ViewDef<SearchView> = {
  pane: 'search',
  scopes: ['search', 'event', 'list', 'global'],
  label: (v) => (v.query ? `search ${v.query.field}=${v.query.value}` : 'search'),
  needsLoad: (v) => runnable(v.query),
  fetch: (v, source) => {
    const s = v.query ?? emptySearch;
    return source.search(s.field, s.value, {service: v.service, limit: pageSize, offset: s.offset, whenMin: toEpoch(s.whenMin), whenMax: toEpoch(s.whenMax)});
  },
  status: (v) => (v.query ? `page ${Math.floor(v.query.offset / pageSize) + 1}` : undefined),
  listing: (v, data) => {
    const t = eventTable(asTable(data), v.service, 0);
    return {tables: [t.columns], lines: t.lines, empty: t.lines.length <= 1 ? 'no events found' : undefined};
  },
  open: showOrSay,
};
