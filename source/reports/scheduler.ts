// The hourly "summary for region" report, as the original's cron job (`pretty.py --hours_back 1
// --hours 1 --store`) made it: a few minutes after each hour, the previous hour's report. At
// start-up, missed hours are caught up (oldest first, one per turn of the event loop). A period
// already stored under the same name is never generated again, even by another process.
import type {ReportQueries, ReportSource} from '../store/api.js';
import {reportWindow, summaryName} from '../core/report-math.js';
import type {Micros} from '../core/types.js';
import {plainDateTime} from '../core/time.js';
import {buildSummaryReport, storeSummaryReport} from './summary.js';

const MS_PER_HOUR = 3_600_000;

export interface TimerHandle {
  cancel(): void;
}

export interface SchedulerOptions {
  /** Wall clock, milliseconds since the epoch (Date.now). */
  now?: () => number;
  /** Runs fn (a turn, settled when it is done) once after ms milliseconds. The default is an unref'd setTimeout. */
  setTimer?: (fn: () => Promise<void>, ms: number) => TimerHandle;
  /** One line per report generated or failed. The default writes to stderr. */
  log?: (line: string) => void;
  /** Minutes after the hour before the previous hour is reported (default 5), so late events land. */
  delayMinutes?: number;
  /** How many hours back the catch-up looks (default 24). */
  catchUpHours?: number;
  region?: string | null;
  percentile?: number;
  tooLong?: number;
}

export interface HourlyReports {
  stop(): void;
}

function realTimer(fn: () => Promise<void>, ms: number): TimerHandle {
  const t = setTimeout(() => void fn(), ms);
  t.unref();
  return {cancel: () => clearTimeout(t)};
}

/**
 * The hours (start µs) due by `nowMs` and not yet stored, oldest first. An hour H is due once
 * now ≥ H + 1 h + delay; the oldest considered is `catchUpHours − 1` before the latest due one,
 * and hours ending before the first raw ever stored are skipped (nothing to report yet).
 */
export async function dueHours(queries: ReportQueries, nowMs: number, opts: {delayMinutes: number; catchUpHours: number;
  region: string | null}): Promise<Micros[]> {
  const latest = Math.floor((nowMs - opts.delayMinutes * 60_000) / MS_PER_HOUR) * MS_PER_HOUR - MS_PER_HOUR;
  const earliestRaw = await queries.earliestRaw();
  if (earliestRaw === null) return [];
  const name = summaryName(opts.region);
  const hours: Micros[] = [];
  for (let i = opts.catchUpHours - 1; i >= 0; i--) {
    const start = (latest - i * MS_PER_HOUR) * 1000;
    const window = reportWindow(start, 1);
    if (window.end < earliestRaw) continue;
    if (await queries.findReport(name, window.start, window.end) === undefined) hours.push(start);
  }
  return hours;
}

const hourText = (start: Micros) => plainDateTime(start).slice(0, 16);

export function startHourlyReports(source: ReportSource, options: SchedulerOptions = {}): HourlyReports {
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? realTimer;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const delayMinutes = options.delayMinutes ?? 5;
  const catchUpHours = Math.max(1, options.catchUpHours ?? 24);
  const region = options.region ?? null;
  // Hours that failed in the current batch; retried at the next hourly turn, not in a tight loop.
  const failed = new Set<Micros>();
  let timer: TimerHandle | null = null;
  let stopped = false;

  const schedule = (ms: number) => {
    if (!stopped) timer = setTimer(turn, Math.max(0, ms));
  };

  /** Milliseconds until the next hour boundary plus the delay. */
  const untilNextHour = () => {
    const t = now();
    const delay = delayMinutes * 60_000;
    return Math.floor((t - delay) / MS_PER_HOUR) * MS_PER_HOUR + MS_PER_HOUR + delay - t;
  };

  async function generate(start: Micros): Promise<void> {
    try {
      const built = await buildSummaryReport(source, {start, hours: 1, region, percentile: options.percentile,
        tooLong: options.tooLong});
      const id = await storeSummaryReport(source, built, {created: Math.round(now() * 1000), once: true});
      if (id === null) log(`hourly report ${hourText(start)}: already stored`);
      else log(`hourly report ${hourText(start)}: stored report ${id} (${built.report.metadata.total} requests)`);
    } catch (error) {
      failed.add(start);
      log(`hourly report ${hourText(start)}: failed: ${(error as Error).message}`);
    }
  }

  async function turn(): Promise<void> {
    timer = null;
    if (stopped) return;
    let pending: Micros[];
    try {
      pending = (await dueHours(source, now(), {delayMinutes, catchUpHours, region})).filter((h) => !failed.has(h));
    } catch (error) {
      log(`hourly report: cannot list due hours: ${(error as Error).message}`);
      schedule(untilNextHour());
      return;
    }
    const hour = pending[0];
    if (hour !== undefined) await generate(hour);
    // One report per turn keeps the server answering between catch-up reports. When the batch
    // is done, hours that failed in it become eligible again for the next hourly turn.
    if (pending.length > 1) {
      schedule(0);
    } else {
      failed.clear();
      schedule(untilNextHour());
    }
  }

  schedule(0);
  return {
    stop() {
      stopped = true;
      timer?.cancel();
      timer = null;
    },
  };
}
