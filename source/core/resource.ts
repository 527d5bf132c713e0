// What a notification of a service other than nova's instances is about: the id of its resource
// (a volume, a port, an image, a stack, a flavor, …) and the instance it touches, where the payload
// names one. The keys read for each service are listed in docs/notifications.md and the README.
import {isObject, truthy} from './python.js';
import {toCell} from './cell.js';
import type {Cell} from './types.js';

type Obj = Record<string, unknown>;

const cellOf = (v: unknown): Cell => (truthy(v) && (typeof v === 'string' || typeof v === 'number') ? toCell(v) : null);

/** The first of `keys` that holds a string or number id. */
function firstId(o: Obj, keys: readonly string[]): Cell {
  for (const k of keys) {
    const id = cellOf(o[k]);
    if (id !== null) return id;
  }
  return null;
}

/** Heat sends the stack as an ARN (`arn:openstack:heat::TENANT:stacks/NAME/ID`) or, lately, its id. */
function stackId(payload: Obj): Cell {
  const v = payload.stack_identity ?? payload.stack_id;
  if (typeof v !== 'string' || v === '') return cellOf(v);
  return v.slice(v.lastIndexOf('/') + 1);
}

/**
 * The resource id of a legacy-format notification, from its event type's first word P
 * (`volume.attach.end` → volume): `P_id` (cinder: volume_id, snapshot_id, backup_id; neutron's
 * delete events: port_id, network_id), then the object under P (neutron: payload.port.id), then the
 * services' own keys (heat's stack_identity, keystone's resource_info or CADF target.id), then
 * the payload's own `id` (glance v2) or `resource_id`.
 */
export function resourceOf(event: string, payload: Obj): Cell {
  const dot = event.indexOf('.');
  const word = dot < 0 ? event : event.slice(0, dot);
  if (word === 'orchestration') return stackId(payload);
  const own = cellOf(payload[`${word}_id`]);
  if (own !== null) return own;
  const object = payload[word];
  if (isObject(object)) {
    const id = cellOf(object.id);
    if (id !== null) return id;
  }
  if (word === 'identity') return cellOf(payload.resource_info) ?? (isObject(payload.target) ? cellOf(payload.target.id) : null);
  return firstId(payload, ['id', 'resource_id', 'uuid']);
}

/**
 * The instance a notification of another service touches, where StackTach's keys (instance_uuid,
 * instance_id) do not name it: a neutron port bound to a server names it as its device
 * (device_owner `compute:<zone>`); a current cinder volume lists its attachments, each with the
 * server's instance_uuid (the first is taken).
 */
export function touchedInstance(event: string, payload: Obj): Cell {
  if (event.startsWith('port.')) {
    const port = payload.port;
    if (!isObject(port)) return null;
    return typeof port.device_owner === 'string' && port.device_owner.startsWith('compute:') ? cellOf(port.device_id) : null;
  }
  const attachments = payload.volume_attachment;
  if (!Array.isArray(attachments)) return null;
  for (const a of attachments) {
    const id = isObject(a) ? cellOf(a.instance_uuid) : null;
    if (id !== null) return id;
  }
  return null;
}

/** The id of a nova versioned object that is not an instance: aggregate, flavor, keypair, service, … */
export function novaObjectId(data: Obj): Cell {
  return firstId(data, ['uuid', 'flavorid', 'volume_id', 'id', 'name', 'nodename']);
}
