// The original's test catalogue (docs/api.md §5.1–5.3), re-expressed as HTTP against real data:
// a real SQLite file, notifications through the real pipeline, the real server on port 0.
// Where the mocks returned Python ints, real-DB durations render with `.00` (docs/api.md §5).
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {pyDumps} from '../../source/core/pyjson.js';
import {
  errorBody, INSTANCE_ID_1, INSTANCE_ID_2, micros, REQUEST_ID_1, SECOND, type Note, withServer,
} from './helpers.js';

const NOVA_HEADER = ['#', '?', 'When', 'Deployment', 'Event', 'Host', 'State', "State'", "Task'"];
const GLANCE_HEADER = ['#', '?', 'When', 'Deployment', 'Event', 'Host', 'Status'];
const GENERIC_HEADER = ['#', '?', 'When', 'Deployment', 'Event', 'Host', 'Instance', 'Request id'];
const WHEN = '2013-07-17 10:16:10.717219';

/** "The raw" of docs/api.md §5.0 as a nova notification. */
const RAW: Note = {
  event: 'test.start', at: WHEN, publisher: 'api.example.com', deployment: 'deployment', instance: INSTANCE_ID_1,
  request: REQUEST_ID_1, tenant: 'tenant', state: 'active', oldState: null, oldTask: null,
};
/** The same raw as a glance notification: image id INSTANCE_ID_1, status "state". */
const GLANCE_RAW: Note = {
  event: 'test.start', at: WHEN, publisher: 'api.example.com', deployment: 'deployment', exchange: 'glance',
  request: REQUEST_ID_1, payload: {id: INSTANCE_ID_1, status: 'state', owner: 'tenant'},
};
/** And as a generic one. */
const GENERIC_RAW: Note = {
  event: 'test.start', at: WHEN, publisher: 'api.example.com', deployment: 'deployment', exchange: 'generic',
  instance: INSTANCE_ID_1, request: REQUEST_ID_1, tenant: 'tenant',
};
const RAW_ROW = [1, ' ', WHEN, 'deployment', 'test.start', 'example.com', 'active', null, null];
const RAW_ROW_TEXT = '[1, " ", "2013-07-17 10:16:10.717219", "deployment", "test.start", "example.com", "active", null, null]';
const NOVA_HEADER_TEXT = '["#", "?", "When", "Deployment", "Event", "Host", "State", "State\'", "Task\'"]';

describe('§5.1 the raw fixture: uuid, request, show, search', () => {
  const s = withServer(async (srv) => {
    for (const n of [RAW, GLANCE_RAW, GENERIC_RAW]) assert.equal((await srv.ingest(n)).stored, 1);
  });

  it('12 test_do_uuid: exact body', async () => {
    const r = await s().get(`/stacky/uuid/?uuid=${INSTANCE_ID_1}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.text, `[${NOVA_HEADER_TEXT}, ${RAW_ROW_TEXT}]`);
  });

  it('13 test_do_uuid_when_filters: inclusive bounds keep the row, 1.1..2.1 excludes it', async () => {
    assert.deepEqual(await s().json(`/stacky/uuid/?uuid=${INSTANCE_ID_1}&when_min=1374056170.717219&when_max=1374056170.717219`),
      [NOVA_HEADER, RAW_ROW]);
    assert.deepEqual(await s().json(`/stacky/uuid/?uuid=${INSTANCE_ID_1}&when_min=1.1&when_max=2.1`), []);
  });

  it('14 test_do_uuid_for_glance: filters the image id', async () => {
    const r = await s().get(`/stacky/uuid/?uuid=${INSTANCE_ID_1}&service=glance`);
    assert.equal(r.status, 200);
    assert.equal(r.text, '[["#", "?", "When", "Deployment", "Event", "Host", "Status"], ' +
      '[1, " ", "2013-07-17 10:16:10.717219", "deployment", "test.start", "example.com", "state"]]');
  });

  it('15 test_do_uuid_for_glance_when_filters', async () => {
    assert.deepEqual(await s().json(`/stacky/uuid/?uuid=${INSTANCE_ID_1}&service=glance&when_min=1374056170&when_max=1374056171`),
      [GLANCE_HEADER, [1, ' ', WHEN, 'deployment', 'test.start', 'example.com', 'state']]);
    assert.deepEqual(await s().json(`/stacky/uuid/?uuid=${INSTANCE_ID_1}&service=glance&when_min=1.1&when_max=2.1`), []);
  });

  it('16 test_do_uuid_bad_uuid', async () => {
    const r = await s().get('/stacky/uuid/?uuid=obviouslybaduuid');
    assert.equal(r.status, 400);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.text, '[["Error", "Message"], ["Bad Request", "obviouslybaduuid is not uuid-like"]]');
  });

  it('17 test_do_timings_uuid_bad_uuid', async () => {
    const r = await s().get('/stacky/timings/uuid/?uuid=obviouslybaduuid');
    assert.equal(r.status, 400);
    assert.equal(r.text, '[["Error", "Message"], ["Bad Request", "obviouslybaduuid is not uuid-like"]]');
  });

  it('23 test_do_request: nova header and the raw', async () => {
    const r = await s().get(`/stacky/request/?request_id=${REQUEST_ID_1}`);
    assert.equal(r.status, 200);
    assert.equal(r.text, `[${NOVA_HEADER_TEXT}, ${RAW_ROW_TEXT}]`);
  });

  it('24 test_do_request_when_filters', async () => {
    assert.deepEqual(await s().json(`/stacky/request/?request_id=${REQUEST_ID_1}&when_min=1374056170.717219&when_max=1374056170.717219`),
      [NOVA_HEADER, RAW_ROW]);
    assert.deepEqual(await s().json(`/stacky/request/?request_id=${REQUEST_ID_1}&when_min=1.1&when_max=2.1`), [NOVA_HEADER]);
  });

  it('25 test_do_request_bad_request_id', async () => {
    const r = await s().get('/stacky/request/?request_id=obviouslybaduuid');
    assert.equal(r.status, 400);
    assert.equal(r.text, '[["Error", "Message"], ["Bad Request", "obviouslybaduuid is not request-id-like"]]');
  });

  const showTable = [
    ['Key', 'Value'], ['#', 1], ['When', WHEN], ['Deployment', 'deployment'], ['Category', 'monitor.info'],
    ['Publisher', 'api.example.com'], ['State', 'active'], ['Event', 'test.start'], ['Service', 'api'],
    ['Host', 'example.com'], ['UUID', INSTANCE_ID_1], ['Req ID', REQUEST_ID_1],
  ];

  for (const [n, name] of [[26, 'test_do_show'], [29, 'test_do_show_should_return_empty_result_on_object_not_found_exception']] as const) {
    it(`${n} ${name}: three elements, 12-row table, pretty JSON, uuid`, async () => {
      const r = await s().get('/stacky/show/1/');
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      const body = r.json() as unknown[];
      assert.equal(body.length, 3);
      assert.deepEqual(body[0], showTable);
      // Element 1: the stored [routing_key, body] as Python's json.dumps(indent=2) writes it.
      const stored = JSON.parse(body[1] as string) as unknown[];
      assert.deepEqual(stored[0], 'monitor.info');
      assert.equal((stored[1] as Record<string, unknown>).event_type, 'test.start');
      assert.equal(body[1], pyDumps(stored, 2));
      assert.match(body[1] as string, /^\[\n {2}"monitor\.info", \n {2}\{\n {4}"event_type": "test\.start", \n/);
      assert.equal(body[2], INSTANCE_ID_1);
    });
  }

  it('27 test_do_show_for_glance_rawdata: Status and the image id', async () => {
    const body = await s().json('/stacky/show/1/?service=glance') as unknown[];
    assert.equal(body.length, 3);
    const table = body[0] as unknown[][];
    assert.equal(table.length, 12);
    assert.deepEqual(table[6], ['Status', 'state']);
    assert.deepEqual(table[10], ['UUID', INSTANCE_ID_1]);
    assert.deepEqual(table.filter((_, i) => i !== 6), showTable.filter((_, i) => i !== 6));
    assert.equal(body[2], INSTANCE_ID_1);
  });

  it('28 test_do_show_for_generic_rawdata: nova layout, State null on a real generic row', async () => {
    const body = await s().json('/stacky/show/1/?service=generic') as unknown[];
    const table = body[0] as unknown[][];
    assert.deepEqual(table[6], ['State', null]);
    assert.deepEqual(table[10], ['UUID', INSTANCE_ID_1]);
    assert.deepEqual(table.filter((_, i) => i !== 6), showTable.filter((_, i) => i !== 6));
    assert.equal(body[2], INSTANCE_ID_1);
  });

  it('38–40 test_model_factory_for_*: each service reads its own table', async () => {
    assert.deepEqual(await s().json('/stacky/search/?field=event&value=test.start&service=nova'), [NOVA_HEADER, RAW_ROW]);
    assert.deepEqual(await s().json('/stacky/search/?field=event&value=test.start&service=glance'),
      [GLANCE_HEADER, [1, ' ', WHEN, 'deployment', 'test.start', 'example.com', 'state']]);
    assert.deepEqual(await s().json('/stacky/search/?field=event&value=test.start&service=generic'),
      [GENERIC_HEADER, [1, ' ', WHEN, 'deployment', 'test.start', 'example.com', INSTANCE_ID_1, REQUEST_ID_1]]);
  });

  it('41 test_search_by_field_for_nova', async () => {
    const r = await s().get('/stacky/search/?field=tenant&value=tenant');
    assert.equal(r.status, 200);
    const body = r.json() as unknown[][];
    assert.equal(body.length, 2);
    assert.deepEqual(body[0], NOVA_HEADER);
    assert.equal(body[1]!.length, 9);
    assert.deepEqual(body[1], RAW_ROW);
  });

  it('42 test_search_by_field_for_nova_when_filters', async () => {
    assert.deepEqual(await s().json('/stacky/search/?field=tenant&value=tenant&when_min=1374056170.717219&when_max=1374056170.717219'),
      [NOVA_HEADER, RAW_ROW]);
    assert.deepEqual(await s().json('/stacky/search/?field=tenant&value=tenant&when_min=1.1&when_max=2.1'), []);
  });

  it('44 test_search_with_wrong_field_value_returns_400_error_and_a_message (glance has no tenant)', async () => {
    const r = await s().get('/stacky/search/?field=tenant&value=tenant&service=glance');
    assert.equal(r.status, 400);
    assert.equal(r.text, '[["Error", "Message"], ["Bad Request", "The requested field \'tenant\' does not exist for the ' +
      'corresponding object.\\nNote: The field names of database are case-sensitive."]]');
  });
});

describe('§5.1 event, host and deployment lists (1–4, 8–11)', () => {
  const s = withServer(async (srv) => {
    await srv.ingest(
      {event: 'some.event.2', at: WHEN, publisher: 'compute.www.example.com', deployment: 'dep1'},
      {event: 'some.event.1', at: WHEN, publisher: 'compute.www.demo.com', deployment: 'dep1'},
      {event: 'some.event.1', at: WHEN, publisher: 'compute.www.demo.com', deployment: 'dep2'},
      {event: 'some.event.1', at: WHEN, publisher: 'glance.glance-01', exchange: 'glance', deployment: 'dep2', payload: {}},
      {event: 'some.event.2', at: WHEN, publisher: 'glance.glance-02', exchange: 'glance', deployment: 'dep2', payload: {}},
      {event: 'some.event.2', at: WHEN, publisher: 'generic.g-01', exchange: 'generic', deployment: 'dep1'},
      {event: 'some.event.1', at: WHEN, publisher: 'generic.g-01', exchange: 'generic', deployment: 'dep1'},
    );
  });

  it('1 test_get_event_names: the nova names, distinct', async () => {
    assert.deepEqual(await s().json('/stacky/events/?service=nova'), [['Event Name'], ['some.event.1'], ['some.event.2']]);
  });

  it('2 test_get_host_names_for_nova / 11 test_do_hosts (default service nova)', async () => {
    const r = await s().get('/stacky/hosts/');
    assert.equal(r.status, 200);
    assert.equal(r.text, '[["Host Name"], ["www.demo.com"], ["www.example.com"]]');
    assert.equal((await s().get('/stacky/hosts/?service=nova')).text, r.text);
  });

  it('3 test_get_host_names_for_glance', async () => {
    assert.deepEqual(await s().json('/stacky/hosts/?service=glance'), [['Host Name'], ['glance-01'], ['glance-02']]);
    assert.deepEqual(await s().json('/stacky/hosts/?service=generic'), [['Host Name'], ['g-01']]);
  });

  it('4/8 test_get_deployments, test_do_deployments: ordered by name', async () => {
    const r = await s().get('/stacky/deployments/');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.text, '[["#", "Name"], [1, "dep1"], [2, "dep2"]]');
    await s().ingest({event: 'some.event.1', at: WHEN, deployment: 'alpha'});
    assert.deepEqual(await s().json('/stacky/deployments/'), [['#', 'Name'], [3, 'alpha'], [1, 'dep1'], [2, 'dep2']]);
  });

  it('9 test_do_events_of_a_single_service', async () => {
    const r = await s().get('/stacky/events/?service=nova');
    assert.equal(r.status, 200);
    assert.equal(r.text, '[["Event Name"], ["some.event.1"], ["some.event.2"]]');
  });

  it('10 test_do_events_of_all_services: 7 rows, duplicates kept, nova then glance then generic', async () => {
    const body = await s().json('/stacky/events/?service=all') as unknown[][];
    assert.equal(body.length, 7);
    assert.deepEqual(body, [['Event Name'], ['some.event.1'], ['some.event.2'], ['some.event.1'], ['some.event.2'],
      ['some.event.1'], ['some.event.2']]);
  });
});

describe('§5.1 timings/uuid (5–7)', () => {
  const A = 'aaaaaaaa-6352-4dbc-8271-96cc54bf14cd';
  const B = 'bbbbbbbb-6352-4dbc-8271-96cc54bf14cd';
  const s = withServer(async (srv) => {
    await srv.ingest(
      {event: 'name.start', at: '2014-01-14 10:00:00', instance: A},
      {event: 'name.end', at: '2014-01-14 10:00:00', instance: B},
      {event: 'name.start', at: '2014-01-14 10:00:00', instance: INSTANCE_ID_1},
      {event: 'name.end', at: '2014-01-14 10:00:20', instance: INSTANCE_ID_1},
    );
  });

  it('5 test_get_timings_for_uuid_start_only', async () => {
    assert.deepEqual(await s().json(`/stacky/timings/uuid/?uuid=${A}`), [['?', 'Event', 'Time (secs)'], ['S', 'name', 'n/a']]);
  });

  it('6 test_get_timings_for_uuid_end_only', async () => {
    assert.deepEqual(await s().json(`/stacky/timings/uuid/?uuid=${B}`), [['?', 'Event', 'Time (secs)'], ['E', 'name', 'n/a']]);
  });

  it('7 test_get_timings_for_uuid: diff 20 renders 0d 00:00:20.00 from the database', async () => {
    const r = await s().get(`/stacky/timings/uuid/?uuid=${INSTANCE_ID_1}`);
    assert.equal(r.status, 200);
    assert.equal(r.text, '[["?", "Event", "Time (secs)"], [".", "name", "0d 00:00:20.00"]]');
  });

  it('5 (lifecycle query sliced): offset past the one lifecycle gives the header only', async () => {
    assert.deepEqual(await s().json(`/stacky/timings/uuid/?uuid=${INSTANCE_ID_1}&offset=1`), [['?', 'Event', 'Time (secs)']]);
    assert.deepEqual(await s().json(`/stacky/timings/uuid/?uuid=${INSTANCE_ID_2}`), [['?', 'Event', 'Time (secs)']]);
  });
});

describe('§5.1 timings by name (18–21) and summary (22)', () => {
  // INSTANCE_ID_2 first, so the diff ordering is visible: 10 s ends at 10:00:20, 20 s ends at 10:00:30.
  const s = withServer(async (srv) => {
    await srv.ingest(
      {event: 'test.event.start', at: '2014-01-14 10:00:10', instance: INSTANCE_ID_2},
      {event: 'test.event.end', at: '2014-01-14 10:00:30', instance: INSTANCE_ID_2},
      {event: 'test.event.start', at: '2014-01-14 10:00:10', instance: INSTANCE_ID_1},
      {event: 'test.event.end', at: '2014-01-14 10:00:20', instance: INSTANCE_ID_1},
      // An open start is not a complete pair: never listed.
      {event: 'test.event.start', at: '2014-01-14 10:00:40', instance: INSTANCE_ID_1},
      {event: 'test.start', at: '2014-01-14 11:00:00', instance: INSTANCE_ID_1},
      {event: 'test.end', at: '2014-01-14 11:00:10', instance: INSTANCE_ID_1},
      {event: 'test.start', at: '2014-01-14 11:00:00', instance: INSTANCE_ID_2},
      {event: 'test.end', at: '2014-01-14 11:00:20', instance: INSTANCE_ID_2},
    );
  });
  const expected = [['test.event', 'Time'], [INSTANCE_ID_1, '0d 00:00:10.00'], [INSTANCE_ID_2, '0d 00:00:20.00']];

  it('18 test_do_timings: fastest first, `.00` from the database', async () => {
    const r = await s().get('/stacky/timings/?name=test.event');
    assert.equal(r.status, 200);
    assert.equal(r.text, `[["test.event", "Time"], ["${INSTANCE_ID_1}", "0d 00:00:10.00"], ["${INSTANCE_ID_2}", "0d 00:00:20.00"]]`);
  });

  it('19 test_do_timings_end_when_min', async () => {
    const min = micros('2014-01-14 10:00:20') / SECOND;
    assert.deepEqual(await s().json(`/stacky/timings/?name=test.event&end_when_min=${min}`), expected);
    assert.deepEqual(await s().json(`/stacky/timings/?name=test.event&end_when_min=${min + 0.000001}`),
      [expected[0], expected[2]]);
  });

  it('20 test_do_timings_end_when_max', async () => {
    const max = micros('2014-01-14 10:00:30') / SECOND;
    assert.deepEqual(await s().json(`/stacky/timings/?name=test.event&end_when_max=${max}`), expected);
    assert.deepEqual(await s().json(`/stacky/timings/?name=test.event&end_when_max=${max - 1}`), [expected[0], expected[1]]);
  });

  it('21 test_do_timings_end_when_max_when_min', async () => {
    const min = micros('2014-01-14 10:00:20') / SECOND;
    assert.deepEqual(await s().json(`/stacky/timings/?name=test.event&end_when_min=${min}&end_when_max=${min + 10}`), expected);
    assert.deepEqual(await s().json('/stacky/timings/?name=test.event&end_when_min=1.1&end_when_max=2.1'), [expected[0]]);
  });

  it('22 test_do_summary: N, float Min/Max ending in .0, int Avg; `name` is ignored', async () => {
    const r = await s().get('/stacky/summary/?name=ignored');
    assert.equal(r.status, 200);
    // Names in the events order (ascending): test.event.start sorts before test.start.
    assert.equal(r.text, '[["Event", "N", "Min", "Max", "Avg"], ["test.event", 2, "0d 00:00:10.0", "0d 00:00:20.0", ' +
      '"0d 00:00:15"], ["test", 2, "0d 00:00:10.0", "0d 00:00:20.0", "0d 00:00:15"]]');
  });
});

describe('§5.1 watch (30–33)', () => {
  const now = micros('2013-07-17 10:16:11.900000');
  const s = withServer(async (srv) => {
    await srv.ingest(
      {...RAW, deployment: 'dep1'},
      {...RAW, event: 'test.end', at: '2013-07-17 10:00:00', deployment: 'dep1'}, // outside the default window
      {...GLANCE_RAW, deployment: 'dep1', payload: {id: 'uuid', status: 'state'}},
    );
  }, now);

  function checkRow(row: unknown, uuid: string): void {
    const r = row as unknown[];
    assert.equal(r.length, 7);
    assert.deepEqual([r[0], r[1], r[4], r[5], r[6]], [1, ' ', 'dep1', 'test.start', uuid]);
    // "<date> <time>" parses as %Y-%m-%d %H:%M:%S.%f
    assert.match(`${r[2]} ${r[3]}`, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/);
    assert.deepEqual([r[2], r[3]], ['2013-07-17', '10:16:10.717219']);
  }

  it('30 test_do_watch_for_glance: widths from the nova names', async () => {
    const r = await s().get('/stacky/watch/0/?service=glance');
    assert.equal(r.status, 200);
    const body = r.json() as unknown[];
    assert.equal(body.length, 3);
    assert.deepEqual(body[0], [10, 1, 15, 20, 10, 36]);
    assert.equal((body[1] as unknown[]).length, 1);
    checkRow((body[1] as unknown[])[0], 'uuid');
    assert.equal(body[2], '1374056171');
  });

  it('31 test_do_watch (no params): nova', async () => {
    const r = await s().get('/stacky/watch/0/');
    assert.equal(r.text, `[[10, 1, 15, 20, 10, 36], [[1, " ", "2013-07-17", "10:16:10.717219", "dep1", "test.start", "${INSTANCE_ID_1}"]], "1374056171"]`);
  });

  it('32 test_do_watch_with_deployment: the path id filters, a deployment= query is ignored', async () => {
    const body = await s().json('/stacky/watch/1/?deployment=1') as unknown[];
    checkRow((body[1] as unknown[])[0], INSTANCE_ID_1);
    assert.deepEqual(await s().json('/stacky/watch/2/?deployment=1'), [[10, 1, 15, 20, 10, 36], [], '1374056171']);
  });

  it('33 test_do_watch_with_event_name', async () => {
    const body = await s().json('/stacky/watch/0/?event_name=test.start&service=nova') as unknown[];
    assert.equal((body[1] as unknown[]).length, 1);
    checkRow((body[1] as unknown[])[0], INSTANCE_ID_1);
    const none = await s().json('/stacky/watch/0/?event_name=test.end&service=nova&since=1374056160') as unknown[];
    assert.deepEqual(none[1], []);
  });
});

/** An API-side update starts a tracker; a matched .end of the same request sets its duration. */
function kpiFlow(instance: string, request: string, endTenant: string, deployment = 'dep1', startTenant = endTenant): Note[] {
  return [
    {event: 'compute.instance.update', at: '2014-01-16 10:00:00', publisher: 'api.api-01', instance, request,
      tenant: startTenant, deployment},
    {event: 'test.start', at: '2014-01-16 10:00:01', instance, request, tenant: endTenant, deployment},
    {event: 'test.end', at: '2014-01-16 10:00:10', instance, request, tenant: endTenant, deployment},
  ];
}

describe('§5.1 kpi (34, 35, 37)', () => {
  const s = withServer((srv) => srv.ingest(...kpiFlow(INSTANCE_ID_1, REQUEST_ID_1, '55555')), micros('2014-01-16 17:10:07'));

  it('34 test_do_kpi', async () => {
    const r = await s().get('/stacky/kpi/');
    assert.equal(r.status, 200);
    assert.equal(r.text, `[["Event", "Time", "UUID", "Deployment"], ["test", "0d 00:00:10.00", "${INSTANCE_ID_1}", "dep1"]]`);
  });

  it('35 test_do_kpi_with_tenant', async () => {
    assert.deepEqual(await s().json('/stacky/kpi/55555/'),
      [['Event', 'Time', 'UUID', 'Deployment'], ['test', '0d 00:00:10.00', INSTANCE_ID_1, 'dep1']]);
  });

  it('37 test_do_kpi_tenant_doesnt_exist', async () => {
    const r = await s().get('/stacky/kpi/55556/');
    assert.equal(r.status, 404);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.text, '[["Error", "Message"], ["Not Found", "Could not find raws for tenant 55556"]]');
  });
});

describe('§5.1 kpi (36): the tenant has raws but the end raw belongs to another', () => {
  const s = withServer((srv) => srv.ingest(...kpiFlow(INSTANCE_ID_1, REQUEST_ID_1, '55556', 'dep1', '55555')),
    micros('2014-01-16 17:10:07'));

  it('36 test_do_kpi_with_tenant_no_match: header only', async () => {
    const body = await s().json('/stacky/kpi/55555/') as unknown[];
    assert.equal(body.length, 1);
    assert.deepEqual(body, [['Event', 'Time', 'UUID', 'Deployment']]);
  });
});

describe('§5.1 search with limit (43) and pagination (45–50)', () => {
  const base = micros('2014-01-14 12:00:00');
  const s = withServer(async (srv) => {
    // ids 1..3 newest first, so search (when descending) lists 1, 2, 3.
    await srv.ingest(...[0, 1, 2].map((i): Note => ({...RAW, at: base - i * SECOND})));
    // 60 events of one request, oldest first: ids 4..63.
    await srv.ingest(...Array.from({length: 60}, (_, i): Note => ({
      event: 'compute.instance.update', at: base + (i + 1) * SECOND, request: REQUEST_ID_1.replace('8888', '7777'),
      instance: INSTANCE_ID_2, tenant: 'pager',
    })));
  });
  const REQ = REQUEST_ID_1.replace('8888', '7777');
  const ids = async (path: string) => ((await s().json(path)) as unknown[][]).slice(1).map((r) => r[0]);
  const range = (from: number, to: number) => Array.from({length: to - from + 1}, (_, i) => from + i);

  it('43 test_search_by_field_for_nova_with_limit: header + ids 1 and 2', async () => {
    const body = await s().json('/stacky/search/?field=tenant&value=tenant&limit=2&service=nova') as unknown[][];
    assert.equal(body.length, 3);
    // A whole-second When has no fraction.
    assert.deepEqual(body[1], [1, ' ', '2014-01-14 12:00:00', 'deployment', 'test.start', 'example.com', 'active', null, null]);
    assert.deepEqual(body.slice(1).map((r) => r[0]), [1, 2]);
  });

  it('45 test_model_search_default_limit: the first 50', async () => {
    assert.deepEqual(await ids(`/stacky/request/?request_id=${REQ}`), range(4, 53));
    assert.deepEqual(await ids(`/stacky/uuid/?uuid=${INSTANCE_ID_2}`), range(4, 53));
  });

  it('46 test_model_search_default_limit_with_offset: offset=1 gives rows 1..50', async () => {
    assert.deepEqual(await ids(`/stacky/request/?request_id=${REQ}&offset=1`), range(5, 54));
  });

  it('47 test_model_search_default_with_limit: limit=1 gives the first row only', async () => {
    assert.deepEqual(await ids(`/stacky/request/?request_id=${REQ}&limit=1`), [4]);
  });

  it('48 test_model_search_default_with_limit_and_offset: rows 10..14', async () => {
    assert.deepEqual(await ids(`/stacky/request/?request_id=${REQ}&limit=5&offset=10`), range(14, 18));
    assert.deepEqual(await ids(`/stacky/uuid/?uuid=${INSTANCE_ID_2}&limit=5&offset=10`), range(14, 18));
  });

  it('49/50 test_model_search_related, test_model_order_by: pagination applies after ordering', async () => {
    // search is newest first: offset 10 of the 60 descending is the 11th newest.
    assert.deepEqual(await ids('/stacky/search/?field=tenant&value=pager&limit=3&offset=10'), [53, 52, 51]);
    assert.deepEqual(await ids('/stacky/search/?field=deployment__name&value=deployment&limit=2'), [1, 2]);
  });
});

describe('§5.2 reports/search (51–58)', () => {
  const s = withServer(async (srv) => {
    await srv.addReport({id: 5975, periodStart: micros('2014-01-18 00:00:00'), periodEnd: micros('2014-01-19 00:00:00'),
      created: 1388569200 * SECOND, name: 'nova usage audit', version: 4});
    await srv.addReport({id: 5976, periodStart: micros('2014-01-18 00:00:00'), periodEnd: micros('2014-01-19 00:00:00'),
      created: 1388655600 * SECOND, name: 'nova usage audit', version: 4});
  });
  const HEADER = ['Id', 'Start', 'End', 'Created', 'Name', 'Version'];
  const ROW = [5975, '2014-01-18 00:00:00', '2014-01-19 00:00:00', '2014-01-01 09:40:00', 'nova usage audit', 4];

  it('51 test_jsonreports_search_order_by_id: every filter matches, ordered by id descending', async () => {
    const r = await s().get('/stacky/reports/search/?id=5975&name=nova+usage+audit&period_start=2014-01-18+00:00:00' +
      '&period_end=2014-01-19+00:00:00&created=2014-01-01');
    assert.equal(r.status, 200);
    assert.equal(r.text, '[["Id", "Start", "End", "Created", "Name", "Version"], ' +
      '[5975, "2014-01-18 00:00:00", "2014-01-19 00:00:00", "2014-01-01 09:40:00", "nova usage audit", 4]]');
    // The original test's literal query matches nothing in a real table.
    assert.deepEqual(await s().json('/stacky/reports/search/?id=1&name=nova_usage_audit&period_start=2014-01-01+00:00:00' +
      '&period_end=2014-01-02+00:00:00&created=2014-01-01'), [HEADER]);
    const both = await s().json('/stacky/reports/search/?name=nova+usage+audit') as unknown[][];
    assert.deepEqual(both.slice(1).map((row) => row[0]), [5976, 5975]);
  });

  it('52 test_jsonreports_search_with_limit_offset: limit/offset are not fields', async () => {
    assert.deepEqual(await s().json('/stacky/reports/search/?period_start=2014-01-18+00:00:00&name=nova+usage+audit&limit=1&offset=1'),
      [HEADER, ROW]);
    assert.deepEqual(await s().json('/stacky/reports/search/?period_start=2014-01-18+00:00:00&name=nova+usage+audit&limit=10&offset=5'),
      [HEADER]);
  });

  const cases: [number, string, string, string][] = [
    [53, 'test_jsonreports_search_with_invalid_fields',
      'invalid_column_1=value_1&invalid_column_2=value_2&version=4&json=json&period_start=2014-01-01+00:00:00',
      'The requested fields either do not exist for the corresponding object or are not searchable: invalid_column_1, ' +
      'invalid_column_2, json, version. Note: The field names of database are case-sensitive.'],
    [54, 'test_jsonreports_search_with_invalid_period_start', 'period_start=1234',
      "'1234' value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format."],
    [55, 'test_jsonreports_search_with_invalid_period_end', 'period_end=1234',
      "'1234' value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format."],
    [56, 'test_jsonreports_search_with_invalid_id', 'id=abcd', "'abcd' value has an invalid format. It must be in integer format."],
    [57, 'test_jsonreports_search_with_invalid_created_format', 'created=2014-01-01+00:00:00',
      "'2014-01-01 00:00:00' value has an invalid format. It must be in YYYY-MM-DD format."],
    [58, 'test_jsonreports_search_by_invalid_created_400', 'created=1234',
      "'1234' value has an invalid format. It must be in YYYY-MM-DD format."],
  ];
  for (const [n, name, query, message] of cases) {
    it(`${n} ${name}`, async () => {
      const r = await s().get(`/stacky/reports/search/?${query}`);
      assert.equal(r.status, 400);
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(r.text, errorBody('Bad Request', message));
    });
  }
});

describe('§5.3 the restored usage endpoints', () => {
  const launched = '2014-01-14 15:40:05.123456';
  const deleted = '2014-01-14 15:40:15.123456';
  const s = withServer(async (srv) => {
    const common = {instance: INSTANCE_ID_1, tenant: 'tenant'};
    const res = await srv.ingest(
      {...common, event: 'compute.instance.create.start', at: '2014-01-14 15:39:10', request: REQUEST_ID_1,
        payload: {instance_type_id: 12345, instance_flavor_id: '1', launched_at: ''}},
      {...common, event: 'compute.instance.create.end', at: '2014-01-14 15:40:06', request: REQUEST_ID_1,
        payload: {instance_type_id: 12345, instance_flavor_id: '1', launched_at: launched, message: 'Success'}},
      {...common, event: 'compute.instance.delete.end', at: '2014-01-14 15:40:16', request: REQUEST_ID_1.replace('8888', '6666'),
        payload: {launched_at: launched, terminated_at: deleted, deleted_at: ''}},
      {...common, event: 'compute.instance.exists', at: '2014-01-14 16:00:00', messageId: 'someid',
        payload: {launched_at: launched, deleted_at: deleted, instance_type_id: 12345, instance_flavor_id: '1',
          audit_period_beginning: '2014-01-14 15:00:00', audit_period_ending: '2014-01-14 16:00:00'}},
    );
    assert.deepEqual(res, {stored: 4, duplicates: 0, rejected: [], warnings: []});
  });
  const LAUNCHES = [['UUID', 'Launched At', 'Instance Type Id', 'Instance Flavor Id'], [INSTANCE_ID_1, launched, '12345', '1']];
  const DELETES = [['UUID', 'Launched At', 'Deleted At'], [INSTANCE_ID_1, launched, deleted]];
  const EXISTS = [['UUID', 'Launched At', 'Deleted At', 'Instance Type Id', 'Instance Flavor Id', 'Message ID', 'Status'],
    [INSTANCE_ID_1, launched, deleted, '12345', '1', 'someid', 'pending']];

  for (const [kind, expected] of [['launches', LAUNCHES], ['deletes', DELETES], ['exists', EXISTS]] as const) {
    it(`test_do_list_usage_${kind}`, async () => {
      const r = await s().get(`/stacky/usage/${kind}/`);
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual(r.json(), expected);
    });
    it(`test_do_list_usage_${kind}_with_instance`, async () => {
      assert.deepEqual(await s().json(`/stacky/usage/${kind}/?instance=${INSTANCE_ID_1}`), expected);
      assert.deepEqual(await s().json(`/stacky/usage/${kind}/?instance=${INSTANCE_ID_2}`), [expected[0]]);
    });
    it(`test_do_list_usage_${kind}_bad_instance`, async () => {
      const r = await s().get(`/stacky/usage/${kind}/?instance=obviouslybaduuid`);
      assert.equal(r.status, 400);
      assert.equal(r.text, '[["Error", "Message"], ["Bad Request", "obviouslybaduuid is not uuid-like"]]');
    });
  }

  it('the original client calls them without the slash: 301 keeps the query', async () => {
    const r = await s().get(`/stacky/usage/launches?instance=${INSTANCE_ID_1}`);
    assert.equal(r.status, 301);
    assert.equal(r.headers.location, `http://${s().host}/stacky/usage/launches/?instance=${INSTANCE_ID_1}`);
  });
});
