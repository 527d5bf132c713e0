// Opening a store by its location (issue #16): a postgres:// or postgresql:// URL is PostgreSQL,
// anything else a SQLite file (":memory:" too). The one place that picks the engine.
import type {Store} from './api.js';
import {openSqliteStore} from './sqlite/store.js';

export interface OpenStoreOptions {
  /** Reads only: nothing is created or migrated (a read thread's or a search's own connection). */
  readonly?: boolean;
}

export function isPostgresLocation(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The location for messages: host:port/dbname of a URL (never its user or password), the path of a file. */
export function describeLocation(location: string): string {
  if (!isPostgresLocation(location)) return location;
  try {
    const url = new URL(location);
    const host = url.hostname || url.searchParams.get('host') || 'localhost';
    return `${host}:${url.port || '5432'}/${decodeURIComponent(url.pathname.slice(1))}`;
  } catch {
    return 'a PostgreSQL URL that does not parse';
  }
}

export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresLocation(location)) {
    // ---- The PostgreSQL dispatch point: replaced by the engine's import (source/store/postgres/).
    throw new Error('PostgreSQL is not available in this build');
  }
  return openSqliteStore(location, options);
}
