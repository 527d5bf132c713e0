// Reads of the nova usage tables for the usage/launches, usage/deletes and usage/exists endpoints.
import type {Db} from './database.js';
import type {Cell, Micros} from '../core/types.js';

export interface LaunchRow { instance: Cell; launched_at: Micros | null; instance_type_id: Cell; instance_flavor_id: Cell }
export interface DeleteRow { instance: Cell; launched_at: Micros | null; deleted_at: Micros | null }
export interface ExistsUsageRow extends DeleteRow {
  instance_type_id: Cell; instance_flavor_id: Cell; message_id: Cell; status: Cell;
}

const QUERIES = {
  launches: 'SELECT instance, launched_at, instance_type_id, instance_flavor_id FROM stacktach_instanceusage',
  deletes: 'SELECT instance, launched_at, deleted_at FROM stacktach_instancedeletes',
  exists: `SELECT instance, launched_at, deleted_at, instance_type_id, instance_flavor_id, message_id, status
    FROM stacktach_instanceexists`,
};

export type UsageKind = keyof typeof QUERIES;

export class UsageReader {
  constructor(private readonly db: Db) {}

  list(kind: UsageKind, instance: string | null, limit: number, offset: number): (LaunchRow | DeleteRow | ExistsUsageRow)[] {
    const where = instance === null ? '' : ' WHERE instance = ?';
    const params: (string | number)[] = instance === null ? [] : [instance];
    return this.db.prepare<unknown[], LaunchRow>(`${QUERIES[kind]}${where} ORDER BY id LIMIT ? OFFSET ?`)
      .all(...params, limit, offset);
  }
}
