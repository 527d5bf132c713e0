// The stacky URL table, anchored and slash-terminated as the original's urls.py (docs/api.md §1.1).
import type {Handler} from './context.js';
import {deployments, events, hosts} from './handlers/lists.js';
import {request, uuid} from './handlers/uuid.js';
import {search} from './handlers/search.js';
import {show} from './handlers/show.js';
import {watch} from './handlers/watch.js';
import {summary, timingsByName, timingsForUuid} from './handlers/timings.js';
import {kpi} from './handlers/kpi.js';
import {report, reports, reportsSearch} from './handlers/reports.js';
import {usage} from './handlers/usage.js';

export interface Route {
  pattern: RegExp;
  handler: Handler;
  /** Answers that depend on the clock (kpi, reports) are never cached; watch's ('second') are, within the second. */
  live?: boolean | 'second';
  /** Answered on the serving thread, never a read thread (read-threads.ts): it uses the shared tails or the JSON searches. */
  mainThread?: true;
}

export const ROUTES: Route[] = [
  {pattern: /^\/stacky\/deployments\/$/, handler: deployments},
  {pattern: /^\/stacky\/events\/$/, handler: events},
  {pattern: /^\/stacky\/hosts\/$/, handler: hosts},
  {pattern: /^\/stacky\/uuid\/$/, handler: uuid},
  {pattern: /^\/stacky\/timings\/$/, handler: timingsByName},
  {pattern: /^\/stacky\/timings\/uuid\/$/, handler: timingsForUuid},
  {pattern: /^\/stacky\/summary\/$/, handler: summary},
  {pattern: /^\/stacky\/request\/$/, handler: request},
  {pattern: /^\/stacky\/reports\/search\/$/, handler: reportsSearch},
  {pattern: /^\/stacky\/reports\/$/, handler: reports, live: true},
  {pattern: /^\/stacky\/report\/(\d+)\/$/, handler: report},
  {pattern: /^\/stacky\/show\/(\d+)\/$/, handler: show},
  {pattern: /^\/stacky\/watch\/(\d+)\/$/, handler: watch, live: 'second', mainThread: true},
  {pattern: /^\/stacky\/search\/$/, handler: search, mainThread: true},
  {pattern: /^\/stacky\/kpi\/$/, handler: kpi, live: true},
  // Django compiles with the Unicode flag: \w is letters, digits and underscore of any script.
  {pattern: /^\/stacky\/kpi\/([\p{L}\p{N}_]+)\/$/u, handler: kpi, live: true},
  {pattern: /^\/stacky\/usage\/launches\/$/, handler: usage('launches')},
  {pattern: /^\/stacky\/usage\/deletes\/$/, handler: usage('deletes')},
  {pattern: /^\/stacky\/usage\/exists\/$/, handler: usage('exists')},
];

export function match(path: string): {route: Route; captures: string[]} | undefined {
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (m) return {route, captures: m.slice(1)};
  }
  return undefined;
}
