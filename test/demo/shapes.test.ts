import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {DemoGenerator, type DemoOptions, type Envelope} from '../../source/demo/generator.js';
import type {World} from '../../source/demo/world.js';

// ---------------------------------------------------------------------------------------
// Helpers

type Obj = Record<string, unknown>;

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PY_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$/;
const ISO_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const NOVA_OBJECT_KEYS = ['nova_object.data', 'nova_object.name', 'nova_object.namespace', 'nova_object.version'];

function take(count: number, options?: DemoOptions): Envelope[] {
  const generator = new DemoGenerator(options);
  return Array.from({length: count}, () => generator.next());
}

function hashOf(envelopes: readonly Envelope[]): string {
  const h = createHash('sha256');
  for (const e of envelopes) h.update(JSON.stringify(e) + '\n');
  return h.digest('hex');
}

/** The body as a consumer sees it after oslo.messaging's deserialisation. */
function inner(e: Envelope): Obj {
  const b = e.body;
  if (!('oslo.message' in b)) return b;
  assert.deepEqual(Object.keys(b), ['oslo.version', 'oslo.message']);
  assert.equal(b['oslo.version'], '2.0');
  assert.equal(typeof b['oslo.message'], 'string');
  return JSON.parse(b['oslo.message'] as string) as Obj;
}

const isEnveloped = (e: Envelope) => 'oslo.message' in e.body;
const ev = (b: Obj) => b.event_type as string;
const data = (b: Obj) => (b.payload as Obj)['nova_object.data'] as Obj;

function assertNovaObject(value: unknown, name: string | RegExp, where: string): Obj {
  assert.ok(value !== null && typeof value === 'object', `${where} is an object`);
  const o = value as Obj;
  assert.deepEqual(Object.keys(o).sort(), NOVA_OBJECT_KEYS, `${where} has the nova_object keys`);
  assert.equal(o['nova_object.namespace'], 'nova', where);
  assert.match(o['nova_object.version'] as string, /^\d+\.\d+$/, where);
  if (typeof name === 'string') assert.equal(o['nova_object.name'], name, where);
  else assert.match(o['nova_object.name'] as string, name, where);
  return o['nova_object.data'] as Obj;
}

/** Checks .start/.end pairs (same request, same object) and returns how many matched. */
function pairs(bodies: readonly Obj[], idOf: (b: Obj) => unknown): number {
  const open = new Map<string, number>();
  let matched = 0;
  for (const b of bodies) {
    const name = ev(b);
    const dot = name.lastIndexOf('.');
    const phase = name.slice(dot + 1);
    if (phase !== 'start' && phase !== 'end') continue;
    const key = `${b._context_request_id} ${String(idOf(b))} ${name.slice(0, dot)}`;
    if (phase === 'start') open.set(key, (open.get(key) ?? 0) + 1);
    else {
      assert.ok((open.get(key) ?? 0) > 0, `${name} of ${key} follows its .start`);
      open.set(key, open.get(key)! - 1);
      matched++;
    }
  }
  return matched;
}

const flat = take(5000, {seed: 1});
const mixed = take(20_000, {seed: 1, shape: 'mixed'});
/** rate 10: 15,000 notifications span ~25 simulated minutes, so long snapshots finish. */
const versioned = take(15_000, {seed: 1, shape: 'versioned', rate: 10});

// ---------------------------------------------------------------------------------------

test('flat is the default and gives, byte for byte, the stream the generator gave before shapes', () => {
  assert.equal(hashOf(flat), 'dc99f39c5c384f342125251669a882291d317158cefaa593bd9b9e20154aa592');
  assert.equal(hashOf(take(5000, {seed: 1, shape: 'flat'})), hashOf(flat));
  assert.ok(flat.every((e) => !isEnveloped(e) && /^monitor(_glance)?\.(info|error)$/.test(e.routing_key)), 'all flat, monitor.*');
  assert.throws(() => new DemoGenerator({shape: 'round' as never}), /shape must be one of flat, enveloped, versioned, mixed, got round/);
});

test('enveloped is the flat stream with every body wrapped as the messagingv2 driver does', () => {
  const wrapped = take(5000, {seed: 1, shape: 'enveloped'});
  assert.equal(wrapped.length, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const e = wrapped[i]!;
    const f = flat[i]!;
    assert.equal(e.deployment, f.deployment);
    assert.equal(e.exchange, f.exchange);
    assert.equal(e.routing_key, f.routing_key);
    assert.ok(isEnveloped(e), 'enveloped');
    assert.equal(e.body['oslo.message'], JSON.stringify(f.body), 'the message is the flat body as JSON text');
    assert.deepEqual(inner(e), JSON.parse(JSON.stringify(f.body)));
  }
});

test('versioned: nova versioned notifications only, enveloped, on versioned_notifications.*', () => {
  const events = new Set<string>();
  for (const e of versioned) {
    assert.equal(e.exchange, 'nova');
    assert.ok(isEnveloped(e), 'enveloped');
    const b = inner(e);
    const error = b.priority === 'ERROR';
    assert.ok(error || b.priority === 'INFO', `priority ${b.priority}`);
    assert.equal(e.routing_key, error ? 'versioned_notifications.error' : 'versioned_notifications.info');
    assert.match(b.message_id as string, UUID4);
    assert.match(b.timestamp as string, PY_TIME);
    assert.match(b.publisher_id as string, /^nova-(api|compute|scheduler|conductor):[a-z0-9-]+$/);
    assert.ok(!ev(b).startsWith('compute.instance.'), `${ev(b)} has no compute. prefix`);
    assert.match(b._context_request_id as string, /^req-[0-9a-f-]{36}$/);
    assert.ok('_context_project_id' in b && '_context_user_id' in b, 'context');
    assertNovaObject(b.payload, /Payload$/, ev(b));
    events.add(ev(b));
  }
  for (const name of [
    'instance.create.start', 'instance.create.end', 'instance.update', 'instance.delete.start', 'instance.delete.end',
    'instance.resize_prep.start', 'instance.resize_prep.end', 'instance.resize_finish.start', 'instance.resize_finish.end',
    'instance.snapshot.start', 'instance.snapshot.end', 'instance.power_off.start', 'instance.power_off.end',
    'instance.reboot.start', 'instance.reboot.end', 'instance.exists', 'instance.create.error', 'compute.exception',
    'scheduler.select_destinations.start', 'scheduler.select_destinations.end', 'compute_task.build_instances.error',
    'flavor.create', 'aggregate.create.start', 'aggregate.create.end', 'keypair.create.start', 'keypair.create.end',
    'service.update',
  ]) assert.ok(events.has(name), `${name} appears`);
  assert.equal(hashOf(take(3000, {seed: 1, shape: 'versioned', rate: 10})), hashOf(versioned.slice(0, 3000)), 'deterministic');
});

test('versioned instance payloads carry what nova\'s samples carry', () => {
  const bodies = versioned.map(inner);
  const instanceEvents = bodies.filter((b) => ev(b).startsWith('instance.'));
  assert.ok(instanceEvents.length > 8000, `instance events: ${instanceEvents.length}`);
  for (const b of instanceEvents) {
    const name = ev(b);
    const expected = name === 'instance.update' ? 'InstanceUpdatePayload' : name === 'instance.exists' ? 'InstanceExistsPayload'
      : name.startsWith('instance.create.') ? 'InstanceCreatePayload' : name.startsWith('instance.snapshot.') ? 'InstanceActionSnapshotPayload'
        : name.startsWith('instance.resize_prep.') ? 'InstanceActionResizePrepPayload' : 'InstanceActionPayload';
    const d = assertNovaObject(b.payload, expected, name);
    assert.match(d.uuid as string, UUID4);
    for (const key of ['host', 'node', 'state', 'task_state', 'power_state', 'tenant_id', 'user_id', 'image_uuid', 'architecture',
      'os_type', 'created_at', 'launched_at', 'terminated_at', 'deleted_at', 'display_name', 'ip_addresses', 'request_id']) {
      assert.ok(key in d, `${name} data has ${key}`);
    }
    assert.equal(d.request_id, b._context_request_id, 'the payload names the request of the context');
    assert.equal(assertNovaObject(d.flavor, 'FlavorPayload', 'flavor').flavorid !== undefined, true);
    assert.match(d.created_at as string, ISO_Z);
    assert.ok(d.launched_at === null || ISO_Z.test(d.launched_at as string), `launched_at ${d.launched_at}`);
    // A resize's destination reports while the instance is still on its source; a build reports its own host.
    if (name === 'instance.create.end') assert.equal('nova-compute:' + String(d.host), b.publisher_id);
    if (name === 'instance.update') {
      const s = assertNovaObject(d.state_update, 'InstanceStateUpdatePayload', 'state_update');
      assert.deepEqual(Object.keys(s).sort(), ['new_task_state', 'old_state', 'old_task_state', 'state']);
      assert.equal(s.state, d.state);
      assert.equal(s.new_task_state, d.task_state);
      assert.ok(!('fault' in d), 'an update carries no fault');
    } else if (name === 'instance.exists') {
      const period = assertNovaObject(d.audit_period, 'AuditPeriodPayload', 'audit_period');
      assert.match(period.audit_period_beginning as string, ISO_Z);
    } else {
      assert.ok('fault' in d, `${name} carries fault`);
      if (name.endsWith('.error')) {
        assert.equal(b.priority, 'ERROR');
        const fault = assertNovaObject(d.fault, 'ExceptionPayload', 'fault');
        for (const key of ['exception', 'exception_message', 'function_name', 'module_name']) assert.equal(typeof fault[key], 'string', key);
      } else assert.equal(d.fault, null);
    }
    if (name.startsWith('instance.snapshot.')) assert.match(d.snapshot_image_id as string, UUID4);
    if (name.startsWith('instance.resize_prep.')) assertNovaObject(d.new_flavor, 'FlavorPayload', 'new_flavor');
  }
  // The api opens a request with an instance.update from nova-api; compute hosts do the work.
  const fromApi = instanceEvents.filter((b) => (b.publisher_id as string).startsWith('nova-api:'));
  assert.ok(fromApi.length > 500 && fromApi.every((b) => ev(b) === 'instance.update'), 'nova-api sends instance.update');
  const matched = pairs(instanceEvents, (b) => data(b).uuid);
  assert.ok(matched > 1500, `matched .start/.end pairs: ${matched}`);
  // resize_finish follows resize_prep for the same instance.
  const prepped = new Set(instanceEvents.filter((b) => ev(b) === 'instance.resize_prep.end').map((b) => data(b).uuid));
  const finished = instanceEvents.filter((b) => ev(b) === 'instance.resize_finish.end');
  assert.ok(finished.length > 0 && finished.every((b) => prepped.has(data(b).uuid)), 'resize_finish after resize_prep');
});

test('versioned non-instance events name their own object', () => {
  const bodies = versioned.map(inner);
  const one = (name: string) => bodies.find((b) => ev(b) === name)!;
  assert.match(assertNovaObject(one('flavor.create').payload, 'FlavorPayload', 'flavor').flavorid as string, UUID4);
  assert.match((one('flavor.create').publisher_id as string), /^nova-api:api-0[1-4]$/);
  const aggregate = assertNovaObject(one('aggregate.create.end').payload, 'AggregatePayload', 'aggregate');
  assert.match(aggregate.uuid as string, UUID4);
  assert.equal(typeof aggregate.id, 'number');
  const keypair = assertNovaObject(one('keypair.create.end').payload, 'KeypairPayload', 'keypair');
  assert.equal(typeof keypair.name, 'string');
  assert.match(keypair.public_key as string, /^ssh-rsa /);
  assert.equal(assertNovaObject(one('keypair.create.start').payload, 'KeypairPayload', 'keypair').fingerprint, null);
  const service = one('service.update');
  const s = assertNovaObject(service.payload, 'ServiceStatusPayload', 'service');
  assert.equal(s.binary, 'nova-compute');
  assert.equal(service.publisher_id, 'nova-compute:' + s.host);
  const noHost = one('compute_task.build_instances.error');
  assert.equal(noHost.priority, 'ERROR');
  assert.match(noHost.publisher_id as string, /^nova-conductor:conductor-0[12]$/);
  const task = assertNovaObject(noHost.payload, 'ComputeTaskPayload', 'task');
  assert.equal(assertNovaObject(task.reason, 'ExceptionPayload', 'reason').exception, 'NoValidHost');
  // The conductor records the error on the instance too.
  assert.ok(bodies.some((b) => ev(b) === 'instance.update' && (b.publisher_id as string).startsWith('nova-conductor:') &&
    data(b).uuid === task.instance_uuid && data(b).state === 'error'), 'conductor update to error');
});

test('mixed: deterministic by seed', () => {
  assert.equal(hashOf(take(4000, {seed: 1, shape: 'mixed'})), hashOf(mixed.slice(0, 4000)));
  assert.notEqual(hashOf(take(4000, {seed: 2, shape: 'mixed'})), hashOf(mixed.slice(0, 4000)));
});

test('mixed: every shape and service, each request in one form', () => {
  const forms = new Map<string, number>();
  const requests = new Map<string, string>();
  for (const e of mixed) {
    const b = inner(e);
    const enveloped = isEnveloped(e);
    let form: string;
    if (e.routing_key.startsWith('monitor')) {
      assert.ok(!enveloped, 'monitor.* bodies are flat');
      form = 'flat';
    } else if (e.routing_key.startsWith('notifications.')) {
      assert.ok(enveloped, 'notifications.* bodies are enveloped');
      form = 'enveloped';
    } else {
      assert.match(e.routing_key, /^versioned_notifications\.(info|error)$/);
      assert.ok(enveloped && e.exchange === 'nova', 'versioned: nova, enveloped');
      assertNovaObject(b.payload, /Payload$/, ev(b));
      form = 'versioned';
    }
    assert.equal(e.routing_key.endsWith('.error'), b.priority === 'ERROR', 'routing key follows the priority');
    const key = `${e.exchange} ${form}`;
    forms.set(key, (forms.get(key) ?? 0) + 1);
    const request = b._context_request_id as string | undefined;
    if (request && e.exchange === 'nova') {
      const seen = requests.get(request);
      if (seen === undefined) requests.set(request, form);
      else assert.equal(form, seen, `request ${request} stays in one form`);
    }
  }
  assert.deepEqual([...forms.keys()].sort(), [
    'cinder enveloped', 'glance enveloped', 'glance flat', 'neutron enveloped', 'nova enveloped', 'nova flat', 'nova versioned',
  ]);
  for (const form of ['nova flat', 'nova enveloped', 'nova versioned']) {
    assert.ok(forms.get(form)! > 4000, `${form}: ${forms.get(form)}`);
  }
  for (const service of ['cinder enveloped', 'neutron enveloped']) {
    const n = forms.get(service)!;
    assert.ok(n > 100 && n < 1500, `a few ${service} events: ${n}`);
  }
  // Legacy nova bodies keep their legacy event types, in both forms.
  const legacyEnveloped = mixed.filter((e) => e.exchange === 'nova' && e.routing_key.startsWith('notifications.')).map(inner);
  assert.ok(legacyEnveloped.every((b) => !('nova_object.data' in (b.payload as Obj))), 'legacy payloads');
  assert.ok(legacyEnveloped.some((b) => ev(b) === 'compute.instance.create.end'), 'legacy create.end enveloped');
  assert.ok(pairs(legacyEnveloped, (b) => (b.payload as Obj).instance_id) > 300, 'enveloped legacy pairs');
  const versionedBodies = mixed.filter((e) => e.routing_key.startsWith('versioned_')).map(inner);
  assert.ok(pairs(versionedBodies.filter((b) => ev(b).startsWith('instance.')), (b) => data(b).uuid) > 300, 'versioned pairs');
  for (const name of ['flavor.create', 'aggregate.create.end', 'keypair.create.end', 'service.update']) {
    assert.ok(versionedBodies.some((b) => ev(b) === name), `${name} in mixed`);
  }
});

test('mixed: cinder and neutron events are about instances of the world', () => {
  const generator = new DemoGenerator({seed: 3, shape: 'mixed', rate: 20});
  const world = (generator as unknown as {world: World}).world;
  const live = (deployment: string, uuid: unknown) =>
    world.deployments.find((d) => d.name === deployment)!.live.find((i) => i.uuid === uuid);
  const seen = new Set<string>();
  const volumeForms = new Set<string>();
  for (let i = 0; i < 20_000; i++) {
    const e = generator.next();
    if (e.exchange !== 'cinder' && e.exchange !== 'neutron') continue;
    const b = inner(e);
    const p = b.payload as Obj;
    seen.add(ev(b));
    assert.equal(b.priority, 'INFO');
    assert.equal(e.routing_key, 'notifications.info');
    assert.match(b._context_request_id as string, /^req-/);
    if (e.exchange === 'cinder') {
      assert.match(b.publisher_id as string, /^volume\.block-0[1-3]@rbd$/);
      assert.match(p.volume_id as string, UUID4);
      assert.equal(p.host, (b.publisher_id as string).slice('volume.'.length) + '#rbd');
      assert.equal(typeof p.status, 'string');
      assert.equal(typeof p.tenant_id, 'string');
      if (ev(b) === 'volume.attach.end') {
        assert.equal(p.status, 'in-use');
        const attachments = p.volume_attachment as Obj[] | undefined;
        const instance = attachments ? attachments[0]!.instance_uuid : p.instance_uuid;
        volumeForms.add(attachments ? 'volume_attachment' : 'instance_uuid');
        const inst = live(e.deployment, instance);
        assert.ok(inst, `${instance} is a live instance of ${e.deployment}`);
        assert.equal(p.tenant_id, inst.tenant.id);
      }
    } else {
      assert.match(b.publisher_id as string, /^network\.neutron-server-0[12]$/);
      if (ev(b) === 'port.create.end') {
        const port = p.port as Obj;
        assert.match(port.id as string, UUID4);
        assert.match(port.device_owner as string, /^compute:/);
        assert.equal(typeof port.network_id, 'string');
        const inst = live(e.deployment, port.device_id);
        assert.ok(inst, `${String(port.device_id)} is a live instance of ${e.deployment}`);
        assert.equal(port.tenant_id, inst.tenant.id);
      }
      if (ev(b) === 'port.delete.end' || ev(b) === 'port.delete.start') assert.match(p.port_id as string, UUID4);
    }
  }
  assert.deepEqual([...seen].sort(), [
    'port.create.end', 'port.create.start', 'port.delete.end', 'port.delete.start',
    'volume.attach.end', 'volume.attach.start', 'volume.create.end', 'volume.create.start',
    'volume.delete.end', 'volume.delete.start', 'volume.detach.end', 'volume.detach.start',
  ]);
  assert.deepEqual([...volumeForms].sort(), ['instance_uuid', 'volume_attachment'], 'both cinder generations');
});

test('every shape holds the rate: the clock advances about 1/rate seconds per notification', () => {
  const start = Date.UTC(2026, 0, 1) * 1000;
  for (const shape of ['enveloped', 'versioned', 'mixed'] as const) {
    for (const [rate, count] of [[20, 20_000], [1000, 50_000]] as const) {
      const generator = new DemoGenerator({rate, startMicros: start, shape});
      for (let i = 0; i < count; i++) generator.next();
      const elapsed = (generator.nowMicros() - start) / 1e6;
      const expected = count / rate;
      assert.ok(elapsed > expected * 0.8 && elapsed < expected * 1.2, `${shape} at ${rate}/s: ${elapsed}s for ${expected}s`);
    }
  }
});
