// Notification parsing (docs/ingest.md §2). Defaults apply only to absent keys: a key present with
// null stays null. Where the original would crash on a wrong-typed nested value (image_meta,
// exception, instance, properties, bandwidth) this port treats it as {} instead.
import {imageTypeBits} from './image-type.js';
import {isObject, truthy} from './python.js';
import {resourceOf, touchedInstance} from './resource.js';
import {common, get, has, NotificationError, objectOr, parseIfTruthy, toCount, type Obj} from './notification-fields.js';
import {isVersioned, versionedNova} from './nova-versioned.js';
import type {GenericFields, GlanceFields, Notification, NovaFields, Service} from './types.js';

export {NotificationError, publisherParts} from './notification-fields.js';

export function serviceFor(exchange: string): Service {
  return exchange === 'nova' || exchange === 'glance' ? exchange : 'generic';
}

/**
 * 'E' when the routing key ends with "error" (docs/api.md §1.10), or "critical": oslo.messaging
 * routes by priority (`<topic>.<priority>`), and both are errors whatever the topic is called.
 */
export function errorFlag(routingKey: string | null): 'E' | ' ' {
  return routingKey?.endsWith('error') || routingKey?.endsWith('critical') ? 'E' : ' ';
}

/** `a.b.c.start` → name `a.b.c`, step `start`; without a dot the whole event is the step. */
export function splitEvent(event: string): {name: string; step: string} {
  const i = event.lastIndexOf('.');
  return {name: i < 0 ? '' : event.slice(0, i), step: event.slice(i + 1)};
}

function nova(body: Obj): NovaFields {
  const raw = has(body, 'payload') ? body.payload : {};
  if (!isObject(raw)) throw new NotificationError('payload is not an object');
  const payload = raw;
  if (isVersioned(payload)) return versionedNova(body, payload);
  const meta = objectOr(payload.image_meta);
  const bwOut = objectOr(objectOr(payload.bandwidth).public).bw_out;
  const pick = (k: string): unknown => (has(payload, k) ? payload[k] : null);
  const c = common(body, payload);
  // Every field named in one literal: spreading `c` in would build a slow dictionary-mode object.
  return {
    publisher: c.publisher, event: c.event, service: c.service, host: c.host, requestId: c.requestId,
    tenant: c.tenant, instance: c.instance, resource: null, messageId: c.messageId, when: c.when,
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
    kind: 'glance', resource: obj ? get(obj, 'id') : null,
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
  const payload = objectOr(body.payload);
  const fields: GenericFields = {...common(body, payload), kind: 'generic'};
  fields.resource = resourceOf(fields.event, payload);
  fields.instance ??= touchedInstance(fields.event, payload);
  return fields;
}
