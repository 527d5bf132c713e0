// `stacky prune [--db PATH|URL] --before T`: a one-off retention pass (the store's Pruner, source/store/api.ts).
import {openPruner} from '../store/open.js';
import {parseDateTimeArg, whenString} from '../core/time.js';
import {dbLocation} from './paths.js';
import {UsageError} from './args.js';
import {command} from './spec.js';
import {pruneSpec} from './specs/prune.js';

export async function run(argv: string[]): Promise<number> {
  return command(pruneSpec, argv, async ({values}) => {
    if (values.before === undefined) throw new UsageError('--before is required (epoch seconds or \'YYYY-MM-DD HH:MM:SS\' UTC)');
    const cutoff = parseDateTimeArg(values.before);
    if (cutoff === null) throw new UsageError(`--before takes epoch seconds or 'YYYY-MM-DD HH:MM:SS' (UTC), got '${values.before}'`);
    const pruner = await openPruner(dbLocation(values));
    try {
      // Paced, as the background passes are: a running server and worker keep writing meanwhile.
      const counts = await pruner.prune(cutoff);
      const space = await pruner.space();
      if (values.json) {
        process.stdout.write(`${JSON.stringify({before: cutoff / 1e6, ...counts, ...space.fields})}\n`);
      } else {
        process.stdout.write(`pruned before ${whenString(cutoff)}: ${counts.raw} nova, ${counts.glance} glance, ` +
          `${counts.generic} generic raw rows, ${counts.derived} derived rows, ${counts.quarantine} quarantined; ` +
          `${counts.batches} transactions, longest ${counts.longestMs.toFixed(1)} ms; ${space.phrase}\n`);
      }
      return 0;
    } finally {
      await pruner.close();
    }
  });
}
