// The console's real source (source/console/client-source.ts): its watch polls send the
// parameters and the token; a poll the server refuses is reported by the client as always.
// Real HTTP against a small server.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createServer, type IncomingMessage} from 'node:http';
import type {AddressInfo} from 'node:net';
import {clientSource} from '../../source/console/client-source.js';
import {setDefaultCredentials} from '../../source/client/credentials.js';

async function serve(answer: (req: IncomingMessage) => [number, string]): Promise<{url: string; seen: IncomingMessage[]; close: () => Promise<void>}> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    const [status, body] = answer(req);
    res.writeHead(status, {'content-type': 'application/json'}).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen, close: () => new Promise((resolve) => server.close(() => resolve()))};
}

const reply = '[[10, 1, 15, 20, 4, 36], [[1, " ", "2026-05-01", "10:00:00", "dep1", "e.x", "-", "h", "t", "r"]], "1000"]';

test('watch polls send the parameters and the token, the first as every later one', async () => {
  const s = await serve(() => [200, reply]);
  setDefaultCredentials({token: 'sekrit'});
  try {
    const source = clientSource(s.url);
    assert.equal(source.baseUrl, s.url.replace(/\/$/, ''));
    const first = await source.watch(0, {service: 'glance', since: '999', extra: true});
    assert.deepEqual(first[1], [[1, ' ', '2026-05-01', '10:00:00', 'dep1', 'e.x', '-', 'h', 't', 'r']]);
    assert.equal(s.seen[0]!.url, '/stacky/watch/0/?service=glance&since=999&extra=1&gapless=1');
    assert.equal(s.seen[0]!.headers.authorization, 'Bearer sekrit');
    await source.watch(0, {since: '1000'});
    assert.equal(s.seen[1]!.url, '/stacky/watch/0/?service=nova&since=1000&gapless=1');
    assert.equal(s.seen[1]!.headers.authorization, 'Bearer sekrit');
  } finally {
    setDefaultCredentials({});
    await s.close();
  }
});

test('a watch poll the server refuses is reported with the error it names, asked once', async () => {
  const s = await serve(() => [404, '[["Error", "Message"], ["Not Found", "Unknown deployment 9."]]']);
  try {
    await assert.rejects(clientSource(s.url).watch(9), {name: 'StackyHttpError', message: /Unknown deployment 9/});
    assert.equal(s.seen.length, 1);
  } finally {
    await s.close();
  }
});
