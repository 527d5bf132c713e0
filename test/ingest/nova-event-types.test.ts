// Every versioned event type nova documents (doc/notification_samples), in both drivers' forms:
// none is quarantined; instance events are found by their instance, the others by their object.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {openDatabase} from '../../source/store/sqlite/database.js';
import {Pipeline} from '../../source/ingest/pipeline.js';
import {envelope} from '../fixtures/openstack.js';
import {SqliteWriter} from '../../source/store/sqlite/writer.js';

const INSTANCE = '178b0921-8f85-4257-88b6-2e743b5a975c';
const steps = (action: string, ...suffixes: string[]) => suffixes.map((s) => `${action}.${s}`);
const both = (action: string) => steps(action, 'start', 'end');

const INSTANCE_EVENTS = [
  ...steps('instance.create', 'start', 'end', 'error'), ...both('instance.delete'), 'instance.evacuate', 'instance.exists',
  ...steps('instance.interface_attach', 'start', 'end', 'error'), ...both('instance.interface_detach'),
  ...['abort', 'force_complete', 'post', 'post_dest', 'pre', 'rollback', 'rollback_dest']
    .flatMap((s) => both(`instance.live_migration_${s}`)),
  'instance.lock', 'instance.unlock', ...both('instance.pause'), ...both('instance.unpause'), ...both('instance.power_off'),
  ...both('instance.power_on'), ...both('instance.power_on_share'), ...steps('instance.reboot', 'start', 'end', 'error'),
  ...steps('instance.rebuild', 'start', 'end', 'error'), 'instance.rebuild_scheduled', ...both('instance.rescue'),
  ...both('instance.unrescue'), ...steps('instance.resize', 'start', 'end', 'error'), ...both('instance.resize_confirm'),
  ...both('instance.resize_finish'), ...both('instance.resize_prep'), ...both('instance.resize_revert'),
  ...both('instance.restore'), ...both('instance.resume'), ...both('instance.suspend'), ...both('instance.shelve'),
  ...both('instance.shelve_offload'), ...both('instance.unshelve'), ...both('instance.snapshot'),
  ...both('instance.soft_delete'), ...both('instance.trigger_crash_dump'), 'instance.update',
  ...steps('instance.volume_attach', 'start', 'end', 'error'), ...both('instance.volume_detach'),
  ...steps('instance.volume_swap', 'start', 'end', 'error'), ...steps('instance.share_attach', 'start', 'end', 'error'),
  ...steps('instance.share_detach', 'start', 'end', 'error'),
];

/** Non-instance events: the payload object's name and data, and what it should be found by. */
const OBJECT_EVENTS: [string[], string, Record<string, unknown>, {instance?: string; resource: string | null}][] = [
  [['create', 'delete', 'add_host', 'remove_host', 'update_metadata', 'update_prop', 'cache_images']
    .flatMap((a) => both(`aggregate.${a}`)).concat('aggregate.cache_images.progress'), 'AggregatePayload',
  {uuid: 'agg-uuid', name: 'agg', id: 1, hosts: ['compute'], metadata: {}}, {resource: 'agg-uuid'}],
  [['flavor.create', 'flavor.update', 'flavor.delete'], 'FlavorPayload', {flavorid: 'flavor-1', name: 'small'},
    {resource: 'flavor-1'}],
  [['create', 'delete', 'import'].flatMap((a) => both(`keypair.${a}`)), 'KeypairPayload', {name: 'my-key', type: 'ssh'},
    {resource: 'my-key'}],
  [['service.create', 'service.update', 'service.delete'], 'ServiceStatusPayload',
    {uuid: 'svc-uuid', host: 'compute', binary: 'nova-compute'}, {resource: 'svc-uuid'}],
  [['server_group.create', 'server_group.delete', 'server_group.add_member'], 'ServerGroupPayload',
    {uuid: 'sg-uuid', name: 'group', policy: 'anti-affinity', members: [INSTANCE]}, {resource: 'sg-uuid'}],
  [['compute_task.build_instances.error', 'compute_task.migrate_server.error', 'compute_task.rebuild_server.error'],
    'ComputeTaskPayload', {instance_uuid: INSTANCE, reason: {}, state: 'error'}, {instance: INSTANCE, resource: null}],
  [both('scheduler.select_destinations'), 'RequestSpecPayload', {instance_uuid: INSTANCE, num_instances: 1},
    {instance: INSTANCE, resource: null}],
  [['volume.usage'], 'VolumeUsagePayload', {volume_id: 'vol-1', instance_uuid: INSTANCE, project_id: 'p'},
    {instance: INSTANCE, resource: 'vol-1'}],
  [['metrics.update'], 'MetricsPayload', {host: 'compute', nodename: 'node-1', monitor_metric_list: []},
    {resource: 'node-1'}],
  [['compute.exception'], 'ExceptionPayload', {exception: 'AggregateNameExists', exception_message: 'x',
    function_name: 'f', module_name: 'm'}, {resource: null}],
  [['libvirt.connect.error'], 'LibvirtErrorPayload', {ip: '10.0.0.1', reason: {}}, {resource: null}],
];

function body(event: string, name: string, data: Record<string, unknown>, n: number): Record<string, unknown> {
  return {
    message_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, event_type: event,
    publisher_id: event.startsWith('instance.') ? 'nova-compute:compute' : 'nova-api:fake-mini',
    priority: event.endsWith('.error') ? 'ERROR' : 'INFO', timestamp: '2026-03-01 10:00:00.000000',
    payload: {'nova_object.name': name, 'nova_object.namespace': 'nova', 'nova_object.version': '1.0', 'nova_object.data': data},
  };
}

test('every documented versioned event type is stored, never quarantined, in either driver\'s form', async () => {
  const db = openDatabase(':memory:');
  const pipeline = new Pipeline(new SqliteWriter(db), {source: 'test'});
  let n = 0;
  const expected: {event: string; instance: string | null; resource: string | null}[] = [];
  const items = [];
  for (const event of INSTANCE_EVENTS) {
    const data = {uuid: INSTANCE, host: 'compute', state: 'active', task_state: null, tenant_id: 't',
      launched_at: event === 'instance.create.start' || event === 'instance.create.error' ? null : '2026-03-01T09:00:00Z', deleted_at: null, terminated_at: null,
      audit_period: {'nova_object.name': 'AuditPeriodPayload', 'nova_object.data': {
        audit_period_beginning: '2026-03-01T00:00:00Z', audit_period_ending: '2026-03-01T01:00:00Z'}}};
    items.push(body(event, event === 'instance.update' ? 'InstanceUpdatePayload' : 'InstanceActionPayload', data, ++n));
    expected.push({event, instance: INSTANCE, resource: null});
  }
  for (const [events, name, data, found] of OBJECT_EVENTS) {
    for (const event of events) {
      items.push(body(event, name, data, ++n));
      expected.push({event, instance: found.instance ?? null, resource: found.resource});
    }
  }
  const flat = await pipeline.ingest(items.map((b) => ({deployment: 'd', exchange: 'nova',
    routingKey: `versioned_notifications.${String(b.priority).toLowerCase()}`, body: b})));
  assert.deepEqual(flat, {stored: items.length, duplicates: 0, rejected: [], warnings: []});
  // The same messages from the messagingv2 driver are the same notifications: recognised, not stored again.
  const wrapped = await pipeline.ingest(items.map((b) => ({deployment: 'd', exchange: 'nova',
    routingKey: 'versioned_notifications.info', text: JSON.stringify(envelope(b))})));
  assert.deepEqual(wrapped, {stored: 0, duplicates: items.length, rejected: [], warnings: []});
  assert.deepEqual(db.prepare('SELECT event, instance, resource FROM stacktach_rawdata ORDER BY id').all(), expected);
  assert.equal(items.length, 132);
  db.close();
});
