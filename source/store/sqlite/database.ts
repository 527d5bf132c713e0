// Opens (creating and migrating) the one SQLite file every part of Stacky shares.
import Database from 'better-sqlite3';
import {mkdirSync} from 'node:fs';
import {dirname} from 'node:path';
import {migrateFrom1Sql, RESOURCE_TABLES, SCHEMA_VERSION, schemaSql} from './schema.js';
import {CODEC_ID, READABLE_CODECS} from '../json-codec.js';
import {StoreOpenError} from '../errors.js';
import {inWriteTransaction, LOCK_WAIT_MS} from './write-lock.js';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** Page cache in MiB (default 128). Bulk ingest passes more: index inserts stay in memory. */
  cacheMiB?: number;
  /** Read through a memory map of the file (default true); retention's connection does not (pruner.ts). */
  mmap?: boolean;
}

export class SchemaError extends StoreOpenError {}

/** The file behind a handle; undefined for an in-memory (or temporary) database, which no other connection can open. */
export function databaseFile(db: Db): string | undefined {
  return db.memory || db.name === '' || db.name === ':memory:' ? undefined : db.name;
}

export function closeDatabase(db: Db): void {
  if (db.open) db.close();
}

/**
 * The file mapped into memory (address space only; the OS pages it in). better-sqlite3's build
 * caps it at SQLITE_MAX_MMAP_SIZE, 2 GiB less 64 KiB: asking for more gives that.
 */
const MMAP_BYTES = 2 ** 31 - 2 ** 16;

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  // A postgres:// URL reaching a SQLite-only path would become folders named after it, password
  // and all (issue #16): refused instead.
  if (/^postgres(ql)?:\/\//i.test(path)) throw new StoreOpenError('this works on a SQLite file only, not on a PostgreSQL URL');
  if (!options.readonly && path !== ':memory:') mkdirSync(dirname(path), {recursive: true});
  const db = new Database(path, {readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false});
  // Server and worker share the file: wait for each other's locks instead of failing. Write
  // transactions take the write lock by polling instead (write-lock.ts), with the same bound.
  db.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);
  if (!options.readonly) {
    // Page size only takes effect before the first table exists. 16 KiB: rows pack well, and a
    // batch's inserts into the random-keyed indexes dirty fewer pages (measured on ingest).
    db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    // FULL: a commit is on disk before it returns, so what the worker acks (and what POST
    // /ingest/ reports stored) survives a power loss too, not just a crash. With WAL and large
    // batches it costs one fsync per transaction (measured: within the noise of ingest).
    db.pragma('synchronous = FULL');
  }
  // 128 MiB of page cache by default: index inserts stay in memory well past a million rows.
  db.pragma(`cache_size = -${Math.round((options.cacheMiB ?? 128) * 1024)}`);
  // Checkpoint every ~160 MiB of WAL rather than every 16 MiB: fewer, larger copies while ingesting.
  if (!options.readonly) db.pragma('wal_autocheckpoint = 10000');
  db.pragma('temp_store = MEMORY');
  // Reads map the file instead of copying each page out of the OS cache: uncached /stacky/uuid/
  // went from ~2,500 to ~4,400 requests/s on the 1,000,000-notification bench database.
  db.pragma(`mmap_size = ${options.mmap === false ? 0 : MMAP_BYTES}`);
  try {
    if (options.readonly) checkReadable(db);
    else migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

interface Meta {
  version: string | undefined;
  codec: string | undefined;
}

/** The file's schema version and codec, refused when this version cannot read them. */
function readMeta(db: Db): Meta {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'stacky_meta'").get();
  const read = (key: string) => (hasMeta
    ? db.prepare<[string], {value: string}>('SELECT value FROM stacky_meta WHERE key = ?').get(key)?.value
    : undefined);
  const version = read('schema_version');
  if (version !== undefined && Number(version) > SCHEMA_VERSION) {
    throw new SchemaError(`database schema ${version} is newer than this stacky (${SCHEMA_VERSION})`);
  }
  const codec = read('json_codec');
  if (codec !== undefined && !READABLE_CODECS.includes(codec)) {
    throw new SchemaError(`database stores raw JSON as ${codec}; this stacky reads ${READABLE_CODECS.join(', ')}`);
  }
  return {version, codec};
}

/** A read-only open cannot migrate: an older file must be opened for writing once first. */
function checkReadable(db: Db): void {
  const {version} = readMeta(db);
  if (version !== undefined && Number(version) < SCHEMA_VERSION) {
    throw new SchemaError(`database schema ${version} is older than this stacky (${SCHEMA_VERSION}) and is ` +
      'migrated when it is opened for writing: run `stacky serve --db PATH` (or any command that writes) once');
  }
}

/** In one write transaction, so a server and a worker opening the same file migrate it once. */
function migrate(db: Db): void {
  inWriteTransaction(db, () => {
    const {version} = readMeta(db);
    if (version === '1') db.exec(migrateFrom1Sql);
    if (version === '1' || version === '2') addResourceColumns(db);
    db.exec(schemaSql);
    const put = db.prepare('INSERT OR REPLACE INTO stacky_meta (key, value) VALUES (?, ?)');
    put.run('schema_version', String(SCHEMA_VERSION));
    // Rows of older readable codecs stay as they are; an older stacky must not open the new ones.
    put.run('json_codec', CODEC_ID);
  });
}

/** Schema 2 → 3: adding a column rewrites no row; a table the file lacks is created whole later. */
function addResourceColumns(db: Db): void {
  for (const table of RESOURCE_TABLES) {
    const columns = db.prepare<[], {name: string}>(`PRAGMA table_info(${table})`).all();
    if (columns.length > 0 && !columns.some((c) => c.name === 'resource')) {
      db.exec(`ALTER TABLE ${table} ADD COLUMN resource TEXT`);
    }
  }
}
