// aggregate_usage: InstanceUsage, InstanceDeletes and InstanceExists for one nova raw
// (docs/ingest.md §3.6). Handlers are keyed on the exact event type.
import type {UsageRow, UsageStatements} from '../store/types.js';
import type {Micros, NovaFields} from '../core/types.js';
import {parseNotificationTime} from '../core/time.js';
import {truthy} from '../core/python.js';

const SECOND = 1_000_000;

const NEW_LAUNCH = new Set([
  'compute.instance.create.start', 'compute.instance.rebuild.start', 'compute.instance.resize.prep.start',
  'compute.instance.resize.revert.start', 'compute.instance.rescue.start',
]);
const UPDATES = new Set([
  'compute.instance.create.end', 'compute.instance.rebuild.end', 'compute.instance.finish_resize.start',
  'compute.instance.finish_resize.end', 'compute.instance.resize.revert.end', 'compute.instance.rescue.end',
]);
const SETS_FLAVOR_ON_START = new Set([
  'compute.instance.create.start', 'compute.instance.rebuild.start', 'compute.instance.rescue.start',
]);
const KEEPS_LAUNCH_ON_START = new Set([
  'compute.instance.rebuild.start', 'compute.instance.resize.prep.start', 'compute.instance.resize.revert.start',
  'compute.instance.rescue.start',
]);
const RESIZE_STARTS = new Set(['compute.instance.resize.prep.start', 'compute.instance.resize.revert.start']);
const LAUNCH_ENDS = new Set([
  'compute.instance.create.end', 'compute.instance.rebuild.end', 'compute.instance.finish_resize.end',
  'compute.instance.resize.revert.end', 'compute.instance.rescue.end',
]);
const FLAVOR_CHANGES = new Set([
  'compute.instance.resize.revert.end', 'compute.instance.finish_resize.start', 'compute.instance.finish_resize.end',
]);


/** Returns a warning when StackTach would have logged and skipped the notification. */
export function aggregateUsage(w: UsageStatements, rawId: number, n: NovaFields): string | undefined {
  if (!n.instance) return undefined;
  if (NEW_LAUNCH.has(n.event)) newLaunch(w, n);
  else if (UPDATES.has(n.event)) updateLaunch(w, n);
  else if (n.event === 'compute.instance.delete.end') recordDelete(w, rawId, n);
  else if (n.event === 'compute.instance.exists') return recordExists(w, rawId, n);
  return undefined;
}

function usageFor(w: UsageStatements, n: NovaFields): UsageRow {
  const found = w.findUsage.get(n.instance, n.requestId);
  if (found) return found;
  const id = Number(w.createUsage.run(n.instance, n.requestId).lastInsertRowid);
  return {id, launched_at: null, instance_type_id: null, instance_flavor_id: null};
}

function save(w: UsageStatements, u: UsageRow, n: NovaFields): void {
  w.saveUsage.run({
    id: u.id, launchedAt: u.launched_at, instanceTypeId: u.instance_type_id, instanceFlavorId: u.instance_flavor_id,
    tenant: n.tenant, osArchitecture: n.osArchitecture, osDistro: n.osDistro, osVersion: n.osVersion,
    raxOptions: n.raxOptions,
  });
}

function newLaunch(w: UsageStatements, n: NovaFields): void {
  const u = usageFor(w, n);
  if (SETS_FLAVOR_ON_START.has(n.event)) {
    u.instance_type_id = n.instanceTypeId;
    u.instance_flavor_id = n.instanceFlavorId;
  }
  // Record the existing launch in case the action spans an audit period.
  if (KEEPS_LAUNCH_ON_START.has(n.event) && u.launched_at === null) {
    u.launched_at = parseNotificationTime(n.launchedAt);
  }
  if (RESIZE_STARTS.has(n.event) && u.instance_type_id === null && u.instance_flavor_id === null) {
    u.instance_type_id = n.instanceTypeId;
    u.instance_flavor_id = n.instanceFlavorId;
  }
  save(w, u, n);
}

function updateLaunch(w: UsageStatements, n: NovaFields): void {
  // A failed create records no launch.
  if (n.event === 'compute.instance.create.end' && truthy(n.message) && n.message !== 'Success') return;
  const u = usageFor(w, n);
  if (LAUNCH_ENDS.has(n.event)) {
    const launched = parseNotificationTime(n.launchedAt);
    if (u.launched_at === null || u.launched_at === 0 || u.launched_at < launched) u.launched_at = launched;
    if (u.instance_type_id === null) u.instance_type_id = n.instanceTypeId;
    if (u.instance_flavor_id === null) u.instance_flavor_id = n.instanceFlavorId;
  }
  if (FLAVOR_CHANGES.has(n.event)) {
    u.instance_type_id = n.instanceTypeId;
    u.instance_flavor_id = n.instanceFlavorId;
  }
  save(w, u, n);
}

function optionalTime(v: unknown): Micros | null {
  return truthy(v) ? parseNotificationTime(v) : null;
}

function recordDelete(w: UsageStatements, rawId: number, n: NovaFields): void {
  if (!truthy(n.launchedAt)) return;
  // terminated_at wins over deleted_at (StackTach VIRT-2874).
  const deletedAt = truthy(n.terminatedAt) ? parseNotificationTime(n.terminatedAt) : optionalTime(n.deletedAt);
  const launchedAt = parseNotificationTime(n.launchedAt);
  const found = w.findDelete.get(n.instance, deletedAt, launchedAt);
  if (found) w.repointDelete.run(rawId, found.id);
  else w.createDelete.run(n.instance, launchedAt, deletedAt, rawId);
}

function recordExists(w: UsageStatements, rawId: number, n: NovaFields): string | undefined {
  if (n.launchedAt === null || n.launchedAt === undefined || n.launchedAt === '') {
    return `Ignoring exists without launched_at. RawData(${rawId})`;
  }
  const launchedAt = parseNotificationTime(n.launchedAt);
  const usage = w.usageNear.get(n.instance, launchedAt, launchedAt + SECOND);
  let deletedAt: Micros | null = null;
  let deleteId: number | null = null;
  if (truthy(n.deletedAt)) {
    deletedAt = parseNotificationTime(n.deletedAt);
    deleteId = w.deleteNear.get(n.instance, launchedAt, launchedAt + SECOND)?.id ?? null;
  }
  w.insertExists.run({
    instance: n.instance, launchedAt, deletedAt,
    auditPeriodBeginning: parseNotificationTime(n.auditPeriodBeginning),
    auditPeriodEnding: parseNotificationTime(n.auditPeriodEnding),
    messageId: n.messageId, instanceTypeId: n.instanceTypeId, instanceFlavorId: n.instanceFlavorId, rawId,
    usageId: usage?.id ?? null, deleteId, tenant: n.tenant, osArchitecture: n.osArchitecture,
    osDistro: n.osDistro, osVersion: n.osVersion, raxOptions: n.raxOptions,
    bandwidthPublicOut: n.bandwidthPublicOut,
  });
  return undefined;
}
