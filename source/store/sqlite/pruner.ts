// Retention on SQLite behind the engine-neutral Pruner (source/store/api.ts): the paced pass of
// retention.ts on a connection of its own, and the file's free pages after it.
import type {Micros} from '../../core/types.js';
import type {PrunePassOptions, Pruner} from '../api.js';
import type {PruneCounts} from '../types.js';
import {closeDatabase, openDatabase, type Db} from './database.js';
import {emptyCounts, pageStats, prunePaced} from './retention.js';

/**
 * Retention's own connection, without the memory map the others read through (database.ts): a
 * connection that maps the file maps it again each time the file has grown (ingest grows it
 * batch by batch), and mapping takes a lock of the whole process that waits for the page faults
 * in progress, some of them waiting for the disk while a checkpoint writes the file. In the
 * bench (README "Retention") the pass's transactions were caught waiting there (sampled kernel
 * stacks), one holding the write lock for 80 ms while it ran for 3 ms and never waited for a
 * core; without the map they were not, and the pass was no slower reading pages as copies.
 */
export function openPrunerDatabase(path: string): Db {
  return openDatabase(path, {mmap: false});
}

export class SqlitePruner implements Pruner {
  constructor(private readonly db: Db) {}

  static open(path: string): SqlitePruner {
    return new SqlitePruner(openPrunerDatabase(path));
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
