// Opens a PostgreSQL store: connects, creates or migrates the schema (once, however many
// processes start together), and hands out the readers and the writer.
import type {Pruner, Store, StoreStats} from '../api.js';
import type {Writer} from '../types.js';
import {StoreOpenError} from '../errors.js';
import {CODEC_ID, READABLE_CODECS} from '../json-codec.js';
import {connectChecked, PostgresUnavailable, query, type PoolOptions, type Sql} from './connect.js';
import {describePostgres} from '../location.js';
import {PgReportSource} from './report-source.js';
import {PgQuarantineReader, PgRawReader, PgReportReader, PgTimingReader, PgUsageReader} from './reader.js';
import {PG_SCHEMA_VERSION, schemaSql} from './schema.js';
import {PgWriter} from './writer.js';
import {PgPruner} from './retention.js';

export class PgSchemaError extends StoreOpenError {}

/**
 * Creates or migrates the schema in one transaction under an advisory lock: processes starting at
 * once against an empty database wait for the first, then find the schema made.
 */
async function migrate(sql: Sql, url: string): Promise<void> {
  await sql.begin(async (tx) => {
    await tx.unsafe("SELECT pg_advisory_xact_lock(hashtextextended('stacky schema', 0))");
    const [hasMeta] = await query<{ok: boolean}>(tx, "SELECT to_regclass('stacky_meta') IS NOT NULL AS ok");
    const meta = new Map<string, string>();
    if (hasMeta?.ok) {
      for (const r of await query<{key: string; value: string}>(tx, 'SELECT key, value FROM stacky_meta')) meta.set(r.key, r.value);
    }
    const version = meta.get('schema_version');
    if (version !== undefined && Number(version) > PG_SCHEMA_VERSION) {
      throw new PgSchemaError(`PostgreSQL at ${describePostgres(url)} has schema ${version}, newer than this stacky (${PG_SCHEMA_VERSION})`);
    }
    const codec = meta.get('json_codec');
    if (codec !== undefined && !READABLE_CODECS.includes(codec)) {
      throw new PgSchemaError(`PostgreSQL at ${describePostgres(url)} stores raw JSON as ${codec}; this stacky reads ${READABLE_CODECS.join(', ')}`);
    }
    if (version === String(PG_SCHEMA_VERSION) && codec === CODEC_ID) return;
    await tx.unsafe(schemaSql);
    await tx.unsafe(`INSERT INTO stacky_meta (key, value) VALUES ('schema_version', $1), ('json_codec', $2)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [String(PG_SCHEMA_VERSION), CODEC_ID]);
  });
}

export interface PgOpenOptions extends PoolOptions {
  readonly?: boolean;
}

async function openPool(url: string, options: PgOpenOptions): Promise<Sql> {
  const sql = await connectChecked(url, options);
  try {
    if (!options.readonly) await migrate(sql, url);
  } catch (error) {
    await sql.end({timeout: 1}).catch(() => {});
    throw error;
  }
  return sql;
}

class PgStore implements Store {
  readonly raw: PgRawReader;
  readonly timing: PgTimingReader;
  readonly reports: PgReportReader;
  readonly usage: PgUsageReader;
  readonly quarantine: PgQuarantineReader;
  readonly reportSource: PgReportSource;

  constructor(readonly sql: Sql, readonly location: string) {
    this.reportSource = new PgReportSource(sql);
    this.raw = new PgRawReader(sql);
    this.timing = new PgTimingReader(sql);
    this.reports = new PgReportReader(sql);
    this.usage = new PgUsageReader(sql);
    this.quarantine = new PgQuarantineReader(sql);
  }

  async version(): Promise<string> {
    const rows = await query<{n: number}>(this.sql, 'SELECT n FROM stacky_version WHERE one = 1');
    return `pg:${rows[0]?.n ?? 0}`;
  }

  /**
   * The database's size as PostgreSQL counts it. Free space inside it is PostgreSQL's own affair
   * (autovacuum reuses it), so freeBytes is 0.
   */
  async stats(): Promise<StoreStats> {
    const [row] = await query<{bytes: number; oldest: number | null}>(this.sql, `SELECT pg_database_size(current_database()) AS bytes, (SELECT min(m) FROM (
      SELECT min("when") AS m FROM stacktach_rawdata UNION ALL SELECT min("when") FROM stacktach_glancerawdata
      UNION ALL SELECT min("when") FROM stacktach_genericrawdata) s) AS oldest`);
    return {bytes: row!.bytes, freeBytes: 0, oldest: row!.oldest};
  }

  /** Unreachable or a read-only replica; the server's free disk is not known from here. */
  async writeProblem(): Promise<string | null> {
    try {
      const [row] = await query<{ro: boolean}>(this.sql, 'SELECT pg_is_in_recovery() AS ro');
      return row!.ro ? `PostgreSQL at ${describePostgres(this.location)} is a read-only replica` : null;
    } catch (error) {
      return new PostgresUnavailable(this.location, error).message;
    }
  }

  writer(): Writer {
    return new PgWriter(this.sql, false);
  }

  async close(): Promise<void> {
    await this.sql.end({timeout: 5});
  }
}

export async function openPostgresStore(url: string, options: PgOpenOptions = {}): Promise<Store> {
  return new PgStore(await openPool(url, options), url);
}

export async function openPostgresWriter(url: string, options: PgOpenOptions = {}): Promise<Writer> {
  return new PgWriter(await openPool(url, {...options, readonly: false}));
}

/** Retention's connections: a few, one statement at a time. */
export async function openPostgresPruner(url: string, options: PgOpenOptions = {}): Promise<Pruner> {
  return new PgPruner(await openPool(url, {max: 2, ...options, readonly: false}));
}
