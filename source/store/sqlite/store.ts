// The read side of the store, one object per database handle, used by the server.
import {closeDatabase, databaseFile, isOpen, openDatabase, type Db, type OpenOptions} from './database.js';
import {RawReader} from './raw-reader.js';
import {TimingReader} from './timing-reader.js';
import {ReportReader} from './report-reader.js';
import {UsageReader} from './usage-reader.js';

export class Store {
  readonly raw: RawReader;
  readonly timing: TimingReader;
  readonly reports: ReportReader;
  readonly usage: UsageReader;

  constructor(readonly db: Db) {
    this.raw = new RawReader(db);
    this.timing = new TimingReader(db);
    this.reports = new ReportReader(db);
    this.usage = new UsageReader(db);
  }

  /** The database file; undefined in memory (see databaseFile). */
  get file(): string | undefined {
    return databaseFile(this.db);
  }

  get isOpen(): boolean {
    return isOpen(this.db);
  }

  close(): void {
    closeDatabase(this.db);
  }
}

export function openStore(path: string, options: OpenOptions = {}): Store {
  return new Store(openDatabase(path, options));
}
