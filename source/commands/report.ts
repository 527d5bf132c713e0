// stacky report summary: build the "summary for region" report for a window, print its JSON,
// and with --store save it where /stacky/reports/ lists it. (`stacky report <id>` is print's.)
import {existsSync} from 'node:fs';
import {openStore} from '../store/open.js';
import {isPostgresLocation} from '../store/location.js';
import {parseDateTimeArg} from '../core/time.js';
import {buildSummaryReport, RegionNotFoundError, storeSummaryReport} from '../reports/summary.js';
import {dbLocation} from './paths.js';
import {UsageError} from './args.js';
import {command} from './spec.js';
import {reportSummarySpec} from './specs/report-summary.js';

export async function run(argv: string[]): Promise<number> {
  return command(reportSummarySpec, argv, async ({values}) => {
    if (values.start === undefined) throw new UsageError('--start "YYYY-MM-DD HH:MM:SS" is required');
    const start = parseDateTimeArg(values.start);
    if (start === null) throw new UsageError(`--start must be "YYYY-MM-DD HH:MM:SS" (UTC), got '${values.start}'`);
    const {hours, percentile} = values;
    const tooLong = values['too-long'];

    const path = dbLocation(values);
    if (!values.store && path !== ':memory:' && !isPostgresLocation(path) && !existsSync(path)) {
      process.stderr.write(`stacky report summary: no database at ${path}\n`);
      return 1;
    }
    const store = await openStore(path, {readonly: !values.store && path !== ':memory:'});
    try {
      const built = await buildSummaryReport(store.reportSource, {start, hours, percentile, region: values.region ?? null, tooLong});
      process.stdout.write(`${built.json}\n`);
      if (values.store) {
        const id = await storeSummaryReport(store.reportSource, built, {created: Date.now() * 1000});
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
      await store.close();
    }
  });
}
