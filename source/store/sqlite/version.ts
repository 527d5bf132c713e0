// A number that changes whenever the database's content may have: data_version moves when
// another connection commits, total_changes() when this one writes.
import type {Db} from './database.js';

export function dataVersion(db: Db): () => string {
  const stmt = db.prepare<[], {d: number; t: number}>(
    'SELECT (SELECT data_version FROM pragma_data_version) AS d, total_changes() AS t');
  return () => {
    const v = stmt.get()!;
    return `${v.d}:${v.t}`;
  };
}
