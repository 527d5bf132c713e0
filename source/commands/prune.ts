// `stacky prune [--db PATH] --before T`: a one-off retention pass (see source/store/sqlite/retention.ts).
import {closeDatabase, openDatabase} from '../store/sqlite/database.js';
import {pageStats, prunePaced} from '../store/sqlite/retention.js';
import {parseDateTimeArg, whenString} from '../core/time.js';
import {defaultDbPath} from './paths.js';
import {UsageError} from './args.js';
import {command} from './spec.js';
import {pruneSpec} from './specs/prune.js';
import {sqliteOnly} from './retention-embed.js';

export async function run(argv: string[]): Promise<number> {
  return command(pruneSpec, argv, async ({values}) => {
    if (values.before === undefined) throw new UsageError('--before is required (epoch seconds or \'YYYY-MM-DD HH:MM:SS\' UTC)');
    const cutoff = parseDateTimeArg(values.before);
    if (cutoff === null) throw new UsageError(`--before takes epoch seconds or 'YYYY-MM-DD HH:MM:SS' (UTC), got '${values.before}'`);
    const location = values.db ?? defaultDbPath();
    sqliteOnly('prune', location);
    const db = openDatabase(location);
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
      closeDatabase(db);
    }
  });
}
