// Nova's versioned notifications ([notifications] notification_format = versioned or both): event
// types without the `compute.` prefix, publisher `<binary>:<host>`, and the payload an
// ovo-serialised object {"nova_object.name", "nova_object.data", …}. They land in the same nova
// columns as the legacy format, so lookups, timings, lifecycle, KPI and reports treat both alike.
// See docs/notifications.md.
import {imageTypeBits} from './image-type.js';
import {isObject, truthy} from './python.js';
import {toCell} from './cell.js';
import {novaObjectId} from './resource.js';
import {common, get, has, objectOr, toCount, type Obj} from './notification-fields.js';
import type {Cell, NovaFields} from './types.js';

const DATA = 'nova_object.data';
const NAME = 'nova_object.name';

/** A payload that is a serialised nova object. */
export function isVersioned(payload: Obj): boolean {
  return has(payload, DATA) && isObject(payload[DATA]);
}

/** The data of a nested nova object (flavor, fault, state_update, audit_period), or {}. */
const dataOf = (v: unknown): Obj => objectOr(objectOr(v)[DATA]);

/** Instance payloads are InstancePayload and its kin; their `uuid` is the instance's. */
function aboutInstance(event: string, payload: Obj): boolean {
  const name = payload[NAME];
  return event.startsWith('instance.') || (typeof name === 'string' && name.startsWith('Instance'));
}

/** out_bytes of the network called "public", as the legacy bandwidth.public.bw_out. */
function publicOut(bandwidth: unknown): number {
  if (!Array.isArray(bandwidth)) return 0;
  for (const entry of bandwidth) {
    const d = dataOf(entry);
    if (d.network_name === 'public') return toCount(d.out_bytes);
  }
  return 0;
}

export function versionedNova(body: Obj, payload: Obj): NovaFields {
  const data = payload[DATA] as Obj;
  const c = common(body, data);
  const instanceEvent = aboutInstance(c.event, payload);
  const uuid = instanceEvent && truthy(data.uuid) ? toCell(data.uuid) : null;
  // instance.update carries the transition; other events carry the state they leave behind.
  const transition = has(data, 'state_update') ? dataOf(data.state_update) : null;
  // Legacy nova sends '' for a time not yet set, and usage accounting reads it so; versioned sends null.
  const pickTime = (k: string): unknown => (has(data, k) ? data[k] ?? '' : null);
  const host: Cell = typeof data.host === 'string' && data.host !== '' ? data.host : c.host;
  const requestId: Cell = has(body, '_context_request_id') ? c.requestId : get(data, 'request_id', '');
  const fault = dataOf(data.fault);
  const audit = dataOf(data.audit_period);
  return {
    publisher: c.publisher, event: c.event, service: c.service, host, requestId,
    tenant: c.tenant, instance: uuid ?? c.instance, resource: instanceEvent ? null : novaObjectId(data),
    messageId: c.messageId, when: c.when,
    kind: 'nova',
    state: transition ? get(transition, 'state', get(data, 'state', '')) : get(data, 'state', ''),
    oldState: transition ? get(transition, 'old_state', '') : '',
    oldTask: transition ? get(transition, 'old_task_state', '') : '',
    task: transition ? get(transition, 'new_task_state', '') : get(data, 'task_state', ''),
    imageType: imageTypeBits(data),
    osArchitecture: get(data, 'architecture', ''),
    osDistro: '',
    osVersion: '',
    raxOptions: '',
    instanceTypeId: null,
    instanceFlavorId: get(dataOf(data.flavor), 'flavorid'),
    launchedAt: pickTime('launched_at'),
    deletedAt: pickTime('deleted_at'),
    terminatedAt: pickTime('terminated_at'),
    auditPeriodBeginning: audit.audit_period_beginning ?? null,
    auditPeriodEnding: audit.audit_period_ending ?? null,
    message: fault.exception_message ?? null,
    bandwidthPublicOut: publicOut(data.bandwidth),
    payload: data,
  };
}

/** Versioned instance actions whose legacy name is not `compute.` + the versioned one. */
const RENAMED: Readonly<Record<string, string>> = {
  'instance.resize_prep': 'compute.instance.resize.prep',
  'instance.resize_finish': 'compute.instance.finish_resize',
  'instance.resize_revert': 'compute.instance.resize.revert',
};

/**
 * The legacy event type usage accounting is keyed on (ingest/usage.ts): `instance.create.end` →
 * `compute.instance.create.end`, `instance.resize_finish.end` → `compute.instance.finish_resize.end`.
 * Legacy and non-instance event types come back unchanged.
 */
export function legacyEventOf(event: string): string {
  if (!event.startsWith('instance.')) return event;
  const dot = event.lastIndexOf('.');
  const action = event.slice(0, dot);
  const renamed = RENAMED[action];
  return renamed === undefined ? `compute.${event}` : `${renamed}${event.slice(dot)}`;
}
