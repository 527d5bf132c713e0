// Tokens and roles over real HTTP: each role's reads and ingests, the 401/403 error tables,
// --open-read and --metrics-open, and the per-token bound on watch requests.
import assert from 'node:assert/strict';
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {hashToken, readAuthFile, TokenSet, writeAuthFile} from '../../source/server/auth.js';
import {Guard, type GuardOptions} from '../../source/server/guard.js';
import {createStackyServer} from '../../source/server/app.js';
import {StackyMetrics} from '../../source/server/metrics.js';
import {openSqliteStore as openStore, type SqliteStore as Store} from '../../source/store/sqlite/store.js';
import {Pipeline} from '../../source/ingest/pipeline.js';
import type {AddressInfo} from 'node:net';
import {line, send} from './helpers.js';


const TOKENS = {read: 'stk_read-token', ingest: 'stk_ingest-token', admin: 'stk_admin-token'} as const;
const BODY = line({event: 'compute.instance.update', at: '2014-01-16 17:10:07.000000', instance: 'aaaaaaaa-0000-0000-0000-000000000001'});

interface Running {
  url: string;
  close(): Promise<void>;
}

let dir: string;
let store: Store;
let authFile: string;

async function serve(options: Partial<GuardOptions>): Promise<Running> {
  const metrics = new StackyMetrics(store);
  const guard = new Guard({tokens: new TokenSet(authFile), maxRequests: 64, maxWatchPerToken: 4, metrics, ...options});
  const server = createStackyServer({store, pipeline: new Pipeline(store.writer(), {source: 'test'}), guard, log: () => {}});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {url, close: () => new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  })};
}

const bearer = (token: string) => ({Authorization: `Bearer ${token}`});

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'stacky-auth-'));
  store = openStore(join(dir, 'stacky.db'));
  authFile = join(dir, 'tokens.json');
  writeAuthFile(authFile, Object.entries(TOKENS).map(([role, token]) =>
    ({name: `${role}-user`, role: role as 'read', sha256: hashToken(token), created: ''})));
});
after(() => {
  store.close();
  rmSync(dir, {recursive: true, force: true});
});

describe('roles', () => {
  let s: Running;
  before(async () => {
    s = await serve({});
  });
  after(() => s.close());

  it('answers 401 with an error table and WWW-Authenticate without a token or with a wrong one', async () => {
    const none = await send(`${s.url}/stacky/deployments/`);
    assert.equal(none.status, 401);
    assert.equal(none.headers['www-authenticate'], 'Bearer');
    assert.equal(none.headers['content-type'], 'application/json');
    assert.equal(none.text, '[["Error", "Message"], ["Unauthorized", "This server needs a bearer token: send ' +
      'Authorization: Bearer TOKEN (stacky config set token TOKEN, or STACKY_TOKEN)."]]');
    const wrong = await send(`${s.url}/stacky/deployments/`, 'GET', undefined, bearer('stk_read-tokeX'));
    assert.equal(wrong.status, 401);
    assert.equal(wrong.text, '[["Error", "Message"], ["Unauthorized", "The bearer token is not valid."]]');
    const ingest = await send(`${s.url}/ingest/`, 'POST', BODY);
    assert.equal(ingest.status, 401);
    assert.equal((await send(`${s.url}/metrics`)).status, 401);
    assert.equal((await send(`${s.url}/healthz`)).status, 401);
  });

  it('read reads and may not ingest; ingest ingests and may not read; admin does both', async () => {
    const get = (token: string) => send(`${s.url}/stacky/deployments/`, 'GET', undefined, bearer(token));
    const post = (token: string) => send(`${s.url}/ingest/`, 'POST', BODY, bearer(token));
    assert.equal((await get(TOKENS.read)).status, 200);
    const refused = await post(TOKENS.read);
    assert.equal(refused.status, 403);
    assert.equal(refused.text, '[["Error", "Message"], ["Forbidden", "This token\'s role may not ingest."]]');
    assert.equal((await post(TOKENS.ingest)).status, 200);
    const noRead = await get(TOKENS.ingest);
    assert.equal(noRead.status, 403);
    assert.equal(noRead.text, '[["Error", "Message"], ["Forbidden", "This token\'s role may not read."]]');
    assert.equal((await get(TOKENS.admin)).status, 200);
    assert.equal((await post(TOKENS.admin)).status, 200);
    assert.equal((await send(`${s.url}/healthz`, 'GET', undefined, bearer(TOKENS.read))).text, 'ok\n');
    assert.equal((await send(`${s.url}/metrics`, 'GET', undefined, bearer(TOKENS.read))).status, 200);
  });
});

describe('--open-read and --metrics-open', () => {
  it('open-read lets reads through without a token, never ingest', async () => {
    const s = await serve({openRead: true});
    try {
      assert.equal((await send(`${s.url}/stacky/deployments/`)).status, 200);
      assert.equal((await send(`${s.url}/healthz`)).status, 200);
      assert.equal((await send(`${s.url}/ingest/`, 'POST', BODY)).status, 401);
      // A wrong token is still wrong.
      assert.equal((await send(`${s.url}/stacky/deployments/`, 'GET', undefined, bearer('nope'))).status, 401);
    } finally {
      await s.close();
    }
  });

  it('metrics-open opens /healthz and /metrics only', async () => {
    const s = await serve({metricsOpen: true});
    try {
      assert.equal((await send(`${s.url}/healthz`)).status, 200);
      assert.equal((await send(`${s.url}/metrics`)).status, 200);
      assert.equal((await send(`${s.url}/stacky/deployments/`)).status, 401);
    } finally {
      await s.close();
    }
  });
});

describe('the auth file', () => {
  it('is refused when group or others may read it, and keeps only hashes', () => {
    const path = join(dir, 'open.json');
    writeFileSync(path, JSON.stringify({tokens: []}), {mode: 0o644});
    chmodSync(path, 0o644);
    assert.throws(() => new TokenSet(path), /readable by others \(mode 644\); run: chmod 600/);
    assert.deepEqual(readAuthFile(authFile).map((t) => t.sha256), Object.values(TOKENS).map(hashToken));
  });
});
