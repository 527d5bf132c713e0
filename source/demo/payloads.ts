// Notification bodies and payloads, shaped like nova's info_from_instance and glance's image
// notifications (docs/ingest.md §6.1). Shared noise (roles, service catalogs, image_meta,
// fixed_ips) is frozen and referenced, not copied: treat envelopes as read-only.

import type {Envelope} from './types.js';
import type {Caller, Deployment, Image, Instance, Tenant, World} from './world.js';
import {isoSeconds, pySeconds, pyTime, strTime} from './time.js';

const EMPTY_CATALOG: readonly object[] = Object.freeze([]);
const EMPTY_BANDWIDTH = Object.freeze({});

/** One user request (or periodic task): the `_context_*` of every notification it causes. */
export interface Request {
  id: string;
  caller: Caller;
  catalog: readonly object[];
  contextTimestamp: string;
  dep: Deployment;
}

export function userRequest(w: World, dep: Deployment, tenant: Tenant, t: number): Request {
  return {id: 'req-' + w.rng.uuid(), caller: tenant, catalog: w.catalog(tenant, dep), contextTimestamp: strTime(t), dep};
}

export function periodicRequest(w: World, dep: Deployment, t: number): Request {
  return {id: 'req-' + w.rng.uuid(), caller: dep.admin, catalog: EMPTY_CATALOG, contextTimestamp: strTime(t), dep};
}

/** A nova notification; `topic` names the routing key's first part (StackTach's `monitor`). */
export function novaEnvelope(
  w: World, req: Request, t: number, eventType: string, publisher: string, error: boolean, payload: unknown,
  topic = 'monitor',
): Envelope {
  const c = req.caller;
  return {
    deployment: req.dep.name,
    exchange: 'nova',
    routing_key: error ? topic + '.error' : topic + '.info',
    body: {
      message_id: w.rng.uuid(),
      event_type: eventType,
      publisher_id: publisher,
      priority: error ? 'ERROR' : 'INFO',
      timestamp: pyTime(t),
      payload,
      _context_request_id: req.id,
      _context_project_id: c.projectId,
      _context_user_id: c.userId,
      _context_timestamp: req.contextTimestamp,
      _context_user_name: c.userName,
      _context_project_name: c.projectName,
      _context_roles: c.roles,
      _context_is_admin: c.isAdmin,
      _context_auth_token: c.authToken,
      _context_remote_address: c.remoteAddress,
      _context_service_catalog: req.catalog,
      _context_read_deleted: 'no',
      _context_read_only: false,
      _context_show_deleted: false,
      _context_quota_class: null,
      _context_instance_lock_checked: false,
      _context_tenant: c.projectId,
      _context_user: c.userId,
      _context_user_identity: c.userIdentity,
      _context_domain: null,
      _context_user_domain: null,
      _context_project_domain: null,
      _context_resource_uuid: null,
    },
  };
}

/**
 * oslo.messaging's message format 2.0, as its `messagingv2` driver sends every notification:
 * the notification becomes JSON text inside a two-key object.
 */
export function osloEnvelope(body: Record<string, unknown>): Record<string, unknown> {
  return {'oslo.version': '2.0', 'oslo.message': JSON.stringify(body)};
}

export function glanceEnvelope(
  w: World, dep: Deployment, t: number, eventType: string, publisher: string, error: boolean, payload: unknown,
): Envelope {
  return {
    deployment: dep.name,
    exchange: 'glance',
    routing_key: error ? 'monitor_glance.error' : 'monitor_glance.info',
    body: {
      message_id: w.rng.uuid(),
      publisher_id: publisher,
      event_type: eventType,
      priority: error ? 'ERROR' : 'INFO',
      timestamp: pyTime(t),
      payload,
    },
  };
}

/** nova's info_from_instance. */
export function instancePayload(inst: Instance): Record<string, unknown> {
  const f = inst.flavor;
  const img = inst.image;
  const host = inst.host;
  const dep = inst.dep;
  return {
    tenant_id: inst.tenant.id,
    user_id: inst.tenant.userId,
    instance_id: inst.uuid,
    display_name: inst.displayName,
    reservation_id: inst.reservationId,
    hostname: inst.displayName,
    instance_type: f.name,
    instance_type_id: f.id,
    instance_flavor_id: f.flavorid,
    memory_mb: f.memoryMb,
    vcpus: f.vcpus,
    root_gb: f.rootGb,
    ephemeral_gb: f.ephemeralGb,
    disk_gb: f.rootGb + f.ephemeralGb,
    host: host ? host.name : null,
    node: host ? host.node : null,
    availability_zone: dep.availabilityZone,
    cell_name: dep.cellName,
    created_at: inst.createdAt,
    launched_at: inst.launchedAt,
    terminated_at: inst.terminatedAt,
    deleted_at: inst.deletedAt,
    image_ref_url: dep.imageApi + '/images/' + img.id,
    os_type: img.spec.osType,
    architecture: 'x64',
    kernel_id: '',
    ramdisk_id: '',
    state: inst.state,
    state_description: inst.task ?? '',
    progress: '',
    access_ip_v4: inst.accessV4,
    access_ip_v6: inst.accessV6,
    fixed_ips: inst.fixedIps,
    metadata: inst.metadata,
    image_meta: img.meta,
  };
}

/** compute.instance.update payload: the instance plus old/new state and task. */
export function updatePayload(
  inst: Instance, t: number, oldState: string | null, oldTask: string | null,
): Record<string, unknown> {
  const p = instancePayload(inst);
  p.old_state = oldState;
  p.old_task_state = oldTask;
  p.new_task_state = inst.task;
  p.audit_period_beginning = pySeconds(Math.floor(t / 3_600_000_000) * 3_600_000_000);
  p.audit_period_ending = pyTime(t);
  p.bandwidth = EMPTY_BANDWIDTH;
  return p;
}

/** compute.instance.exists payload for the period [begin, end]. */
export function existsPayload(inst: Instance, begin: string, end: string): Record<string, unknown> {
  const p = instancePayload(inst);
  p.audit_period_beginning = begin;
  p.audit_period_ending = end;
  p.bandwidth = {
    public: {bw_in: inst.bwIn, bw_out: inst.bwOut},
    private: {bw_in: inst.bwIn >>> 3, bw_out: inst.bwOut >>> 4},
  };
  return p;
}

/** The request_spec the scheduler reports for a boot. */
export function requestSpec(inst: Instance): Record<string, unknown> {
  const img = inst.image;
  const f = inst.flavor;
  return {
    image: {
      id: img.id,
      name: img.name,
      status: 'active',
      size: img.size,
      checksum: img.checksum,
      min_disk: img.spec.minDisk,
      min_ram: 512,
      container_format: 'ovf',
      disk_format: 'vhd',
      created_at: isoSeconds(img.createdMicros),
      deleted: false,
      properties: img.meta,
    },
    instance_properties: {
      uuid: inst.uuid,
      project_id: inst.tenant.id,
      user_id: inst.tenant.userId,
      image_ref: img.id,
      instance_type_id: f.id,
      memory_mb: f.memoryMb,
      vcpus: f.vcpus,
      root_gb: f.rootGb,
      ephemeral_gb: f.ephemeralGb,
      display_name: inst.displayName,
      availability_zone: inst.dep.availabilityZone,
      os_type: img.spec.osType,
      vm_state: 'building',
      task_state: 'scheduling',
      reservation_id: inst.reservationId,
      launch_index: 0,
      power_state: 0,
      metadata: inst.metadata,
    },
    instance_type: {
      id: f.id,
      flavorid: f.flavorid,
      name: f.name,
      memory_mb: f.memoryMb,
      vcpus: f.vcpus,
      root_gb: f.rootGb,
      ephemeral_gb: f.ephemeralGb,
      swap: 0,
      rxtx_factor: 1.0,
      is_public: true,
    },
    instance_uuids: [inst.uuid],
    num_instances: 1,
    security_group: ['default'],
    block_device_mapping: [],
  };
}

/** The primitive of an instance as it appears in an exception-wrapper's args. */
function instanceArg(inst: Instance): Record<string, unknown> {
  return {
    uuid: inst.uuid,
    display_name: inst.displayName,
    host: inst.host ? inst.host.name : null,
    node: inst.host ? inst.host.node : null,
    project_id: inst.tenant.id,
    user_id: inst.tenant.userId,
    vm_state: inst.state,
    task_state: inst.task,
    power_state: inst.state === 'active' ? 1 : 0,
    instance_type_id: inst.flavor.id,
    image_ref: inst.image.id,
    launched_at: inst.launchedAt || null,
    created_at: inst.createdAt,
    locked: false,
    cell_name: inst.dep.cellName,
  };
}

/** The payload of nova's wrap_exception notification (event_type = the failing method). */
export function exceptionPayload(
  inst: Instance, code: number, message: string, args: Record<string, unknown>,
): Record<string, unknown> {
  return {
    exception: {kwargs: {code, uuid: inst.uuid, instance_uuid: inst.uuid, reason: message}, message},
    args: {instance: instanceArg(inst), ...args},
  };
}

/** A glance image record as image.create / prepare / upload / activate / delete report it. */
export function imagePayload(img: Image, status: string, t: number): Record<string, unknown> {
  const active = status === 'active' || status === 'deleted';
  const deleted = status === 'deleted';
  return {
    id: img.id,
    name: img.name,
    status,
    created_at: isoSeconds(img.createdMicros),
    updated_at: isoSeconds(t),
    deleted_at: deleted ? isoSeconds(t) : null,
    deleted,
    size: status === 'queued' ? 0 : img.size,
    virtual_size: null,
    checksum: active ? img.checksum : null,
    owner: img.owner,
    is_public: !img.isSnapshot,
    protected: false,
    min_disk: img.spec.minDisk,
    min_ram: 512,
    disk_format: 'vhd',
    container_format: 'ovf',
    location: null,
    properties: img.properties,
  };
}

/** One entry of an image.exists payload. */
export function imageExistsEntry(img: Image, deletedAt: string | null): Record<string, unknown> {
  return {
    id: img.id,
    name: img.name,
    created_at: isoSeconds(img.createdMicros),
    deleted_at: deletedAt,
    size: img.size,
    status: deletedAt ? 'deleted' : 'active',
    is_public: !img.isSnapshot,
    checksum: img.checksum,
    properties: img.properties,
  };
}
