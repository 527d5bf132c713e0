// Every error the server answers: the original's error tables byte for byte, each deliberate
// deviation (a 400 table where the original crashed with a 500), Django's HTML 404 for unknown
// paths, and a server that keeps serving after any of them.
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {errorBody, INSTANCE_ID_1, micros, REQUEST_ID_1, startServer, type TestServer} from './helpers.js';

let s: TestServer;
before(async () => {
  s = await startServer({now: micros('2014-01-16 17:10:07')});
  await s.ingest({event: 'compute.instance.update', at: '2014-01-16 17:10:06', instance: INSTANCE_ID_1, request: REQUEST_ID_1,
    tenant: 'tenant', publisher: 'api.api-01'});
  await s.addReport({id: 1, periodStart: micros('2014-01-01 00:00:00'), periodEnd: micros('2014-01-02 00:00:00'),
    created: micros('2014-01-02 00:10:00'), name: 'r'});
});
after(async () => s?.close());

async function expectTable(path: string, status: number, type: 'Bad Request' | 'Not Found', message: string): Promise<void> {
  const r = await s.get(path);
  assert.equal(r.status, status, path);
  assert.equal(r.headers['content-type'], 'application/json; charset=utf-8', path);
  assert.equal(r.text, errorBody(type, message), path);
}

const bad = (path: string, message: string) => expectTable(path, 400, 'Bad Request', message);

const FIELD_NOTE = 'does not exist for the corresponding object.\nNote: The field names of database are case-sensitive.';
const NOT_SEARCHABLE = (names: string) => 'The requested fields either do not exist for the corresponding object or are ' +
  `not searchable: ${names}. Note: The field names of database are case-sensitive.`;
const PERIOD_FORMAT = 'YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]';

describe('the original error tables', () => {
  it('uuid and timings/uuid: "<value> is not uuid-like", checked before the service', async () => {
    for (const endpoint of ['uuid', 'timings/uuid']) {
      await bad(`/stacky/${endpoint}/?uuid=obviouslybaduuid`, 'obviouslybaduuid is not uuid-like');
      await bad(`/stacky/${endpoint}/?uuid=${INSTANCE_ID_1.toUpperCase()}`, `${INSTANCE_ID_1.toUpperCase()} is not uuid-like`);
      await bad(`/stacky/${endpoint}/?uuid=%7B${INSTANCE_ID_1}%7D`, `{${INSTANCE_ID_1}} is not uuid-like`);
      await bad(`/stacky/${endpoint}/?uuid=urn:uuid:${INSTANCE_ID_1}`, `urn:uuid:${INSTANCE_ID_1} is not uuid-like`);
      await bad(`/stacky/${endpoint}/?uuid=2222bbbb6352-4dbc-8271-96cc54bf14cd`, '2222bbbb6352-4dbc-8271-96cc54bf14cd is not uuid-like');
      // An empty value quotes the empty string: the message starts with a space.
      await bad(`/stacky/${endpoint}/?uuid=`, ' is not uuid-like');
    }
    await bad('/stacky/uuid/?uuid=obviouslybaduuid&service=bogus', 'obviouslybaduuid is not uuid-like');
    // The 32-hex form without hyphens is uuid-like.
    assert.equal((await s.get(`/stacky/uuid/?uuid=${INSTANCE_ID_1.replaceAll('-', '')}`)).text, '[]');
  });

  it('request: "<value> is not request-id-like"', async () => {
    await bad('/stacky/request/?request_id=obviouslybaduuid', 'obviouslybaduuid is not request-id-like');
    await bad(`/stacky/request/?request_id=REQ-${INSTANCE_ID_1}`, `REQ-${INSTANCE_ID_1} is not request-id-like`);
    await bad(`/stacky/request/?request_id=req-req-${INSTANCE_ID_1}`, `req-req-${INSTANCE_ID_1} is not request-id-like`);
    await bad('/stacky/request/?request_id=req-$-^%26%23$', 'req-$-^&#$ is not request-id-like');
    await bad('/stacky/request/?request_id=', ' is not request-id-like');
    for (const ok of [REQUEST_ID_1, INSTANCE_ID_1, `req-${INSTANCE_ID_1.replaceAll('-', '')}`]) {
      assert.equal((await s.get(`/stacky/request/?request_id=${ok}`)).status, 200, ok);
    }
  });

  it('search: an unknown field or lookup, with the real newline of the original message', async () => {
    await bad('/stacky/search/?field=nope&value=1', `The requested field 'nope' ${FIELD_NOTE}`);
    await bad('/stacky/search/?field=Tenant&value=tenant', `The requested field 'Tenant' ${FIELD_NOTE}`);
    await bad('/stacky/search/?field=tenant&value=tenant&service=glance', `The requested field 'tenant' ${FIELD_NOTE}`);
    await bad('/stacky/search/?field=status&value=active', `The requested field 'status' ${FIELD_NOTE}`);
    await bad('/stacky/search/?field=message_id&value=x&service=nova', `The requested field 'message_id' ${FIELD_NOTE}`);
    await bad('/stacky/search/?field=tenant__regex&value=x', `The requested field 'tenant__regex' ${FIELD_NOTE}`);
    await bad('/stacky/search/?field=id__contains&value=1', `The requested field 'id__contains' ${FIELD_NOTE}`);
    await bad('/stacky/search/?field=&value=1', `The requested field '' ${FIELD_NOTE}`);
    const r = await s.get('/stacky/search/?field=nope&value=1');
    assert.ok(r.text.includes('object.\\nNote:'), 'the newline is escaped in the JSON text');
    assert.equal(((r.json() as string[][])[1]![1] as string).split('\n').length, 2);
  });

  it('kpi/<tenant>: 404 "Could not find raws for tenant <tenant>"', async () => {
    await expectTable('/stacky/kpi/55555/', 404, 'Not Found', 'Could not find raws for tenant 55555');
    await expectTable('/stacky/kpi/%C3%A9t%C3%A9/', 404, 'Not Found', 'Could not find raws for tenant été');
    const r = await s.get('/stacky/kpi/%C3%A9t%C3%A9/');
    assert.equal(r.text, '[["Error", "Message"], ["Not Found", "Could not find raws for tenant \\u00e9t\\u00e9"]]');
  });

  it('reports/search: unknown or unsearchable fields, sorted, checked before any value', async () => {
    await bad('/stacky/reports/search/?invalid_column_1=value_1&invalid_column_2=value_2&version=4&json=json' +
      '&period_start=2014-01-01+00:00:00', NOT_SEARCHABLE('invalid_column_1, invalid_column_2, json, version'));
    await bad('/stacky/reports/search/?service=nova', NOT_SEARCHABLE('service'));
    await bad('/stacky/reports/search/?id=abc&zeta=1&Name=x', NOT_SEARCHABLE('Name, zeta'));
  });

  it('reports/search: id, created, period_start and period_end formats', async () => {
    await bad('/stacky/reports/search/?id=abcd', "'abcd' value has an invalid format. It must be in integer format.");
    await bad('/stacky/reports/search/?id=1.5', "'1.5' value has an invalid format. It must be in integer format.");
    await bad('/stacky/reports/search/?created=1234', "'1234' value has an invalid format. It must be in YYYY-MM-DD format.");
    await bad('/stacky/reports/search/?created=2014-01-01+00:00:00',
      "'2014-01-01 00:00:00' value has an invalid format. It must be in YYYY-MM-DD format.");
    await bad('/stacky/reports/search/?created=2014-02-30', "'2014-02-30' value has an invalid format. It must be in YYYY-MM-DD format.");
    await bad('/stacky/reports/search/?created=', "'' value has an invalid format. It must be in YYYY-MM-DD format.");
    for (const name of ['period_start', 'period_end']) {
      await bad(`/stacky/reports/search/?${name}=1234`, `'1234' value has an invalid format. It must be in ${PERIOD_FORMAT} format.`);
      await bad(`/stacky/reports/search/?${name}=2014-01-01+00`, `'2014-01-01 00' value has an invalid format. It must be in ${PERIOD_FORMAT} format.`);
      await bad(`/stacky/reports/search/?${name}=2014-13-01+00:00`,
        `'2014-13-01 00:00' value has the correct format (${PERIOD_FORMAT}) but it is an invalid date/time.`);
      await bad(`/stacky/reports/search/?${name}=2014-01-01+24:00`,
        `'2014-01-01 24:00' value has the correct format (${PERIOD_FORMAT}) but it is an invalid date/time.`);
      await bad(`/stacky/reports/search/?${name}=2014-02-30`, "'2014-02-30' value has the correct format (YYYY-MM-DD) but it is an invalid date.");
    }
  });

  it('usage endpoints: "<instance> is not uuid-like"', async () => {
    for (const kind of ['launches', 'deletes', 'exists']) {
      await bad(`/stacky/usage/${kind}/?instance=obviouslybaduuid`, 'obviouslybaduuid is not uuid-like');
      await bad(`/stacky/usage/${kind}/?instance=`, ' is not uuid-like');
    }
  });
});

describe('deliberate deviations: 400 tables where the original answered 500', () => {
  it('a missing required parameter', async () => {
    await bad('/stacky/uuid/', "Missing required parameter 'uuid'.");
    await bad('/stacky/timings/uuid/', "Missing required parameter 'uuid'.");
    await bad('/stacky/request/', "Missing required parameter 'request_id'.");
    await bad('/stacky/timings/', "Missing required parameter 'name'.");
    await bad('/stacky/search/?value=x', "Missing required parameter 'field'.");
  });

  it('a non-numeric or negative limit or offset', async () => {
    const paths = [`/stacky/uuid/?uuid=${INSTANCE_ID_1}&`, `/stacky/request/?request_id=${REQUEST_ID_1}&`,
      '/stacky/search/?field=tenant&value=tenant&', '/stacky/timings/?name=x&', `/stacky/timings/uuid/?uuid=${INSTANCE_ID_1}&`,
      '/stacky/summary/?', '/stacky/reports/?', '/stacky/reports/search/?', `/stacky/usage/launches/?`];
    for (const p of paths) {
      await bad(`${p}limit=abc`, "limit must be a whole number, got 'abc'.");
      await bad(`${p}limit=5.0`, "limit must be a whole number, got '5.0'.");
      await bad(`${p}limit=1e3`, "limit must be a whole number, got '1e3'.");
      await bad(`${p}limit=-1`, "limit must not be negative, got '-1'.");
      await bad(`${p}offset=abc`, "offset must be a whole number, got 'abc'.");
      await bad(`${p}offset=-5`, "offset must not be negative, got '-5'.");
    }
  });

  it('an unknown service', async () => {
    await bad('/stacky/events/?service=NOVA', "Unknown service 'NOVA'. Use all, nova, glance or generic.");
    await bad('/stacky/events/?service=', "Unknown service ''. Use all, nova, glance or generic.");
    for (const p of ['/stacky/hosts/?', `/stacky/uuid/?uuid=${INSTANCE_ID_1}&`, '/stacky/show/1/?', '/stacky/watch/0/?',
      '/stacky/search/?field=tenant&value=tenant&']) {
      await bad(`${p}service=service`, "Unknown service 'service'. Use nova, glance or generic.");
      await bad(`${p}service=all`, "Unknown service 'all'. Use nova, glance or generic.");
      await bad(`${p}service=`, "Unknown service ''. Use nova, glance or generic.");
    }
  });

  it('a malformed decimal', async () => {
    for (const [p, name] of [[`/stacky/uuid/?uuid=${INSTANCE_ID_1}&`, 'when_min'], [`/stacky/uuid/?uuid=${INSTANCE_ID_1}&`, 'when_max'],
      [`/stacky/request/?request_id=${REQUEST_ID_1}&`, 'when_min'], ['/stacky/search/?field=tenant&value=tenant&', 'when_max'],
      ['/stacky/watch/0/?', 'since'], ['/stacky/timings/?name=x&', 'end_when_min'], ['/stacky/timings/?name=x&', 'end_when_max'],
      ['/stacky/reports/?', 'created_from'], ['/stacky/reports/?', 'created_to']] as const) {
      for (const value of ['abc', '1,5', 'NaN', 'Infinity', '1.2.3', '0x10']) {
        await bad(`${p}${name}=${encodeURIComponent(value)}`, `${name} must be a number of epoch seconds, got '${value}'.`);
      }
    }
  });

  it('end_when_*, created_from and created_to present but empty (empty when_min/when_max/since are ignored)', async () => {
    await bad('/stacky/timings/?name=x&end_when_min=', "end_when_min must be a number of epoch seconds, got ''.");
    await bad('/stacky/timings/?name=x&end_when_max=', "end_when_max must be a number of epoch seconds, got ''.");
    await bad('/stacky/reports/?created_from=', "created_from must be a number of epoch seconds, got ''.");
    await bad('/stacky/reports/?created_to=', "created_to must be a number of epoch seconds, got ''.");
    assert.equal((await s.get(`/stacky/uuid/?uuid=${INSTANCE_ID_1}&when_min=&when_max=`)).status, 200);
    assert.equal((await s.get('/stacky/watch/0/?since=')).status, 200);
  });

  it('a search value of the wrong type for its column', async () => {
    await bad('/stacky/search/?field=id&value=abc', "Field 'id' expected a number but got 'abc'.");
    await bad('/stacky/search/?field=image_type&value=1.5', "Field 'image_type' expected a number but got '1.5'.");
    await bad('/stacky/search/?field=deployment_id&value=dep', "Field 'deployment_id' expected a number but got 'dep'.");
    await bad('/stacky/search/?field=id__gt&value=x', "Field 'id__gt' expected a number but got 'x'.");
    await bad('/stacky/search/?field=when&value=abc', "Field 'when' expected epoch seconds but got 'abc'.");
    await bad('/stacky/search/?field=when__lte&value=', "Field 'when__lte' expected epoch seconds but got ''.");
  });

  it('a period with a time zone (the original failed in MySQL)', async () => {
    await bad('/stacky/reports/search/?period_start=2014-01-01T00:00:00Z',
      "'2014-01-01T00:00:00Z' value has a time zone; stored periods are UTC without one.");
    await bad('/stacky/reports/search/?period_end=2014-01-01+00:00%2B01:00',
      "'2014-01-01 00:00+01:00' value has a time zone; stored periods are UTC without one.");
  });

  it('report/<missing id>: a 404 JSON table instead of the HTML page', async () => {
    await expectTable('/stacky/report/7/', 404, 'Not Found', 'Report 7 does not exist');
    assert.equal((await s.get('/stacky/report/1/')).status, 200);
  });

  it('a path that is not valid percent-encoding', async () => {
    await bad('/stacky/show/%E0%A4%A/', 'The path /stacky/show/%E0%A4%A/ is not valid percent-encoding.');
  });

  it('/ingest/: only POST, and no empty deployment or exchange', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const r = await s.request('/ingest/', method);
      assert.equal(r.status, 405, method);
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(r.text, '[["Error", "Message"], ["Method Not Allowed", "POST JSON Lines to /ingest/."]]');
    }
    const dep = await s.request('/ingest/?deployment=', 'POST', '');
    assert.equal(dep.status, 400);
    assert.equal(dep.text, errorBody('Bad Request', 'deployment must not be empty.'));
    const ex = await s.request('/ingest/?exchange=', 'POST', '');
    assert.equal(ex.text, errorBody('Bad Request', 'exchange must not be empty.'));
  });
});

describe('unknown paths: Django\'s HTML 404', () => {
  const page = (path: string) => `<h1>Not Found</h1><p>The requested URL ${path} was not found on this server.</p>`;

  for (const path of ['/', '/stacky/', '/stacky', '/stacky/show/abc/', '/stacky/show/-1/', '/stacky/watch/all/',
    '/stacky/report/x/', '/stacky/kpi/a-b/', '/stacky/uuid/nova/', '/stacky/show/nova/1/', '/stacky/search/nova/',
    '/stacky/watch/0/nova/', '/stacky/deployments/x', '/stacky/usages/launches/', '/stacky/launches/', '/db/usage/launches/',
    '/STACKY/deployments/', '/stacky/deployments//']) {
    it(path, async () => {
      const r = await s.get(path);
      assert.equal(r.status, 404);
      assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(r.text, page(path));
    });
  }

  it('the path in the page is HTML-escaped', async () => {
    const r = await s.get('/stacky/%3Cscript%3E');
    assert.equal(r.status, 404);
    assert.equal(r.text, page('/stacky/&#60;script&#62;'));
  });
});

describe('the server keeps serving', () => {
  it('after a burst of bad requests, in parallel', async () => {
    const paths = ['/stacky/uuid/', '/stacky/uuid/?uuid=x', '/stacky/search/?field=nope', '/stacky/nowhere/',
      '/stacky/uuid/?uuid=%ZZ', '/stacky/show/%E0%A4%A/', '/stacky/watch/0/?since=abc', '/stacky/kpi/x/',
      '/stacky/reports/search/?created=x', '/stacky/summary/?limit=-1'];
    const replies = await Promise.all(Array.from({length: 50}, (_, i) => s.get(paths[i % paths.length]!)));
    assert.deepEqual(new Set(replies.map((r) => r.status)), new Set([400, 404]));
    const good = await s.get(`/stacky/request/?request_id=${REQUEST_ID_1}`);
    assert.equal(good.status, 200);
    assert.equal((good.json() as unknown[]).length, 2);
  });

  it('after an internal error: Django\'s 500 page, then normal answers again', async () => {
    const t = await startServer();
    try {
      await t.ingest({event: 'compute.instance.update', at: '2014-01-16 17:10:06', instance: INSTANCE_ID_1});
      await t.query('ALTER TABLE stacktach_lifecycle RENAME TO broken');
      const r = await t.get(`/stacky/timings/uuid/?uuid=${INSTANCE_ID_1}`);
      assert.equal(r.status, 500);
      assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(r.text, '<h1>Server Error (500)</h1>');
      await t.query('ALTER TABLE broken RENAME TO stacktach_lifecycle');
      assert.equal((await t.get('/stacky/deployments/')).text, '[["#", "Name"], [1, "default"]]');
      assert.equal((await t.get(`/stacky/timings/uuid/?uuid=${INSTANCE_ID_1}`)).status, 200);
    } finally {
      await t.close();
    }
  });
});
