// nova's versioned notifications, built from the demo world's instances: event types without
// the `compute.` prefix, publishers `<binary>:<host>`, payloads that are nova objects
// ({nova_object.name, .namespace, .version, .data}). Object names, versions and field names
// follow the samples the ingest side is written against (docs/openstack-notifications.md §3).

import type {Flavor} from './catalog.js';
import {novaEnvelope, type Request} from './payloads.js';
import {deepFreeze} from './random.js';
import {hourFloor, isoSeconds} from './time.js';
import type {Envelope} from './types.js';
import type {Instance, World} from './world.js';

export const VERSIONED_TOPIC = 'versioned_notifications';

export type Data = Record<string, unknown>;

export function novaObject(name: string, version: string, data: Data): Data {
  return {'nova_object.name': name, 'nova_object.namespace': 'nova', 'nova_object.version': version, 'nova_object.data': data};
}

/** Datetimes in versioned payloads: `YYYY-MM-DDTHH:MM:SSZ`. */
export function isoZ(micros: number): string {
  return isoSeconds(micros) + 'Z';
}

/** `compute.c-0001` → `nova-compute:c-0001`, `api.api-01` → `nova-api:api-01`. */
export function versionedPublisher(legacy: string): string {
  const dot = legacy.indexOf('.');
  return 'nova-' + legacy.slice(0, dot) + ':' + legacy.slice(dot + 1);
}

/** A nova notification on the versioned topic (same body and context as the legacy form). */
export function versionedEnvelope(
  w: World, req: Request, t: number, eventType: string, publisher: string, error: boolean, payload: Data,
): Envelope {
  return novaEnvelope(w, req, t, eventType, publisher, error, payload, VERSIONED_TOPIC);
}

// ---------------------------------------------------------------------------------------
// Shared pieces

const flavorPayloads = new Map<Flavor, Data>();

/** FlavorPayload of a catalog flavor: built once, frozen and shared. */
export function flavorPayload(f: Flavor): Data {
  let p = flavorPayloads.get(f);
  if (!p) {
    p = deepFreeze(novaObject('FlavorPayload', '1.4', {
      flavorid: f.flavorid, name: f.name, memory_mb: f.memoryMb, vcpus: f.vcpus, root_gb: f.rootGb,
      ephemeral_gb: f.ephemeralGb, swap: 0, rxtx_factor: 1.0, disabled: false, is_public: true, vcpu_weight: 0,
      extra_specs: {}, projects: null, description: null,
    }));
    flavorPayloads.set(f, p);
  }
  return p;
}

/** ExceptionPayload: what `fault` holds, and the payload of compute.exception. */
export function exceptionPayload(exception: string, message: string, functionName: string, moduleName: string): Data {
  return novaObject('ExceptionPayload', '1.1', {
    exception, exception_message: message, function_name: functionName, module_name: moduleName,
    traceback: `Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/${moduleName.replace(/\./g, '/')}.py", ` +
      `in ${functionName}\n${exception}: ${message}\n`,
  });
}

/** The exception class nova would name for one of the demo's fault texts. */
export function exceptionName(message: string): string {
  if (message.includes('re-scheduled')) return 'RescheduledException';
  if (message.startsWith('Build of instance')) return 'BuildAbortException';
  if (message.startsWith('Failed to provision')) return 'InvalidBDM';
  if (message.includes('failed to spawn')) return 'InstanceDeployFailure';
  if (message.startsWith('Cannot ')) return 'InstanceInvalidState';
  if (message.includes('is locked')) return 'InstanceIsLocked';
  if (message.startsWith('No valid host')) return 'NoValidHost';
  if (message.startsWith('Unexpected error while uploading')) return 'CouldNotUploadImage';
  return 'Invalid';
}

function powerState(state: string | null): string {
  switch (state) {
    case 'active': case 'resized': case 'rescued': return 'running';
    case 'paused': return 'paused';
    case 'suspended': return 'suspended';
    case 'stopped': case 'deleted': return 'shutdown';
    case 'building': return 'pending';
    default: return 'nostate';
  }
}

const ipPayloads = new WeakMap<readonly object[], readonly Data[]>();
const NO_IPS: readonly Data[] = Object.freeze([]);

/** IpPayload list for an instance's fixed_ips: built once per allocation, frozen and shared. */
function ipAddresses(w: World, inst: Instance): readonly Data[] {
  const fixed = inst.fixedIps;
  if (fixed.length === 0) return NO_IPS;
  let list = ipPayloads.get(fixed);
  if (!list) {
    const ports = new Map<string, string>();
    list = deepFreeze(fixed.map((ip) => {
      const {vif_mac: mac, address, version, label} = ip as {vif_mac: string; address: string; version: number; label: string};
      let port = ports.get(mac);
      if (!port) ports.set(mac, (port = w.rng.uuid()));
      return novaObject('IpPayload', '1.0', {
        mac, address, port_uuid: port, meta: {}, version, label, device_name: 'tap' + port.slice(0, 11),
      });
    }));
    ipPayloads.set(fixed, list);
  }
  return list;
}

const NO_DEVICES: readonly object[] = Object.freeze([]);

/** InstancePayload's fields: the instance as it is at time t, for request req. */
function instanceData(w: World, inst: Instance, req: Request, t: number): Data {
  const host = inst.host;
  const img = inst.image;
  const gone = inst.deletedMicros > 0 ? isoZ(inst.deletedMicros) : null;
  return {
    uuid: inst.uuid,
    display_name: inst.displayName,
    display_description: inst.displayName,
    host_name: inst.displayName,
    host: host ? host.name : null,
    node: host ? host.node : null,
    availability_zone: inst.dep.availabilityZone,
    tenant_id: inst.tenant.id,
    user_id: inst.tenant.userId,
    state: inst.state,
    task_state: inst.task,
    power_state: powerState(inst.state),
    image_uuid: img.id,
    flavor: flavorPayload(inst.flavor),
    architecture: 'x86_64',
    os_type: img.spec.osType,
    kernel_id: '',
    ramdisk_id: '',
    created_at: inst.createdAt.replace(' ', 'T') + 'Z',
    launched_at: inst.launchedMicros > 0 ? isoZ(inst.launchedMicros) : null,
    terminated_at: gone,
    deleted_at: gone,
    updated_at: isoZ(t),
    reservation_id: inst.reservationId,
    metadata: inst.metadata,
    locked: false,
    key_name: null,
    auto_disk_config: img.meta.auto_disk_config === 'True' ? 'AUTO' : 'MANUAL',
    progress: 0,
    ip_addresses: ipAddresses(w, inst),
    block_devices: NO_DEVICES,
    request_id: req.id,
    action_initiator_user: req.caller.userId,
    action_initiator_project: req.caller.projectId,
  };
}

// ---------------------------------------------------------------------------------------
// Instance notifications

/** Legacy action names whose versioned name differs (compute.instance.resize.prep.start → instance.resize_prep.start). */
const ACTION_NAMES: Readonly<Record<string, string>> = {
  'resize.prep': 'resize_prep',
  'finish_resize': 'resize_finish',
  'resize.confirm': 'resize_confirm',
  'resize.revert': 'resize_revert',
};

/** The versioned event type of a legacy `compute.instance.<event>` suffix such as `create.start`. */
export function versionedInstanceEvent(legacy: string): string {
  const dot = legacy.lastIndexOf('.');
  const action = legacy.slice(0, dot);
  return 'instance.' + (ACTION_NAMES[action] ?? action) + legacy.slice(dot);
}

function actionObject(event: string): [string, string] {
  if (event.startsWith('instance.create.')) return ['InstanceCreatePayload', '1.10'];
  if (event.startsWith('instance.snapshot.')) return ['InstanceActionSnapshotPayload', '1.10'];
  if (event.startsWith('instance.resize_prep.')) return ['InstanceActionResizePrepPayload', '1.3'];
  return ['InstanceActionPayload', '1.5'];
}

/**
 * instance.<action>.start/.end/.error: InstanceActionPayload (or the create, snapshot and
 * resize_prep subclasses, with `extra` fields such as snapshot_image_id or new_flavor).
 * A fault makes it an ERROR notification.
 */
export function instanceAction(
  w: World, req: Request, t: number, inst: Instance, legacyEvent: string, publisher: string,
  extra?: Data, fault?: Data,
): Envelope {
  const event = versionedInstanceEvent(legacyEvent);
  const [name, version] = actionObject(event);
  const data = instanceData(w, inst, req, t);
  data.fault = fault ?? null;
  if (name === 'InstanceCreatePayload') {
    data.keypairs = NO_DEVICES;
    data.tags = NO_DEVICES;
    data.trusted_image_certificates = null;
    data.instance_name = 'instance-' + inst.uuid.slice(0, 8);
  }
  if (extra) Object.assign(data, extra);
  return versionedEnvelope(w, req, t, event, versionedPublisher(publisher), fault !== undefined, novaObject(name, version, data));
}

/** instance.update: InstanceUpdatePayload with state_update (old and new state and task). */
export function instanceUpdate(
  w: World, req: Request, t: number, inst: Instance, publisher: string, oldState: string | null, oldTask: string | null,
): Envelope {
  const data = instanceData(w, inst, req, t);
  data.state_update = novaObject('InstanceStateUpdatePayload', '1.0', {
    old_state: oldState, state: inst.state, old_task_state: oldTask, new_task_state: inst.task,
  });
  data.audit_period = novaObject('AuditPeriodPayload', '1.0', {
    audit_period_beginning: isoZ(hourFloor(t)), audit_period_ending: isoZ(t),
  });
  data.bandwidth = NO_DEVICES;
  data.old_display_name = null;
  data.tags = NO_DEVICES;
  return versionedEnvelope(w, req, t, 'instance.update', publisher, false, novaObject('InstanceUpdatePayload', '1.6', data));
}

/** instance.exists: InstanceExistsPayload for the audit period [begin, end). */
export function instanceExists(
  w: World, req: Request, t: number, inst: Instance, publisher: string, begin: number, end: number,
): Envelope {
  const data = instanceData(w, inst, req, t);
  data.audit_period = novaObject('AuditPeriodPayload', '1.0', {audit_period_beginning: isoZ(begin), audit_period_ending: isoZ(end)});
  return versionedEnvelope(w, req, t, 'instance.exists', versionedPublisher(publisher), false,
    novaObject('InstanceExistsPayload', '2.0', data));
}

/** compute.exception: what nova's exception wrapper sends when a compute call fails. */
export function computeException(
  w: World, req: Request, t: number, publisher: string, message: string, functionName: string,
): Envelope {
  return versionedEnvelope(w, req, t, 'compute.exception', versionedPublisher(publisher), true,
    exceptionPayload(exceptionName(message), message, functionName, 'nova.compute.manager'));
}

/** RequestSpecPayload of a boot request. */
function requestSpec(inst: Instance): Data {
  const img = inst.image;
  return novaObject('RequestSpecPayload', '1.1', {
    availability_zone: inst.dep.availabilityZone,
    flavor: flavorPayload(inst.flavor),
    ignore_hosts: null,
    image: novaObject('ImageMetaPayload', '1.0', {
      id: img.id, name: img.name, status: 'active', checksum: img.checksum, size: img.size,
      container_format: 'ovf', disk_format: 'vhd', min_disk: img.spec.minDisk, min_ram: 512,
      owner: img.owner, visibility: img.isSnapshot ? 'private' : 'public', protected: false,
      created_at: isoZ(img.createdMicros), updated_at: isoZ(img.createdMicros), tags: NO_DEVICES,
      properties: novaObject('ImageMetaPropsPayload', '1.12', {os_distro: img.spec.distro, hw_architecture: 'x86_64'}),
    }),
    instance_uuid: inst.uuid,
    num_instances: 1,
    numa_topology: null,
    pci_requests: null,
    project_id: inst.tenant.id,
    scheduler_hints: {},
    security_groups: ['default'],
    force_hosts: null,
    force_nodes: null,
    instance_group: null,
    requested_destination: null,
    retry: null,
    user_id: inst.tenant.userId,
  });
}

/** scheduler.select_destinations.start/.end, nova-scheduler's part of a boot. */
export function selectDestinations(
  w: World, req: Request, t: number, inst: Instance, publisher: string, phase: 'start' | 'end',
): Envelope {
  return versionedEnvelope(w, req, t, 'scheduler.select_destinations.' + phase, versionedPublisher(publisher), false, requestSpec(inst));
}

/** compute_task.build_instances.error: nova-conductor gives up on a boot (no valid host). */
export function buildInstancesError(
  w: World, req: Request, t: number, inst: Instance, publisher: string, message: string,
): Envelope {
  return versionedEnvelope(w, req, t, 'compute_task.build_instances.error', publisher, true,
    novaObject('ComputeTaskPayload', '1.0', {
      instance_uuid: inst.uuid,
      reason: exceptionPayload('NoValidHost', message, '_schedule_instances', 'nova.conductor.manager'),
      request_spec: requestSpec(inst),
      state: 'error',
    }));
}
