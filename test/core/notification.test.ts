import {test} from 'node:test';
import assert from 'node:assert/strict';
import {NotificationError, errorFlag, parseNotification, serviceFor, splitEvent} from '../../source/core/notification.js';
import type {GenericFields, GlanceFields, NovaFields} from '../../source/core/types.js';

const INSTANCE = '2222bbbb-6352-4dbc-8271-96cc54bf14cd';
const REQUEST = 'req-8888bbbb-9e47-4b27-a95e-27996cc40c06';
const WHEN = 1371749517939614; // 2013-06-20 17:31:57.939614

type Body = Record<string, unknown>;

function novaBody(payload: Body = {}, extra: Body = {}): Body {
  return {
    event_type: 'compute.instance.exists',
    publisher_id: 'compute.global.preprod-ord.ohthree.com',
    timestamp: '2013-06-20 17:31:57.939614',
    _context_request_id: REQUEST,
    _context_project_id: 'contexttenant',
    message_id: 'msg-1',
    payload: {
      tenant_id: 'testtenantid1',
      instance_id: INSTANCE,
      state: 'active',
      old_state: 'building',
      old_task_state: 'spawning',
      new_task_state: null,
      instance_type_id: '12345',
      instance_flavor_id: 'performance2-120',
      launched_at: '2013-06-20 17:31:47.939614',
      deleted_at: '',
      terminated_at: '',
      audit_period_beginning: '2013-06-20 00:00:00',
      audit_period_ending: '2013-06-21 00:00:00',
      message: 'Success',
      bandwidth: {public: {bw_in: 1, bw_out: 1697240969}},
      image_meta: {
        image_type: 'base', os_type: 'linux', os_distro: 'ubuntu',
        'org.openstack__1__architecture': 'x64', 'org.openstack__1__os_distro': 'org.ubuntu',
        'org.openstack__1__os_version': '12.04', 'com.rackspace__1__options': '0',
      },
      ...payload,
    },
    ...extra,
  };
}

const nova = (payload: Body = {}, extra: Body = {}) => parseNotification('nova', novaBody(payload, extra)) as NovaFields;
const generic = (body: Body) => parseNotification('generic', {event_type: 'e', publisher_id: 'p', timestamp: '2013-06-20 17:31:57', ...body}) as GenericFields;
const glance = (body: Body) => parseNotification('glance', {event_type: 'image.upload', publisher_id: 'glance-api01-r2961.global.preprod-ord.ohthree.com', timestamp: '2013-06-20 17:31:57', ...body}) as GlanceFields;

test('serviceFor maps exchanges to the three raw tables', () => {
  assert.equal(serviceFor('nova'), 'nova');
  assert.equal(serviceFor('glance'), 'glance');
  assert.equal(serviceFor('neutron'), 'generic');
});

test('common fields of a nova notification (docs/ingest.md §2.1)', () => {
  const n = nova();
  assert.equal(n.kind, 'nova');
  assert.equal(n.publisher, 'compute.global.preprod-ord.ohthree.com');
  assert.equal(n.event, 'compute.instance.exists');
  assert.equal(n.service, 'compute');
  assert.equal(n.host, 'global.preprod-ord.ohthree.com');
  assert.equal(n.requestId, REQUEST);
  assert.equal(n.tenant, 'testtenantid1');
  assert.equal(n.instance, INSTANCE);
  assert.equal(n.messageId, 'msg-1');
  assert.equal(n.when, WHEN);
});

test('nova fields (docs/ingest.md §2.2)', () => {
  const n = nova();
  assert.equal(n.state, 'active');
  assert.equal(n.oldState, 'building');
  assert.equal(n.oldTask, 'spawning');
  assert.equal(n.task, null);
  assert.equal(n.imageType, 273);
  assert.equal(n.osArchitecture, 'x64');
  assert.equal(n.osDistro, 'org.ubuntu');
  assert.equal(n.osVersion, '12.04');
  assert.equal(n.raxOptions, '0');
  assert.equal(n.instanceTypeId, '12345');
  assert.equal(n.instanceFlavorId, 'performance2-120');
  assert.equal(n.launchedAt, '2013-06-20 17:31:47.939614');
  assert.equal(n.deletedAt, '');
  assert.equal(n.terminatedAt, '');
  assert.equal(n.auditPeriodBeginning, '2013-06-20 00:00:00');
  assert.equal(n.auditPeriodEnding, '2013-06-21 00:00:00');
  assert.equal(n.message, 'Success');
  assert.equal(n.bandwidthPublicOut, 1697240969);
  assert.equal(n.payload.instance_id, INSTANCE);
});

test('absent nova keys take their defaults', () => {
  const n = parseNotification('nova', {event_type: 'e', publisher_id: 'api', timestamp: '2013-06-20 17:31:57'}) as NovaFields;
  assert.deepEqual(
    [n.state, n.oldState, n.oldTask, n.task, n.imageType, n.osArchitecture, n.osDistro, n.osVersion, n.raxOptions],
    ['', '', '', '', 0, '', '', '', ''],
  );
  assert.deepEqual(
    [n.instanceTypeId, n.instanceFlavorId, n.launchedAt, n.deletedAt, n.terminatedAt, n.auditPeriodBeginning, n.auditPeriodEnding, n.message],
    [null, null, null, null, null, null, null, null],
  );
  assert.equal(n.bandwidthPublicOut, 0);
  assert.deepEqual(n.payload, {});
  assert.equal(n.requestId, '');
  assert.equal(n.tenant, null);
  assert.equal(n.instance, null);
  assert.equal(n.messageId, null);
});

test('nova keys present with null stay null', () => {
  const n = nova({state: null, old_state: null, old_task_state: null, image_meta: {'org.openstack__1__os_version': null}}, {_context_request_id: null});
  assert.equal(n.state, null);
  assert.equal(n.oldState, null);
  assert.equal(n.oldTask, null);
  assert.equal(n.osVersion, null);
  assert.equal(n.osDistro, '');
  assert.equal(n.requestId, null);
});

test('bandwidth: absent or null bandwidth, missing public or bw_out give 0', () => {
  assert.equal(nova({bandwidth: null}).bandwidthPublicOut, 0);
  assert.equal(nova({bandwidth: {}}).bandwidthPublicOut, 0);
  assert.equal(nova({bandwidth: {public: {}}}).bandwidthPublicOut, 0);
  assert.equal(nova({bandwidth: {private: {bw_out: 5}}}).bandwidthPublicOut, 0);
  const {bandwidth: _, ...withoutBandwidth} = novaBody().payload as Body;
  assert.equal((parseNotification('nova', {...novaBody(), payload: withoutBandwidth}) as NovaFields).bandwidthPublicOut, 0);
});

test('host is null when the publisher has no dot; only the first dot splits', () => {
  const a = generic({publisher_id: 'api.api-01'});
  assert.deepEqual([a.service, a.host], ['api', 'api-01']);
  const b = generic({publisher_id: 'scheduler'});
  assert.deepEqual([b.service, b.host], ['scheduler', null]);
  const c = glance({});
  assert.deepEqual([c.service, c.host], ['glance-api01-r2961', 'global.preprod-ord.ohthree.com']);
});

test('tenant: _context_project_id unless the payload has a tenant_id key, even null', () => {
  assert.equal(generic({_context_project_id: 'ctx'}).tenant, 'ctx');
  assert.equal(generic({_context_project_id: 'ctx', payload: {tenant_id: 'pay'}}).tenant, 'pay');
  assert.equal(generic({_context_project_id: 'ctx', payload: {tenant_id: null}}).tenant, null);
  assert.equal(generic({_context_project_id: 'ctx', payload: {tenant: 'ignored'}}).tenant, 'ctx');
  assert.equal(generic({}).tenant, null);
});

test('instance rule 1: instance_id, overridden by instance_uuid when present', () => {
  assert.equal(generic({payload: {instance_id: 'a'}}).instance, 'a');
  assert.equal(generic({payload: {instance_id: 'a', instance_uuid: 'b'}}).instance, 'b');
});

test('instance rule 1: a null instance_uuid overrides, then later sources are tried', () => {
  assert.equal(generic({payload: {instance_id: 'a', instance_uuid: null}}).instance, null);
  assert.equal(generic({payload: {instance_id: 'a', instance_uuid: null, instance: {uuid: 'd'}}}).instance, 'd');
});

test('instance rule 2: exception.kwargs.uuid when still falsy', () => {
  assert.equal(generic({payload: {instance_id: '', exception: {kwargs: {uuid: 'c'}}}}).instance, 'c');
  assert.equal(generic({payload: {instance_id: 'a', exception: {kwargs: {uuid: 'c'}}}}).instance, 'a');
});

test('instance rule 3: instance.uuid when still falsy', () => {
  assert.equal(generic({payload: {exception: {kwargs: {}}, instance: {uuid: 'd'}}}).instance, 'd');
  assert.equal(generic({payload: {exception: {kwargs: {uuid: 'c'}}, instance: {uuid: 'd'}}}).instance, 'c');
});

test('instance rule 4: otherwise null (non-object nesting tolerated)', () => {
  assert.equal(generic({payload: {}}).instance, null);
  assert.equal(generic({payload: {instance_id: '', exception: 'boom', instance: 'x'}}).instance, null);
  assert.equal(generic({payload: 'not an object'}).instance, null);
});

test('when: timestamp if truthy, else _context_timestamp', () => {
  assert.equal(generic({timestamp: '', _context_timestamp: '2013-06-20T17:31:57.939614'}).when, WHEN);
  assert.equal(generic({timestamp: null, _context_timestamp: '2013-06-20T17:31:57.939614'}).when, WHEN);
  assert.equal(generic({timestamp: '2013-06-20 17:31:57.939614', _context_timestamp: 'junk'}).when, WHEN);
});

test('when: missing both, or unparseable, is a NotificationError', () => {
  assert.throws(() => parseNotification('generic', {event_type: 'e', publisher_id: 'p'}),
    {name: 'NotificationError', message: 'missing timestamp and _context_timestamp'});
  assert.throws(() => generic({timestamp: '2014-01-14 15:39:22+00:00'}),
    {name: 'NotificationError', message: "unparseable timestamp '2014-01-14 15:39:22+00:00'"});
  assert.throws(() => generic({timestamp: null, _context_timestamp: null}), {message: 'unparseable timestamp null'});
  assert.throws(() => generic({timestamp: 5}), NotificationError);
});

test('missing or wrong-typed required fields', () => {
  const ok = {event_type: 'e', publisher_id: 'p', timestamp: '2013-06-20 17:31:57'};
  const {publisher_id: _p, ...noPublisher} = ok;
  const {event_type: _e, ...noEvent} = ok;
  assert.throws(() => parseNotification('nova', noPublisher), {message: 'missing publisher_id'});
  assert.throws(() => parseNotification('generic', noEvent), {message: 'missing event_type'});
  assert.throws(() => parseNotification('generic', {...ok, publisher_id: null}), {message: 'publisher_id is not a string'});
  for (const body of [[], 'x', null, 3]) {
    assert.throws(() => parseNotification('generic', body), {name: 'NotificationError', message: 'body is not a JSON object'});
  }
  assert.throws(() => parseNotification('nova', {...ok, payload: 'error text'}), {message: 'payload is not an object'});
  assert.throws(() => parseNotification('nova', {...ok, payload: null}), {message: 'payload is not an object'});
});

test('text cells: booleans as Python prints them, containers as JSON, numbers as Python str()', () => {
  const n = nova({state: true, old_state: false, instance_type_id: 5, instance_flavor_id: 2.5, new_task_state: {a: 1}},
    {_context_request_id: ['x']});
  assert.equal(n.instanceFlavorId, '2.5');
  assert.equal(n.state, 'True');
  assert.equal(n.oldState, 'False');
  assert.equal(n.instanceTypeId, '5');
  assert.equal(n.task, '{"a":1}');
  assert.equal(n.requestId, '["x"]');
});

test('generic notifications read only the common fields (docs/ingest.md §2.5)', () => {
  const g = generic({message_id: 'm1', _context_request_id: REQUEST, payload: {instance_id: INSTANCE, state: 'active'}});
  assert.deepEqual(g, {
    publisher: 'p', event: 'e', service: 'p', host: null, requestId: REQUEST, tenant: null,
    instance: INSTANCE, resource: null, messageId: 'm1', when: 1371749517000000, kind: 'generic',
  });
});

test('glance object payload (docs/ingest.md §2.3)', () => {
  const g = glance({payload: {
    id: 'img-1', status: 'active', size: 1024, owner: 'owner1', created_at: '2013-06-20T17:31:57',
    deleted_at: null, os_type: 'linux', properties: {instance_uuid: INSTANCE},
  }});
  assert.equal(g.kind, 'glance');
  assert.equal(g.uuid, 'img-1');
  assert.equal(g.status, 'active');
  assert.equal(g.size, 1024);
  assert.equal(g.owner, 'owner1');
  assert.equal(g.createdAt, 1371749517000000);
  assert.equal(g.deletedAt, null);
  assert.equal(g.imageType, 0x10);
  assert.equal(g.instance, INSTANCE);
  assert.equal(g.requestId, '');
});

test('glance absent keys give null, properties default to {}', () => {
  const g = glance({payload: {}});
  assert.deepEqual([g.uuid, g.status, g.size, g.owner, g.createdAt, g.deletedAt, g.instance, g.imageType], [null, null, null, null, null, null, null, 0]);
  assert.equal(glance({payload: {created_at: ''}}).createdAt, null);
});

test('glance instance comes only from properties.instance_uuid', () => {
  assert.equal(glance({payload: {instance_id: INSTANCE}}).instance, null);
});

test('glance non-object payload nulls the payload fields', () => {
  const g = glance({payload: 'Image upload failed', deleted_at: '2013-06-20 17:31:57'});
  assert.deepEqual([g.uuid, g.status, g.size, g.owner, g.createdAt, g.imageType, g.instance], [null, null, null, null, null, null, null]);
  assert.equal(g.deletedAt, 1371749517000000);
  assert.equal(g.payload, 'Image upload failed');
});

test('glance deleted_at: body first, else payload, parsed when truthy', () => {
  assert.equal(glance({payload: {deleted_at: '2013-06-20T17:31:57'}}).deletedAt, 1371749517000000);
  assert.equal(glance({deleted_at: '2013-06-20T17:31:58', payload: {deleted_at: '2013-06-20T17:31:57'}}).deletedAt, 1371749518000000);
  assert.equal(glance({deleted_at: '', payload: {deleted_at: '2013-06-20T17:31:57'}}).deletedAt, 1371749517000000);
});

test('glance unparseable created_at is a NotificationError', () => {
  assert.throws(() => glance({payload: {created_at: '2013-06-20T17:31:57+00:00'}}), NotificationError);
});

test('errorFlag: E when the routing key ends with error', () => {
  assert.equal(errorFlag('notifications.error'), 'E');
  assert.equal(errorFlag('monitor.error'), 'E');
  assert.equal(errorFlag('monitor.info'), ' ');
  assert.equal(errorFlag('error.info'), ' ');
  assert.equal(errorFlag(null), ' ');
});

test('splitEvent: the last dot-part is the step', () => {
  assert.deepEqual(splitEvent('compute.instance.create.start'), {name: 'compute.instance.create', step: 'start'});
  assert.deepEqual(splitEvent('compute.instance.update'), {name: 'compute.instance', step: 'update'});
  assert.deepEqual(splitEvent('noop'), {name: '', step: 'noop'});
});
