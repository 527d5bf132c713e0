// The bounds on load over real HTTP: concurrent requests (503 + Retry-After), watch requests per
// token (429 + Retry-After), and the header and idle timeouts against slow clients.
import assert from 'node:assert/strict';
import {createServer, type Server} from 'node:http';
import {connect} from 'node:net';
import type {AddressInfo} from 'node:net';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {hashToken, TokenSet, writeAuthFile} from '../../source/server/auth.js';
import {Guard, type GuardOptions} from '../../source/server/guard.js';
import {setupFrom} from '../../source/commands/serve-setup.js';
import {openSqliteStore as openStore} from '../../source/store/sqlite/store.js';
import {Pipeline} from '../../source/ingest/pipeline.js';
import {createStackyServer} from '../../source/server/app.js';
import {send, type Reply} from './helpers.js';


/** A server whose answers wait until release(); `entered` counts requests the guard let through. */
async function gated(options: GuardOptions) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let entered = 0;
  const waiters: (() => void)[] = [];
  const guard = new Guard(options);
  const server: Server = createServer((req, res) => guard.handle(req, res, async () => {
    entered++;
    waiters.splice(0).forEach((w) => w());
    await gate;
    res.end('done');
  }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const enteredAtLeast = async (n: number) => {
    while (entered < n) await new Promise<void>((r) => waiters.push(r));
  };
  return {url, release, enteredAtLeast, close: () => new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  })};
}

let dir: string;
let tokens: TokenSet;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'stacky-limits-'));
  const file = join(dir, 'tokens.json');
  writeAuthFile(file, [{name: 'a', role: 'read', sha256: hashToken('tok-a'), created: ''},
    {name: 'b', role: 'read', sha256: hashToken('tok-b'), created: ''}]);
  tokens = new TokenSet(file);
});
after(() => rmSync(dir, {recursive: true, force: true}));

describe('concurrent requests', () => {
  it('beyond --max-requests get 503 with Retry-After and an error table; the others finish', async () => {
    const s = await gated({maxRequests: 2, maxWatchPerToken: 4});
    try {
      const first = [send(`${s.url}/stacky/deployments/`), send(`${s.url}/stacky/events/`)];
      await s.enteredAtLeast(2);
      const third = await send(`${s.url}/stacky/hosts/`);
      assert.equal(third.status, 503);
      assert.equal(third.headers['retry-after'], '1');
      assert.equal(third.text, '[["Error", "Message"], ["Service Unavailable", "The server is answering 2 requests already; retry shortly."]]');
      s.release();
      assert.deepEqual((await Promise.all(first)).map((r: Reply) => [r.status, r.text]), [[200, 'done'], [200, 'done']]);
      // The slots are free again.
      assert.equal((await send(`${s.url}/stacky/hosts/`)).status, 200);
    } finally {
      await s.close();
    }
  });
});

describe('watch requests per token', () => {
  it('beyond --max-watch for one token get 429; another token is not held back', async () => {
    const s = await gated({tokens, maxRequests: 64, maxWatchPerToken: 1});
    try {
      const a = {Authorization: 'Bearer tok-a'};
      const held = send(`${s.url}/stacky/watch/0/`, 'GET', undefined, a);
      await s.enteredAtLeast(1);
      const second = await send(`${s.url}/stacky/watch/0/`, 'GET', undefined, a);
      assert.equal(second.status, 429);
      assert.equal(second.headers['retry-after'], '1');
      assert.equal(second.text, '[["Error", "Message"], ["Too Many Requests", "At most 1 watch requests at a time per token."]]');
      const other = send(`${s.url}/stacky/watch/0/`, 'GET', undefined, {Authorization: 'Bearer tok-b'});
      await s.enteredAtLeast(2);
      s.release();
      assert.deepEqual([(await held).status, (await other).status], [200, 200]);
    } finally {
      await s.close();
    }
  });
});

describe('slow clients', () => {
  it('a client that never finishes its headers gets 408, an idle one is disconnected', async () => {
    const store = openStore(join(dir, 'slow.db'));
    const server = createStackyServer({store, pipeline: new Pipeline(store.writer(), {source: 'test'}), log: () => {}});
    setupFrom({'header-timeout': 1, 'idle-timeout': 1}, '127.0.0.1').timeouts(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const partial = connect(port, '127.0.0.1');
      let answer = '';
      partial.setEncoding('utf8').on('data', (d: string) => (answer += d));
      partial.write('GET /stacky/deployments/ HTTP/1.1\r\nHost: x\r\n');
      await new Promise((r) => partial.once('close', r));
      assert.match(answer, /^HTTP\/1\.1 408 Request Timeout\r\n/);
      // A connection that sends nothing is closed too (with a 408 as well, or silently).
      const idle = connect(port, '127.0.0.1');
      let idleAnswer = '';
      idle.setEncoding('utf8').on('data', (d: string) => (idleAnswer += d));
      await new Promise((r) => idle.once('close', r));
      assert.match(idleAnswer, /^(HTTP\/1\.1 408 Request Timeout\r\n[\s\S]*)?$/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      store.close();
    }
  });
});
