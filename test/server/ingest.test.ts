// POST /ingest/: the three line forms, defaults from the query, rejected lines with their line
// numbers and reasons, the quarantine table, duplicates by message_id, and streaming bodies.
import assert from 'node:assert/strict';
import {request} from 'node:http';
import {after, before, describe, it} from 'node:test';
import {INSTANCE_ID_1, INSTANCE_ID_2, line, micros, notification, REQUEST_ID_1, startServer, type Note, type Reply, type TestServer} from './helpers.js';

interface Answer {
  stored: number;
  duplicates: number;
  rejected: {line: number; error: string}[];
  warnings: string[];
}

async function post(s: TestServer, lines: string[] | string, query = ''): Promise<Answer> {
  const r = await s.request(`/ingest/${query}`, 'POST', Array.isArray(lines) ? lines.join('\n') : lines);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
  return r.json() as Answer;
}

/** Sends the body in small pieces, so lines (and UTF-8 characters) straddle chunk boundaries. */
function postInPieces(url: string, body: string, size: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/ingest/`, {method: 'POST', agent: false}, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text)}));
    });
    req.on('error', reject);
    const bytes = Buffer.from(body, 'utf8');
    let at = 0;
    const next = () => {
      if (at >= bytes.length) {
        req.end();
        return;
      }
      req.write(bytes.subarray(at, at + size));
      at += size;
      setImmediate(next);
    };
    next();
  });
}

const UPDATE: Note = {event: 'compute.instance.update', at: '2014-01-16 17:10:06.250000', instance: INSTANCE_ID_1,
  request: REQUEST_ID_1, tenant: 'tenant', state: 'active'};

describe('POST /ingest/: the three line forms', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(async () => s.close());

  it('stores a [routing_key, body] pair, a bare body and an envelope', async () => {
    const answer = await post(s, [
      line({...UPDATE, routingKey: 'notifications.info'}, 'pair'),
      line({...UPDATE, at: '2014-01-16 17:10:06.5', priority: 'ERROR', event: 'compute.instance.create.error'}, 'bare'),
      line({...UPDATE, at: '2014-01-16 17:10:06.75', state: 'building'}, 'bare'),
      line({event: 'image.upload', at: '2014-01-16 17:10:07', exchange: 'glance', deployment: 'region-2',
        routingKey: 'glance_notifications.info', publisher: 'glance.g-01', payload: {id: 'image-1', status: 'saving'}}, 'envelope'),
    ]);
    assert.deepEqual(answer, {stored: 4, duplicates: 0, rejected: [], warnings: []});
    const uuid = await s.json(`/stacky/uuid/?uuid=${INSTANCE_ID_1}`) as unknown[][];
    assert.deepEqual(uuid.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[4], r[6]]), [
      [1, ' ', '2014-01-16 17:10:06.250000', 'default', 'compute.instance.update', 'active'],
      [2, 'E', '2014-01-16 17:10:06.500000', 'default', 'compute.instance.create.error', 'active'],
      [3, ' ', '2014-01-16 17:10:06.750000', 'default', 'compute.instance.update', 'building'],
    ]);
    const categories = [];
    for (const id of [1, 2, 3]) categories.push(((await s.json(`/stacky/show/${id}/`)) as unknown[][][])[0]![4]![1]);
    assert.deepEqual(categories, ['notifications.info', 'monitor.error', 'monitor.info']);
    const glance = await s.json('/stacky/search/?service=glance&field=uuid&value=image-1') as unknown[][];
    assert.deepEqual(glance[1], [1, ' ', '2014-01-16 17:10:07', 'region-2', 'image.upload', 'g-01', 'saving']);
    assert.deepEqual(await s.json('/stacky/deployments/'), [['#', 'Name'], [1, 'default'], [2, 'region-2']]);
  });

  it('keeps each body as received: show returns the same value', async () => {
    const show = await s.json('/stacky/show/3/') as unknown[];
    const stored = JSON.parse(show[1] as string) as unknown[];
    assert.deepEqual(stored, ['monitor.info', notification({...UPDATE, at: '2014-01-16 17:10:06.75', state: 'building'})]);
    const glance = await s.json('/stacky/show/1/?service=glance') as unknown[];
    assert.deepEqual(JSON.parse(glance[1] as string), ['glance_notifications.info', notification({event: 'image.upload',
      at: '2014-01-16 17:10:07', publisher: 'glance.g-01', payload: {id: 'image-1', status: 'saving'}})]);
    assert.equal(glance[2], 'image-1');
  });

  it('takes the deployment and exchange from the query for lines that name none', async () => {
    const answer = await post(s, [
      line({event: 'identity.user.created', at: '2014-01-16 17:10:08', publisher: 'identity.k-01', instance: INSTANCE_ID_2,
        request: REQUEST_ID_1}, 'bare'),
      JSON.stringify({body: notification({event: 'compute.instance.update', at: '2014-01-16 17:10:08', instance: INSTANCE_ID_2})}),
      JSON.stringify({exchange: 'nova', body: notification({event: 'compute.instance.update', at: '2014-01-16 17:10:09',
        instance: INSTANCE_ID_2})}),
    ], '?deployment=region-3&exchange=keystone');
    assert.deepEqual(answer, {stored: 3, duplicates: 0, rejected: [], warnings: []});
    assert.deepEqual(await s.json('/stacky/search/?service=generic&field=deployment__name&value=region-3'), [
      ['#', '?', 'When', 'Deployment', 'Event', 'Host', 'Instance', 'Request id'],
      // No _context_request_id: the empty string, as StackTach.
      [2, ' ', '2014-01-16 17:10:08', 'region-3', 'compute.instance.update', 'c-01', INSTANCE_ID_2, ''],
      [1, ' ', '2014-01-16 17:10:08', 'region-3', 'identity.user.created', 'k-01', INSTANCE_ID_2, REQUEST_ID_1],
    ]);
    const nova = await s.json(`/stacky/uuid/?uuid=${INSTANCE_ID_2}`) as unknown[][];
    assert.deepEqual(nova.slice(1).map((r) => [r[2], r[3]]), [['2014-01-16 17:10:09', 'region-3']]);
  });

  it('skips blank lines, accepts CRLF and a last line without a newline', async () => {
    const body = `\r\n${line({...UPDATE, at: '2014-01-16 17:11:00', messageId: 'crlf-1'}, 'bare')}\r\n   \n\n` +
      line({...UPDATE, at: '2014-01-16 17:11:01', messageId: 'crlf-2'}, 'pair');
    assert.deepEqual(await post(s, body), {stored: 2, duplicates: 0, rejected: [], warnings: []});
    assert.deepEqual(await post(s, ''), {stored: 0, duplicates: 0, rejected: [], warnings: []});
  });

  it('reassembles lines and UTF-8 characters split across chunks', async () => {
    const lines = Array.from({length: 30}, (_, i) => line({...UPDATE, at: micros('2014-01-16 18:00:00') + i,
      tenant: 'tenant-ü-€-𝄞', messageId: `chunk-${i}`}, i % 3 === 0 ? 'bare' : i % 3 === 1 ? 'pair' : 'envelope'));
    const r = await postInPieces(s.url, lines.join('\n'), 7);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), {stored: 30, duplicates: 0, rejected: [], warnings: []});
    const found = await s.json('/stacky/search/?field=tenant&value=tenant-%C3%BC-%E2%82%AC-%F0%9D%84%9E&limit=100') as unknown[][];
    assert.equal(found.length, 31);
  });

  it('reports derived-table warnings without rejecting the line', async () => {
    const answer = await post(s, [line({event: 'compute.instance.exists', at: '2014-01-16 19:00:00', instance: INSTANCE_ID_1,
      payload: {launched_at: ''}}, 'bare')]);
    assert.equal(answer.stored, 1);
    assert.deepEqual(answer.rejected, []);
    assert.match(answer.warnings[0] ?? '', /^line 1: Ignoring exists without launched_at\. RawData\(\d+\)$/);
  });
});

describe('POST /ingest/: rejected lines', () => {
  let s: TestServer;
  const now = micros('2014-01-16 20:00:00.123456');
  before(async () => {
    s = await startServer({now});
  });
  after(async () => s.close());

  const good = (i: number) => line({...UPDATE, at: micros('2014-01-16 17:00:00') + i * 1000}, 'bare');
  const body = (extra: Record<string, unknown>, drop: string[] = []) => {
    const b: Record<string, unknown> = {...notification(UPDATE), ...extra};
    for (const k of drop) delete b[k];
    return JSON.stringify(b);
  };
  const cases: [string, string | RegExp][] = [
    ['{"event_type": "x", "publisher_id": ', /^not JSON: /],
    ['not json at all', /^not JSON: /],
    [body({}, ['event_type']), 'missing event_type'],
    [body({}, ['publisher_id']), 'missing publisher_id'],
    [body({timestamp: '2014-13-01 00:00:00'}), "unparseable timestamp '2014-13-01 00:00:00'"],
    [body({timestamp: '2014-01-14 15:39:22.574829+00:00'}), "unparseable timestamp '2014-01-14 15:39:22.574829+00:00'"],
    [body({timestamp: ''}), 'missing timestamp and _context_timestamp'],
    [body({timestamp: null, _context_timestamp: 'yesterday'}), "unparseable timestamp 'yesterday'"],
    [body({event_type: 5}), 'event_type is not a string'],
    [body({publisher_id: null}), 'publisher_id is not a string'],
    [body({payload: 'oops'}), 'payload is not an object'],
    ['["monitor.info"]', 'a JSON array line must be [routing_key, body]'],
    ['[1, {}]', 'a JSON array line must be [routing_key, body]'],
    ['["monitor.info", 5]', 'body is not a JSON object'],
    ['42', 'line is neither a JSON object nor a [routing_key, body] pair'],
    ['{"deployment": "", "body": {}}', 'envelope deployment must be a non-empty string'],
    ['{"exchange": 7, "body": {}}', 'envelope exchange must be a non-empty string'],
    ['{"routing_key": 7, "body": {}}', 'envelope routing_key must be a string'],
  ];

  it('answers each bad line with its number and reason; every good line is still stored', async () => {
    const lines: string[] = [];
    const expected: [number, string | RegExp][] = [];
    let n = 0;
    for (const [text, reason] of cases) {
      lines.push(good(n++));
      lines.push(''); // blank lines count in the numbering
      lines.push(text);
      expected.push([lines.length, reason]);
    }
    lines.push(good(n++));
    const answer = await post(s, lines, '?deployment=region-9&exchange=nova');
    assert.equal(answer.stored, n);
    assert.equal(answer.duplicates, 0);
    assert.equal(answer.rejected.length, cases.length);
    answer.rejected.forEach((r, i) => {
      const [lineNo, reason] = expected[i]!;
      assert.equal(r.line, lineNo, `case ${i}`);
      if (typeof reason === 'string') assert.equal(r.error, reason, `case ${i}`);
      else assert.match(r.error, reason, `case ${i}`);
    });
    assert.equal(((await s.json(`/stacky/uuid/?uuid=${INSTANCE_ID_1}&limit=100`)) as unknown[]).length, n + 1);
  });

  it('keeps every rejected line whole in the quarantine table', async () => {
    const q = await s.query('SELECT received, source, deployment, exchange, routing_key, line, error, raw FROM stacky_quarantine ORDER BY id');
    assert.equal(q.length, cases.length);
    for (const [i, row] of q.entries()) {
      assert.equal(row.received, now);
      assert.equal(row.source, 'test');
      assert.equal(row.line, 3 * (i + 1));
      assert.equal(row.exchange, 'nova');
      const reason = cases[i]![1];
      if (typeof reason === 'string') assert.equal(row.error, reason);
      const raw = (row.raw as Buffer).toString('utf8');
      const text = cases[i]![0];
      // Bodies that arrived inside a pair or an envelope are kept as their body text.
      if (text.startsWith('["monitor.info", ')) assert.equal(raw, text.slice('["monitor.info",'.length, -1));
      else assert.equal(raw, text);
    }
    assert.deepEqual(q.map((r) => r.deployment), cases.map(() => 'region-9'));
    assert.deepEqual(q.slice(2, 4).map((r) => r.routing_key), ['monitor.info', 'monitor.info']);
  });

  it('numbers lines across the server\'s internal batches', async () => {
    const lines = Array.from({length: 4500}, (_, i) => line({...UPDATE, at: micros('2014-01-17 00:00:00') + i * 1000,
      instance: INSTANCE_ID_2}, 'bare'));
    lines[4320] = 'garbage';
    lines[1999] = '{}';
    const answer = await post(s, lines);
    assert.equal(answer.stored, 4498);
    assert.deepEqual(answer.rejected, [{line: 2000, error: 'missing publisher_id'},
      {line: 4321, error: answer.rejected[1]?.error}]);
    assert.match(answer.rejected[1]!.error, /^not JSON: /);
  });
});

describe('POST /ingest/: duplicates by message_id', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(async () => s.close());

  it('stores a message id once, in one post or across posts, per raw table', async () => {
    const start: Note = {event: 'compute.instance.create.start', at: '2014-01-16 10:00:00', instance: INSTANCE_ID_1,
      request: REQUEST_ID_1, messageId: 'msg-1'};
    const end: Note = {event: 'compute.instance.create.end', at: '2014-01-16 10:00:30', instance: INSTANCE_ID_1,
      request: REQUEST_ID_1, messageId: 'msg-2', payload: {launched_at: '2014-01-16 10:00:29', message: 'Success'}};
    assert.deepEqual(await post(s, [line(start), line(start, 'bare'), line(end, 'pair')]),
      {stored: 2, duplicates: 1, rejected: [], warnings: []});
    assert.deepEqual(await post(s, [line(end), line(start)]), {stored: 0, duplicates: 2, rejected: [], warnings: []});
    // Same ids on glance and generic rows are different tables.
    assert.deepEqual(await post(s, [line({...start, exchange: 'glance', payload: {id: 'img'}}),
      line({...start, exchange: 'generic'}), line({...start, exchange: 'generic'})]), {stored: 2, duplicates: 1, rejected: [], warnings: []});
    // Without a message id, the same bytes are the same notification (issue #13, body-key.ts);
    // bodies that differ are stored.
    const anonymous: Note = {event: 'compute.instance.update', at: '2014-01-16 10:00:40', instance: INSTANCE_ID_1};
    const other: Note = {...anonymous, at: '2014-01-16 10:00:41'};
    assert.deepEqual(await post(s, [line(anonymous), line(anonymous), line(other)]),
      {stored: 2, duplicates: 1, rejected: [], warnings: []});
    assert.deepEqual(await post(s, [line(other), line(anonymous)]), {stored: 0, duplicates: 2, rejected: [], warnings: []});

    // Derived rows were made once: one timing, one usage row.
    assert.deepEqual(await s.json(`/stacky/timings/uuid/?uuid=${INSTANCE_ID_1}`),
      [['?', 'Event', 'Time (secs)'], ['.', 'compute.instance.create', '0d 00:00:30.00']]);
    assert.equal((await s.query('SELECT * FROM stacktach_instanceusage')).length, 1);
    assert.equal(((await s.json(`/stacky/uuid/?uuid=${INSTANCE_ID_1}`)) as unknown[]).length, 5);
  });
});
