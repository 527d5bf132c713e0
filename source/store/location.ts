// Where a store lives, as every command names it: a SQLite path or a postgres:// URL. Plain
// string work with no engine loaded, so the commands' flag registry stays light (print start-up).

/** Connections a process opens to PostgreSQL at most, unless --db-pool says otherwise. */
export const DEFAULT_DB_POOL = 10;

/** The URL's query parameter that sizes the pool; taken off before the URL reaches the server. */
export const POOL_PARAM = 'stacky_pool';

export function isPostgresLocation(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * The location with a pool size (PostgreSQL; a SQLite path is returned as it is). It travels
 * inside the location, so threads that open the store again open pools of the same size.
 */
export function withPool(location: string, size: number): string {
  if (!isPostgresLocation(location)) return location;
  const url = new URL(location);
  url.searchParams.set(POOL_PARAM, String(size));
  return url.toString();
}

/** Where a URL points, for messages: user@host:port/database, without the password. */
export function describePostgres(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    const host = u.hostname || u.searchParams.get('host') || 'localhost';
    return `${user}${host}:${u.port || '5432'}/${decodeURIComponent(u.pathname.slice(1))}`;
  } catch {
    // Still named (a bad port, a bracket too many), never with the password: user@host:port/db as written.
    const m = /^postgres(?:ql)?:\/\/(?:([^:@/]*)(?::.*)?@)?([^/?@]*)(?:\/([^?]*))?/i.exec(url);
    return m ? `${m[1] ? `${m[1]}@` : ''}${m[2] || 'localhost'}/${m[3] ?? ''} (a URL that does not parse)` : 'a PostgreSQL URL that does not parse';
  }
}

/** The location for messages: user@host:port/dbname of a URL (never its password), the path of a file. */
export function describeLocation(location: string): string {
  return isPostgresLocation(location) ? describePostgres(location) : location;
}
