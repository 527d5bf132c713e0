// `stacky prune [--db PATH] --before T`: a one-off retention pass (see source/store/retention.ts).
import {openDatabase} from '../store/database.js';
import {pageStats, prunePaced} from '../store/retention.js';
import {parseDateTimeArg, whenString} from '../core/time.js';
import {defaultDbPath} from './paths.js';
import {guarded, parse, UsageError} from './args.js';

const HELP = `Usage: stacky prune [--db PATH] --before T [--json]

Deletes raw notifications older than T, the derived rows (lifecycles, timings, request trackers,
usage, image meta) only they explained, and quarantine entries received before T. Stored reports
stay. Works in small transactions, so a running server and worker keep going meanwhile; freed
pages are reused by later inserts.
  --db PATH    SQLite file (default: $STACKY_DB or the per-user data dir's stacky.db)
  --before T   epoch seconds, or 'YYYY-MM-DD HH:MM:SS' (UTC)
  --json       print the counts as one JSON object

Example: stacky prune --db /var/lib/stacky/stacky.db --before '2026-01-01 00:00:00'
`;

export async function run(argv: string[]): Promise<number> {
  return guarded('prune', async () => {
    const {values} = parse(argv, {
      db: {type: 'string'}, before: {type: 'string'}, json: {type: 'boolean'}, help: {type: 'boolean', short: 'h'},
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (values.before === undefined) throw new UsageError('--before is required (epoch seconds or \'YYYY-MM-DD HH:MM:SS\' UTC)');
    const cutoff = parseDateTimeArg(values.before);
    if (cutoff === null) throw new UsageError(`--before takes epoch seconds or 'YYYY-MM-DD HH:MM:SS' (UTC), got '${values.before}'`);
    const db = openDatabase(values.db ?? defaultDbPath());
    try {
      // Paced, as the background passes are: a running server and worker keep writing meanwhile.
      const counts = await prunePaced(db, cutoff);
      const pages = pageStats(db);
      if (values.json) {
        process.stdout.write(`${JSON.stringify({before: cutoff / 1e6, ...counts, freePages: pages.freePages})}\n`);
      } else {
        process.stdout.write(`pruned before ${whenString(cutoff)}: ${counts.raw} nova, ${counts.glance} glance, ` +
          `${counts.generic} generic raw rows, ${counts.derived} derived rows, ${counts.quarantine} quarantined; ` +
          `${counts.batches} transactions, longest ${counts.longestMs.toFixed(1)} ms; ` +
          `${pages.freePages} of ${pages.pages} pages free for reuse\n`);
      }
      return 0;
    } finally {
      db.close();
    }
  });
}
