// The fields every notification class reads (docs/ingest.md §2.1), shared by the legacy and the
// versioned parsers. Defaults apply only to absent keys: a key present with null stays null.
import {isObject, truthy} from './python.js';
import {toCell} from './cell.js';
import {parseNotificationTime, TimeFormatError} from './time.js';
import type {Cell, CommonFields, Micros} from './types.js';

export class NotificationError extends Error {
  override name = 'NotificationError';
}

export type Obj = Record<string, unknown>;

export const has = (o: Obj, k: string) => Object.hasOwn(o, k);
export const objectOr = (v: unknown): Obj => (isObject(v) ? v : {});

/** `o.get(k, dflt)` as a Cell. */
export const get = (o: Obj, k: string, dflt: Cell = null): Cell => (has(o, k) ? toCell(o[k]) : dflt);

/**
 * Service and host from a publisher_id in each form a cloud sends: `compute.host`,
 * `compute.host.domain` (the host keeps its dots), `nova-compute:host` (versioned nova, and any
 * service that publishes `binary:host`), and a bare `compute` (no host).
 */
export function publisherParts(publisher: string): {service: string; host: string | null} {
  const colon = publisher.indexOf(':');
  const cut = colon >= 0 ? colon : publisher.indexOf('.');
  return cut < 0 ? {service: publisher, host: null} : {service: publisher.slice(0, cut), host: publisher.slice(cut + 1)};
}

export function parseTime(v: unknown): Micros {
  try {
    return parseNotificationTime(v);
  } catch (e) {
    throw e instanceof TimeFormatError ? new NotificationError(e.message) : e;
  }
}

export const parseIfTruthy = (v: unknown): Micros | null => (truthy(v) ? parseTime(v) : null);

/** Rules 1–4: instance_id, overridden by instance_uuid if present, then exception.kwargs.uuid, then instance.uuid. */
export function instanceOf(payload: Obj): Cell {
  let instance = has(payload, 'instance_uuid') ? payload.instance_uuid : payload.instance_id;
  if (!truthy(instance)) instance = objectOr(objectOr(payload.exception).kwargs).uuid;
  if (!truthy(instance)) instance = objectOr(payload.instance).uuid;
  return truthy(instance) ? toCell(instance) : null;
}

export function common(body: Obj, payload: Obj): CommonFields {
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
  const {service, host} = publisherParts(publisher);
  return {
    publisher,
    event,
    service,
    host,
    requestId: get(body, '_context_request_id', ''),
    // payload.tenant_id wins whenever the key exists, even when it is null.
    tenant: has(payload, 'tenant_id') ? toCell(payload.tenant_id) : get(body, '_context_project_id'),
    instance: instanceOf(payload),
    resource: null,
    messageId: get(body, 'message_id'),
    when: parseTime(stamp),
  };
}

/** bw_out goes to a BIGINT column: numbers (and integer strings) kept, anything else 0. */
export function toCount(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
  return 0;
}

