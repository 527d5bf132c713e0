// The "summary for region" report built from the store (reports/pretty.py, docs/ingest.md §4).
// The arithmetic and the list of kept quirks live in core/report-math.ts.
import type {Db} from '../store/database.js';
import {ReportQueries} from '../store/report-queries.js';
import {snapshot} from '../store/sqlite/unit-of-work.js';
import {pyDumps} from '../core/pyjson.js';
import {
  buildSummary, DEFAULT_HOURS, DEFAULT_PERCENTILE, DEFAULT_TOO_LONG, evaluateRequest, REPORT_VERSION,
  reportWindow, resolveFailure, selectDeployments, summaryArray, summaryName, SummaryTally,
  type Evaluation, type SummaryReport, type Window,
} from '../core/report-math.js';
import type {Cell, Micros} from '../core/types.js';

export interface SummaryOptions {
  /** rstart, µs since the epoch (UTC). */
  start: Micros;
  hours?: number;
  percentile?: number;
  /** As typed; matched case-insensitively as a substring of deployment names. */
  region?: string | null;
  /** Seconds after which a request without another failure counts as too long. */
  tooLong?: number;
}

export interface BuiltSummary {
  report: SummaryReport;
  window: Window;
  /** `summary for region: <region as typed or all>`. */
  name: string;
  /** The stored JSON text: Python json.dumps of [metadata, header, ...rows]. */
  json: string;
  /** Requests evaluated (each (instance, request) pair once), for logs. */
  requests: number;
}

/** pretty.py's "No regions found for '<region>'" (exit 1). */
export class RegionNotFoundError extends Error {
  override name = 'RegionNotFoundError';

  constructor(readonly region: string) {
    super(`No regions found for '${region}'`);
  }
}

export function buildSummaryReport(db: Db, options: SummaryOptions, queries = new ReportQueries(db)): BuiltSummary {
  const hours = options.hours ?? DEFAULT_HOURS;
  const percentile = options.percentile ?? DEFAULT_PERCENTILE;
  const tooLong = options.tooLong ?? DEFAULT_TOO_LONG;
  const region = options.region ? options.region : null;
  const window = reportWindow(options.start, hours);

  const deployments = selectDeployments(queries.deployments(), region);
  if (region !== null && deployments.length === 0) throw new RegionNotFoundError(region);

  // One read transaction: a consistent snapshot while ingest keeps writing.
  const tally = new SummaryTally();
  let requests = 0;
  snapshot(db, () => {
    const updated = queries.updatedInstances(window.start, window.end, deployments.map((d) => d.id));
    const byInstance = new Map<Cell, Cell[]>();
    for (const pair of queries.requestPairs(window.start, window.end)) {
      const list = byInstance.get(pair.instance);
      if (list) list.push(pair.request_id);
      else byInstance.set(pair.instance, [pair.request_id]);
    }
    // A request's raws do not depend on the instance, so each request id is evaluated once even
    // when it is counted for several instances.
    const evaluated = new Map<Cell, {ev: Evaluation; failure: string | null} | null>();
    const evaluate = (requestId: Cell) => {
      if (evaluated.has(requestId)) return evaluated.get(requestId)!;
      const ev = evaluateRequest(queries.rawsForRequest(requestId), tooLong);
      const result = ev && {
        ev,
        failure: ev.failure !== null && ev.err ? resolveFailure(ev.failure, queries.rawJson(ev.err.id)) : ev.failure,
      };
      evaluated.set(requestId, result);
      return result;
    };
    for (const instance of updated) {
      for (const requestId of byInstance.get(instance) ?? []) {
        const result = evaluate(requestId);
        if (!result) continue;
        requests += 1;
        tally.add(result.ev.operation, result.ev.image, result.ev.osType, result.ev.durationUs, result.failure);
      }
    }
  });

  const report = buildSummary(tally, {percentile, hours, tooLong, window, region, cells: deployments.map((d) => d.name)});
  return {report, window, name: summaryName(region), json: pyDumps(summaryArray(report)), requests};
}

export interface StoreOptions {
  /** µs; the report's `created`. */
  created: Micros;
  /** Skip (and return null) when a report of the same name and period is already stored. */
  once?: boolean;
}

/** Saves a built report as a stacktach_jsonreport row (version 4); the new id. */
export function storeSummaryReport(db: Db, built: BuiltSummary, options: StoreOptions,
  queries = new ReportQueries(db)): number | null {
  const row = {
    periodStart: built.window.start, periodEnd: built.window.end, created: options.created,
    name: built.name, version: REPORT_VERSION, json: built.json,
  };
  return options.once ? queries.insertReportOnce(row) : queries.insertReport(row);
}
