// Notification parsing (docs/ingest.md §2). Defaults apply only to absent keys: a key present with
// null stays null. Where the original would crash on a wrong-typed nested value (image_meta,
// exception, instance, properties, bandwidth) this port treats it as {} instead.
import {imageTypeBits} from './image-type.js';
import {isObject, truthy} from './python.js';
import {pyFloatStr} from './duration.js';
import {parseNotificationTime, TimeFormatError} from './time.js';
import type {Cell, CommonFields, GenericFields, GlanceFields, Micros, Notification, NovaFields, Service} from './types.js';

export class NotificationError extends Error {
  override name = 'NotificationError';
}

type Obj = Record<string, unknown>;

const has = (o: Obj, k: string) => Object.hasOwn(o, k);
const objectOr = (v: unknown): Obj => (isObject(v) ? v : {});


/** A value bound for a text column: booleans as Python prints them, containers as JSON. */
export function toCell(v: unknown): Cell {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  // Text columns hold Python's str() of a number: 5 → '5', 5.5 → '5.5' (SQLite would write '5.0').
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatStr(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return JSON.stringify(v) ?? String(v);
}

/** `o.get(k, dflt)` as a Cell. */
const get = (o: Obj, k: string, dflt: Cell = null): Cell => (has(o, k) ? toCell(o[k]) : dflt);

export function serviceFor(exchange: string): Service {
  return exchange === 'nova' || exchange === 'glance' ? exchange : 'generic';
}

/** 'E' when the routing key ends with "error" (docs/api.md §1.10). */
export function errorFlag(routingKey: string | null): 'E' | ' ' {
  return routingKey?.endsWith('error') ? 'E' : ' ';
}

/** `a.b.c.start` → name `a.b.c`, step `start`; without a dot the whole event is the step. */
export function splitEvent(event: string): {name: string; step: string} {
  const i = event.lastIndexOf('.');
  return {name: i < 0 ? '' : event.slice(0, i), step: event.slice(i + 1)};
}

function parseTime(v: unknown): Micros {
  try {
    return parseNotificationTime(v);
  } catch (e) {
    throw e instanceof TimeFormatError ? new NotificationError(e.message) : e;
  }
}

const parseIfTruthy = (v: unknown): Micros | null => (truthy(v) ? parseTime(v) : null);

/** Rules 1–4: instance_id, overridden by instance_uuid if present, then exception.kwargs.uuid, then instance.uuid. */
function instanceOf(payload: Obj): Cell {
  let instance = has(payload, 'instance_uuid') ? payload.instance_uuid : payload.instance_id;
  if (!truthy(instance)) instance = objectOr(objectOr(payload.exception).kwargs).uuid;
  if (!truthy(instance)) instance = objectOr(payload.instance).uuid;
  return truthy(instance) ? toCell(instance) : null;
}

function common(body: Obj, payload: Obj): CommonFields {
  if (!has(body, 'publisher_id')) throw new NotificationError('missing publisher_id');
  if (!has(body, 'event_type')) throw new NotificationError('missing event_type');
  const publisher = body.publisher_id;
  const event = body.event_type;
  if (typeof publisher !== 'string') throw new NotificationError('publisher_id is not a string');
  if (typeof event !== 'string') throw new NotificationError('event_type is not a string');
  let stamp = body.timestamp;
  if (!truthy(stamp)) {
    if (!has(body, '_context_timestamp')) throw new NotificationError('missing timestamp and _context_timestamp');
    stamp = body._context_timestamp;
  }
  const dot = publisher.indexOf('.');
  return {
    publisher,
    event,
    service: dot < 0 ? publisher : publisher.slice(0, dot),
    host: dot < 0 ? null : publisher.slice(dot + 1),
    requestId: get(body, '_context_request_id', ''),
    // payload.tenant_id wins whenever the key exists, even when it is null.
    tenant: has(payload, 'tenant_id') ? toCell(payload.tenant_id) : get(body, '_context_project_id'),
    instance: instanceOf(payload),
    messageId: get(body, 'message_id'),
    when: parseTime(stamp),
  };
}

function nova(body: Obj): NovaFields {
  const raw = has(body, 'payload') ? body.payload : {};
  if (!isObject(raw)) throw new NotificationError('payload is not an object');
  const payload = raw;
  const meta = objectOr(payload.image_meta);
  const bwOut = objectOr(objectOr(payload.bandwidth).public).bw_out;
  const pick = (k: string): unknown => (has(payload, k) ? payload[k] : null);
  const c = common(body, payload);
  // Every field named in one literal: spreading `c` in would build a slow dictionary-mode object.
  return {
    publisher: c.publisher, event: c.event, service: c.service, host: c.host, requestId: c.requestId,
    tenant: c.tenant, instance: c.instance, messageId: c.messageId, when: c.when,
    kind: 'nova',
    state: get(payload, 'state', ''),
    oldState: get(payload, 'old_state', ''),
    oldTask: get(payload, 'old_task_state', ''),
    task: get(payload, 'new_task_state', ''),
    imageType: imageTypeBits(payload),
    osArchitecture: get(meta, 'org.openstack__1__architecture', ''),
    osDistro: get(meta, 'org.openstack__1__os_distro', ''),
    osVersion: get(meta, 'org.openstack__1__os_version', ''),
    raxOptions: get(meta, 'com.rackspace__1__options', ''),
    instanceTypeId: get(payload, 'instance_type_id'),
    instanceFlavorId: get(payload, 'instance_flavor_id'),
    launchedAt: pick('launched_at'),
    deletedAt: pick('deleted_at'),
    terminatedAt: pick('terminated_at'),
    auditPeriodBeginning: pick('audit_period_beginning'),
    auditPeriodEnding: pick('audit_period_ending'),
    message: pick('message'),
    bandwidthPublicOut: toCount(bwOut),
    payload,
  };
}

/** bw_out goes to a BIGINT column: numbers (and integer strings) kept, anything else 0. */
function toCount(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
  return 0;
}

function glance(body: Obj): GlanceFields {
  const payload = has(body, 'payload') ? body.payload : {};
  const obj = isObject(payload) ? payload : null;
  const properties = objectOr(obj?.properties);
  const fields = common(body, obj ?? {});
  let deletedAt = body.deleted_at;
  if (obj && !truthy(deletedAt)) deletedAt = obj.deleted_at;
  return {
    publisher: fields.publisher, event: fields.event, service: fields.service, host: fields.host,
    requestId: fields.requestId, tenant: fields.tenant, messageId: fields.messageId, when: fields.when,
    kind: 'glance',
    // Glance links an image to its instance through properties, replacing the common rule.
    instance: get(properties, 'instance_uuid'),
    status: obj ? get(obj, 'status') : null,
    uuid: obj ? get(obj, 'id') : null,
    size: obj && typeof obj.size === 'number' ? obj.size : obj ? get(obj, 'size') : null,
    createdAt: obj ? parseIfTruthy(obj.created_at) : null,
    owner: obj ? get(obj, 'owner') : null,
    imageType: obj ? imageTypeBits(obj) : null,
    deletedAt: parseIfTruthy(deletedAt),
    payload,
  };
}

/** Fields of one notification body as the raw tables store them. */
export function parseNotification(service: Service, body: unknown): Notification {
  if (!isObject(body)) throw new NotificationError('body is not a JSON object');
  if (service === 'nova') return nova(body);
  if (service === 'glance') return glance(body);
  const fields: GenericFields = {...common(body, objectOr(body.payload)), kind: 'generic'};
  return fields;
}
