// Opens (creating and migrating) the one SQLite file every part of Stacky shares.
import Database from 'better-sqlite3';
import {mkdirSync} from 'node:fs';
import {dirname} from 'node:path';
import {SCHEMA_VERSION, schemaSql} from './schema.js';
import {CODEC_ID} from './json-codec.js';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** Page cache in MiB (default 128). Bulk ingest passes more: index inserts stay in memory. */
  cacheMiB?: number;
}

export class SchemaError extends Error {}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (!options.readonly && path !== ':memory:') mkdirSync(dirname(path), {recursive: true});
  const db = new Database(path, {readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false});
  // Server and worker share the file: wait for each other's write locks instead of failing.
  db.pragma('busy_timeout = 10000');
  if (!options.readonly) {
    // Page size only takes effect before the first table exists; 8 KiB packs rows far better.
    db.pragma('page_size = 8192');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  // 128 MiB of page cache by default: index inserts stay in memory well past a million rows.
  db.pragma(`cache_size = -${Math.round((options.cacheMiB ?? 128) * 1024)}`);
  // Checkpoint every ~80 MiB of WAL rather than every 8 MiB: fewer, larger copies while ingesting.
  if (!options.readonly) db.pragma('wal_autocheckpoint = 10000');
  db.pragma('temp_store = MEMORY');
  if (!options.readonly) migrate(db);
  return db;
}

function migrate(db: Db): void {
  db.exec(schemaSql);
  const get = db.prepare<[string], {value: string}>('SELECT value FROM stacky_meta WHERE key = ?');
  const put = db.prepare('INSERT OR REPLACE INTO stacky_meta (key, value) VALUES (?, ?)');
  const version = get.get('schema_version');
  if (version && Number(version.value) > SCHEMA_VERSION) {
    throw new SchemaError(`database schema ${version.value} is newer than this stacky (${SCHEMA_VERSION})`);
  }
  const codec = get.get('json_codec');
  if (codec && codec.value !== CODEC_ID) {
    throw new SchemaError(`database stores raw JSON as ${codec.value}; this stacky reads ${CODEC_ID}`);
  }
  put.run('schema_version', String(SCHEMA_VERSION));
  put.run('json_codec', CODEC_ID);
}
