// stacky report summary: build the "summary for region" report for a window, print its JSON,
// and with --store save it where /stacky/reports/ lists it. (`stacky report <id>` is print's.)
import {existsSync} from 'node:fs';
import {closeDatabase, openDatabase} from '../store/database.js';
import {parseDateTimeArg} from '../core/time.js';
import {DEFAULT_HOURS, DEFAULT_PERCENTILE, DEFAULT_TOO_LONG} from '../core/report-math.js';
import {buildSummaryReport, RegionNotFoundError, storeSummaryReport} from '../reports/summary.js';
import {defaultDbPath} from './paths.js';
import {guarded, intFlag, parse, UsageError} from './args.js';

const HELP = `Usage: stacky report summary [--db PATH] --start "YYYY-MM-DD HH:MM:SS" [--hours N]
                             [--percentile P] [--region R] [--too-long SECONDS] [--store]

Builds StackTach's "summary for region" report: per operation, image kind and OS type, the
min, max, median and percentile request durations, request counts and failure counts and rates.
Prints the report JSON (row 0 metadata, row 1 headers, then one row per bucket).

  --db PATH            SQLite database file
  --start T            window start, UTC; the window is (T, T + N h − 1 s]
  --hours N            window length in hours (default ${DEFAULT_HOURS})
  --percentile P       percentile column, 0..100 (default ${DEFAULT_PERCENTILE})
  --region R           only instances updated on deployments whose name contains R
  --too-long SECONDS   a request longer than this is a "> SECONDS/60" failure (default ${DEFAULT_TOO_LONG})
  --store              also save it as a report (see stacky reports, stacky report <id>)

Example: stacky report summary --db stacky.db --start "2014-01-14 19:00:00" --hours 1 --store
`;

export async function run(argv: string[]): Promise<number> {
  return guarded('report summary', async () => {
    const [sub, ...rest] = argv;
    if (sub !== 'summary') throw new UsageError(`unknown report command '${sub ?? ''}'`);
    const {values} = parse(rest, {
      db: {type: 'string'}, start: {type: 'string'}, hours: {type: 'string'}, percentile: {type: 'string'},
      region: {type: 'string'}, 'too-long': {type: 'string'}, store: {type: 'boolean'},
      help: {type: 'boolean', short: 'h'},
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (values.start === undefined) throw new UsageError('--start "YYYY-MM-DD HH:MM:SS" is required');
    const start = parseDateTimeArg(values.start);
    if (start === null) throw new UsageError(`--start must be "YYYY-MM-DD HH:MM:SS" (UTC), got '${values.start}'`);
    const hours = intFlag('hours', values.hours, DEFAULT_HOURS, 1);
    const percentile = intFlag('percentile', values.percentile, DEFAULT_PERCENTILE, 0);
    if (percentile > 100) throw new UsageError(`--percentile must be at most 100, got '${values.percentile}'`);
    const tooLong = intFlag('too-long', values['too-long'], DEFAULT_TOO_LONG, 1);

    const path = values.db ?? defaultDbPath();
    if (!values.store && path !== ':memory:' && !existsSync(path)) {
      process.stderr.write(`stacky report summary: no database at ${path}\n`);
      return 1;
    }
    const db = openDatabase(path, {readonly: !values.store && path !== ':memory:'});
    try {
      const built = buildSummaryReport(db, {start, hours, percentile, region: values.region ?? null, tooLong});
      process.stdout.write(`${built.json}\n`);
      if (values.store) {
        const id = storeSummaryReport(db, built, {created: Date.now() * 1000});
        process.stderr.write(`stored report ${id}: ${built.name}\n`);
      }
      return 0;
    } catch (error) {
      if (error instanceof RegionNotFoundError) {
        process.stderr.write(`${error.message}\n`);
        return 1;
      }
      throw error;
    } finally {
      closeDatabase(db);
    }
  });
}
