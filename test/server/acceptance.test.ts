// Behaviours pinned by the original's code but by none of its tests (docs/api.md §5.5), plus the
// global conventions of §1: redirects, HEAD, methods, content types, query parsing, limit/offset,
// inclusive when bounds, watch windows. Real SQLite file, real HTTP.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {
  errorBody, INSTANCE_ID_1, INSTANCE_ID_2, micros, REQUEST_ID_1, REQUEST_ID_2, SECOND, send, startServer,
  type Note, withServer,
} from './helpers.js';

const NOVA_HEADER = ['#', '?', 'When', 'Deployment', 'Event', 'Host', 'State', "State'", "Task'"];
const UNKNOWN_UUID = '4444dddd-29a2-43f2-9ba1-ccb3e53ab6c8';

describe('§5.5 1–4, 8, 9: empty answers, redirects, When strings, the error flag, events', () => {
  const s = withServer(async (srv) => {
    await srv.ingest(
      {event: 'compute.instance.update', at: '2014-01-16 17:10:07', instance: INSTANCE_ID_1, request: REQUEST_ID_1,
        tenant: 't1', routingKey: 'notifications.error', deployment: 'region-1', state: 'active', oldState: 'building',
        oldTask: 'spawning'},
      {event: 'compute.instance.update', at: '2014-01-16 17:10:07.100000', instance: INSTANCE_ID_1, request: REQUEST_ID_1,
        tenant: 't1', routingKey: 'monitor.info', deployment: 'region-1'},
      {event: 'compute.instance.update', at: '2014-01-16 17:10:07.000001', instance: INSTANCE_ID_1, request: REQUEST_ID_1,
        tenant: 't1', priority: 'ERROR', deployment: 'region-1'},
      {event: 'compute.instance.update', at: '2014-01-16 17:10:07.200000', instance: INSTANCE_ID_1, request: REQUEST_ID_1,
        tenant: 't1', routingKey: 'error.info', deployment: 'region-1'},
      {event: 'image.upload', at: '2014-01-16 17:10:06', exchange: 'glance', publisher: 'glance.g-01', payload: {id: 'img'},
        deployment: 'region-1'},
      {event: 'compute.instance.update', at: '2014-01-16 17:10:06', exchange: 'glance', publisher: 'glance.g-01',
        payload: {id: 'img2'}, deployment: 'region-1'},
      {event: 'identity.user.created', at: '2014-01-16 17:10:06', exchange: 'keystone', publisher: 'identity.k-01',
        deployment: 'region-1'},
    );
    await srv.addReport({id: 7, periodStart: micros('2014-01-15 00:00:00'), periodEnd: micros('2014-01-16 00:00:00'),
      created: micros('2014-01-16 03:00:00'), name: 'summary for region: all', version: 4,
      json: '[{"raw_text": true}, "line one"]'});
  }, micros('2014-01-16 17:10:08.500000'));

  it('1: show of a missing id is 200, application/json, and an empty body', async () => {
    for (const service of ['', '?service=nova', '?service=glance', '?service=generic']) {
      const r = await s().get(`/stacky/show/999/${service}`);
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(r.headers['content-length'], '0');
      assert.equal(r.text, '');
    }
  });

  it('2: uuid and search with no match answer [], request the header alone', async () => {
    assert.equal((await s().get(`/stacky/uuid/?uuid=${UNKNOWN_UUID}`)).text, '[]');
    assert.equal((await s().get(`/stacky/uuid/?uuid=${UNKNOWN_UUID}&service=glance`)).text, '[]');
    assert.equal((await s().get('/stacky/search/?field=tenant&value=nobody')).text, '[]');
    const r = await s().get(`/stacky/request/?request_id=${REQUEST_ID_2}`);
    assert.equal(r.status, 200);
    assert.equal(r.text, '[["#", "?", "When", "Deployment", "Event", "Host", "State", "State\'", "Task\'"]]');
  });

  it('3: slash-less reports and report/<id> get a 301 that keeps the query string', async () => {
    const q = 'created_from=1389830400.000000&created_to=1389916800.000000';
    const r = await s().get(`/stacky/reports?${q}`);
    assert.equal(r.status, 301);
    assert.equal(r.headers.location, `http://${s().host}/stacky/reports/?${q}`);
    assert.equal(r.text, '');
    const followed = await send(r.headers.location!);
    assert.equal(followed.status, 200);
    assert.equal(followed.text, '[["Id", "Start", "End", "Created", "Name", "Version"], ' +
      '[7, 1389744000.0, 1389830400.0, 1389841200.0, "summary for region: all", 4]]');
    const one = await s().get('/stacky/report/7');
    assert.equal(one.status, 301);
    assert.equal(one.headers.location, `http://${s().host}/stacky/report/7/`);
    const report = await send(one.headers.location!);
    assert.equal(report.status, 200);
    assert.equal(report.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(report.text, '[{"raw_text": true}, "line one"]'); // verbatim
  });

  it('3: the redirect applies to every method and to every route, query or not', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD']) {
      const r = await s().request('/stacky/deployments?x=1&y=a+b', method);
      assert.equal(r.status, 301, method);
      assert.equal(r.headers.location, `http://${s().host}/stacky/deployments/?x=1&y=a+b`);
    }
    for (const path of ['/stacky/events', '/stacky/hosts', '/stacky/uuid', '/stacky/timings', '/stacky/timings/uuid',
      '/stacky/summary', '/stacky/request', '/stacky/reports/search', '/stacky/show/1', '/stacky/watch/0',
      '/stacky/search', '/stacky/kpi', '/stacky/kpi/t1']) {
      const r = await s().get(path);
      assert.equal(r.status, 301, path);
      assert.equal(r.headers.location, `http://${s().host}${path}/`);
    }
  });

  it('4: a When with zero microseconds has no fraction; the watch time cell likewise', async () => {
    const rows = (await s().json(`/stacky/uuid/?uuid=${INSTANCE_ID_1}`) as unknown[][]).slice(1);
    assert.deepEqual(rows.map((r) => r[2]), ['2014-01-16 17:10:07', '2014-01-16 17:10:07.000001',
      '2014-01-16 17:10:07.100000', '2014-01-16 17:10:07.200000']);
    const watch = await s().json('/stacky/watch/0/') as unknown[];
    assert.deepEqual((watch[1] as unknown[][]).map((r) => [r[2], r[3]]), [['2014-01-16', '17:10:07'],
      ['2014-01-16', '17:10:07.000001'], ['2014-01-16', '17:10:07.100000'], ['2014-01-16', '17:10:07.200000']]);
    const show = await s().json('/stacky/show/1/') as unknown[][][];
    assert.deepEqual(show[0]![2], ['When', '2014-01-16 17:10:07']);
  });

  it('8: "E" when the routing key ends with error, a single space otherwise', async () => {
    const rows = (await s().json(`/stacky/uuid/?uuid=${INSTANCE_ID_1}`) as unknown[][]).slice(1);
    // notifications.error, monitor.error (priority ERROR), monitor.info, error.info
    assert.deepEqual(rows.map((r) => [r[0], r[1]]), [[1, 'E'], [3, 'E'], [2, ' '], [4, ' ']]);
    const watch = await s().json('/stacky/watch/0/') as unknown[];
    assert.deepEqual((watch[1] as unknown[][]).map((r) => r[1]), ['E', 'E', ' ', ' ']);
    assert.deepEqual(await s().json('/stacky/show/1/').then((b) => (b as unknown[][][])[0]![4]), ['Category', 'notifications.error']);
  });

  it('State, State\' and Task\' hold the payload values, "" when absent, null when null', async () => {
    const rows = (await s().json(`/stacky/uuid/?uuid=${INSTANCE_ID_1}`) as unknown[][]).slice(1);
    assert.deepEqual(rows[0]!.slice(6), ['active', 'building', 'spawning']);
    assert.deepEqual(rows[1]!.slice(6), ['', '', '']);
  });

  it('9: events without a service concatenates nova, glance and generic names', async () => {
    const r = await s().get('/stacky/events/');
    assert.equal(r.text, '[["Event Name"], ["compute.instance.update"], ["compute.instance.update"], ["image.upload"], ' +
      '["identity.user.created"]]');
    assert.equal((await s().get('/stacky/events/?service=all')).text, r.text);
  });

  it('HEAD: the same status and headers, no body', async () => {
    for (const path of ['/stacky/deployments/', `/stacky/uuid/?uuid=${INSTANCE_ID_1}`, '/stacky/uuid/?uuid=bad',
      '/stacky/nowhere/', '/stacky/show/999/']) {
      const get = await s().get(path);
      const head = await s().request(path, 'HEAD');
      assert.equal(head.status, get.status, path);
      assert.equal(head.headers['content-type'], get.headers['content-type'], path);
      assert.equal(head.headers['content-length'], String(Buffer.byteLength(get.text)), path);
      assert.equal(head.text, '', path);
    }
  });

  it('deliberate deviation (issue #13): only GET and HEAD run a view; other methods get a 405 table', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      const r = await s().request(`/stacky/uuid/?uuid=${INSTANCE_ID_1}`, method);
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.allow, 'GET, HEAD', method);
      assert.equal(r.text, `[["Error", "Message"], ["Method Not Allowed", "${method} is not allowed here; the stacky API answers GET and HEAD."]]`);
    }
  });

  it('content types: application/json on answers and error tables, Django HTML on a 404 path', async () => {
    const ok = await s().get('/stacky/deployments/');
    assert.equal(ok.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(ok.headers.vary, undefined);
    assert.equal(ok.headers['set-cookie'], undefined);
    assert.equal((await s().get('/stacky/uuid/?uuid=x')).headers['content-type'], 'application/json; charset=utf-8');
    assert.equal((await s().get('/stacky/kpi/nobody/')).headers['content-type'], 'application/json; charset=utf-8');
    const missing = await s().get('/stacky/usage/launches/x/');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(missing.text, '<h1>Not Found</h1><p>The requested URL /stacky/usage/launches/x/ was not found on this server.</p>');
  });

  it('query strings: the last value wins, + and %XX decode, names are case-sensitive', async () => {
    const good = await s().get(`/stacky/uuid/?uuid=${INSTANCE_ID_1}`);
    assert.equal((await s().get(`/stacky/uuid/?uuid=obviouslybaduuid&uuid=${INSTANCE_ID_1}`)).text, good.text);
    const bad = await s().get(`/stacky/uuid/?uuid=${INSTANCE_ID_1}&uuid=not+a%20uuid`);
    assert.equal(bad.text, errorBody('Bad Request', 'not a uuid is not uuid-like'));
    assert.equal((await s().get(`/stacky/uuid/?UUID=${INSTANCE_ID_1}`)).status, 400);
    assert.equal((await s().get(`/stacky/uuid/?uuid=${INSTANCE_ID_1.replace('-', '%2D')}`)).text, good.text);
  });

  it('deployments, events, hosts, show, watch and kpi ignore limit and offset', async () => {
    for (const path of ['/stacky/deployments/', '/stacky/events/', '/stacky/hosts/', '/stacky/show/1/',
      '/stacky/watch/0/', '/stacky/kpi/']) {
      const plain = await s().get(path);
      const paged = await s().get(`${path}?limit=abc&offset=-1`);
      assert.equal(paged.status, 200, path);
      assert.equal(paged.text, plain.text, path);
    }
  });
});

describe('§5.5 5: durations read from the database', () => {
  const s = withServer(async (srv) => {
    const t0 = micros('2014-01-14 10:00:00');
    const pair = (instance: string, name: string, secs: number): Note[] => [
      {event: `${name}.start`, at: t0, instance},
      {event: `${name}.end`, at: t0 + Math.round(secs * SECOND), instance},
    ];
    await srv.ingest(
      ...pair(INSTANCE_ID_1, 'compute.instance.create', 55.5),
      ...pair(INSTANCE_ID_1, 'compute.instance.resize', 59.999999),
      ...pair(INSTANCE_ID_1, 'compute.instance.rebuild', 86400),
      ...pair(INSTANCE_ID_1, 'compute.instance.snapshot', 505007.08),
      ...pair(INSTANCE_ID_2, 'compute.instance.create', 6.8),
      ...pair(INSTANCE_ID_2, 'compute.instance.resize', 0.000012),
      ...pair(INSTANCE_ID_2, 'compute.instance.rebuild', 10),
    );
  });

  it('timings/uuid: Decimal path, two decimals truncated', async () => {
    assert.deepEqual(await s().json(`/stacky/timings/uuid/?uuid=${INSTANCE_ID_1}`), [['?', 'Event', 'Time (secs)'],
      ['.', 'compute.instance.create', '0d 00:00:55.50'], ['.', 'compute.instance.resize', '0d 00:00:59.99'],
      ['.', 'compute.instance.rebuild', '1d 00:00:00.00'], ['.', 'compute.instance.snapshot', '5d 20:16:47.08']]);
  });

  it('timings: the same Decimal path', async () => {
    assert.deepEqual(await s().json('/stacky/timings/?name=compute.instance.create'),
      [['compute.instance.create', 'Time'], [INSTANCE_ID_2, '0d 00:00:06.80'], [INSTANCE_ID_1, '0d 00:00:55.50']]);
    assert.deepEqual(await s().json('/stacky/timings/?name=compute.instance.resize'),
      [['compute.instance.resize', 'Time'], [INSTANCE_ID_2, '0d 00:00:00.00'], [INSTANCE_ID_1, '0d 00:00:59.99']]);
  });

  it('summary: Avg never has a fraction, Min/Max take the float path (.0 for whole seconds)', async () => {
    assert.deepEqual(await s().json('/stacky/summary/'), [['Event', 'N', 'Min', 'Max', 'Avg'],
      ['compute.instance.create', 2, '0d 00:00:06.8', '0d 00:00:55.5', '0d 00:00:31'],
      ['compute.instance.rebuild', 2, '0d 00:00:10.0', '1d 00:00:00.0', '0d 12:00:05'],
      ['compute.instance.resize', 2, '0d 00:00:00.2e', '0d 00:00:59.99', '0d 00:00:30'],
      ['compute.instance.snapshot', 1, '5d 20:16:47.08', '5d 20:16:47.08', '5d 20:16:47']]);
  });

  it('summary: limit and offset apply per event name and cap N', async () => {
    const rows = (await s().json('/stacky/summary/?limit=1') as unknown[][]).slice(1);
    assert.deepEqual(rows.map((r) => [r[0], r[1]]), [['compute.instance.create', 1], ['compute.instance.rebuild', 1],
      ['compute.instance.resize', 1], ['compute.instance.snapshot', 1]]);
    const rest = (await s().json('/stacky/summary/?offset=1') as unknown[][]).slice(1);
    assert.deepEqual(rest.map((r) => [r[0], r[1], r[2]]), [['compute.instance.create', 1, '0d 00:00:06.8'],
      ['compute.instance.rebuild', 1, '0d 00:00:10.0'], ['compute.instance.resize', 1, '0d 00:00:00.2e']]);
    assert.deepEqual(await s().json('/stacky/summary/?limit=0'), [['Event', 'N', 'Min', 'Max', 'Avg']]);
  });
});

describe('§5.5 6 and §2.10: watch windows', () => {
  const start = micros('2014-01-16 17:10:07.400000');
  const s = withServer(async (srv) => {
    await srv.ingest(
      {event: 'compute.instance.update', at: '2014-01-16 17:10:05', instance: INSTANCE_ID_1, deployment: 'dep1'}, // = since: out
      {event: 'compute.instance.update', at: '2014-01-16 17:10:05.000001', instance: INSTANCE_ID_1, deployment: 'dep1'},
      {event: 'compute.instance.update', at: '2014-01-16 17:10:07', instance: '', deployment: 'dep2'}, // = now: in
      {event: 'compute.instance.update', at: '2014-01-16 17:10:07.300000', instance: INSTANCE_ID_1, deployment: 'dep1'},
      {event: 'compute.instance.update', at: '2014-01-16 17:10:09', deployment: 'dep1'},
      {event: 'compute.instance.create.end', at: '2014-01-16 17:10:09.5', instance: INSTANCE_ID_2, deployment: 'dep2'},
    );
  }, start);

  it('the first poll covers (now-2, now] with now truncated to the second; no instance gives "-"', async () => {
    const r = await s().get('/stacky/watch/0/');
    assert.equal(r.status, 200);
    assert.equal(r.text, '[[10, 1, 15, 20, 27, 36], [[2, " ", "2014-01-16", "17:10:05.000001", "dep1", ' +
      `"compute.instance.update", "${INSTANCE_ID_1}"], [3, " ", "2014-01-16", "17:10:07", "dep2", ` +
      '"compute.instance.update", "-"]], "1389892207"]');
  });

  it('a second poll with since=<third element> returns only newer events', async () => {
    const first = await s().json('/stacky/watch/0/') as unknown[];
    assert.equal(typeof first[2], 'string');
    assert.match(first[2] as string, /^\d+$/);
    s().clock.now = micros('2014-01-16 17:10:09.999999');
    const second = await s().json(`/stacky/watch/0/?since=${first[2]}`) as unknown[];
    assert.deepEqual((second[1] as unknown[][]).map((row) => row[0]), [4, 5]);
    assert.equal(second[2], '1389892209');
    s().clock.now = micros('2014-01-16 17:10:12');
    const third = await s().json(`/stacky/watch/0/?since=${second[2]}`) as unknown[];
    assert.deepEqual((third[1] as unknown[][]).map((row) => row[0]), [6]);
    const fourth = await s().json(`/stacky/watch/0/?since=${third[2]}`) as unknown[];
    assert.deepEqual(fourth[1], []);
    s().clock.now = start;
  });

  it('deployment and event filters; an unknown deployment id is simply empty', async () => {
    const rows = async (path: string) => ((await s().json(path)) as unknown[][])[1]!.map((r) => (r as unknown[])[0]);
    s().clock.now = micros('2014-01-16 17:10:12');
    assert.deepEqual(await rows('/stacky/watch/0/?since=1389892200'), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(await rows('/stacky/watch/1/?since=1389892200'), [1, 2, 4, 5]);
    assert.deepEqual(await rows('/stacky/watch/2/?since=1389892200'), [3, 6]);
    assert.deepEqual(await rows('/stacky/watch/99/?since=1389892200'), []);
    assert.deepEqual(await rows('/stacky/watch/0/?since=1389892200&event_name=compute.instance.create.end'), [6]);
    assert.deepEqual(await rows('/stacky/watch/0/?since=1389892200&event_name='), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(await rows('/stacky/watch/0/?since='), []); // (now-2, now] = (17:10:10, 17:10:12]
    // since is an exclusive bound, fractions honoured.
    assert.deepEqual(await rows('/stacky/watch/0/?since=1389892205.000001'), [3, 4, 5, 6]);
    s().clock.now = start;
  });

  it('glance and generic watch use their own rows, widths fall back to their names when nova has none', async () => {
    const g = await startServer({now: micros('2014-01-16 17:10:07')});
    try {
      await g.ingest({event: 'image.upload', at: '2014-01-16 17:10:06.5', exchange: 'glance', publisher: 'glance.g-01',
        payload: {id: 'image-1'}, deployment: 'dep1'});
      assert.deepEqual(await g.json('/stacky/watch/0/?service=glance'),
        [[10, 1, 15, 20, 12, 36], [[1, ' ', '2014-01-16', '17:10:06.500000', 'dep1', 'image.upload', 'image-1']], '1389892207']);
      assert.deepEqual(await g.json('/stacky/watch/0/'), [[10, 1, 15, 20, 0, 36], [], '1389892207']);
    } finally {
      await g.close();
    }
  });
});

describe('watch caps one reply at 5000 rows and resumes where it stopped', () => {
  const base = micros('2014-01-16 17:00:00');
  const s = withServer(async (srv) => {
    const notes: Note[] = [];
    // 4999 rows at distinct times, then 4 rows sharing one `when`, then 200 more.
    for (let i = 0; i < 4999; i++) notes.push({event: 'compute.instance.update', at: base + i * 1000, instance: INSTANCE_ID_1});
    for (let i = 0; i < 4; i++) {
      notes.push({event: 'compute.instance.update', at: base + 4999 * 1000, instance: INSTANCE_ID_1, messageId: `t-${i}`});
    }
    for (let i = 0; i < 200; i++) notes.push({event: 'compute.instance.update', at: base + (5000 + i) * 1000, instance: INSTANCE_ID_1});
    // And 5001 rows at one single instant, later.
    // (Each with its own message id: byte-identical bodies would be one notification, see body-key.ts.)
    for (let i = 0; i < 5001; i++) {
      notes.push({event: 'compute.instance.exists', at: base + 60 * SECOND, instance: INSTANCE_ID_2, messageId: `m-${i}`});
    }
    await srv.ingest(...notes);
  }, micros('2014-01-16 17:05:00'));

  it('polling with since=<third element> delivers every row exactly once; a cut inside one instant goes by id', async () => {
    let since = String(base / SECOND - 1);
    const seen: number[] = [];
    const sizes: number[] = [];
    for (let poll = 0; poll < 10; poll++) {
      const body = await s().json(`/stacky/watch/0/?since=${since}`) as [number[], unknown[][], string];
      if (body[1].length === 0) break;
      sizes.push(body[1].length);
      assert.equal(body[1].length <= 5000, true, 'one reply');
      seen.push(...body[1].map((r) => r[0] as number));
      since = body[2];
    }
    assert.equal(seen.length, 4999 + 4 + 200 + 5001);
    assert.equal(new Set(seen).size, seen.length);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
    assert.deepEqual(sizes, [5000, 5000, 204]);
  });
});

describe('§5.5 7 and §1.6: limit and offset', () => {
  const base = micros('2014-01-14 00:00:00');
  const s = withServer(async (srv) => {
    await srv.ingest(...Array.from({length: 1100}, (_, i): Note => ({
      event: 'compute.instance.update', at: base + i * SECOND, instance: INSTANCE_ID_1, request: REQUEST_ID_1, tenant: 'many',
    })));
  });
  const count = async (path: string) => {
    const body = await s().json(path) as unknown[][];
    return path.startsWith('/stacky/request/') ? body.length - 1 : Math.max(0, body.length - 1);
  };

  it('absent → 50; limit=5000 → 1000; limit= → 1000; limit=0 → no rows', async () => {
    for (const path of [`/stacky/uuid/?uuid=${INSTANCE_ID_1}`, `/stacky/request/?request_id=${REQUEST_ID_1}`,
      '/stacky/search/?field=tenant&value=many']) {
      assert.equal(await count(path), 50, path);
      assert.equal(await count(`${path}&limit=5000`), 1000, path);
      assert.equal(await count(`${path}&limit=1001`), 1000, path);
      assert.equal(await count(`${path}&limit=`), 1000, path);
      assert.equal(await count(`${path}&limit=1000`), 1000, path);
      assert.equal(await count(`${path}&limit=999`), 999, path);
    }
    assert.equal((await s().get(`/stacky/uuid/?uuid=${INSTANCE_ID_1}&limit=0`)).text, '[]');
    assert.equal((await s().get('/stacky/search/?field=tenant&value=many&limit=0')).text, '[]');
    assert.deepEqual(await s().json(`/stacky/request/?request_id=${REQUEST_ID_1}&limit=0`), [NOVA_HEADER]);
  });

  it('Python int(): spaces and a leading + are accepted; offset= means 0', async () => {
    const ids = async (path: string) => ((await s().json(path)) as unknown[][]).slice(1).map((r) => r[0]);
    assert.deepEqual(await ids(`/stacky/request/?request_id=${REQUEST_ID_1}&limit=+2`), [1, 2]);
    assert.deepEqual(await ids(`/stacky/request/?request_id=${REQUEST_ID_1}&limit=%202%20&offset=%2B3`), [4, 5]);
    assert.deepEqual(await ids(`/stacky/request/?request_id=${REQUEST_ID_1}&limit=2&offset=`), [1, 2]);
    assert.deepEqual(await ids(`/stacky/request/?request_id=${REQUEST_ID_1}&limit=-0`), []);
    assert.deepEqual(await ids(`/stacky/request/?request_id=${REQUEST_ID_1}&offset=1099`), [1100]);
    assert.deepEqual(await ids(`/stacky/request/?request_id=${REQUEST_ID_1}&offset=5000`), []);
  });

  it('the window is rows offset..offset+limit-1 of the ordered result', async () => {
    const ids = async (path: string) => ((await s().json(path)) as unknown[][]).slice(1).map((r) => r[0]);
    assert.deepEqual(await ids(`/stacky/uuid/?uuid=${INSTANCE_ID_1}&limit=3&offset=1000`), [1001, 1002, 1003]);
    assert.deepEqual(await ids('/stacky/search/?field=tenant&value=many&limit=3&offset=2'), [1098, 1097, 1096]);
    assert.deepEqual(await ids(`/stacky/uuid/?uuid=${INSTANCE_ID_1}&limit=1000&offset=1000`),
      Array.from({length: 100}, (_, i) => 1001 + i));
  });
});

describe('§1.12: when_min and when_max are inclusive, empty values are ignored', () => {
  const s = withServer(async (srv) => {
    await srv.ingest(
      {event: 'compute.instance.update', at: '2014-01-14 00:00:01.000001', instance: INSTANCE_ID_1, request: REQUEST_ID_1, tenant: 'w'},
      {event: 'compute.instance.update', at: '2014-01-14 00:00:02', instance: INSTANCE_ID_1, request: REQUEST_ID_1, tenant: 'w'},
      {event: 'compute.instance.update', at: '2014-01-14 00:00:03.5', instance: INSTANCE_ID_1, request: REQUEST_ID_1, tenant: 'w'},
    );
  });
  const t1 = '1389657601.000001';
  const t2 = '1389657602';
  const t3 = '1389657603.5';

  for (const [name, path, order] of [
    ['uuid', `/stacky/uuid/?uuid=${INSTANCE_ID_1}`, 'asc'],
    ['request', `/stacky/request/?request_id=${REQUEST_ID_1}`, 'asc'],
    ['search', '/stacky/search/?field=tenant&value=w', 'desc'],
  ] as const) {
    it(name, async () => {
      const ids = async (q: string) => {
        const got = ((await s().json(path + q)) as unknown[][]).slice(1).map((r) => r[0] as number);
        return order === 'desc' ? got.reverse() : got;
      };
      assert.deepEqual(await ids(`&when_min=${t1}&when_max=${t3}`), [1, 2, 3]);
      assert.deepEqual(await ids(`&when_min=${t2}&when_max=${t2}`), [2]);
      assert.deepEqual(await ids(`&when_min=${t2}`), [2, 3]);
      assert.deepEqual(await ids(`&when_max=${t2}`), [1, 2]);
      assert.deepEqual(await ids(`&when_min=1389657601.000002&when_max=1389657603.499999`), [2]);
      assert.deepEqual(await ids('&when_min=&when_max='), [1, 2, 3]);
      // Decimal forms: exponent, surrounding spaces, sub-microsecond digits compared exactly.
      assert.deepEqual(await ids('&when_min=1.389657602e9'), [2, 3]);
      assert.deepEqual(await ids('&when_min=%201389657602%20'), [2, 3]);
      assert.deepEqual(await ids('&when_min=1389657601.0000005'), [1, 2, 3]);
      assert.deepEqual(await ids('&when_min=1389657601.0000015'), [2, 3]);
      assert.deepEqual(await ids('&when_max=1389657603.4999995'), [1, 2]);
      assert.deepEqual(await ids('&when_max=1389657603.5000005'), [1, 2, 3]);
    });
  }

  it('timings end_when_min/end_when_max compare sub-microsecond bounds exactly too', async () => {
    const t = await startServer();
    try {
      await t.ingest({event: 'x.start', at: '2014-01-14 00:00:00', instance: INSTANCE_ID_1},
        {event: 'x.end', at: '2014-01-14 00:00:01.000001', instance: INSTANCE_ID_1});
      const n = async (q: string) => ((await t.json(`/stacky/timings/?name=x${q}`)) as unknown[]).length - 1;
      assert.equal(await n('&end_when_min=1389657601.000001&end_when_max=1389657601.000001'), 1);
      assert.equal(await n('&end_when_min=1389657601.0000015'), 0);
      assert.equal(await n('&end_when_min=1389657601.0000005'), 1);
      assert.equal(await n('&end_when_max=1389657601.0000005'), 0);
      assert.equal(await n('&end_when_max=1389657601.0000015'), 1);
    } finally {
      await t.close();
    }
  });
});

describe('§5.5 10: kpi and the 24-hour window', () => {
  const now = micros('2014-01-16 17:10:07');
  const s = withServer(async (srv) => {
    const flow = (request: string, instance: string, tenant: string, at: number, secs: number): Note[] => [
      {event: 'compute.instance.update', at, publisher: 'osapi_compute.api-01', instance, request, tenant, deployment: 'dep1'},
      {event: 'compute.instance.create.start', at: at + SECOND, instance, request, tenant, deployment: 'dep1'},
      {event: 'compute.instance.create.end', at: at + Math.round(secs * SECOND), instance, request, tenant, deployment: 'dep1'},
    ];
    await srv.ingest(
      ...flow(REQUEST_ID_1, INSTANCE_ID_1, 'recent', now - 86400 * SECOND, 55.5), // exactly 24 h old: kept
      ...flow(REQUEST_ID_2, INSTANCE_ID_2, 'old', now - 86400 * SECOND - 1, 10), // one µs older: gone
      ...flow(REQUEST_ID_1.replace('8888', '5555'), INSTANCE_ID_2, 'recent', now - 3600 * SECOND, 20),
    );
  }, now);

  it('kpi lists trackers that started in the last 24 h, fastest first, with the .end dropped', async () => {
    assert.deepEqual(await s().json('/stacky/kpi/'), [['Event', 'Time', 'UUID', 'Deployment'],
      ['compute.instance.create', '0d 00:00:20.00', INSTANCE_ID_2, 'dep1'],
      ['compute.instance.create', '0d 00:00:55.50', INSTANCE_ID_1, 'dep1']]);
  });

  it('a tenant with no raws is a 404 table; one whose trackers are older than 24 h is the header only', async () => {
    const r = await s().get('/stacky/kpi/nobody/');
    assert.equal(r.status, 404);
    assert.equal(r.text, errorBody('Not Found', 'Could not find raws for tenant nobody'));
    assert.deepEqual(await s().json('/stacky/kpi/old/'), [['Event', 'Time', 'UUID', 'Deployment']]);
    assert.equal(((await s().json('/stacky/kpi/recent/')) as unknown[]).length, 3);
  });

  it('a tenant outside \\w does not match the route', async () => {
    assert.equal((await s().get('/stacky/kpi/a-b/')).status, 404);
    assert.equal((await s().get('/stacky/kpi/a.b/')).headers['content-type'], 'text/html; charset=utf-8');
  });
});

describe('§5.5 11, 12 and §2.13–2.15: reports', () => {
  const now = micros('2014-01-16 12:00:00');
  const s = withServer(async (srv) => {
    const day = micros('2014-01-01 00:00:00');
    await srv.addReport({id: 1, periodStart: day, periodEnd: day + 86400 * SECOND, created: day, name: 'midnight'});
    await srv.addReport({id: 2, periodStart: day, periodEnd: day + 86400 * SECOND, created: day + 1, name: 'just after'});
    await srv.addReport({id: 3, periodStart: day, periodEnd: day + 86400 * SECOND, created: day + 86400 * SECOND, name: 'next midnight'});
    await srv.addReport({id: 4, periodStart: micros('2014-01-15 11:00:00'), periodEnd: micros('2014-01-15 12:00:00'),
      created: micros('2014-01-15 12:00:00'), name: 'day old', version: 4});
    await srv.addReport({id: 5, periodStart: micros('2014-01-16 10:00:00'), periodEnd: micros('2014-01-16 11:00:00'),
      created: 1389870012947450, name: 'recent', version: 4, json: '{"dict": "report"}'});
  }, now);

  it('11: reports/search?service=nova is a 400 naming the field', async () => {
    const r = await s().get('/stacky/reports/search/?service=nova');
    assert.equal(r.status, 400);
    assert.equal(r.text, errorBody('Bad Request', 'The requested fields either do not exist for the corresponding ' +
      'object or are not searchable: service. Note: The field names of database are case-sensitive.'));
  });

  it('12: created=<day> excludes a report created at exactly midnight (both bounds exclusive)', async () => {
    const body = await s().json('/stacky/reports/search/?created=2014-01-01') as unknown[][];
    assert.deepEqual(body, [['Id', 'Start', 'End', 'Created', 'Name', 'Version'],
      [2, '2014-01-01 00:00:00', '2014-01-02 00:00:00', '2014-01-01 00:00:00', 'just after', 1]]);
    assert.deepEqual(await s().json('/stacky/reports/search/?created=2014-1-2'), [body[0]]);
  });

  it('reports/search: no parameters lists the newest 50 by id; period values are exact matches', async () => {
    const ids = async (q: string) => ((await s().json(`/stacky/reports/search/${q}`)) as unknown[][]).slice(1).map((r) => r[0]);
    assert.deepEqual(await ids(''), [5, 4, 3, 2, 1]);
    assert.deepEqual(await ids('?limit=2&offset=1'), [4, 3]);
    assert.deepEqual(await ids('?period_start=2014-01-01'), [3, 2, 1]);
    assert.deepEqual(await ids('?period_start=2014-01-15T11:00'), [4]);
    assert.deepEqual(await ids('?period_end=2014-1-15+12:00:00.000000'), [4]);
    assert.deepEqual(await ids('?name=RECENT'), [5]);
    assert.deepEqual(await ids('?id=+5'), [5]);
  });

  it('reports: the last 24 h by default, created bounds inclusive, times as Python floats', async () => {
    const r = await s().get('/stacky/reports/');
    assert.equal(r.status, 200);
    assert.equal(r.text, '[["Id", "Start", "End", "Created", "Name", "Version"], ' +
      '[4, 1389783600.0, 1389787200.0, 1389787200.0, "day old", 4], ' +
      '[5, 1389866400.0, 1389870000.0, 1389870012.94745, "recent", 4]]');
    const ids = async (q: string) => ((await s().json(`/stacky/reports/${q}`)) as unknown[][]).slice(1).map((row) => row[0]);
    assert.deepEqual(await ids('?created_from=1388534400&created_to=1388620800'), [1, 2, 3]);
    assert.deepEqual(await ids('?created_from=1388534400.000001&created_to=1388620799.999999'), [2]);
    assert.deepEqual(await ids('?created_from=0&created_to=1389870012.94745&limit=2&offset=3'), [4, 5]);
    assert.deepEqual(await ids('?created_from=0&created_to=1389870012.947449'), [1, 2, 3, 4]);
  });

  it('report/<id>: the stored text verbatim, dict or list', async () => {
    const r = await s().get('/stacky/report/5/');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.text, '{"dict": "report"}');
  });
});

describe('§2.11: search fields, lookups and relations', () => {
  const s = withServer(async (srv) => {
    await srv.ingest(
      {event: 'compute.instance.create.start', at: '2014-01-14 10:00:00', instance: INSTANCE_ID_1, tenant: 'ta', deployment: 'dep1',
        state: 'building', payload: {display_name: 'web-01'}},
      {event: 'compute.instance.create.end', at: '2014-01-14 10:00:30', instance: INSTANCE_ID_1, tenant: 'ta', deployment: 'dep1',
        state: 'active', payload: {display_name: 'web-01'}},
      {event: 'compute.instance.update', at: '2014-01-14 10:01:00', instance: INSTANCE_ID_2, tenant: 'tb', deployment: 'dep2',
        state: 'active', payload: {display_name: 'db-01'}},
      {event: 'compute.instance.update', at: '2014-01-14 10:02:00', instance: INSTANCE_ID_2, deployment: 'dep2', tenant: null},
    );
  });
  const ids = async (q: string) => {
    const r = await s().get(`/stacky/search/?${q}`);
    assert.equal(r.status, 200, `${q}: ${r.text}`);
    return (r.json() as unknown[][]).slice(1).map((row) => row[0]);
  };

  it('plain columns, foreign keys and deployment__name', async () => {
    assert.deepEqual(await ids('field=tenant&value=ta'), [2, 1]);
    assert.deepEqual(await ids('field=deployment&value=2'), [4, 3]);
    assert.deepEqual(await ids('field=deployment_id&value=1'), [2, 1]);
    assert.deepEqual(await ids('field=deployment__name&value=dep2'), [4, 3]);
    assert.deepEqual(await ids('field=id&value=3'), [3]);
    assert.deepEqual(await ids(`field=instance&value=${INSTANCE_ID_2}`), [4, 3]);
    assert.deepEqual(await ids('field=when&value=1389693630'), [2]);
  });

  it('lookups: startswith, contains, iexact, gt/lte on times, isnull; an absent value means IS NULL', async () => {
    assert.deepEqual(await ids('field=event__startswith&value=compute.instance.create'), [2, 1]);
    assert.deepEqual(await ids('field=event__endswith&value=.end'), [2]);
    assert.deepEqual(await ids('field=event__contains&value=update'), [4, 3]);
    assert.deepEqual(await ids('field=event__icontains&value=UPDATE'), [4, 3]);
    assert.deepEqual(await ids('field=state__iexact&value=ACTIVE'), [3, 2]);
    assert.deepEqual(await ids('field=when__gt&value=1389693630'), [4, 3]);
    assert.deepEqual(await ids('field=when__lte&value=1389693630'), [2, 1]);
    assert.deepEqual(await ids('field=id__gte&value=3'), [4, 3]);
    assert.deepEqual(await ids('field=tenant__isnull&value=True'), [4]);
    assert.deepEqual(await ids('field=tenant__isnull&value=False'), [3, 2, 1]);
    assert.deepEqual(await ids('field=tenant'), [4]);
  });

  it('json and json__contains look inside the stored notification', async () => {
    assert.deepEqual(await ids('field=json__contains&value=web-01'), [2, 1]);
    assert.deepEqual(await ids('field=json__contains&value=db-01'), [3]);
    assert.deepEqual(await ids('field=json__icontains&value=DB-01'), [3]);
    assert.deepEqual(await ids('field=json__contains&value=nowhere'), []);
  });
});
