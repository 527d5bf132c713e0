// Statements behind the nova and glance usage tables (docs/ingest.md §3.6, §3.8).
import type {Db} from './database.js';
import type {Cell, Micros} from '../../core/types.js';
import type {ExistsRow, ImageExistsRow, UsageRow, UsageStatements, UsageUpdate} from '../types.js';

export class UsageWriter implements UsageStatements {
  readonly findUsage;
  readonly createUsage;
  readonly saveUsage;
  readonly findDelete;
  readonly createDelete;
  readonly repointDelete;
  readonly usageNear;
  readonly deleteNear;
  readonly insertExists;
  readonly insertImageUsage;
  readonly insertImageDelete;
  readonly firstImageUsage;
  readonly firstImageDelete;
  readonly insertImageExists;

  constructor(db: Db) {
    this.findUsage = db.prepare<[Cell, Cell], UsageRow>(`SELECT id, launched_at, instance_type_id, instance_flavor_id
      FROM stacktach_instanceusage WHERE instance IS ? AND request_id IS ? ORDER BY id LIMIT 1`);
    this.createUsage = db.prepare<[Cell, Cell]>('INSERT INTO stacktach_instanceusage (instance, request_id) VALUES (?, ?)');
    this.saveUsage = db.prepare<[UsageUpdate]>(`UPDATE stacktach_instanceusage SET launched_at = @launchedAt,
      instance_type_id = @instanceTypeId, instance_flavor_id = @instanceFlavorId, tenant = @tenant,
      os_architecture = @osArchitecture, os_distro = @osDistro, os_version = @osVersion, rax_options = @raxOptions
      WHERE id = @id`);
    this.findDelete = db.prepare<[Cell, Micros | null, Micros], {id: number}>(`SELECT id FROM stacktach_instancedeletes
      WHERE instance IS ? AND deleted_at IS ? AND launched_at = ? ORDER BY id LIMIT 1`);
    this.createDelete = db.prepare<[Cell, Micros, Micros | null, number]>(
      'INSERT INTO stacktach_instancedeletes (instance, launched_at, deleted_at, raw_id) VALUES (?, ?, ?, ?)');
    this.repointDelete = db.prepare<[number, number]>('UPDATE stacktach_instancedeletes SET raw_id = ? WHERE id = ?');
    // Exists rows tolerate a launched_at without microseconds: usage within [L, L+1 s].
    this.usageNear = db.prepare<[Cell, Micros, Micros], {id: number}>(`SELECT id FROM stacktach_instanceusage
      WHERE instance = ? AND launched_at BETWEEN ? AND ? ORDER BY id LIMIT 1`);
    this.deleteNear = db.prepare<[Cell, Micros, Micros], {id: number}>(`SELECT id FROM stacktach_instancedeletes
      WHERE instance = ? AND launched_at BETWEEN ? AND ? ORDER BY id LIMIT 1`);
    this.insertExists = db.prepare<[ExistsRow]>(`INSERT INTO stacktach_instanceexists (instance, launched_at,
      deleted_at, audit_period_beginning, audit_period_ending, message_id, instance_type_id, instance_flavor_id,
      raw_id, usage_id, delete_id, tenant, os_architecture, os_distro, os_version, rax_options,
      bandwidth_public_out) VALUES (@instance, @launchedAt, @deletedAt, @auditPeriodBeginning,
      @auditPeriodEnding, @messageId, @instanceTypeId, @instanceFlavorId, @rawId, @usageId, @deleteId, @tenant,
      @osArchitecture, @osDistro, @osVersion, @raxOptions, @bandwidthPublicOut)`);
    this.insertImageUsage = db.prepare<[Cell, Micros, Cell, Cell, number]>(
      'INSERT INTO stacktach_imageusage (uuid, created_at, owner, size, last_raw_id) VALUES (?, ?, ?, ?, ?)');
    this.insertImageDelete = db.prepare<[Cell, Micros | null, number]>(
      'INSERT INTO stacktach_imagedeletes (uuid, deleted_at, raw_id) VALUES (?, ?, ?)');
    this.firstImageUsage = db.prepare<[Cell], {id: number}>(
      'SELECT id FROM stacktach_imageusage WHERE uuid = ? ORDER BY id LIMIT 1');
    this.firstImageDelete = db.prepare<[Cell], {id: number}>(
      'SELECT id FROM stacktach_imagedeletes WHERE uuid = ? ORDER BY id LIMIT 1');
    this.insertImageExists = db.prepare<[ImageExistsRow]>(`INSERT INTO stacktach_imageexists (uuid, created_at,
      deleted_at, audit_period_beginning, audit_period_ending, owner, size, raw_id, message_id, usage_id,
      delete_id) VALUES (@uuid, @createdAt, @deletedAt, @auditPeriodBeginning, @auditPeriodEnding, @owner, @size,
      @rawId, @messageId, @usageId, @deleteId)`);
  }
}
