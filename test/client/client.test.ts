// The typed client against a scripted node:http server: paths, params, error mapping.
import assert from 'node:assert/strict';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {StackyClient, type RawReply} from '../../source/client/client.js';
import {StackyHttpError, StackyUnreachableError, errorTableMessage, htmlErrorMessage} from '../../source/client/errors.js';

const seen: string[] = [];
let server: Server;
let url = '';

before(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, {'Content-Type': type});
      res.end(body);
    };
    if (path === '/stacky/deployments/') return send(200, '[["#", "Name"], [1, "region-1"]]');
    if (path === '/stacky/uuid/') return send(400, '[["Error", "Message"], ["Bad Request", "nope is not uuid-like"]]');
    if (path === '/stacky/show/9/') return send(200, '');
    if (path === '/stacky/report/5/') return send(404, '<h1>Not Found</h1><p>The requested URL /stacky/report/5/ was not found on this server.</p>', 'text/html; charset=utf-8');
    if (path === '/stacky/summary/') return send(500, 'oops', 'text/plain');
    if (path === '/stacky/watch/0/') return send(200, '[[10, 1, 15, 20, 5, 36], [], "1389892207"]');
    return send(404, '<title>Not Found</title>', 'text/html');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('StackyClient', () => {
  it('parses tables and reports each raw reply', async () => {
    const replies: RawReply[] = [];
    const client = new StackyClient({url, onReply: (r) => replies.push(r)});
    assert.equal(client.baseUrl, url.replace(/\/$/, ''));
    assert.deepEqual(await client.deployments(), [['#', 'Name'], [1, 'region-1']]);
    assert.deepEqual(replies, [{path: '/stacky/deployments/', status: 200, text: '[["#", "Name"], [1, "region-1"]]'}]);
  });

  it('sends the query parameters, leaving out empty ones', async () => {
    const client = new StackyClient({url});
    seen.length = 0;
    await client.watch(0, {service: 'glance', eventName: 'image.upload', since: '1389892200'});
    await client.watch(0, {});
    assert.deepEqual(seen, ['/stacky/watch/0/?service=glance&event_name=image.upload&since=1389892200&gapless=1', '/stacky/watch/0/?service=nova&gapless=1']);
  });

  it('answers null for the empty body of a missing show', async () => {
    assert.equal(await new StackyClient({url}).show(9), null);
  });

  it('raises StackyHttpError with the error-table message, the HTML title, or the status', async () => {
    const client = new StackyClient({url});
    await assert.rejects(client.uuid('nope'), (e: unknown) => e instanceof StackyHttpError && e.status === 400 && e.message === 'Bad Request: nope is not uuid-like');
    await assert.rejects(client.report(5), (e: unknown) => e instanceof StackyHttpError && e.status === 404 && e.message === 'Not Found');
    await assert.rejects(client.summary(), (e: unknown) => e instanceof StackyHttpError && e.message === 'HTTP 500 from /stacky/summary/');
  });

  it('raises StackyUnreachableError when nothing answers', async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    await assert.rejects(new StackyClient({url: `http://127.0.0.1:${port}`}).deployments(),
      (e: unknown) => e instanceof StackyUnreachableError && e.message === `cannot reach the stacky server at http://127.0.0.1:${port}: ECONNREFUSED`);
  });

  it('cancels requests when its signal aborts', async () => {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(new StackyClient({url, signal: abort.signal}).deployments(), StackyUnreachableError);
  });
});

describe('error helpers', () => {
  it('read error tables and HTML pages', () => {
    assert.equal(errorTableMessage([['Error', 'Message'], ['Not Found', 'Could not find raws for tenant t']]), 'Not Found: Could not find raws for tenant t');
    assert.equal(errorTableMessage([['#', 'Name']]), undefined);
    assert.equal(htmlErrorMessage('<h1>Server Error (500)</h1>'), 'Server Error (500)');
    assert.equal(htmlErrorMessage('plain'), undefined);
  });
});
