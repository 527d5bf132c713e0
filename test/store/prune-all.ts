// A whole retention pass at once, back to back: for tests, whose databases no one else writes.
// Stacky itself runs passes paced (prunePaced in source/store/sqlite/retention.ts).
import type {Db} from '../../source/store/sqlite/database.js';
import {emptyCounts, pruneSteps, TARGET_MS, type PruneCounts} from '../../source/store/sqlite/retention.js';
import type {Micros} from '../../source/core/types.js';

export function pruneBefore(db: Db, cutoff: Micros, nowMs = Date.now(), budgetMs = TARGET_MS): PruneCounts {
  const counts = emptyCounts();
  for (const step of pruneSteps(db, cutoff, counts, {nowMs, budgetMs})) step();
  return counts;
}
