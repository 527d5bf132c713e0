// Nova's versioned notifications, every publisher_id form, and the resource ids of the other
// services, parsed from the fixtures in test/fixtures/openstack.ts.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {parseNotification, publisherParts, serviceFor} from '../../source/core/notification.js';
import {legacyEventOf} from '../../source/core/nova-versioned.js';
import type {Notification, NovaFields} from '../../source/core/types.js';
import {
  AGGREGATE, FLAVOR, IMAGE, INSTANCE_A, INSTANCE_B, messages, PORT, PROJECT, REQUEST_A, REQUEST_B, SERVICE_UUID, STACK,
  TENANT, VOLUME,
} from '../fixtures/openstack.js';

const parsed = (name: string): Notification => {
  const m = messages().find((x) => x.name === name);
  if (!m) throw new Error(`no fixture ${name}`);
  return parseNotification(serviceFor(m.exchange), m.body);
};

/** The columns a nova row gets, without the derived-only fields. */
function columns(n: NovaFields) {
  return {
    event: n.event, service: n.service, host: n.host, instance: n.instance, resource: n.resource, requestId: n.requestId,
    tenant: n.tenant, state: n.state, oldState: n.oldState, oldTask: n.oldTask, task: n.task, imageType: n.imageType,
    osArchitecture: n.osArchitecture, instanceFlavorId: n.instanceFlavorId, when: n.when,
  };
}

test('publisher_id in every form: compute.host, compute.host.domain, nova-compute:host, a bare compute', () => {
  assert.deepEqual(publisherParts('compute.c-01'), {service: 'compute', host: 'c-01'});
  assert.deepEqual(publisherParts('compute.c-01.example.org'), {service: 'compute', host: 'c-01.example.org'});
  assert.deepEqual(publisherParts('nova-compute:c-01'), {service: 'nova-compute', host: 'c-01'});
  assert.deepEqual(publisherParts('nova-compute:c-01.example.org'), {service: 'nova-compute', host: 'c-01.example.org'});
  assert.deepEqual(publisherParts('compute'), {service: 'compute', host: null});
});

test('instance.update from the api: the transition from state_update, the request from the context', () => {
  assert.deepEqual(columns(parsed('instance.update from the api') as NovaFields), {
    event: 'instance.update', service: 'nova-api', host: 'api-01', instance: INSTANCE_A, resource: null,
    requestId: REQUEST_A, tenant: TENANT, state: 'building', oldState: 'building', oldTask: null, task: 'scheduling',
    imageType: 0x10, osArchitecture: 'x86_64', instanceFlavorId: FLAVOR, when: Date.UTC(2026, 2, 1, 10) * 1000,
  });
});

test('instance.create.end: uuid, host from the payload, state and task, flavor and launch time', () => {
  const n = parsed('instance.create.end') as NovaFields;
  assert.deepEqual(columns(n), {
    event: 'instance.create.end', service: 'nova-compute', host: 'compute-01', instance: INSTANCE_A, resource: null,
    requestId: REQUEST_A, tenant: TENANT, state: 'active', oldState: '', oldTask: '', task: null, imageType: 0x10,
    osArchitecture: 'x86_64', instanceFlavorId: FLAVOR, when: Date.UTC(2026, 2, 1, 10, 0, 32, 500) * 1000,
  });
  assert.equal(n.launchedAt, '2026-03-01T10:00:32Z');
});

test('instance.create.error: no host in the payload falls back to the publisher; the fault is the message', () => {
  const n = parsed('instance.create.error (B)') as NovaFields;
  assert.equal(n.host, 'compute-02');
  assert.equal(n.instance, INSTANCE_B);
  assert.equal(n.requestId, REQUEST_B);
  assert.equal(n.state, 'error');
  assert.equal(n.message, "The created instance's disk would be too small.");
});

test('versioned objects that are not instances carry their own id as the resource', () => {
  const ids = ['flavor.create', 'aggregate.create.end', 'keypair.create.end', 'service.update']
    .map((name) => {
      const n = parsed(name);
      return [n.event, n.instance, n.resource, n.service, n.host];
    });
  assert.deepEqual(ids, [
    ['flavor.create', null, FLAVOR, 'nova-api', 'api-01'],
    ['aggregate.create.end', null, AGGREGATE, 'nova-api', 'api-01'],
    ['keypair.create.end', null, 'my-key', 'nova-api', 'api-01'],
    ['service.update', null, SERVICE_UUID, 'nova-compute', 'compute-03'],
  ]);
});

test('other services: the resource each is about, and the instance it touches', () => {
  const got = ['volume.attach.end', 'port.create.end', 'image.create', 'identity.project.created',
    'orchestration.stack.create.end'].map((name) => {
    const n = parsed(name);
    return [n.kind, n.service, n.host, n.resource, n.instance];
  });
  assert.deepEqual(got, [
    ['generic', 'volume', 'cinder-01', VOLUME, INSTANCE_A],
    ['generic', 'network', 'neutron-01', PORT, INSTANCE_A],
    ['glance', 'image', 'localhost', IMAGE, null],
    ['generic', 'identity', 'keystone-01', PROJECT, null],
    ['generic', 'orchestration', 'heat-01', STACK, null],
  ]);
});

test('the legacy twin of a versioned event, for usage accounting', () => {
  assert.equal(legacyEventOf('instance.create.end'), 'compute.instance.create.end');
  assert.equal(legacyEventOf('instance.resize_prep.start'), 'compute.instance.resize.prep.start');
  assert.equal(legacyEventOf('instance.resize_finish.end'), 'compute.instance.finish_resize.end');
  assert.equal(legacyEventOf('instance.resize_revert.end'), 'compute.instance.resize.revert.end');
  assert.equal(legacyEventOf('instance.exists'), 'compute.instance.exists');
  assert.equal(legacyEventOf('compute.instance.update'), 'compute.instance.update');
  assert.equal(legacyEventOf('flavor.create'), 'flavor.create');
});

test('odd versioned payloads: no uuid, an unknown object name, an ISO timestamp with and without Z', () => {
  const base = {event_type: 'instance.power_on.start', publisher_id: 'nova-compute:c-9', message_id: 'm'};
  const noUuid = parseNotification('nova', {...base, timestamp: '2026-03-01T10:00:00Z',
    payload: {'nova_object.name': 'InstanceActionPayload', 'nova_object.data': {host: 'c-9', state: 'active'}}});
  assert.deepEqual([noUuid.instance, noUuid.resource, noUuid.host, noUuid.when],
    [null, null, 'c-9', Date.UTC(2026, 2, 1, 10) * 1000]);
  const unknown = parseNotification('nova', {...base, event_type: 'share.frob', timestamp: '2026-03-01T10:00:00.250000',
    payload: {'nova_object.name': 'FrobPayload', 'nova_object.data': {id: 42}}});
  assert.deepEqual([unknown.instance, unknown.resource, unknown.host, unknown.when],
    [null, '42', 'c-9', Date.UTC(2026, 2, 1, 10, 0, 0, 250) * 1000]);
});

test('a current cinder volume names its server in volume_attachment, not at the top level', () => {
  const n = parseNotification('generic', {event_type: 'volume.attach.end', publisher_id: 'volume.block-01@rbd',
    timestamp: '2026-03-01 10:00:00.000000', payload: {volume_id: VOLUME, status: 'in-use',
      volume_attachment: [{id: 'att-1', volume_id: VOLUME, instance_uuid: INSTANCE_A, attach_status: 'attached'}]}});
  assert.deepEqual([n.resource, n.instance, n.service, n.host], [VOLUME, INSTANCE_A, 'volume', 'block-01@rbd']);
});
