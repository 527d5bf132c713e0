// A pool of connections to the PostgreSQL named by a postgres:// URL, and the one-line errors an
// operator reads when it cannot be reached: host, port and database, never the password.
import postgres from 'postgres';
import {describePostgres, POOL_PARAM} from '../location.js';
import {StoreOpenError} from '../errors.js';

export type Sql = postgres.Sql<Record<string, never>>;
export type TxSql = postgres.TransactionSql<Record<string, never>>;
/** A pool or a transaction: what queries run on. */
export type Queryable = Sql | TxSql;

export interface PoolOptions {
  /** Connections in the pool (`--db-pool`); default 10. */
  max?: number;
  /** Seconds to wait for a connection before the first query fails; default 10. */
  connectTimeout?: number;
}

/** The connection failed, or the server refused us: named, without the password. */
export class PostgresUnavailable extends StoreOpenError {
  /** The cause's code (ECONNREFUSED, 28P01, ...): isStoreUnavailable (store/errors.ts) tells a database that is away by it. */
  readonly code: string | undefined;
  constructor(url: string, cause: unknown) {
    super(`PostgreSQL at ${describePostgres(url)}: ${reasonOf(cause)}`);
    this.name = 'PostgresUnavailable';
    const code = (cause as {code?: unknown} | null)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

function reasonOf(cause: unknown): string {
  const e = cause as {code?: string; message?: string};
  if (e.code === 'ECONNREFUSED') return 'connection refused (is it running?)';
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return 'host not found';
  if (e.code === 'CONNECT_TIMEOUT' || e.code === 'ETIMEDOUT') return 'no answer (timed out)';
  // The server's own words here name the user, never the password.
  if (e.code === '28P01' || e.code === '28000') return `refused: ${e.message ?? 'authentication failed'}`;
  if (e.code === '3D000') return 'the database does not exist (create it first: Stacky creates everything inside it)';
  return (e.message ?? String(cause)).replace(/postgres(ql)?:\/\/\S*/g, '(url)');
}

/** A query with `$n` parameters, prepared on its connection, its rows typed as the caller reads them. */
export async function query<R>(on: Queryable, text: string, params: unknown[] = []): Promise<R[]> {
  return await on.unsafe(text, params as never[], {prepare: true}) as unknown as R[];
}

/** int8 comes back as a JS number: every id, time (µs) and count Stacky stores fits in 2^53. */
const int8AsNumber = {to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x)};

/**
 * Seconds before the pool tries to connect again after a failed attempt; queries meanwhile fail
 * at once. postgres.js's own grows to 20 s, so a server answered 503 for up to 20 s after the
 * database was back (measured 8.6 s after a 15 s outage); capped at 2 s, a pool still tries at
 * most once in 2 s while the database is away (issue #16).
 */
export function reconnectBackoff(retries: number): number {
  return Math.min(2, 0.05 * 2 ** retries);
}

export function connect(location: string, options: PoolOptions = {}): Sql {
  const url = new URL(location);
  const size = Number(url.searchParams.get(POOL_PARAM) ?? NaN);
  url.searchParams.delete(POOL_PARAM);
  return postgres(url.toString(), {
    max: options.max ?? (Number.isInteger(size) && size > 0 ? size : 10),
    connect_timeout: options.connectTimeout ?? 10,
    backoff: reconnectBackoff,
    onnotice: () => {},
    types: {int8AsNumber},
    connection: {application_name: 'stacky'},
  }) as unknown as Sql;
}

/** Connects and asks one question, so that a wrong URL fails at start with one clear line. */
export async function connectChecked(url: string, options: PoolOptions = {}): Promise<Sql> {
  const sql = connect(url, options);
  try {
    await sql`SELECT 1`;
  } catch (error) {
    await sql.end({timeout: 1}).catch(() => {});
    throw new PostgresUnavailable(url, error);
  }
  return sql;
}
