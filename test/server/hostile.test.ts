// Hostile input, one test per defect of issue #13 that the server owns, each on a real server
// over real HTTP with a real SQLite file. The seeded fuzz is in hostile-fuzz.test.ts.
import assert from 'node:assert/strict';
import {request} from 'node:http';
import {connect} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {INSTANCE_ID_1, REQUEST_ID_1, line, notification, send, SQLITE_ONLY, startServer, type Reply, type TestServer} from './helpers.js';
import {responseCacheOf} from '../../source/server/app.js';
import {encodeJson} from '../../source/store/json-codec.js';

/** Writes raw bytes on a fresh connection and resolves with everything the server sent back. */
export function raw(url: string, bytes: string | Buffer): Promise<string> {
  const {hostname, port} = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => (text += c));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

/** POSTs a body (given as Buffer pieces, written one after another) to /ingest/. */
function post(s: TestServer, body: Buffer | Buffer[], query = '', headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${s.url}/ingest/${query}`, {method: 'POST', agent: false, headers}, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown});
      });
    });
    req.on('error', reject);
    const pieces = Array.isArray(body) ? [...body] : [body];
    const next = () => {
      const piece = pieces.shift();
      if (piece === undefined) return req.end();
      if (req.write(piece)) setImmediate(next);
      else req.once('drain', next);
    };
    next();
  });
}

const count = async (s: TestServer, table = 'stacktach_rawdata') => (await s.query(`SELECT count(*) AS n FROM ${table}`))[0]!.n as number;

const note = (i: number, extra: Record<string, unknown> = {}) => line({event: 'compute.instance.update',
  at: 1_389_900_000_000_000 + i, instance: INSTANCE_ID_1, messageId: `m-${i}`, ...extra});

describe('#1 the response cache is bounded by entries and bytes, URLs counted', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({limits: {cacheEntries: 100, cacheBytes: 512 * 1024}});
  });
  after(() => s.close());

  it('missing show ids under long unique URLs stay within both bounds', async () => {
    const pad = 'p'.repeat(15_000);
    for (let i = 0; i < 600; i++) {
      const r = await s.get(`/stacky/show/999999/?n=${i}&pad=${pad}`);
      assert.equal(r.status, 200);
      assert.equal(r.text, '');
    }
    const size = responseCacheOf.get(s.server)!.size;
    assert.equal(size.entries <= 100, true, `${size.entries} entries`);
    assert.equal(size.bytes <= 512 * 1024, true, `${size.bytes} bytes`);
    // Each entry's URL is counted: 15 KB keys fill 512 KiB long before 100 entries.
    assert.equal(size.entries < 40, true, `${size.entries} entries of 15 KB URLs`);
  });
});

describe('#2 #14 #16 requests the API never answers with data, and its headers', () => {
  let s: TestServer;
  const logs: string[] = [];
  before(async () => {
    s = await startServer({log: (l) => logs.push(l)});
    await s.ingest({event: 'compute.instance.update', at: 1_389_900_000_000_000, instance: INSTANCE_ID_1});
  });
  after(() => s.close());

  it('#2 offsets of 2^63 and beyond answer like any offset past the end', async () => {
    for (const offset of ['9223372036854775808', '18446744073709551616', '9'.repeat(400)]) {
      for (const path of [`/stacky/uuid/?uuid=${INSTANCE_ID_1}`, `/stacky/request/?request_id=${REQUEST_ID_1}`, '/stacky/search/?field=tenant&value=x',
        '/stacky/summary/', '/stacky/timings/?name=x', `/stacky/timings/uuid/?uuid=${INSTANCE_ID_1}`, '/stacky/usage/launches/',
        '/stacky/usage/deletes/', '/stacky/usage/exists/', '/stacky/reports/', '/stacky/reports/search/']) {
        const r = await s.get(`${path}${path.includes('?') ? '&' : '?'}offset=${offset}`);
        assert.equal(r.status, 200, `${path} ${r.text}`);
      }
    }
  });

  it('#14 DELETE, PUT, POST, TRACE on a view: 405 with Allow; HTTP/0.9 and 2.0 request lines: 400', async () => {
    for (const method of ['DELETE', 'PUT', 'POST', 'TRACE', 'PATCH']) {
      const r = await s.request('/stacky/deployments/', method);
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.allow, 'GET, HEAD');
      assert.doesNotMatch(r.text, /Id/);
    }
    for (const requestLine of ['GET /stacky/deployments/\r\n\r\n', 'GET /stacky/deployments/ HTTP/0.9\r\n\r\n',
      'GET /stacky/deployments/ HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n']) {
      const text = await raw(s.url, requestLine);
      assert.match(text, /^HTTP\/1\.1 400 /, requestLine);
      assert.doesNotMatch(text, /"Name"/);
    }
  });

  it('#16 JSON replies say charset=utf-8 and nosniff; HTML pages too', async () => {
    for (const path of ['/stacky/deployments/', '/stacky/uuid/?uuid=x', '/stacky/nowhere/']) {
      const r = await s.get(path);
      assert.equal(r.headers['x-content-type-options'], 'nosniff', path);
      assert.match(String(r.headers['content-type']), /; charset=utf-8$/, path);
    }
    const ingest = await post(s, Buffer.from(''));
    assert.equal(ingest.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(ingest.headers['x-content-type-options'], 'nosniff');
  });

  it('#5 a row nested 20,000 deep stored before the bound is shown as stored, not a 500', async () => {
    const deep = `["monitor.info", {"event_type": "x", "timestamp": "2014-01-16 17:00:00", "payload": ${'['.repeat(20_000)}${']'.repeat(20_000)}}]`;
    // At the time of a stored row: PostgreSQL keeps a partition for each day that has rows.
    const [row] = await s.query(`INSERT INTO stacktach_rawdata (id, deployment_id, json_z, "when") VALUES (
      (SELECT coalesce(max(id), 0) + 1 FROM stacktach_rawdata), 1, ?, (SELECT min("when") FROM stacktach_rawdata)) RETURNING id`,
    Buffer.from(encodeJson(Buffer.from(deep))));
    const id = Number(row!.id);
    const r = await s.get(`/stacky/show/${id}/`);
    assert.equal(r.status, 200);
    assert.equal((r.json() as unknown[])[1], deep);
  });

  it('#16 an internal error is one log line without a stack trace', {skip: SQLITE_ONLY}, async () => {
    const t = await startServer({log: (l) => logs.push(l)});
    t.sqlite().db.close(); // every query now throws
    const r = await t.get('/stacky/deployments/');
    assert.equal(r.status, 500);
    assert.equal(r.text, '<h1>Server Error (500)</h1>');
    await t.close();
    const line = logs.find((l) => l.includes('internal error'));
    assert.ok(line, 'logged');
    assert.doesNotMatch(line, /\n/);
    assert.doesNotMatch(line, /\bat .*\.(ts|js):\d+/);
    assert.equal(line, 'stacky: internal error #1 on GET /stacky/deployments/: TypeError: The database connection is not open');
  });

  it('#16 an HTML 404 page shows the path HTML-escaped and terminal-safe', async () => {
    const r = await s.get('/stacky/%1b]0;PWNED%07<b>/');
    assert.equal(r.status, 404);
    assert.equal(r.text, '<h1>Not Found</h1><p>The requested URL /stacky/\\x1b]0;PWNED\\x07&#60;b&#62;/ was not found on this server.</p>');
  });
});

describe('#13 cross-site requests', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('a browser form or text/plain POST is refused and creates nothing', async () => {
    const body = Buffer.from(`${note(1)}\n`);
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await post(s, body, '?deployment=csrf', {'Content-Type': type, 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64)'});
      assert.equal(r.status, 415, type);
      const referred = await post(s, body, '?deployment=csrf', {'Content-Type': type, Referer: 'http://evil.example/'});
      assert.equal(referred.status, 415, type);
    }
    const fromPage = await post(s, body, '?deployment=csrf', {Origin: 'http://evil.example', 'Content-Type': 'application/json'});
    assert.equal(fromPage.status, 403);
    const fetched = await post(s, body, '?deployment=csrf', {'Sec-Fetch-Site': 'cross-site'});
    assert.equal(fetched.status, 403);
    assert.equal((await count(s)), 0);
    assert.equal((await count(s, 'stacktach_deployment')), 0);
    // Same origin, or no browser at all, is fine.
    const ok = await post(s, body, '?deployment=ok', {Origin: s.url, 'Content-Type': 'application/x-ndjson'});
    assert.equal(ok.status, 200, ok.text);
    const curl = await post(s, Buffer.from(`${note(2)}\n`), '?deployment=ok', {'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'curl/8.5.0'});
    assert.equal(curl.status, 200, curl.text);
  });

  it('a Host that is not this server (DNS rebinding) gets no data, nor a redirect to it', async () => {
    for (const host of ['evil.example', 'evil.example:8000', 'a b', 'localhost.evil.example']) {
      const r = await send(`${s.url}/stacky/deployments/`, 'GET', undefined, {Host: host});
      assert.equal(r.status, 400, host);
      assert.doesNotMatch(r.text, /"ok"/);
      const redirect = await send(`${s.url}/stacky/deployments`, 'GET', undefined, {Host: host});
      assert.equal(redirect.status, 400, host);
      assert.equal(redirect.headers.location, undefined);
    }
    for (const host of ['localhost:1234', '127.0.0.1', '[::1]:80', 'stacky.localhost']) {
      const r = await send(`${s.url}/stacky/deployments/`, 'GET', undefined, {Host: host});
      assert.equal(r.status, 200, host);
    }
  });
});

describe('POST /ingest/ bounds and failures (#3 #4 #7 #8 #9)', () => {
  let s: TestServer;
  const logs: string[] = [];
  let logged: (() => void) | undefined;
  before(async () => {
    s = await startServer({limits: {lineBytes: 1024 * 1024, quarantineLineBytes: 1000, replyRejections: 5, rejectedLines: 5000,
      bodyBytes: 8 * 1024 * 1024, bodyIdleMs: 300}, log: (l) => {
      logs.push(l);
      logged?.();
    }});
  });
  after(() => s.close());

  it('#3 a line over the bound is rejected, kept cut short, and costs its length only', async () => {
    const before = (await count(s));
    const long = Buffer.alloc(5 * 1024 * 1024, 'y');
    const pieces: Buffer[] = [Buffer.from(`${note(10)}\n`)];
    for (let at = 0; at < long.length; at += 64 * 1024) pieces.push(long.subarray(at, at + 64 * 1024));
    pieces.push(Buffer.from(`\n${note(11)}\n`));
    const r = await post(s, pieces);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json(), {stored: 2, duplicates: 0, rejected: [{line: 2,
      error: 'line of 5242880 bytes is longer than the limit of 1048576; its first 1000 bytes are kept'}], warnings: []});
    assert.equal((await count(s)), before + 2);
    const q = (await s.query('SELECT raw FROM stacky_quarantine ORDER BY id DESC LIMIT 1'))[0]!;
    assert.deepEqual(q.raw, long.subarray(0, 1000));
  });

  it('#4 the reply lists at most N rejections and counts them all; every line is quarantined', async () => {
    const before = (await count(s, 'stacky_quarantine'));
    const r = await post(s, Buffer.from('x\n'.repeat(3000) + `${note(20)}\n`));
    assert.equal(r.status, 200);
    const body = r.json() as {stored: number; rejected: unknown[]; rejected_count: number};
    assert.equal(body.stored, 1);
    assert.equal(body.rejected.length, 5);
    assert.equal(body.rejected_count, 3000);
    assert.equal((await count(s, 'stacky_quarantine')), before + 3000);
  });

  it('#4 a body of junk stops at the rejected-lines bound: 400 with the exact counts', async () => {
    const before = (await count(s, 'stacky_quarantine'));
    const r = await post(s, Buffer.from(`${note(30)}\n${'x\n'.repeat(8000)}${note(31)}\n`));
    assert.equal(r.status, 400);
    const table = r.json() as unknown[][];
    assert.deepEqual(table[0], ['Error', 'Message', 'Stored', 'Duplicates', 'Rejected']);
    assert.deepEqual(table[1]!.slice(2), [1, 0, (await count(s, 'stacky_quarantine')) - before]);
    assert.match(String(table[1]![1]), /^\d+ lines were rejected, the most one upload may have \(the limit is 5000\)/);
  });

  it('#3 a body over the bound: 413 with the counts of what was stored before it', async () => {
    const before = (await count(s));
    const lines = Array.from({length: 2500}, (_, i) => note(1000 + i)).join('\n') + '\n';
    const pieces = [Buffer.from(lines)];
    for (let i = 0; i < 40; i++) pieces.push(Buffer.from(`${'x'.repeat(256 * 1024 - 1)}\n`));
    const r = await post(s, pieces);
    assert.equal(r.status, 413);
    const table = r.json() as unknown[][];
    assert.deepEqual(table[0], ['Error', 'Message', 'Stored', 'Duplicates', 'Rejected']);
    const stored = (await count(s)) - before;
    assert.equal(stored, 2500);
    assert.equal(table[1]![2], stored, 'what the table says is what was committed');
  });

  it('#7 a full disk: 507 with exactly the counts committed before it', {skip: SQLITE_ONLY}, async () => {
    const before = (await count(s));
    // The database may not grow past its size now plus a few pages: SQLite answers SQLITE_FULL.
    const pages = s.sqlite().db.pragma('page_count', {simple: true}) as number;
    s.sqlite().db.pragma(`max_page_count = ${pages + 400}`);
    try {
      const body = Array.from({length: 30_000}, (_, i) => note(10_000 + i)).join('\n');
      const r = await post(s, Buffer.from(body));
      assert.equal(r.status, 507, r.text.slice(0, 300));
      const table = r.json() as unknown[][];
      assert.deepEqual(table[0], ['Error', 'Message', 'Stored', 'Duplicates', 'Rejected']);
      assert.equal(table[1]![0], 'Insufficient Storage');
      assert.match(String(table[1]![1]), /database or disk is full/);
      assert.equal(table[1]![2], (await count(s)) - before);
      assert.equal((table[1]![2] as number) > 0, true, 'some batches were committed first');
    } finally {
      s.sqlite().db.pragma('max_page_count = 4294967294');
    }
  });

  it('#8 a client that goes away mid-body: one log line with what was stored, no stack', async () => {
    const before = (await count(s));
    const done = new Promise<void>((resolve) => (logged = resolve));
    const {hostname, port} = new URL(s.url);
    const socket = connect(Number(port), hostname, () => {
      socket.write('POST /ingest/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\n');
      socket.write(`${note(50_000)}\n${note(50_001)}\n${note(50_002)}\n{"partial`, () => setImmediate(() => socket.destroy()));
    });
    socket.on('error', () => {});
    await done;
    logged = undefined;
    const last = logs[logs.length - 1]!;
    assert.match(last, /^stacky: POST \/ingest\/ from \S+ ended by the client after \d+ bytes: stored 3, duplicates 0, rejected 0$/);
    assert.equal(logs.some((l) => l.includes('internal error')), false);
    assert.equal((await count(s)), before + 3);
  });

  it('#8 a client that stops sending: 408 with the counts so far', async () => {
    const before = (await count(s));
    const {hostname, port} = new URL(s.url);
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write('POST /ingest/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\n');
        socket.write(`${note(60_000)}\n${note(60_001)}\n`);
      });
      let got = '';
      socket.setEncoding('utf8');
      socket.on('data', (c: string) => (got += c));
      socket.on('close', () => resolve(got));
      socket.on('error', reject);
    });
    assert.match(text, /^HTTP\/1\.1 408 /);
    assert.match(text, /\[\["Error", "Message", "Stored", "Duplicates", "Rejected"\], \["Request Timeout", "No part of the body arrived for 300 ms; it was cut: stored 2, duplicates 0, rejected 0\.", 2, 0, 0\]\]$/);
    assert.equal((await count(s)), before + 2);
  });

  it('#8 an upload that goes on past its total time: 408 with exactly what was stored', async () => {
    const t = await startServer({limits: {bodyMs: 400, bodyIdleMs: 60_000}});
    try {
      const {hostname, port} = new URL(t.url);
      const text = await new Promise<string>((resolve) => {
        let i = 0;
        let answered = false;
        const socket = connect(Number(port), hostname, () => {
          socket.write('POST /ingest/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n');
          // A slow but steady sender: one line at a time until the server answers.
          const more = () => {
            if (answered) return;
            const piece = `${note(80_000 + i++)}\n`;
            socket.write(`${Buffer.byteLength(piece).toString(16)}\r\n${piece}\r\n`);
            setTimeout(more, 20);
          };
          more();
        });
        let got = '';
        socket.setEncoding('utf8');
        socket.on('data', (c: string) => {
          answered = true;
          got += c;
        });
        socket.on('close', () => resolve(got));
        socket.on('error', () => resolve(got));
      });
      assert.match(text, /^HTTP\/1\.1 408 /);
      const m = /\["Request Timeout", "The upload took longer than 400 ms; it was cut: [^"]*", (\d+), 0, 0\]\]$/.exec(text);
      assert.ok(m, text);
      assert.equal(Number(m[1]), (await count(t)));
    } finally {
      await t.close();
    }
  });

  it('#9 invalid UTF-8 is rejected and quarantined as the bytes received', async () => {
    const bad = Buffer.concat([Buffer.from('{"event_type": "a\xff'.slice(0, 16)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    const r = await post(s, Buffer.concat([Buffer.from(`${note(70_000)}\n`), bad, Buffer.from('\n')]));
    assert.deepEqual(r.json(), {stored: 1, duplicates: 0, rejected: [{line: 2, error: 'not valid UTF-8; the bytes received are kept'}], warnings: []});
    const q = (await s.query('SELECT raw, error, source FROM stacky_quarantine ORDER BY id DESC LIMIT 1'))[0]!;
    assert.deepEqual(q.raw, bad);
  });
});

describe('#5 #12 notifications nested too deep, and without message_id', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.close());

  it('#5 a payload nested 5,000 deep is quarantined with a reason, and show answers every stored row', async () => {
    const head = JSON.stringify(notification({event: 'compute.instance.update', at: '2014-01-16 17:00:00', instance: INSTANCE_ID_1}));
    const body = `${head.slice(0, -1)}, "deep": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const r = await post(s, Buffer.from(`${body}\n${note(1)}\n`));
    assert.deepEqual(r.json(), {stored: 1, duplicates: 0, rejected: [{line: 1, error: 'JSON nested more than 100 levels deep'}], warnings: []});
    for (const {id} of await s.query('SELECT id FROM stacktach_rawdata')) {
      assert.equal((await s.get(`/stacky/show/${id as number}/`)).status, 200);
    }
  });

  it('#12 a notification without message_id is recognised when ingested again', async () => {
    const anonymous = JSON.stringify(notification({event: 'compute.instance.update', at: '2014-01-16 17:00:01', instance: INSTANCE_ID_1}));
    assert.deepEqual((await post(s, Buffer.from(`${anonymous}\n`))).json(), {stored: 1, duplicates: 0, rejected: [], warnings: []});
    assert.deepEqual((await post(s, Buffer.from(`${anonymous}\n`))).json(), {stored: 0, duplicates: 1, rejected: [], warnings: []});
  });
});

describe('#6 #11 bounded reads', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({now: 1_389_900_100_000_000, limits: {watchRows: 10}});
    const notes = Array.from({length: 3000}, (_, i) => ({event: 'compute.instance.update', at: 1_389_900_000_000_000 + (i < 30 ? 0 : i),
      instance: INSTANCE_ID_1, messageId: `w-${i}`, payload: {text: `row ${i} ${'z'.repeat(200)}`}}));
    await s.ingest(...notes);
  });
  after(() => s.close());

  it('#11 30 rows at one instant are cut by id: no reply over the cap, none skipped or repeated', async () => {
    let since = '1389899999';
    const seen: number[] = [];
    for (let poll = 0; poll < 400; poll++) {
      const [, got, until] = await s.json(`/stacky/watch/0/?since=${since}`) as [unknown, unknown[][], string];
      if (got.length === 0) break;
      assert.equal(got.length <= 10, true);
      seen.push(...got.map((r) => r[0] as number));
      since = until;
    }
    assert.deepEqual(seen, Array.from({length: 3000}, (_, i) => i + 1));
  });

  it('#6 a json__ search runs off the main thread: a request sent after it is answered first', async () => {
    const order: string[] = [];
    const searching = s.get('/stacky/search/?field=json__contains&value=nowhere-to-be-found').then((r) => {
      order.push('search');
      return r;
    });
    const other = s.get('/stacky/deployments/').then(() => order.push('deployments'));
    const [found] = await Promise.all([searching, other]);
    assert.equal(found.status, 200);
    assert.equal(found.text, '[]');
    assert.deepEqual(order, ['deployments', 'search']);
    const hit = await s.json('/stacky/search/?field=json__contains&value=row%202999%20&limit=1') as unknown[][];
    assert.equal(hit[1]![0], 3000);
  });

  it('#6 a json__ search past its time bound is stopped: 503 table', async () => {
    const t = await startServer({limits: {jsonSearchMs: 1}});
    try {
      await t.ingest({event: 'compute.instance.update', at: 1_389_900_000_000_000, instance: INSTANCE_ID_1});
      const r = await t.get('/stacky/search/?field=json__contains&value=x');
      assert.equal(r.status, 503);
      assert.equal(r.text, '[["Error", "Message"], ["Service Unavailable", "The search of the raw JSON took longer than 1 ms and was stopped; narrow it with when_min and when_max."]]');
    } finally {
      await t.close();
    }
  });
});
