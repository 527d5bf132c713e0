// Inserts of raw rows, deployments, name lists and quarantined input.
import type {Db} from './database.js';
import type {Cell, GenericFields, GlanceFields, NovaFields, Service} from '../../core/types.js';
import type {MessageKey} from '../message-key.js';
import type {QuarantineEntry} from '../types.js';
import {unitOfWork} from './unit-of-work.js';

const TABLE: Record<Service, string> = {
  nova: 'stacktach_rawdata',
  glance: 'stacktach_glancerawdata',
  generic: 'stacktach_genericrawdata',
};

export class RawWriter {
  private readonly deployments = new Map<string, number>();
  private readonly knownNames = new Set<string>();
  private readonly findDeployment;
  private readonly addDeployment;
  private readonly addName;
  private readonly nova;
  private readonly imageMeta;
  private readonly glance;
  private readonly generic;
  private readonly quarantineStmt;
  private readonly unquarantineStmt;
  private readonly requarantineStmt;
  private readonly markStmt;
  /** Quarantines entries in one transaction of their own: all are kept, or (the error thrown) none. */
  readonly quarantineAll: (entries: QuarantineEntry[], receivedMicros: number) => void;

  constructor(private readonly db: Db) {
    this.findDeployment = db.prepare<[string], {id: number}>('SELECT id FROM stacktach_deployment WHERE name = ?');
    this.addDeployment = db.prepare('INSERT INTO stacktach_deployment (name) VALUES (?)');
    this.addName = db.prepare('INSERT OR IGNORE INTO stacky_names (tbl, kind, is_null, name) VALUES (?, ?, ?, ?)');
    this.nova = db.prepare(`INSERT OR IGNORE INTO stacktach_rawdata (deployment_id, tenant, json_z, routing_key,
      state, old_state, old_task, task, image_type, "when", publisher, event, service, host, instance,
      request_id, message_key, resource) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.imageMeta = db.prepare(`INSERT INTO stacktach_rawdataimagemeta (raw_id, os_architecture, os_distro,
      os_version, rax_options) VALUES (?, ?, ?, ?, ?)`);
    this.glance = db.prepare(`INSERT OR IGNORE INTO stacktach_glancerawdata (deployment_id, owner, json_z,
      routing_key, "when", publisher, event, service, host, instance, request_id, uuid, status, image_type,
      message_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.generic = db.prepare(`INSERT OR IGNORE INTO stacktach_genericrawdata (deployment_id, tenant, json_z,
      routing_key, "when", publisher, event, service, host, instance, request_id, message_id, message_key, resource)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.quarantineStmt = db.prepare(`INSERT INTO stacky_quarantine (received, source, deployment, exchange,
      routing_key, line, error, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.unquarantineStmt = db.prepare('DELETE FROM stacky_quarantine WHERE id = ?');
    this.requarantineStmt = db.prepare('UPDATE stacky_quarantine SET error = ? WHERE id = ?');
    this.markStmt = db.prepare(`INSERT OR REPLACE INTO stacky_id_marks (ts, nova, glance, generic) VALUES (?,
      coalesce((SELECT max(id) FROM stacktach_rawdata), 0), coalesce((SELECT max(id) FROM stacktach_glancerawdata), 0),
      coalesce((SELECT max(id) FROM stacktach_genericrawdata), 0))`);
    this.quarantineAll = unitOfWork(db, (entries: QuarantineEntry[], receivedMicros: number) => {
      for (const e of entries) this.quarantine(e, receivedMicros);
    });
  }

  /** Notes the highest raw ids at time `nowMicros`, before this transaction's inserts. */
  markIds(nowMicros: number): void {
    this.markStmt.run(nowMicros);
  }

  /** Get-or-create by name, as StackTach's worker does at start-up. */
  deploymentId(name: string): number {
    const cached = this.deployments.get(name);
    if (cached !== undefined) return cached;
    const row = this.findDeployment.get(name);
    const id = row ? row.id : Number(this.addDeployment.run(name).lastInsertRowid);
    this.deployments.set(name, id);
    return id;
  }

  /** Returns the new row id, or null when the message id was stored before (a redelivery). */
  /** `key` is messageKey(n.messageId), computed where the row was prepared. */
  insertNova(deploymentId: number, routingKey: string, jsonZ: Buffer, n: NovaFields, key: MessageKey): number | null {
    const r = this.nova.run(deploymentId, n.tenant, jsonZ, routingKey, n.state, n.oldState, n.oldTask, n.task,
      n.imageType, n.when, n.publisher, n.event, n.service, n.host, n.instance, n.requestId, key, n.resource);
    if (r.changes === 0) return null;
    const id = Number(r.lastInsertRowid);
    this.imageMeta.run(id, n.osArchitecture, n.osDistro, n.osVersion, n.raxOptions);
    this.names('nova', n.event, n.host);
    return id;
  }

  insertGlance(deploymentId: number, routingKey: string, jsonZ: Buffer, g: GlanceFields, key: MessageKey): number | null {
    const r = this.glance.run(deploymentId, g.owner, jsonZ, routingKey, g.when, g.publisher, g.event, g.service,
      g.host, g.instance, g.requestId, g.uuid, g.status, g.imageType, key);
    if (r.changes === 0) return null;
    this.names('glance', g.event, g.host);
    return Number(r.lastInsertRowid);
  }

  insertGeneric(deploymentId: number, routingKey: string, jsonZ: Buffer, g: GenericFields, key: MessageKey): number | null {
    const r = this.generic.run(deploymentId, g.tenant, jsonZ, routingKey, g.when, g.publisher, g.event, g.service,
      g.host, g.instance, g.requestId, g.messageId, key, g.resource);
    if (r.changes === 0) return null;
    this.names('generic', g.event, g.host);
    return Number(r.lastInsertRowid);
  }

  /** After a rolled-back transaction the caches may name rows that were never committed. */
  forgetCaches(): void {
    this.deployments.clear();
    this.knownNames.clear();
  }

  quarantine(e: QuarantineEntry, receivedMicros: number): void {
    this.quarantineStmt.run(receivedMicros, e.source, e.deployment, e.exchange, e.routingKey, e.line, e.error,
      typeof e.raw === 'string' ? Buffer.from(e.raw, 'utf8') : e.raw);
  }

  /** A quarantined entry that now stored. */
  unquarantine(id: number): void {
    this.unquarantineStmt.run(id);
  }

  /** A quarantined entry that still does not parse, with the reason today's parser gives. */
  requarantine(id: number, error: string): void {
    this.requarantineStmt.run(error, id);
  }

  private names(service: Service, event: Cell, host: Cell): void {
    this.name(TABLE[service], 'event', event);
    this.name(TABLE[service], 'host', host);
  }

  private name(tbl: string, kind: string, value: Cell): void {
    const key = `${tbl}\u0000${kind}\u0000${value === null ? '\u0001' : String(value)}`;
    if (this.knownNames.has(key)) return;
    this.addName.run(tbl, kind, value === null ? 1 : 0, value === null ? '' : String(value));
    this.knownNames.add(key);
  }
}
