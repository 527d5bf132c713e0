// Flow planners: each user request (or periodic task) becomes a Flow, a list of steps with
// delays. Random branches are decided when the flow is planned, so its length is known up
// front; payloads are built when a step runs, so they show the instance as it is then.
// Sequences follow docs/ingest.md §6.2–6.8.

import {
  BAD_REQUEST_FAULTS, BUILD_FAULTS, CONFLICT_FAULTS, FLAVORS, GLANCE_UPLOAD_FAULTS, glanceUploadTraceback,
  type Flavor,
} from './catalog.js';
import {
  exceptionPayload, existsPayload, glanceEnvelope, imageExistsEntry, imagePayload, instancePayload,
  novaEnvelope, periodicRequest, requestSpec, updatePayload, userRequest, type Request,
} from './payloads.js';
import {HOUR, hourFloor, isoSeconds, pySeconds, pyTime} from './time.js';
import type {Envelope} from './types.js';
import {
  buildInstancesError, computeException, exceptionName, exceptionPayload as versionedException, flavorPayload,
  instanceAction, instanceExists, instanceUpdate, selectDestinations, versionedPublisher, type Data,
} from './versioned.js';
import type {Deployment, Host, Image, Instance, World} from './world.js';

export type FlowKind =
  | 'create' | 'delete' | 'resize' | 'snapshot' | 'rebuild' | 'reboot'
  | 'pause' | 'suspend' | 'power' | 'rescue'
  | 'audit' | 'image-delete' | 'image-exists'
  | 'volume' | 'port' | 'nova-object';

/**
 * How a flow's notifications travel: flat (StackTach's monitor.* bodies), enveloped (the same
 * legacy bodies in oslo.messaging's 2.0 envelope, on notifications.*) or versioned (nova's
 * versioned notifications, enveloped). The generator applies it (generator.ts).
 */
export type FlowProfile = 'flat' | 'enveloped' | 'versioned';

/** Probabilities of the rare branches. */
export const RATES = {
  buildFailure: 0.03, // of creates: state error + create.error + run_instance 500
  noValidHost: 0.015, // of creates: scheduler.run_instance error
  clientError: 0.07, // of reboots: reboot_instance 409/400
  recovery: 0.04, // of reboots: the guest falls into error, then recovers in the same request
  snapshotFailure: 0.03, // of snapshots: glance upload error + snapshot_instance 500
  slow: 0.012, // of creates, resizes, snapshots and rebuilds: > 30 minutes
  revert: 0.3, // of resizes
} as const;

/** A step returns null when the flow's profile has no such notification (it is skipped). */
export type Step = (t: number) => Envelope | null;

export class Flow {
  time = 0;
  seq = 0;
  index = 0;
  profile: FlowProfile = 'flat';
  readonly delays: number[] = [];
  readonly steps: Step[] = [];

  constructor(readonly kind: FlowKind) {}

  /** Add a step `delay` µs after the previous one. */
  then(delay: number, step: Step): this {
    this.delays.push(delay);
    this.steps.push(step);
    return this;
  }

  get size(): number {
    return this.steps.length;
  }
}

// ---------------------------------------------------------------------------------------
// Step helpers

/** compute.instance.update moving the instance to (state, task). */
function update(w: World, req: Request, t: number, inst: Instance, publisher: string,
  state: string | null, task: string | null): Envelope {
  const oldState = inst.state;
  const oldTask = inst.task;
  inst.state = state;
  inst.task = task;
  if (w.versioned) {
    // The scheduler gives a failed boot back to nova-conductor, which records the error state.
    const from = publisher.startsWith('scheduler.')
      ? 'nova-conductor:' + w.rng.pick(inst.dep.conductors) : versionedPublisher(publisher);
    return instanceUpdate(w, req, t, inst, from, oldState, oldTask);
  }
  return novaEnvelope(w, req, t, 'compute.instance.update', publisher, false, updatePayload(inst, t, oldState, oldTask));
}

/**
 * An instance event (compute.instance.<name>) with the plain instance payload; `extra` are the
 * fields the versioned payload adds for this event (snapshot_image_id, new_flavor).
 */
function instanceEvent(
  w: World, req: Request, t: number, inst: Instance, event: string, publisher: string, extra?: Data,
): Envelope {
  if (w.versioned) return instanceAction(w, req, t, inst, event, publisher, extra);
  return novaEnvelope(w, req, t, 'compute.instance.' + event, publisher, false, instancePayload(inst));
}

function currentExists(w: World, req: Request, t: number, inst: Instance, publisher: string): Envelope {
  if (w.versioned) return instanceExists(w, req, t, inst, publisher, hourFloor(t), t);
  const payload = existsPayload(inst, pySeconds(hourFloor(t)), pyTime(t));
  return novaEnvelope(w, req, t, 'compute.instance.exists', publisher, false, payload);
}

/** The ExceptionPayload a versioned instance.*.error carries as its fault. */
function exceptionFault(message: string, functionName: string): Data {
  return versionedException(exceptionName(message), message, functionName, 'nova.compute.manager');
}

function fault(template: string, uuid: string): string {
  return template.split('%s').join(uuid);
}

function hostOf(inst: Instance): Host {
  return inst.host!;
}

function otherHost(w: World, dep: Deployment, not: Host | null): Host {
  for (;;) {
    const h = w.rng.pick(dep.computes);
    if (h !== not || dep.computes.length === 1) return h;
  }
}

function otherFlavor(w: World, not: Flavor): Flavor {
  for (;;) {
    const f = w.pickFlavor();
    if (f !== not || FLAVORS.length === 1) return f;
  }
}

function release(inst: Instance): void {
  inst.busy = false;
}

// ---------------------------------------------------------------------------------------
// Nova user requests

/** §6.2 create, with the build-failure (§6.7a) and no-valid-host (§6.7c) branches. */
export function planCreate(w: World, dep: Deployment, t0: number): Flow {
  const rng = w.rng;
  const tenant = rng.pick(w.tenants);
  const inst = w.newInstance(dep, tenant, w.pickBootImage(), w.pickFlavor(), t0);
  const req = userRequest(w, dep, tenant, t0);
  const api = rng.pick(dep.api);
  const sched = rng.pick(dep.schedulers);
  const host = rng.pick(dep.computes);
  const roll = rng.float();
  const outcome = roll < RATES.buildFailure ? 'fail' : roll < RATES.buildFailure + RATES.noValidHost ? 'nohost' : 'ok';
  const slow = outcome === 'ok' && rng.chance(RATES.slow);
  const spec = requestSpec(inst);
  const f = new Flow('create');

  f.then(0, (t) => update(w, req, t, inst, api, 'building', 'scheduling'));
  f.then(rng.secs(0.15, 0.35), (t) => w.versioned ? selectDestinations(w, req, t, inst, sched, 'start')
    : novaEnvelope(w, req, t, 'scheduler.run_instance.start', sched, false, {request_spec: spec}));
  if (outcome === 'nohost') {
    const reason = `No valid host was found. Exceeded max scheduling attempts 3 for instance ${inst.uuid}`;
    f.then(rng.secs(0.3, 2.5), (t) => w.versioned
      ? buildInstancesError(w, req, t, inst, 'nova-conductor:' + w.rng.pick(dep.conductors), reason)
      : novaEnvelope(w, req, t, 'scheduler.run_instance', sched, true, {
        request_spec: spec, instance_id: inst.uuid, state: 'error', method: 'run_instance', reason,
      }));
    f.then(rng.secs(0.01, 0.1), (t) => update(w, req, t, inst, sched, 'error', null));
    return f;
  }
  f.then(rng.secs(0.1, 0.4), (t) => {
    w.placeOn(inst, host);
    if (w.versioned) return null; // the versioned scheduler reports only select_destinations.start/.end
    return novaEnvelope(w, req, t, 'scheduler.run_instance.scheduled', sched, false, {
      request_spec: spec, instance_id: inst.uuid, weighted_host: {host: host.name, weight: rng.float() * 10},
    });
  });
  f.then(rng.secs(0.05, 0.2), (t) => w.versioned ? selectDestinations(w, req, t, inst, sched, 'end')
    : novaEnvelope(w, req, t, 'scheduler.run_instance.end', sched, false, {request_spec: spec}));
  f.then(rng.secs(0.2, 1.5), (t) => update(w, req, t, inst, host.publisher, 'building', 'networking'));
  f.then(rng.secs(0.05, 0.3), (t) => instanceEvent(w, req, t, inst, 'create.start', host.publisher));
  f.then(rng.secs(1, 6), (t) => {
    w.allocateNetwork(inst);
    return update(w, req, t, inst, host.publisher, 'building', 'block_device_mapping');
  });
  f.then(rng.secs(1, 5), (t) => update(w, req, t, inst, host.publisher, 'building', 'spawning'));
  const spawn = slow ? rng.secs(1850, 2600) : rng.secs(15, 80);
  let rest = spawn;
  if (rng.chance(0.5)) {
    const half = Math.round(spawn / 2);
    rest = spawn - half;
    f.then(half, (t) => update(w, req, t, inst, host.publisher, 'building', 'spawning'));
  }
  if (outcome === 'fail') {
    const message = fault(rng.pick(BUILD_FAULTS), inst.uuid);
    f.then(rest, (t) => update(w, req, t, inst, host.publisher, 'error', null));
    f.then(rng.secs(0.05, 0.3), (t) => {
      if (w.versioned) {
        return instanceAction(w, req, t, inst, 'create.error', host.publisher, undefined,
          exceptionFault(message, '_build_and_run_instance'));
      }
      const p = instancePayload(inst);
      p.message = message;
      p.code = 500;
      return novaEnvelope(w, req, t, 'compute.instance.create.error', host.publisher, true, p);
    });
    f.then(rng.secs(0.01, 0.1), (t) => w.versioned ? computeException(w, req, t, host.publisher, message, 'build_and_run_instance')
      : novaEnvelope(w, req, t, 'run_instance', host.publisher, true,
      exceptionPayload(inst, 500, message, {
        request_spec: null, filter_properties: {retry: {num_attempts: 1, hosts: [[host.name, host.node]]}},
        requested_networks: null, injected_files: [], admin_password: null, is_first_time: true,
        node: host.node, legacy_bdm_in_spec: false,
      })));
    return f;
  }
  f.then(rest, (t) => {
    w.setLaunched(inst, t);
    return update(w, req, t, inst, host.publisher, 'active', null);
  });
  f.then(rng.secs(0.01, 0.2), (t) => {
    w.addLive(inst);
    release(inst);
    if (w.versioned) return instanceAction(w, req, t, inst, 'create.end', host.publisher);
    const p = instancePayload(inst);
    p.message = 'Success';
    return novaEnvelope(w, req, t, 'compute.instance.create.end', host.publisher, false, p);
  });
  return f;
}

/** §6.6 delete. The instance owes a final exists once its audit period has ended. */
export function planDelete(w: World, dep: Deployment, t0: number): Flow | null {
  const inst = w.claimIdle(dep);
  if (!inst) return null;
  const rng = w.rng;
  w.removeLive(inst);
  const req = userRequest(w, dep, inst.tenant, t0);
  const api = rng.pick(dep.api);
  const host = hostOf(inst);
  const keepDeletedAt = rng.chance(0.7);
  const f = new Flow('delete');
  f.then(0, (t) => update(w, req, t, inst, api, inst.state, 'deleting'));
  f.then(rng.secs(0.3, 2), (t) => instanceEvent(w, req, t, inst, 'delete.start', host.publisher));
  f.then(rng.secs(0.05, 0.5), (t) => instanceEvent(w, req, t, inst, 'shutdown.start', host.publisher));
  f.then(rng.secs(1, 12), (t) => instanceEvent(w, req, t, inst, 'shutdown.end', host.publisher));
  f.then(rng.secs(0.2, 2), (t) => {
    inst.deletedMicros = t;
    inst.terminatedAt = w.dateString(dep, t);
    return update(w, req, t, inst, host.publisher, 'deleted', null);
  });
  f.then(rng.secs(0.05, 0.5), (t) => {
    inst.deletedAt = keepDeletedAt ? inst.terminatedAt : '';
    w.unplace(inst);
    if (host.deleted.length >= 64) host.deleted.shift();
    host.deleted.push(inst);
    return instanceEvent(w, req, t, inst, 'delete.end', host.publisher);
  });
  return f;
}

/** §6.4 resize (request R3), then confirm (R4) or revert (R5) some minutes later. */
export function planResize(w: World, dep: Deployment, t0: number): Flow | null {
  const inst = w.claimIdle(dep);
  if (!inst) return null;
  const rng = w.rng;
  const api = rng.pick(dep.api);
  const src = hostOf(inst);
  const dst = otherHost(w, dep, src);
  const oldFlavor = inst.flavor;
  const newFlavor = otherFlavor(w, oldFlavor);
  const slow = rng.chance(RATES.slow);
  const revert = rng.chance(RATES.revert);
  const r3 = userRequest(w, dep, inst.tenant, t0);
  const f = new Flow('resize');

  f.then(0, (t) => update(w, r3, t, inst, api, 'active', 'resize_prep'));
  f.then(rng.secs(0.3, 1.5), (t) => currentExists(w, r3, t, inst, src.publisher));
  f.then(rng.secs(0.05, 0.3), (t) => instanceEvent(w, r3, t, inst, 'resize.prep.start', dst.publisher,
    {new_flavor: flavorPayload(newFlavor)}));
  f.then(rng.secs(0.5, 2), (t) => {
    if (w.versioned) return instanceAction(w, r3, t, inst, 'resize.prep.end', dst.publisher, {new_flavor: flavorPayload(newFlavor)});
    const p = instancePayload(inst);
    p.new_instance_type = newFlavor.name;
    p.new_instance_type_id = newFlavor.id;
    return novaEnvelope(w, r3, t, 'compute.instance.resize.prep.end', dst.publisher, false, p);
  });
  f.then(rng.secs(0.5, 3), (t) => update(w, r3, t, inst, src.publisher, 'active', 'resize_migrating'));
  f.then(rng.secs(0.05, 0.3), (t) => instanceEvent(w, r3, t, inst, 'resize.start', src.publisher));
  f.then(slow ? rng.secs(1850, 2500) : rng.secs(10, 150),
    (t) => update(w, r3, t, inst, src.publisher, 'active', 'resize_migrated'));
  f.then(rng.secs(0.05, 0.3), (t) => instanceEvent(w, r3, t, inst, 'resize.end', src.publisher));
  f.then(rng.secs(0.5, 3), (t) => {
    inst.flavor = newFlavor;
    w.placeOn(inst, dst);
    return update(w, r3, t, inst, dst.publisher, 'active', 'resize_finish');
  });
  f.then(rng.secs(0.05, 0.3), (t) => instanceEvent(w, r3, t, inst, 'finish_resize.start', dst.publisher));
  f.then(rng.secs(5, 30), (t) => {
    w.setLaunched(inst, t);
    return update(w, r3, t, inst, dst.publisher, 'resized', null);
  });
  f.then(rng.secs(0.01, 0.2), (t) => instanceEvent(w, r3, t, inst, 'finish_resize.end', dst.publisher));

  const gap = rng.secs(15, 300);
  if (!revert) {
    let r4!: Request;
    f.then(gap, (t) => {
      r4 = userRequest(w, dep, inst.tenant, t);
      return update(w, r4, t, inst, api, 'resized', null);
    });
    f.then(rng.secs(0.3, 2), (t) => instanceEvent(w, r4, t, inst, 'resize.confirm.start', src.publisher));
    f.then(rng.secs(1, 6), (t) => instanceEvent(w, r4, t, inst, 'resize.confirm.end', src.publisher));
    f.then(rng.secs(0.05, 0.3), (t) => {
      release(inst);
      return update(w, r4, t, inst, dst.publisher, 'active', null);
    });
  } else {
    let r5!: Request;
    f.then(gap, (t) => {
      r5 = userRequest(w, dep, inst.tenant, t);
      return update(w, r5, t, inst, api, 'resized', 'resize_reverting');
    });
    f.then(rng.secs(0.3, 2), (t) => instanceEvent(w, r5, t, inst, 'resize.revert.start', dst.publisher));
    f.then(rng.secs(5, 40), (t) => {
      inst.flavor = oldFlavor;
      w.placeOn(inst, src);
      w.setLaunched(inst, t);
      return update(w, r5, t, inst, src.publisher, 'active', null);
    });
    f.then(rng.secs(0.01, 0.2), (t) => {
      release(inst);
      return instanceEvent(w, r5, t, inst, 'resize.revert.end', src.publisher);
    });
  }
  return f;
}

/** §6.3 snapshot with the glance image.create/prepare/upload/activate sequence. */
export function planSnapshot(w: World, dep: Deployment, t0: number): Flow | null {
  const inst = w.claimIdle(dep);
  if (!inst) return null;
  const rng = w.rng;
  const api = rng.pick(dep.api);
  const glance = rng.pick(dep.glance);
  const host = hostOf(inst);
  const fail = rng.chance(RATES.snapshotFailure);
  const slow = !fail && rng.chance(RATES.slow);
  const base = inst.image.base ?? inst.image;
  const image = w.makeSnapshot(inst.tenant, base, inst.uuid, inst.flavor, t0);
  const req = userRequest(w, dep, inst.tenant, t0);
  const f = new Flow('snapshot');

  f.then(0, (t) => update(w, req, t, inst, api, 'active', 'image_snapshot'));
  f.then(rng.secs(0.1, 0.6), (t) => {
    image.createdMicros = t;
    return glanceEnvelope(w, dep, t, 'image.create', glance, false, imagePayload(image, 'queued', t));
  });
  f.then(rng.secs(0.2, 1.5), (t) => instanceEvent(w, req, t, inst, 'snapshot.start', host.publisher, {snapshot_image_id: image.id}));
  f.then(rng.secs(0.5, 3), (t) => update(w, req, t, inst, host.publisher, 'active', 'image_pending_upload'));
  f.then(rng.secs(2, 20), (t) => update(w, req, t, inst, host.publisher, 'active', 'image_uploading'));
  f.then(rng.secs(0.1, 0.6), (t) => glanceEnvelope(w, dep, t, 'image.prepare', glance, false, imagePayload(image, 'queued', t)));
  const upload = slow ? rng.secs(1850, 2700) : rng.secs(100, 1150);
  if (fail) {
    const message = fault(rng.pick(GLANCE_UPLOAD_FAULTS), image.id);
    const traceback = glanceUploadTraceback(message, image.id, image.owner, dep.regionUpper.toLowerCase());
    f.then(rng.secs(5, 120), (t) => glanceEnvelope(w, dep, t, 'image.upload', glance, true, traceback));
    f.then(rng.secs(0.5, 3), (t) => update(w, req, t, inst, host.publisher, 'active', null));
    f.then(rng.secs(0.01, 0.2), (t) => {
      release(inst);
      const text = `Unexpected error while uploading image ${image.id}: ${message}`;
      if (w.versioned) return computeException(w, req, t, host.publisher, text, 'snapshot_instance');
      return novaEnvelope(w, req, t, 'snapshot_instance', host.publisher, true,
        exceptionPayload(inst, 500, text, {image_id: image.id, image_type: 'snapshot'}));
    });
    return f;
  }
  f.then(upload, (t) => glanceEnvelope(w, dep, t, 'image.upload', glance, false, imagePayload(image, 'saving', t)));
  f.then(rng.secs(0.05, 1), (t) => {
    w.addSnapshot(image);
    return glanceEnvelope(w, dep, t, 'image.activate', glance, false, imagePayload(image, 'active', t));
  });
  f.then(rng.secs(0.5, 3), (t) => update(w, req, t, inst, host.publisher, 'active', null));
  f.then(rng.secs(0.05, 0.5), (t) => {
    release(inst);
    return instanceEvent(w, req, t, inst, 'snapshot.end', host.publisher, {snapshot_image_id: image.id});
  });
  return f;
}

/** §6.5 rebuild onto a (possibly) different base image. */
export function planRebuild(w: World, dep: Deployment, t0: number): Flow | null {
  const inst = w.claimIdle(dep);
  if (!inst) return null;
  const rng = w.rng;
  const api = rng.pick(dep.api);
  const host = hostOf(inst);
  const newImage: Image = w.pickBaseImage();
  const slow = rng.chance(RATES.slow);
  const req = userRequest(w, dep, inst.tenant, t0);
  const f = new Flow('rebuild');
  f.then(0, (t) => update(w, req, t, inst, api, 'active', 'rebuilding'));
  f.then(rng.secs(0.3, 1.5), (t) => currentExists(w, req, t, inst, host.publisher));
  f.then(rng.secs(0.05, 0.3), (t) => {
    inst.image = newImage;
    return instanceEvent(w, req, t, inst, 'rebuild.start', host.publisher);
  });
  f.then(rng.secs(1, 5), (t) => update(w, req, t, inst, host.publisher, 'active', 'rebuild_block_device_mapping'));
  f.then(rng.secs(1, 5), (t) => update(w, req, t, inst, host.publisher, 'active', 'rebuild_spawning'));
  f.then(slow ? rng.secs(1850, 2400) : rng.secs(15, 80), (t) => {
    w.setLaunched(inst, t);
    return update(w, req, t, inst, host.publisher, 'active', null);
  });
  f.then(rng.secs(0.01, 0.2), (t) => {
    release(inst);
    return instanceEvent(w, req, t, inst, 'rebuild.end', host.publisher);
  });
  return f;
}

/** Reboot (aux), with the client-error branch of §6.7b. */
export function planReboot(w: World, dep: Deployment, t0: number): Flow | null {
  const inst = w.claimIdle(dep);
  if (!inst) return null;
  const rng = w.rng;
  const api = rng.pick(dep.api);
  const host = hostOf(inst);
  const hard = rng.chance(0.25);
  const task = hard ? 'rebooting_hard' : 'rebooting';
  const clientError = rng.chance(RATES.clientError);
  const req = userRequest(w, dep, inst.tenant, t0);
  const f = new Flow('reboot');
  f.then(0, (t) => update(w, req, t, inst, api, 'active', task));
  if (clientError) {
    const conflict = rng.chance(0.7);
    const code = conflict ? 409 : 400;
    const message = fault(rng.pick(conflict ? CONFLICT_FAULTS : BAD_REQUEST_FAULTS), inst.uuid);
    f.then(rng.secs(0.2, 1.2), (t) => w.versioned ? computeException(w, req, t, host.publisher, message, 'reboot_instance')
      : novaEnvelope(w, req, t, 'reboot_instance', host.publisher, true,
        exceptionPayload(inst, code, message, {reboot_type: hard ? 'HARD' : 'SOFT', block_device_info: null})));
    f.then(rng.secs(0.05, 0.5), (t) => {
      release(inst);
      return update(w, req, t, inst, host.publisher, 'active', null);
    });
    return f;
  }
  f.then(rng.secs(0.3, 1.5), (t) => instanceEvent(w, req, t, inst, 'reboot.start', host.publisher));
  if (rng.chance(RATES.recovery)) {
    // §6.7d: a state error that clears within the request (old_state error → active).
    f.then(rng.secs(5, 30), (t) => update(w, req, t, inst, host.publisher, 'error', task));
  }
  f.then(hard ? rng.secs(20, 90) : rng.secs(8, 60), (t) => update(w, req, t, inst, host.publisher, 'active', null));
  f.then(rng.secs(0.01, 0.2), (t) => {
    release(inst);
    return instanceEvent(w, req, t, inst, 'reboot.end', host.publisher);
  });
  return f;
}

interface ToggleSpec {
  kind: FlowKind;
  first: string;
  second: string;
  firstTask: string;
  secondTask: string;
  midState: string;
  work: [number, number];
}

const TOGGLES: Record<'pause' | 'suspend' | 'power' | 'rescue', ToggleSpec> = {
  pause: {kind: 'pause', first: 'pause', second: 'unpause', firstTask: 'pausing', secondTask: 'unpausing', midState: 'paused', work: [0.5, 4]},
  suspend: {kind: 'suspend', first: 'suspend', second: 'resume', firstTask: 'suspending', secondTask: 'resuming', midState: 'suspended', work: [5, 40]},
  power: {kind: 'power', first: 'power_off', second: 'power_on', firstTask: 'powering-off', secondTask: 'powering-on', midState: 'stopped', work: [3, 60]},
  rescue: {kind: 'rescue', first: 'rescue', second: 'unrescue', firstTask: 'rescuing', secondTask: 'unrescuing', midState: 'rescued', work: [20, 90]},
};

/** Two aux requests some minutes apart: pause/unpause, suspend/resume, power_off/on, rescue/unrescue. */
export function planToggle(w: World, dep: Deployment, t0: number, which: keyof typeof TOGGLES): Flow | null {
  const inst = w.claimIdle(dep);
  if (!inst) return null;
  const spec = TOGGLES[which];
  const rng = w.rng;
  const host = hostOf(inst);
  const r1 = userRequest(w, dep, inst.tenant, t0);
  const f = new Flow(spec.kind);
  f.then(0, (t) => update(w, r1, t, inst, rng.pick(dep.api), 'active', spec.firstTask));
  f.then(rng.secs(0.3, 1.5), (t) => instanceEvent(w, r1, t, inst, spec.first + '.start', host.publisher));
  f.then(rng.secs(spec.work[0], spec.work[1]), (t) => update(w, r1, t, inst, host.publisher, spec.midState, null));
  f.then(rng.secs(0.01, 0.2), (t) => instanceEvent(w, r1, t, inst, spec.first + '.end', host.publisher));
  const gap = rng.secs(20, 400);
  let r2!: Request;
  f.then(gap, (t) => {
    r2 = userRequest(w, dep, inst.tenant, t);
    return update(w, r2, t, inst, rng.pick(dep.api), spec.midState, spec.secondTask);
  });
  f.then(rng.secs(0.3, 1.5), (t) => instanceEvent(w, r2, t, inst, spec.second + '.start', host.publisher));
  f.then(rng.secs(spec.work[0], spec.work[1]), (t) => update(w, r2, t, inst, host.publisher, 'active', null));
  f.then(rng.secs(0.01, 0.2), (t) => {
    release(inst);
    return instanceEvent(w, r2, t, inst, spec.second + '.end', host.publisher);
  });
  return f;
}

// ---------------------------------------------------------------------------------------
// Periodic tasks

const AUDIT_BATCH = 12;

/**
 * A compute host's periodic usage audit: compute.instance.exists for the previous hourly
 * period, for its live instances and for instances deleted in an already-ended period.
 */
export function planAudit(w: World, dep: Deployment, t0: number): Flow | null {
  const rng = w.rng;
  const periodEnd = hourFloor(t0);
  const periodStart = periodEnd - HOUR;
  for (let tries = 0; tries < 6; tries++) {
    const host = rng.pick(dep.computes);
    const live = host.instances.filter((i) => i.launchedMicros > 0 && i.launchedMicros < periodEnd).slice(0, AUDIT_BATCH);
    const gone: Instance[] = [];
    while (host.deleted.length > 0 && gone.length < 4) {
      const d = host.deleted[0]!;
      if (hourFloor(d.deletedMicros) + HOUR > periodEnd) break; // its period has not ended yet
      host.deleted.shift();
      gone.push(d);
    }
    if (live.length === 0 && gone.length === 0) continue;
    const req = periodicRequest(w, dep, t0);
    const f = new Flow('audit');
    const begin = pySeconds(periodStart);
    const end = pySeconds(periodEnd);
    for (const inst of live) {
      f.then(f.size === 0 ? 0 : rng.secs(0.005, 0.15), (t) => w.versioned
        ? instanceExists(w, req, t, inst, host.publisher, periodStart, periodEnd)
        : novaEnvelope(w, req, t, 'compute.instance.exists', host.publisher, false, existsPayload(inst, begin, end)));
    }
    for (const inst of gone) {
      const dStart = hourFloor(inst.deletedMicros);
      f.then(f.size === 0 ? 0 : rng.secs(0.005, 0.15), (t) => {
        if (w.versioned) return instanceExists(w, req, t, inst, host.publisher, dStart, dStart + HOUR);
        const p = existsPayload(inst, pySeconds(dStart), pySeconds(dStart + HOUR));
        p.deleted_at = w.dateString(dep, inst.deletedMicros);
        return novaEnvelope(w, req, t, 'compute.instance.exists', host.publisher, false, p);
      });
    }
    return f;
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// Glance

/** §6.8 image.delete of a snapshot. */
export function planImageDelete(w: World, dep: Deployment, t0: number): Flow | null {
  const rng = w.rng;
  if (w.snapshots.length === 0) return null;
  const image = rng.pick(w.snapshots);
  w.removeSnapshot(image);
  image.deletedMicros = t0;
  const owner = image.ownerTenant!;
  if (owner.deletedImages.length >= 16) owner.deletedImages.shift();
  owner.deletedImages.push(image);
  const publisher = rng.pick(dep.glance);
  return new Flow('image-delete').then(0, (t) =>
    glanceEnvelope(w, dep, t, 'image.delete', publisher, false, imagePayload(image, 'deleted', t)));
}

/** image.exists bodies are kept within these sizes (bytes of JSON) by choosing how many images to list. */
const EXISTS_MIN_BYTES = 2100;
const EXISTS_MAX_BYTES = 4900;
const EXISTS_MAX_IMAGES = 4;

/** §6.8 image.exists: one owner's images for the previous hourly period. */
export function planImageExists(w: World, dep: Deployment, t0: number): Flow | null {
  const rng = w.rng;
  if (w.snapshots.length === 0) return null;
  const periodEnd = hourFloor(t0);
  const periodStart = periodEnd - HOUR;
  const owner = rng.chance(0.1) ? w.glanceOwner : rng.pick(w.snapshots).ownerTenant!;
  const pool = owner === w.glanceOwner ? w.baseImages : owner.images;
  const candidates: Record<string, unknown>[] = [];
  while (owner.deletedImages.length > 0 && candidates.length < EXISTS_MAX_IMAGES) {
    const d = owner.deletedImages[0]!;
    if (d.deletedMicros >= periodEnd) break;
    owner.deletedImages.shift();
    if (d.deletedMicros >= periodStart) candidates.push(imageExistsEntry(d, isoSeconds(d.deletedMicros)));
  }
  const start = pool.length > 0 ? rng.int(pool.length) : 0;
  for (let i = 0; i < pool.length && candidates.length < EXISTS_MAX_IMAGES; i++) {
    const img = pool[(start + i) % pool.length]!;
    if (img.createdMicros < periodEnd) candidates.push(imageExistsEntry(img, null));
  }
  // Envelope overhead (ids, timestamps, keys) is about 250 bytes; count the payload exactly.
  const entries: Record<string, unknown>[] = [];
  let bytes = 250 + 150 + owner.id.length;
  for (const entry of candidates) {
    const size = JSON.stringify(entry).length + 1;
    if (bytes + size > EXISTS_MAX_BYTES) break;
    entries.push(entry);
    bytes += size;
  }
  if (entries.length === 0 || bytes < EXISTS_MIN_BYTES) return null;
  const publisher = rng.pick(dep.glance);
  const payload = {
    audit_period_beginning: pySeconds(periodStart) + '.000000',
    audit_period_ending: pySeconds(periodEnd) + '.000000',
    owner: owner.id,
    images: entries,
  };
  return new Flow('image-exists').then(0, (t) => glanceEnvelope(w, dep, t, 'image.exists', publisher, false, payload));
}
