// Reads of the nova usage tables for the usage/launches, usage/deletes and usage/exists endpoints.
import type {Db} from './database.js';
import type {DeleteRow, ExistsUsageRow, LaunchRow} from '../types.js';


const QUERIES = {
  launches: 'SELECT instance, launched_at, instance_type_id, instance_flavor_id FROM stacktach_instanceusage',
  deletes: 'SELECT instance, launched_at, deleted_at FROM stacktach_instancedeletes',
  exists: `SELECT instance, launched_at, deleted_at, instance_type_id, instance_flavor_id, message_id, status
    FROM stacktach_instanceexists`,
};

type UsageKind = keyof typeof QUERIES;

export class UsageReader {
  constructor(private readonly db: Db) {}

  list(kind: UsageKind, instance: string | null, limit: number, offset: number): (LaunchRow | DeleteRow | ExistsUsageRow)[] {
    const where = instance === null ? '' : ' WHERE instance = ?';
    const params: (string | number)[] = instance === null ? [] : [instance];
    return this.db.prepare<unknown[], LaunchRow>(`${QUERIES[kind]}${where} ORDER BY id LIMIT ? OFFSET ?`)
      .all(...params, limit, offset);
  }
}
