// Opening a store by its location (issue #16): a postgres:// or postgresql:// URL is PostgreSQL,
// anything else a SQLite file (":memory:" too). The one place that picks the engine.
import type {Pruner, Store} from './api.js';
import type {Writer} from './types.js';
import {openDatabase} from './sqlite/database.js';
import {SqliteWriter} from './sqlite/writer.js';
import {openSqliteStore} from './sqlite/store.js';
import {isPostgresLocation} from './location.js';
import {SqlitePruner} from './sqlite/pruner.js';

export interface OpenStoreOptions {
  /** Reads only: nothing is created or migrated (a read thread's or a search's own connection). */
  readonly?: boolean;
}

export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresLocation(location)) {
    // Loaded only when asked for: a SQLite-only process never loads the driver.
    const {openPostgresStore} = await import('./postgres/open.js');
    return openPostgresStore(location, options);
  }
  return openSqliteStore(location, options);
}

export interface WriterOptions {
  /** Page cache in MiB; bulk ingest (files, the RabbitMQ worker) passes more (SQLite). */
  cacheMiB?: number;
}

/** The write side's way in: a Writer with a connection of its own. */
export async function openWriter(location: string, options: WriterOptions = {}): Promise<Writer> {
  if (isPostgresLocation(location)) {
    const {openPostgresWriter} = await import('./postgres/open.js');
    return openPostgresWriter(location);
  }
  return new SqliteWriter(openDatabase(location, {cacheMiB: options.cacheMiB}), true);
}

/** Retention's way in (`stacky prune`, `--retain`): a Pruner with a connection of its own. */
export async function openPruner(location: string): Promise<Pruner> {
  if (isPostgresLocation(location)) {
    const {openPostgresPruner} = await import('./postgres/open.js');
    return openPostgresPruner(location);
  }
  return SqlitePruner.open(location);
}
