// Retention on SQLite behind the engine-neutral Pruner (source/store/api.ts): the paced pass of
// retention.ts on a connection of its own, and the file's free pages after it.
import type {Micros} from '../../core/types.js';
import type {PrunePassOptions, Pruner} from '../api.js';
import type {PruneCounts} from '../types.js';
import {closeDatabase, openDatabase, type Db} from './database.js';
import {emptyCounts, pageStats, prunePaced} from './retention.js';

export class SqlitePruner implements Pruner {
  constructor(private readonly db: Db) {}

  static open(path: string): SqlitePruner {
    return new SqlitePruner(openDatabase(path));
  }

  prune(cutoff: Micros, options: PrunePassOptions = {}): Promise<PruneCounts> {
    return prunePaced(this.db, cutoff, emptyCounts(), options);
  }

  async space(): Promise<{phrase: string; fields: Record<string, number>}> {
    const pages = pageStats(this.db);
    return {phrase: `${pages.freePages} of ${pages.pages} pages free for reuse`, fields: {freePages: pages.freePages}};
  }

  async close(): Promise<void> {
    closeDatabase(this.db);
  }
}
