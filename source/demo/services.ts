// Flows of the other services a current cloud runs beside nova, for the mixed shape: cinder
// volumes attached to instances of the world, neutron ports bound to them, and nova's
// versioned notifications about objects that are not instances (flavors, aggregates,
// keypairs, services). All travel in oslo.messaging's 2.0 envelope (the generator wraps them).

import {SERVER_WORDS, USER_NAMES} from './catalog.js';
import {Flow} from './flows.js';
import {periodicRequest, userRequest, type Request} from './payloads.js';
import {isoTime, pyTime} from './time.js';
import type {DemoExchange, Envelope} from './types.js';
import {isoZ, novaObject, versionedEnvelope, versionedPublisher, type Data} from './versioned.js';
import type {Deployment, Instance, World} from './world.js';

/** A legacy-format notification of another service, as oslo.messaging's notifier fills it. */
function serviceEnvelope(
  w: World, req: Request, t: number, exchange: DemoExchange, eventType: string, publisher: string, payload: Data,
): Envelope {
  const c = req.caller;
  return {
    deployment: req.dep.name,
    exchange,
    routing_key: 'notifications.info',
    body: {
      message_id: w.rng.uuid(),
      publisher_id: publisher,
      event_type: eventType,
      priority: 'INFO',
      timestamp: pyTime(t),
      payload,
      _context_request_id: req.id,
      _context_project_id: c.projectId,
      _context_user_id: c.userId,
      _context_project_name: c.projectName,
      _context_user_name: c.userName,
      _context_roles: c.roles,
      _context_is_admin: c.isAdmin,
      _context_timestamp: req.contextTimestamp,
      _context_read_deleted: 'no',
    },
  };
}

// ---------------------------------------------------------------------------------------
// Cinder

interface Volume {
  id: string;
  inst: Instance;
  /** cinder-volume service `host@backend`; the payload's host adds `#pool`. */
  service: string;
  size: number;
  name: string;
  type: string;
  createdMicros: number;
  launchedMicros: number;
  attachmentId: string;
  attachedMicros: number;
  mountpoint: string;
}

const VOLUME_TYPE = 'a1f5c4e0-3c4b-4d69-9b2e-7d3f0c6e5a10';

/**
 * cinder's volume usage payload. Deployments alternate between two cinder generations: before
 * multi-attach the payload named the instance as `instance_uuid`; since, its `volume_attachment`
 * list does (one entry per attachment, each with `instance_uuid`).
 */
function volumePayload(vol: Volume, status: string, attached: 'no' | 'attaching' | 'attached', t: number): Data {
  const old = vol.inst.dep.index % 2 === 1;
  const base: Data = {
    tenant_id: vol.inst.tenant.id,
    host: vol.service + '#rbd',
    user_id: vol.inst.tenant.userId,
  };
  if (old) base.instance_uuid = attached === 'attached' ? vol.inst.uuid : null;
  Object.assign(base, {
    availability_zone: vol.inst.dep.availabilityZone ?? 'nova',
    volume_id: vol.id,
    volume_type: VOLUME_TYPE,
    display_name: vol.name,
    launched_at: old ? (vol.launchedMicros > 0 ? pyTime(vol.launchedMicros) : '') : isoTime(vol.launchedMicros || t),
    created_at: old ? pyTime(vol.createdMicros) : isoTime(vol.createdMicros),
    status,
    snapshot_id: null,
    size: vol.size,
  });
  if (!old) {
    Object.assign(base, {
      replication_status: null,
      replication_extended_status: null,
      replication_driver_data: null,
      metadata: [],
      volume_attachment: attached === 'no' ? [] : [{
        id: vol.attachmentId,
        volume_id: vol.id,
        instance_uuid: vol.inst.uuid,
        attached_host: vol.inst.host ? vol.inst.host.name : null,
        mountpoint: vol.mountpoint,
        attach_time: attached === 'attached' ? isoTime(vol.attachedMicros) : null,
        detach_time: null,
        attach_status: attached,
        attach_mode: 'rw',
        deleted: false,
      }],
    });
  }
  return base;
}

/**
 * A tenant creates a volume and attaches it to one of its instances; half the time it later
 * detaches and deletes it. Each API call is its own request, as in cinder.
 */
export function planVolume(w: World, dep: Deployment, t0: number): Flow | null {
  const inst = w.claimIdle(dep);
  if (!inst) return null;
  const rng = w.rng;
  const service = rng.pick(dep.volumeHosts);
  const publisher = 'volume.' + service;
  const vol: Volume = {
    id: rng.uuid(), inst, service, size: rng.pick([10, 20, 50, 100, 250, 500]),
    name: `${rng.pick(SERVER_WORDS)}-data-${rng.intIn(1, 99)}`, type: VOLUME_TYPE, createdMicros: t0,
    launchedMicros: 0, attachmentId: rng.uuid(), attachedMicros: 0, mountpoint: rng.pick(['/dev/vdb', '/dev/vdc', '/dev/xvdb']),
  };
  const create = userRequest(w, dep, inst.tenant, t0);
  const env = (req: Request, t: number, event: string, payload: Data) =>
    serviceEnvelope(w, req, t, 'cinder', event, publisher, payload);
  const f = new Flow('volume');
  f.then(0, (t) => env(create, t, 'volume.create.start', volumePayload(vol, 'creating', 'no', t)));
  f.then(rng.secs(2, 20), (t) => {
    vol.launchedMicros = t;
    return env(create, t, 'volume.create.end', volumePayload(vol, 'available', 'no', t));
  });
  let attach!: Request;
  f.then(rng.secs(3, 60), (t) => {
    attach = userRequest(w, dep, inst.tenant, t);
    return env(attach, t, 'volume.attach.start', volumePayload(vol, 'attaching', 'attaching', t));
  });
  f.then(rng.secs(1, 8), (t) => {
    vol.attachedMicros = t;
    inst.busy = false;
    return env(attach, t, 'volume.attach.end', volumePayload(vol, 'in-use', 'attached', t));
  });
  if (rng.chance(0.5)) {
    let detach!: Request;
    f.then(rng.secs(60, 900), (t) => {
      detach = userRequest(w, dep, inst.tenant, t);
      return env(detach, t, 'volume.detach.start', volumePayload(vol, 'detaching', 'attached', t));
    });
    f.then(rng.secs(1, 6), (t) => env(detach, t, 'volume.detach.end', volumePayload(vol, 'available', 'no', t)));
    let remove!: Request;
    f.then(rng.secs(5, 120), (t) => {
      remove = userRequest(w, dep, inst.tenant, t);
      return env(remove, t, 'volume.delete.start', volumePayload(vol, 'deleting', 'no', t));
    });
    f.then(rng.secs(1, 10), (t) => env(remove, t, 'volume.delete.end', volumePayload(vol, 'deleted', 'no', t)));
  }
  return f;
}

// ---------------------------------------------------------------------------------------
// Neutron

const networks = new WeakMap<Deployment, {network: string; subnet: string; securityGroup: string}[]>();

function networksOf(w: World, dep: Deployment) {
  let list = networks.get(dep);
  if (!list) {
    list = Array.from({length: 4}, () => ({network: w.rng.uuid(), subnet: w.rng.uuid(), securityGroup: w.rng.uuid()}));
    networks.set(dep, list);
  }
  return list;
}

/**
 * A second interface for an instance: neutron creates a port whose device is the instance,
 * and some minutes later deletes it.
 */
export function planPort(w: World, dep: Deployment, t0: number): Flow | null {
  const inst = w.claimIdle(dep);
  if (!inst) return null;
  const rng = w.rng;
  const net = rng.pick(networksOf(w, dep));
  const publisher = 'network.' + rng.pick(dep.networkHosts);
  const id = rng.uuid();
  const mac = 'fa:16:3e:' + rng.hex(8).slice(0, 6).replace(/(..)(..)(..)/, '$1:$2:$3');
  const ip = `10.${rng.intIn(0, 255)}.${rng.int(256)}.${rng.intIn(2, 254)}`;
  const owner = 'compute:' + (dep.availabilityZone ?? 'nova');
  const port = (status: string, t: number, revision: number): Data => ({
    id, name: '', network_id: net.network, tenant_id: inst.tenant.id, project_id: inst.tenant.id,
    mac_address: mac, admin_state_up: true, status, device_id: inst.uuid, device_owner: owner,
    fixed_ips: [{subnet_id: net.subnet, ip_address: ip}], allowed_address_pairs: [], extra_dhcp_opts: [],
    security_groups: [net.securityGroup], description: '', 'binding:vnic_type': 'normal',
    'binding:host_id': inst.host ? inst.host.name : '', 'binding:profile': {}, 'binding:vif_type': 'ovs',
    'binding:vif_details': {port_filter: true, ovs_hybrid_plug: false}, port_security_enabled: true,
    qos_policy_id: null, tags: [], created_at: isoZ(t0), updated_at: isoZ(t), revision_number: revision,
  });
  const create = userRequest(w, dep, inst.tenant, t0);
  const env = (req: Request, t: number, event: string, payload: Data) =>
    serviceEnvelope(w, req, t, 'neutron', event, publisher, payload);
  const f = new Flow('port');
  f.then(0, (t) => env(create, t, 'port.create.start', {
    port: {network_id: net.network, device_id: inst.uuid, device_owner: owner, admin_state_up: true},
  }));
  f.then(rng.secs(0.1, 1.5), (t) => {
    inst.busy = false;
    return env(create, t, 'port.create.end', {port: port('DOWN', t, 1)});
  });
  let remove!: Request;
  f.then(rng.secs(30, 900), (t) => {
    remove = userRequest(w, dep, inst.tenant, t);
    return env(remove, t, 'port.delete.start', {port_id: id});
  });
  f.then(rng.secs(0.2, 3), (t) => env(remove, t, 'port.delete.end', {port_id: id, port: port('ACTIVE', t, 4)}));
  return f;
}

// ---------------------------------------------------------------------------------------
// Nova objects other than instances (versioned notifications only)

const api = (dep: Deployment, w: World) => versionedPublisher(w.rng.pick(dep.api));

/** One of flavor.create, aggregate.create.start/.end, keypair.create.start/.end, service.update (disable, enable). */
export function planNovaObject(w: World, dep: Deployment, t0: number): Flow {
  const rng = w.rng;
  const f = new Flow('nova-object');
  const kind = rng.int(4);
  if (kind === 0) {
    const req = periodicRequest(w, dep, t0);
    const memory = rng.pick([2048, 4096, 8192, 16384]);
    const data = {
      name: `custom.${rng.pick(SERVER_WORDS)}-${memory / 1024}g`, memory_mb: memory, ephemeral_gb: 0, disabled: false,
      vcpus: memory / 2048, swap: 0, rxtx_factor: 1.0, is_public: rng.chance(0.5), root_gb: rng.pick([20, 40, 80]),
      vcpu_weight: 0, flavorid: rng.uuid(), extra_specs: null, projects: [], description: null,
    };
    f.then(0, (t) => versionedEnvelope(w, req, t, 'flavor.create', api(dep, w), false, novaObject('FlavorPayload', '1.4', data)));
  } else if (kind === 1) {
    const req = periodicRequest(w, dep, t0);
    const name = `${dep.name}-agg-${rng.intIn(1, 999)}`;
    const uuid = rng.uuid();
    const id = rng.intIn(1, 5000);
    const zone = dep.availabilityZone ?? 'nova';
    const publisher = api(dep, w);
    f.then(0, (t) => versionedEnvelope(w, req, t, 'aggregate.create.start', publisher, false,
      novaObject('AggregatePayload', '1.1', {name, metadata: {availability_zone: zone}, uuid, hosts: null, id: null})));
    f.then(rng.secs(0.02, 0.3), (t) => versionedEnvelope(w, req, t, 'aggregate.create.end', publisher, false,
      novaObject('AggregatePayload', '1.1', {name, metadata: {availability_zone: zone}, uuid, hosts: [], id})));
  } else if (kind === 2) {
    const tenant = rng.pick(w.tenants);
    const req = userRequest(w, dep, tenant, t0);
    const name = `${rng.pick(USER_NAMES)}-key-${rng.intIn(1, 99)}`;
    const publisher = api(dep, w);
    const fingerprint = rng.hex(32).replace(/(..)(?!$)/g, '$1:');
    const publicKey = `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQ${rng.b64(150)} Generated-by-Nova`;
    const keypair = (done: boolean) => novaObject('KeypairPayload', '1.0', {
      user_id: tenant.userId, name, fingerprint: done ? fingerprint : null, public_key: done ? publicKey : null, type: 'ssh',
    });
    f.then(0, (t) => versionedEnvelope(w, req, t, 'keypair.create.start', publisher, false, keypair(false)));
    f.then(rng.secs(0.05, 0.6), (t) => versionedEnvelope(w, req, t, 'keypair.create.end', publisher, false, keypair(true)));
  } else {
    const host = rng.pick(dep.computes);
    const uuid = rng.uuid();
    const reason = rng.pick(['maintenance', 'disk replacement', 'kernel upgrade', 'hypervisor reboot']);
    let reports = rng.intIn(1000, 90000);
    const service = (disabled: boolean, t: number) => novaObject('ServiceStatusPayload', '1.1', {
      host: host.name, disabled, binary: 'nova-compute', topic: 'compute', disabled_reason: disabled ? reason : null,
      forced_down: false, version: 66, availability_zone: dep.availabilityZone, uuid,
      last_seen_up: isoZ(t - 10_000_000), report_count: reports++,
    });
    const off = periodicRequest(w, dep, t0);
    f.then(0, (t) => versionedEnvelope(w, off, t, 'service.update', host.versionedPublisher, false, service(true, t)));
    let on!: Request;
    f.then(rng.secs(120, 1800), (t) => {
      on = periodicRequest(w, dep, t);
      return versionedEnvelope(w, on, t, 'service.update', host.versionedPublisher, false, service(false, t));
    });
  }
  return f;
}
