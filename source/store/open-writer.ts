// The write side's way in: a location (a SQLite file, or a postgres:// URL) → a Writer.
// Nothing outside source/store knows which engine answers.
import {openDatabase} from './database.js';
import type {Store} from './store.js';
import {SqliteWriter} from './sqlite/writer.js';
import type {Writer} from './types.js';

export interface WriterOptions {
  /** Page cache in MiB; bulk ingest (files, the RabbitMQ worker) passes more (SQLite). */
  cacheMiB?: number;
}

export async function openWriter(location: string, options: WriterOptions = {}): Promise<Writer> {
  if (/^postgres(ql)?:\/\//.test(location)) {
    throw new Error('PostgreSQL is not available in this build'); // MERGE: the PostgreSQL writer goes here.
  }
  return new SqliteWriter(openDatabase(location, {cacheMiB: options.cacheMiB}), true);
}

/**
 * A writer on an open store's own connection: the server's in-process ingest (a database only
 * that connection sees, in memory). Closing the store closes it.
 */
export function writerFor(store: Store): Writer {
  return new SqliteWriter(store.db);
}
