// The ingest pipeline against a real SQLite file: raw rows as StackTach stores them (docs/ingest.md
// §2, §3.1) and every derived table (§3.3–3.8): Lifecycle, Timing, RequestTracker, the nova
// usage tables and the glance usage tables.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, it} from 'node:test';
import {openSqliteStore as openStore, type SqliteStore as Store} from '../../source/store/sqlite/store.js';
import {Pipeline} from '../../source/ingest/pipeline.js';
import {Preparer} from '../../source/ingest/prepare.js';
import type {IngestResult} from '../../source/ingest/item.js';
import {item, micros, notification, SECOND, type Note} from '../server/helpers.js';
import {referenceOf} from '../../source/store/json-codec.js';
import {RawReader} from '../../source/store/sqlite/raw-reader.js';


const I1 = '2222bbbb-6352-4dbc-8271-96cc54bf14cd';
const I2 = '3333cccc-41d3-b86d-5467-e584edc61dab';
const R1 = 'req-8888bbbb-9e47-4b27-a95e-27996cc40c06';
const R2 = 'req-9999cccc-9e47-4b27-a95e-27996cc40c06';

let dir: string;
let store: Store;
let pipeline: Pipeline;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stacky-pipeline-'));
  store = openStore(join(dir, 'stacky.db'));
  pipeline = new Pipeline(store.writer(), {source: 'test', nowMicros: () => 1});
});
afterEach(() => {
  store.close();
  rmSync(dir, {recursive: true, force: true});
});

function ingest(...notes: Note[]): Promise<IngestResult> {
  return pipeline.ingest(notes.map(item));
}

function all(sql: string, ...params: unknown[]): Record<string, unknown>[] {
  return store.db.prepare(sql).all(...params) as Record<string, unknown>[];
}

const at = (text: string) => micros(text);

describe('raw rows (docs/ingest.md §2, §3.1)', () => {
  it('service and host split at the first dot of publisher_id; no dot gives a null host', async () => {
    await ingest({event: 'a', at: '2014-01-01 00:00:00', publisher: 'compute.c-01.example.com'},
      {event: 'b', at: '2014-01-01 00:00:00', publisher: 'glance-api01-r2961.global.preprod-ord.ohthree.com'},
      {event: 'c', at: '2014-01-01 00:00:00', publisher: 'scheduler'});
    assert.deepEqual(all('SELECT service, host, publisher FROM stacktach_rawdata ORDER BY id'), [
      {service: 'compute', host: 'c-01.example.com', publisher: 'compute.c-01.example.com'},
      {service: 'glance-api01-r2961', host: 'global.preprod-ord.ohthree.com', publisher: 'glance-api01-r2961.global.preprod-ord.ohthree.com'},
      {service: 'scheduler', host: null, publisher: 'scheduler'},
    ]);
  });

  it('all six timestamp formats, 1-digit fields, and _context_timestamp when timestamp is falsy', async () => {
    const stamps = ['2013-06-20 17:31:57.939614', '2013-06-20 17:31:57', '2013-06-20T17:31:57.939614', '2013-06-20T17:31:57',
      '2013-05-15T11:51:11.123Z', '2013-05-15T11:51:11Z', '2013-1-25 13:38:23.123'];
    const r = await ingest(...stamps.map((s): Note => ({event: 'x', at: s})),
      {event: 'x', at: '', body: {_context_timestamp: '2013-06-20 17:31:57.5'}},
      {event: 'x', at: '', body: {timestamp: null, _context_timestamp: '2013-06-20T17:31:58'}});
    assert.deepEqual(r.rejected, []);
    assert.deepEqual(all('SELECT "when" FROM stacktach_rawdata ORDER BY id').map((row) => row.when), [
      1371749517939614, 1371749517000000, 1371749517939614, 1371749517000000, 1368618671123000, 1368618671000000,
      1359121103123000, 1371749517500000, 1371749518000000]);
  });

  it('request id, tenant, instance and the state columns: defaults only for absent keys', async () => {
    await ingest(
      {event: 'x', at: '2014-01-01 00:00:00', instance: I1, request: R1, tenant: 't1', state: 'active', oldState: 'building',
        oldTask: 'spawning', newTask: 'networking'},
      {event: 'x', at: '2014-01-01 00:00:00', body: {_context_project_id: 'ctx'}, payload: {tenant: 'ignored'}},
      {event: 'x', at: '2014-01-01 00:00:00', request: null, tenant: null, state: null, oldState: null, oldTask: null, newTask: null,
        body: {_context_project_id: 'ctx'}, payload: {instance_id: I1, instance_uuid: null, exception: {kwargs: {uuid: I2}}}},
      {event: 'x', at: '2014-01-01 00:00:00', payload: {instance_id: '', instance: {uuid: I2}}},
      {event: 'x', at: '2014-01-01 00:00:00', payload: {instance_id: I1, instance_uuid: I2}},
    );
    assert.deepEqual(all('SELECT request_id, tenant, instance, state, old_state, old_task, task FROM stacktach_rawdata ORDER BY id'), [
      {request_id: R1, tenant: 't1', instance: I1, state: 'active', old_state: 'building', old_task: 'spawning', task: 'networking'},
      {request_id: '', tenant: 'ctx', instance: null, state: '', old_state: '', old_task: '', task: ''},
      {request_id: null, tenant: null, instance: I2, state: null, old_state: null, old_task: null, task: null},
      {request_id: '', tenant: null, instance: I2, state: '', old_state: '', old_task: '', task: ''},
      {request_id: '', tenant: null, instance: I2, state: '', old_state: '', old_task: '', task: ''},
    ]);
  });

  it('image_type bits and the image meta row', async () => {
    await ingest(
      {event: 'x', at: '2014-01-01 00:00:00', payload: {image_meta: {image_type: 'base', os_type: 'linux', os_distro: 'ubuntu',
        'org.openstack__1__architecture': 'x64', 'org.openstack__1__os_distro': 'org.ubuntu',
        'org.openstack__1__os_version': '12.04', 'com.rackspace__1__options': '0'}}},
      {event: 'x', at: '2014-01-01 00:00:00', payload: {os_type: 'windows', image_meta: {image_type: 'import'}}},
      {event: 'x', at: '2014-01-01 00:00:00', payload: {os_type: 'windows', image_meta: {os_type: 'freebsd', os_distro: 'Ubuntu'}}},
      {event: 'x', at: '2014-01-01 00:00:00'},
    );
    assert.deepEqual(all('SELECT image_type FROM stacktach_rawdata ORDER BY id').map((r) => r.image_type), [0x111, 0x23, 0x40, 0]);
    assert.deepEqual(all('SELECT raw_id, os_architecture, os_distro, os_version, rax_options FROM stacktach_rawdataimagemeta ORDER BY raw_id'), [
      {raw_id: 1, os_architecture: 'x64', os_distro: 'org.ubuntu', os_version: '12.04', rax_options: '0'},
      {raw_id: 2, os_architecture: '', os_distro: '', os_version: '', rax_options: ''},
      {raw_id: 3, os_architecture: '', os_distro: '', os_version: '', rax_options: ''},
      {raw_id: 4, os_architecture: '', os_distro: '', os_version: '', rax_options: ''},
    ]);
  });

  it('glance rows: uuid, status, owner, instance from properties; a non-object payload nulls them', async () => {
    await ingest(
      {event: 'image.upload', at: '2014-01-01 00:00:00', exchange: 'glance', publisher: 'glance.g-01', instance: I2,
        payload: {id: 'img-1', status: 'saving', owner: 'o1', os_type: 'linux', properties: {instance_uuid: I1}}},
      {event: 'image.upload', at: '2014-01-01 00:00:00', exchange: 'glance', publisher: 'glance.g-01', body: {payload: 'error'}},
    );
    assert.deepEqual(all('SELECT uuid, status, owner, instance, image_type, request_id FROM stacktach_glancerawdata ORDER BY id'), [
      {uuid: 'img-1', status: 'saving', owner: 'o1', instance: I1, image_type: 0x10, request_id: ''},
      {uuid: null, status: null, owner: null, instance: null, image_type: null, request_id: ''},
    ]);
  });

  it('generic rows keep message_id, tenant, instance and request id; each row has its deployment and routing key', async () => {
    await ingest({event: 'identity.user.created', at: '2014-01-01 00:00:00', exchange: 'keystone', deployment: 'region-1',
      routingKey: 'notifications.error', instance: I1, request: R1, tenant: 't', messageId: 'm-1'},
    {event: 'x', at: '2014-01-01 00:00:00', deployment: 'region-2'},
    {event: 'x', at: '2014-01-01 00:00:00', deployment: 'region-1'});
    assert.deepEqual(all(`SELECT g.message_id, g.tenant, g.instance, g.request_id, g.routing_key, d.name
      FROM stacktach_genericrawdata g JOIN stacktach_deployment d ON d.id = g.deployment_id`), [
      {message_id: 'm-1', tenant: 't', instance: I1, request_id: R1, routing_key: 'notifications.error', name: 'region-1'},
    ]);
    assert.deepEqual(all('SELECT id, name FROM stacktach_deployment ORDER BY id'), [{id: 1, name: 'region-1'}, {id: 2, name: 'region-2'}]);
    assert.deepEqual(all('SELECT deployment_id FROM stacktach_rawdata ORDER BY id').map((r) => r.deployment_id), [2, 1]);
    // Generic rows derive nothing.
    assert.equal(all('SELECT * FROM stacktach_lifecycle').length, 0);
  });
});

describe('per-row outcomes', () => {
  it('onRow hears each row in order: stored, duplicate, rejected, and a stored row with its warning', async () => {
    const heard: unknown[] = [];
    const preparer = new Preparer();
    const rows = [
      item({event: 'a', at: '2014-01-01 00:00:00', messageId: 'm-1'}),
      item({event: 'a', at: '2014-01-01 00:00:00', messageId: 'm-1'}),
      {deployment: 'default', exchange: 'nova', routingKey: 'monitor.info', text: '{not json'},
      item({event: 'compute.instance.exists', at: '2014-01-02 00:10:00', instance: I1, payload: {launched_at: ''}}),
    ].map((i) => preparer.prepare(i));
    const r = await new Pipeline(store.writer(), {source: 'test'}).store(rows, (i, status, warning) => heard.push([i, status, warning]));
    assert.deepEqual(heard, [
      [0, 'stored', undefined],
      [1, 'duplicate', undefined],
      [2, 'rejected', undefined],
      [3, 'stored', 'Ignoring exists without launched_at. RawData(2)'],
    ]);
    assert.deepEqual({stored: r.stored, duplicates: r.duplicates, rejected: r.rejected.length, warnings: r.warnings.length},
      {stored: 2, duplicates: 1, rejected: 1, warnings: 1});
  });
});

describe('Lifecycle (docs/ingest.md §3.3)', () => {
  it('one per instance; last_raw, last_state and last_task_state = the *old* task state', async () => {
    await ingest(
      {event: 'compute.instance.update', at: '2014-01-01 00:00:00', instance: I1, state: 'active', oldTask: 'reboot', newTask: 'rebooting'},
      {event: 'compute.instance.update', at: '2014-01-01 00:00:01', instance: I2, state: 'building', oldTask: null},
      {event: 'compute.instance.reboot.end', at: '2013-01-01 00:00:00', instance: I1, state: 'rebooted', oldTask: 'rebooting'},
      {event: 'compute.instance.update', at: '2014-01-01 00:00:02'}, // no instance: nothing derived
    );
    assert.deepEqual(all('SELECT id, instance, last_state, last_task_state, last_raw_id FROM stacktach_lifecycle ORDER BY id'), [
      // "last" is the last processed, not the latest timestamp.
      {id: 1, instance: I1, last_state: 'rebooted', last_task_state: 'rebooting', last_raw_id: 3},
      {id: 2, instance: I2, last_state: 'building', last_task_state: null, last_raw_id: 2},
    ]);
  });
});

describe('Timing (docs/ingest.md §3.4)', () => {
  it('.start opens S, .end closes the oldest open one, an unmatched .end is E; diff in exact µs', async () => {
    await ingest(
      {event: 'compute.instance.resize.prep.start', at: '2014-01-01 00:00:00.100000', instance: I1},
      {event: 'compute.instance.resize.prep.start', at: '2014-01-01 00:00:01', instance: I1},
      {event: 'compute.instance.resize.prep.end', at: '2014-01-01 00:00:55.600000', instance: I1},
      {event: 'compute.instance.resize.prep.end', at: '2014-01-01 00:01:00', instance: I1},
      {event: 'compute.instance.resize.prep.end', at: '2014-01-01 00:02:00', instance: I1},
      {event: 'compute.instance.create.start', at: '2014-01-01 00:03:00', instance: I1},
      {event: 'compute.instance.create.error', at: '2014-01-01 00:03:05', instance: I1}, // closes nothing
      {event: 'compute.instance.create.end', at: '2014-01-01 00:04:00', instance: I2}, // other lifecycle: E
    );
    assert.deepEqual(all(`SELECT name, lifecycle_id, start_raw_id, end_raw_id, start_when, end_when, diff
      FROM stacktach_timing ORDER BY id`), [
      {name: 'compute.instance.resize.prep', lifecycle_id: 1, start_raw_id: 1, end_raw_id: 3,
        start_when: at('2014-01-01 00:00:00.1'), end_when: at('2014-01-01 00:00:55.6'), diff: 55_500_000},
      {name: 'compute.instance.resize.prep', lifecycle_id: 1, start_raw_id: 2, end_raw_id: 4,
        start_when: at('2014-01-01 00:00:01'), end_when: at('2014-01-01 00:01:00'), diff: 59_000_000},
      {name: 'compute.instance.resize.prep', lifecycle_id: 1, start_raw_id: null, end_raw_id: 5,
        start_when: null, end_when: at('2014-01-01 00:02:00'), diff: null},
      {name: 'compute.instance.create', lifecycle_id: 1, start_raw_id: 6, end_raw_id: null,
        start_when: at('2014-01-01 00:03:00'), end_when: null, diff: null},
      {name: 'compute.instance.create', lifecycle_id: 2, start_raw_id: null, end_raw_id: 8,
        start_when: null, end_when: at('2014-01-01 00:04:00'), diff: null},
    ]);
  });

  it('an end earlier than its start gives a negative diff, kept as is', async () => {
    await ingest({event: 'x.start', at: '2014-01-01 00:00:10', instance: I1}, {event: 'x.end', at: '2014-01-01 00:00:04.5', instance: I1});
    assert.deepEqual(all('SELECT diff FROM stacktach_timing'), [{diff: -5_500_000}]);
  });
});

describe('RequestTracker (docs/ingest.md §3.5)', () => {
  it('created only for compute.instance.update from a service containing "api"', async () => {
    await ingest(
      {event: 'compute.instance.update', at: '2014-01-01 00:00:00', instance: I1, request: R1, publisher: 'api.api-01'},
      {event: 'compute.instance.update', at: '2014-01-01 00:00:01', instance: I1, request: R1, publisher: 'osapi_compute.h'},
      {event: 'compute.instance.update', at: '2014-01-01 00:00:02', instance: I1, request: R1, publisher: 'compute.api.example.com'},
      {event: 'compute.instance.exists', at: '2014-01-01 00:00:03', instance: I1, request: R1, publisher: 'api.api-01'},
      {event: 'compute.instance.update', at: '2014-01-01 00:00:04', request: R2, publisher: 'api.api-01'}, // no instance
    );
    assert.deepEqual(all('SELECT request_id, lifecycle_id, last_timing_id, start, duration, completed FROM stacktach_requesttracker ORDER BY id'), [
      {request_id: R1, lifecycle_id: 1, last_timing_id: null, start: at('2014-01-01 00:00:00'), duration: 0, completed: 0},
      {request_id: R1, lifecycle_id: 1, last_timing_id: null, start: at('2014-01-01 00:00:01'), duration: 0, completed: 0},
    ]);
  });

  it('a matched .end of the same request sets the first tracker; later ends overwrite; E-only ends do not', async () => {
    await ingest(
      {event: 'compute.instance.update', at: '2014-01-01 00:00:00', instance: I1, request: R1, publisher: 'api.api-01'},
      {event: 'compute.instance.update', at: '2014-01-01 00:00:05', instance: I1, request: R1, publisher: 'api.api-01'},
      {event: 'compute.instance.resize.prep.start', at: '2014-01-01 00:00:10', instance: I1, request: R1},
      {event: 'compute.instance.resize.prep.end', at: '2014-01-01 00:00:20.250000', instance: I1, request: R1},
    );
    assert.deepEqual(all('SELECT id, last_timing_id, duration FROM stacktach_requesttracker ORDER BY id'), [
      {id: 1, last_timing_id: 1, duration: 20_250_000}, {id: 2, last_timing_id: null, duration: 0}]);
    await ingest(
      {event: 'compute.instance.finish_resize.start', at: '2014-01-01 00:01:00', instance: I1, request: R1},
      {event: 'compute.instance.finish_resize.end', at: '2014-01-01 00:01:30', instance: I1, request: R1},
      {event: 'compute.instance.resize.confirm.end', at: '2014-01-01 00:02:00', instance: I1, request: R1}, // E only
      {event: 'x.start', at: '2014-01-01 00:03:00', instance: I1, request: R2},
      {event: 'x.end', at: '2014-01-01 00:03:10', instance: I1, request: R2}, // no tracker for R2
    );
    assert.deepEqual(all('SELECT id, last_timing_id, duration FROM stacktach_requesttracker ORDER BY id'), [
      {id: 1, last_timing_id: 2, duration: 90_000_000}, {id: 2, last_timing_id: null, duration: 0}]);
  });
});

describe('InstanceUsage (docs/ingest.md §3.6)', () => {
  const usage = () => all(`SELECT instance, request_id, launched_at, instance_type_id, instance_flavor_id, tenant, os_distro
    FROM stacktach_instanceusage ORDER BY id`);
  const meta = {image_meta: {'org.openstack__1__os_distro': 'org.ubuntu'}};

  it('one row per (instance, request_id): create.start sets the flavor, create.end the launch', async () => {
    await ingest(
      {event: 'compute.instance.create.start', at: '2014-01-01 00:00:00', instance: I1, request: R1, tenant: 't',
        payload: {instance_type_id: 5, instance_flavor_id: '2', launched_at: '', ...meta}},
      {event: 'compute.instance.create.end', at: '2014-01-01 00:01:00', instance: I1, request: R1, tenant: 't',
        payload: {instance_type_id: 6, instance_flavor_id: '3', launched_at: '2014-01-01 00:00:59.5', message: 'Success'}},
      {event: 'compute.instance.create.start', at: '2014-01-01 00:00:00', instance: I2, request: R1, tenant: 't',
        payload: {instance_type_id: 5, instance_flavor_id: '2'}},
    );
    assert.deepEqual(usage(), [
      {instance: I1, request_id: R1, launched_at: at('2014-01-01 00:00:59.5'), instance_type_id: '5', instance_flavor_id: '2',
        tenant: 't', os_distro: ''},
      {instance: I2, request_id: R1, launched_at: null, instance_type_id: '5', instance_flavor_id: '2', tenant: 't', os_distro: ''},
    ]);
  });

  it('a failed create.end records nothing; Success, empty or absent message count as success', async () => {
    await ingest(
      {event: 'compute.instance.create.end', at: '2014-01-01 00:01:00', instance: I1, request: R1,
        payload: {launched_at: '2014-01-01 00:00:59', message: 'Failed: NoValidHost'}},
      {event: 'compute.instance.create.end', at: '2014-01-01 00:01:00', instance: I2, request: R1,
        payload: {launched_at: '2014-01-01 00:00:59', message: ''}},
      {event: 'compute.instance.create.end', at: '2014-01-01 00:01:00', instance: I2, request: R2,
        payload: {launched_at: '2014-01-01 00:00:58', instance_type_id: 1}},
    );
    assert.deepEqual(usage().map((u) => [u.instance, u.request_id, u.launched_at, u.instance_type_id]), [
      [I2, R1, at('2014-01-01 00:00:59'), null], [I2, R2, at('2014-01-01 00:00:58'), '1']]);
  });

  it('launched_at only moves forward; type and flavor fill only when null on the launch ends', async () => {
    await ingest(
      {event: 'compute.instance.rebuild.end', at: '2014-01-01 00:01:00', instance: I1, request: R1,
        payload: {launched_at: '2014-01-01 00:00:59', instance_type_id: 5}},
      {event: 'compute.instance.rebuild.end', at: '2014-01-01 00:02:00', instance: I1, request: R1,
        payload: {launched_at: '2014-01-01 00:00:30', instance_type_id: 6, instance_flavor_id: '9'}},
      {event: 'compute.instance.rescue.end', at: '2014-01-01 00:03:00', instance: I1, request: R1,
        payload: {launched_at: '2014-01-01 00:02:59', instance_type_id: 7, instance_flavor_id: '10'}},
    );
    assert.deepEqual(usage().map((u) => [u.launched_at, u.instance_type_id, u.instance_flavor_id]),
      [[at('2014-01-01 00:02:59'), '5', '9']]);
  });

  it('action starts keep an existing launch; resize starts set the flavor only when both are null', async () => {
    await ingest(
      {event: 'compute.instance.resize.prep.start', at: '2014-01-01 00:01:00', instance: I1, request: R1, tenant: 't1',
        payload: {launched_at: '2013-12-01 00:00:00', instance_type_id: 5, instance_flavor_id: '2', ...meta}},
      {event: 'compute.instance.resize.prep.start', at: '2014-01-01 00:02:00', instance: I1, request: R1, tenant: 't2',
        payload: {launched_at: '2013-12-02 00:00:00', instance_type_id: 6, instance_flavor_id: '3'}},
      {event: 'compute.instance.finish_resize.end', at: '2014-01-01 00:03:00', instance: I1, request: R1, tenant: 't3',
        payload: {launched_at: '2014-01-01 00:02:59', instance_type_id: 8, instance_flavor_id: '4'}},
      {event: 'compute.instance.rebuild.start', at: '2014-01-01 00:04:00', instance: I1, request: R2,
        payload: {launched_at: '2013-12-01 00:00:00', instance_type_id: 9, instance_flavor_id: '5'}},
      {event: 'compute.instance.resize.revert.start', at: '2014-01-01 00:05:00', instance: I2, request: R2,
        payload: {launched_at: '2013-11-01 00:00:00', instance_type_id: 3, instance_flavor_id: '1'}},
      {event: 'compute.instance.resize.revert.end', at: '2014-01-01 00:06:00', instance: I2, request: R2,
        payload: {launched_at: '2014-01-01 00:05:59', instance_type_id: 2, instance_flavor_id: '0'}},
    );
    assert.deepEqual(usage(), [
      // finish_resize sets the new flavor unconditionally; launched_at moves forward; tenant and os always.
      {instance: I1, request_id: R1, launched_at: at('2014-01-01 00:02:59'), instance_type_id: '8', instance_flavor_id: '4',
        tenant: 't3', os_distro: ''},
      {instance: I1, request_id: R2, launched_at: at('2013-12-01 00:00:00'), instance_type_id: '9', instance_flavor_id: '5',
        tenant: null, os_distro: ''},
      {instance: I2, request_id: R2, launched_at: at('2014-01-01 00:05:59'), instance_type_id: '2', instance_flavor_id: '0',
        tenant: null, os_distro: ''},
    ]);
    assert.equal(all("SELECT os_distro FROM stacktach_instanceusage WHERE request_id = ? AND instance = ?", R1, I1)[0]!.os_distro, '');
  });

  it('events outside the mapping, and raws without an instance, leave the usage tables alone', async () => {
    await ingest(
      {event: 'compute.instance.resize.prep.end', at: '2014-01-01 00:00:00', instance: I1, request: R1,
        payload: {launched_at: '2014-01-01 00:00:00'}},
      {event: 'compute.instance.snapshot.start', at: '2014-01-01 00:00:00', instance: I1, request: R1},
      {event: 'compute.instance.delete.start', at: '2014-01-01 00:00:00', instance: I1, request: R1},
      {event: 'compute.instance.create.start', at: '2014-01-01 00:00:00', request: R1, payload: {instance_type_id: 1}},
    );
    assert.equal(all('SELECT * FROM stacktach_instanceusage').length, 0);
  });
});

describe('InstanceDeletes (docs/ingest.md §3.6)', () => {
  it('needs launched_at; terminated_at wins over deleted_at; a repeat re-points the raw', async () => {
    const del = (n: number, payload: Record<string, unknown>): Note => ({event: 'compute.instance.delete.end',
      at: at('2014-01-02 00:00:00') + n * SECOND, instance: I1, payload});
    const r = await ingest(
      del(0, {launched_at: '', deleted_at: '2014-01-01 12:00:00'}),
      del(1, {launched_at: '2014-01-01 00:00:00', terminated_at: '2014-01-01 11:00:00', deleted_at: '2014-01-01 12:00:00'}),
      del(2, {launched_at: '2014-01-01 00:00:00', terminated_at: '', deleted_at: '2014-01-01 12:00:00'}),
      del(3, {launched_at: '2014-01-01 00:00:00', terminated_at: '', deleted_at: ''}),
      del(4, {launched_at: '2014-01-01 00:00:00', terminated_at: '2014-01-01 11:00:00'}),
    );
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(all('SELECT instance, launched_at, deleted_at, raw_id FROM stacktach_instancedeletes ORDER BY id'), [
      {instance: I1, launched_at: at('2014-01-01 00:00:00'), deleted_at: at('2014-01-01 11:00:00'), raw_id: 5},
      {instance: I1, launched_at: at('2014-01-01 00:00:00'), deleted_at: at('2014-01-01 12:00:00'), raw_id: 3},
      {instance: I1, launched_at: at('2014-01-01 00:00:00'), deleted_at: null, raw_id: 4},
    ]);
  });
});

describe('InstanceExists (docs/ingest.md §3.6)', () => {
  const audit = {audit_period_beginning: '2014-01-01 00:00:00', audit_period_ending: '2014-01-02 00:00:00'};
  const exists = (n: number, payload: Record<string, unknown>, messageId?: string): Note => ({event: 'compute.instance.exists',
    at: at('2014-01-02 00:10:00') + n * SECOND, instance: I1, tenant: 't', messageId, payload: {...audit, ...payload}});

  it('without launched_at: the warning, and nothing stored', async () => {
    const r = await ingest(exists(0, {launched_at: ''}), exists(1, {launched_at: null}), exists(2, {}));
    assert.equal(r.stored, 3);
    // Items without a line number (not from a file) give warnings without a `line N:` prefix.
    assert.deepEqual(r.warnings, ['Ignoring exists without launched_at. RawData(1)',
      'Ignoring exists without launched_at. RawData(2)', 'Ignoring exists without launched_at. RawData(3)']);
    assert.equal(all('SELECT * FROM stacktach_instanceexists').length, 0);
  });

  it('links the usage whose launched_at is within [L, L+1 s], the delete likewise, and always inserts', async () => {
    await ingest(
      // Usage A launched at L - 1 µs: outside. Usage B launched at L + 1 s: inside (inclusive).
      {event: 'compute.instance.create.end', at: '2014-01-01 00:00:05', instance: I1, request: R1,
        payload: {launched_at: '2013-12-31 23:59:59.999999'}},
      {event: 'compute.instance.create.end', at: '2014-01-01 00:00:06', instance: I1, request: R2,
        payload: {launched_at: '2014-01-01 00:00:01'}},
      {event: 'compute.instance.delete.end', at: '2014-01-01 12:00:00', instance: I1,
        payload: {launched_at: '2014-01-01 00:00:00.5', terminated_at: '2014-01-01 11:59:59'}},
      exists(0, {launched_at: '2014-01-01 00:00:00', deleted_at: '2014-01-01 11:59:59', instance_type_id: 5,
        instance_flavor_id: '2', bandwidth: {public: {bw_in: 1, bw_out: 1234}}}, 'm-1'),
      exists(1, {launched_at: '2014-01-01 00:00:00', instance_type_id: 5, instance_flavor_id: '2'}, 'm-2'),
      exists(2, {launched_at: '2014-01-01 00:00:01.000001'}),
    );
    assert.deepEqual(all(`SELECT instance, launched_at, deleted_at, audit_period_beginning, audit_period_ending, message_id,
      instance_type_id, instance_flavor_id, status, send_status, raw_id, usage_id, delete_id, tenant, bandwidth_public_out
      FROM stacktach_instanceexists ORDER BY id`), [
      {instance: I1, launched_at: at('2014-01-01 00:00:00'), deleted_at: at('2014-01-01 11:59:59'),
        audit_period_beginning: at('2014-01-01 00:00:00'), audit_period_ending: at('2014-01-02 00:00:00'), message_id: 'm-1',
        instance_type_id: '5', instance_flavor_id: '2', status: 'pending', send_status: 0, raw_id: 4, usage_id: 2, delete_id: 1,
        tenant: 't', bandwidth_public_out: 1234},
      // deleted_at absent: no delete link even though one matches.
      {instance: I1, launched_at: at('2014-01-01 00:00:00'), deleted_at: null,
        audit_period_beginning: at('2014-01-01 00:00:00'), audit_period_ending: at('2014-01-02 00:00:00'), message_id: 'm-2',
        instance_type_id: '5', instance_flavor_id: '2', status: 'pending', send_status: 0, raw_id: 5, usage_id: 2, delete_id: null,
        tenant: 't', bandwidth_public_out: 0},
      {instance: I1, launched_at: at('2014-01-01 00:00:01.000001'), deleted_at: null,
        audit_period_beginning: at('2014-01-01 00:00:00'), audit_period_ending: at('2014-01-02 00:00:00'), message_id: null,
        instance_type_id: null, instance_flavor_id: null, status: 'pending', send_status: 0, raw_id: 6, usage_id: null, delete_id: null,
        tenant: 't', bandwidth_public_out: 0},
    ]);
  });

  it('a missing audit period keeps the raw row and reports a warning', async () => {
    const r = await ingest({event: 'compute.instance.exists', at: '2014-01-02 00:10:00', instance: I1,
      payload: {launched_at: '2014-01-01 00:00:00'}});
    assert.equal(r.stored, 1);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0]!, /^derived tables: unparseable timestamp null$/);
    assert.equal(all('SELECT * FROM stacktach_rawdata').length, 1);
    assert.equal(all('SELECT * FROM stacktach_instanceexists').length, 0);
  });
});

describe('glance usage tables (docs/ingest.md §3.8)', () => {
  const glance = (event: string, atText: string, payload: Record<string, unknown>, body: Record<string, unknown> = {}): Note =>
    ({event, at: atText, exchange: 'glance', publisher: 'glance.g-01', payload, body});

  it('image.activate inserts ImageUsage every time; image.delete inserts ImageDeletes', async () => {
    const r = await ingest(
      glance('image.activate', '2014-01-01 00:00:00', {id: 'img-1', created_at: '2013-12-31 23:00:00', owner: 'o', size: 1024}),
      glance('image.activate', '2014-01-01 00:00:01', {id: 'img-1', created_at: '2013-12-31T23:00:00Z', size: 2048}),
      glance('image.delete', '2014-01-01 00:00:02', {id: 'img-1', deleted_at: '2014-01-01 00:00:02'}, {deleted_at: '2014-01-01 00:00:01'}),
      glance('image.delete', '2014-01-01 00:00:03', {id: 'img-2', deleted_at: '2014-01-01 00:00:03'}),
      glance('image.delete', '2014-01-01 00:00:04', {id: 'img-3'}),
      glance('image.upload', '2014-01-01 00:00:05', {id: 'img-4', created_at: '2013-12-31 23:00:00', size: 1}),
    );
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(all('SELECT uuid, created_at, owner, size, last_raw_id FROM stacktach_imageusage ORDER BY id'), [
      {uuid: 'img-1', created_at: at('2013-12-31 23:00:00'), owner: 'o', size: 1024, last_raw_id: 1},
      {uuid: 'img-1', created_at: at('2013-12-31 23:00:00'), owner: null, size: 2048, last_raw_id: 2},
    ]);
    assert.deepEqual(all('SELECT uuid, deleted_at, raw_id FROM stacktach_imagedeletes ORDER BY id'), [
      {uuid: 'img-1', deleted_at: at('2014-01-01 00:00:01'), raw_id: 3},
      {uuid: 'img-2', deleted_at: at('2014-01-01 00:00:03'), raw_id: 4},
      {uuid: 'img-3', deleted_at: null, raw_id: 5},
    ]);
  });

  it('image.exists: one row per image with created_at, linked to the first usage and delete', async () => {
    const r = await ingest(
      glance('image.activate', '2014-01-01 00:00:00', {id: 'img-1', created_at: '2013-12-31 23:00:00', size: 1}),
      glance('image.activate', '2014-01-01 00:00:01', {id: 'img-1', created_at: '2013-12-31 23:00:00', size: 1}),
      glance('image.delete', '2014-01-01 00:00:02', {id: 'img-1', deleted_at: '2014-01-01 00:00:02'}),
      {...glance('image.exists', '2014-01-02 00:05:00', {owner: 'top-owner', audit_period_beginning: '2014-01-01 00:00:00',
        audit_period_ending: '2014-01-02 00:00:00', images: [
          {id: 'img-1', created_at: '2013-12-31 23:00:00', size: 10, deleted_at: '2014-01-01 00:00:02', owner: 'ignored'},
          {id: 'img-2', created_at: '2013-12-31 22:00:00', size: 20, deleted_at: null},
          {id: 'img-3', created_at: '', size: 30, deleted_at: null},
        ]}), messageId: 'gm-1'},
      glance('image.exists', '2014-01-02 00:06:00', {}, {payload: 'not an object'}),
    );
    assert.deepEqual(r.warnings, ['Ignoring exists without created_at. GlanceRawData(4)',
      'Received exists with invalid payload GlanceRawData(5)']);
    assert.deepEqual(all(`SELECT uuid, created_at, deleted_at, audit_period_beginning, audit_period_ending, status, send_status,
      raw_id, usage_id, delete_id, owner, size, message_id FROM stacktach_imageexists ORDER BY id`), [
      {uuid: 'img-1', created_at: at('2013-12-31 23:00:00'), deleted_at: at('2014-01-01 00:00:02'),
        audit_period_beginning: at('2014-01-01 00:00:00'), audit_period_ending: at('2014-01-02 00:00:00'), status: 'pending',
        send_status: 0, raw_id: 4, usage_id: 1, delete_id: 1, owner: 'top-owner', size: 10, message_id: 'gm-1'},
      {uuid: 'img-2', created_at: at('2013-12-31 22:00:00'), deleted_at: null,
        audit_period_beginning: at('2014-01-01 00:00:00'), audit_period_ending: at('2014-01-02 00:00:00'), status: 'pending',
        send_status: 0, raw_id: 4, usage_id: null, delete_id: null, owner: 'top-owner', size: 20, message_id: 'gm-1'},
    ]);
  });

  it('image.exists with an image lacking a required key: a warning, the raw row kept', async () => {
    const r = await ingest(glance('image.exists', '2014-01-02 00:05:00', {images: [{id: 'img-1', created_at: '2013-12-31 23:00:00', size: 1}]}));
    assert.equal(r.stored, 1);
    assert.equal(r.warnings[0], "derived tables: image.exists image lacks 'deleted_at'. GlanceRawData(1)");
    assert.equal(all('SELECT * FROM stacktach_imageexists').length, 0);
  });
});

describe('batches', () => {
  it('a bad notification is rejected and quarantined without stopping the batch', async () => {
    const r = await pipeline.ingest([
      item({event: 'x.start', at: '2014-01-01 00:00:00', instance: I1}),
      {...item({event: 'x', at: '2014-01-01 00:00:00'}), body: {event_type: 'x', timestamp: '2014-01-01 00:00:00'}, line: 7},
      item({event: 'x.end', at: '2014-01-01 00:00:02', instance: I1}),
    ]);
    assert.deepEqual([r.stored, r.rejected], [2, [{line: 7, error: 'missing publisher_id'}]]);
    assert.deepEqual(all('SELECT diff FROM stacktach_timing'), [{diff: 2_000_000}]);
    assert.deepEqual(all('SELECT source, line, error FROM stacky_quarantine'), [{source: 'test', line: 7, error: 'missing publisher_id'}]);
  });

  it('a later pipeline on the same file continues the derived state', async () => {
    await ingest({event: 'x.start', at: '2014-01-01 00:00:00', instance: I1});
    const second = new Pipeline(store.writer(), {source: 'again'});
    await second.ingest([item({event: 'x.end', at: '2014-01-01 00:00:03', instance: I1})]);
    assert.deepEqual(all('SELECT start_raw_id, end_raw_id, diff FROM stacktach_timing'), [{start_raw_id: 1, end_raw_id: 2, diff: 3_000_000}]);
  });
});

describe('raw JSON keyframes', () => {
  const blobs = () => all('SELECT id, hex(substr(json_z, 1, 1)) AS tag, json_z FROM stacktach_rawdata ORDER BY id')
    .map((r) => ({id: r.id, tag: r.tag, ref: referenceOf(r.json_z as Buffer)}));
  const texts = () => all('SELECT id FROM stacktach_rawdata ORDER BY id').map((r) => new RawReader(store.db).show('nova', r.id as number)!.json);
  const note = (at: string, messageId: string, instance = I1): Note =>
    ({event: 'compute.instance.update', at, instance, request: R1, messageId, state: at.slice(-2)});

  it('later rows of an instance are compressed against its first stored row', async () => {
    await ingest(note('2014-01-01 00:00:01', 'm1'), note('2014-01-01 00:00:02', 'm2'), note('2014-01-01 00:00:03', 'm3', I2),
      note('2014-01-01 00:00:04', 'm4'));
    assert.deepEqual(blobs(), [{id: 1, tag: '05', ref: null}, {id: 2, tag: '06', ref: 1}, {id: 3, tag: '05', ref: null},
      {id: 4, tag: '06', ref: 1}]);
    assert.deepEqual(texts().map((t) => JSON.parse(t)[1].message_id), ['m1', 'm2', 'm3', 'm4']);
  });

  it('when an instance\'s first row is a redelivery, the rows compressed against it stand alone', async () => {
    await ingest(note('2014-01-01 00:00:01', 'm1'));
    // A new process: its first row of I1 is the redelivered m1, which is not stored again.
    const next = new Pipeline(store.writer(), {source: 'test'});
    const notes = [note('2014-01-01 00:00:01', 'm1'), note('2014-01-01 00:00:02', 'm2'), note('2014-01-01 00:00:03', 'm3')];
    const result = await next.ingest(notes.map(item));
    assert.deepEqual([result.stored, result.duplicates], [2, 1]);
    assert.deepEqual(blobs(), [{id: 1, tag: '05', ref: null}, {id: 2, tag: '05', ref: null}, {id: 3, tag: '05', ref: null}]);
    assert.deepEqual(texts(), notes.map((n) => JSON.stringify(['monitor.info', notification(n)])));
  });

  it('when an instance\'s first row is skipped (its connection gone), the rows compressed against it stand alone', async () => {
    const preparer = new Preparer();
    const notes = [note('2014-01-01 00:00:01', 'm1'), note('2014-01-01 00:00:02', 'm2'), note('2014-01-01 00:00:03', 'm3')];
    const [first, ...rest] = notes.map((n) => preparer.prepare(item(n)));
    assert.deepEqual(rest.map((r) => r.refSeq), [first!.seq, first!.seq]);
    pipeline.skip([first!]);
    const result = await pipeline.store(rest);
    assert.deepEqual([result.stored, result.duplicates], [2, 0]);
    assert.deepEqual(blobs(), [{id: 1, tag: '05', ref: null}, {id: 2, tag: '05', ref: null}]);
    assert.deepEqual(texts(), notes.slice(1).map((n) => JSON.stringify(['monitor.info', notification(n)])));
  });
});
