// The real binary: stacky token, the refusal to listen wide without tokens, --insecure's
// warning, SIGHUP reloading the auth file, HTTPS with --ca / STACKY_CA, and the print commands
// and config sending the token.
import assert from 'node:assert/strict';
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before, describe, it} from 'node:test';

const BIN = fileURLToPath(new URL('../../bin/stacky.js', import.meta.url));
let dir: string;

const stacky = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [BIN, ...args], {encoding: 'utf8', env: {...process.env, STACKY_CONFIG_DIR: join(dir, 'config'), ...env}});

interface Child {
  child: ChildProcess;
  url: string;
  err(): string;
  waitErr(re: RegExp): Promise<void>;
  stop(): Promise<void>;
}

async function serve(args: string[]): Promise<Child> {
  const child = spawn(process.execPath, [BIN, 'serve', '--db', join(dir, 'stacky.db'), '--port', '0', ...args],
    {stdio: ['ignore', 'pipe', 'pipe']});
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    waiters.splice(0).forEach((w) => w());
  });
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    waiters.splice(0).forEach((w) => w());
  });
  const until = async (ok: () => boolean) => {
    while (!ok()) {
      if (child.exitCode !== null) throw new Error(`serve exited: ${err}`);
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  await until(() => /listening on (\S+)/.test(out));
  return {
    child, url: /listening on (\S+)/.exec(out)![1]!, err: () => err,
    waitErr: (re) => until(() => re.test(err)),
    stop: () => new Promise<void>((r) => {
      child.once('exit', () => r());
      child.kill('SIGTERM');
    }),
  };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'stacky-serve-auth-'));
});
after(() => rmSync(dir, {recursive: true, force: true}));

describe('stacky token', () => {
  it('add prints the token alone, keeps its hash in a 0600 file; list and remove', () => {
    const file = join(dir, 'tokens.json');
    const add = stacky(['token', 'add', 'ops', '--role', 'read', '--auth-file', file]);
    assert.equal(add.status, 0, add.stderr);
    assert.match(add.stdout, /^stk_[A-Za-z0-9_-]{43}\n$/);
    assert.equal(add.stderr, '');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(!readFileSync(file, 'utf8').includes(add.stdout.trim()));
    assert.match(stacky(['token', 'list', '--auth-file', file]).stdout, /^ops\tread\t\d{4}-/);
    const again = stacky(['token', 'add', 'ops', '--role', 'read', '--auth-file', file]);
    assert.equal(again.status, 2);
    const badRole = stacky(['token', 'add', 'x', '--role', 'root', '--auth-file', file]);
    assert.equal(badRole.status, 2);
    assert.match(badRole.stderr, /--role must be one of read, ingest, admin/);
    assert.equal(stacky(['token', 'remove', 'ops', '--auth-file', file]).status, 0);
    assert.equal(stacky(['token', 'list', '--auth-file', file]).stdout, '');
    assert.equal(stacky(['token', 'remove', 'ops', '--auth-file', file]).status, 1);
  });
});

describe('listening beyond loopback', () => {
  it('is refused without --auth-file in one line', () => {
    const r = stacky(['serve', '--db', join(dir, 'x.db'), '--host', '0.0.0.0', '--port', '0']);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'stacky serve: refusing to listen on 0.0.0.0 without --auth-file: anyone who can reach it ' +
      'could read and ingest (create tokens with `stacky token add`, or pass --insecure to accept that)\n');
  });

  it('--insecure starts with a warning', async () => {
    const s = await serve(['--host', '0.0.0.0', '--insecure']);
    try {
      await s.waitErr(/warn .*listening beyond loopback without tokens/);
    } finally {
      await s.stop();
    }
  });
});

describe('tokens on a running server', () => {
  it('SIGHUP re-reads the auth file; print commands send STACKY_TOKEN or the saved token', async () => {
    const file = join(dir, 'live.json');
    const first = stacky(['token', 'add', 'one', '--role', 'read', '--auth-file', file]).stdout.trim();
    const s = await serve(['--auth-file', file, '--log-format', 'json']);
    try {
      const deployments = (env: NodeJS.ProcessEnv) => stacky(['deployments', '--url', s.url, '--json'], env);
      const refused = deployments({});
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /Unauthorized: This server needs a bearer token/);
      assert.equal(deployments({STACKY_TOKEN: first}).status, 0);
      const second = stacky(['token', 'add', 'two', '--role', 'read', '--auth-file', file]).stdout.trim();
      assert.equal(deployments({STACKY_TOKEN: second}).status, 1);
      s.child.kill('SIGHUP');
      await s.waitErr(/"event":"auth file reloaded"/);
      assert.equal(deployments({STACKY_TOKEN: second}).status, 0);
      // The saved token, which `config get` never shows.
      assert.equal(stacky(['config', 'set', 'token', second]).status, 0);
      assert.equal(stacky(['config', 'get', 'token']).stdout, '(set)\n');
      assert.equal(deployments({}).status, 0);
      assert.equal(stacky(['config', 'unset', 'token']).status, 0);
      // JSON logs, one object a line, never a token.
      for (const l of s.err().trim().split('\n')) JSON.parse(l);
      assert.ok(!s.err().includes(first) && !s.err().includes(second));
      assert.match(s.err(), /"event":"request refused","status":401,"reason":"no token","peer":"127\.0\.0\.1"/);
    } finally {
      await s.stop();
    }
  });
});

describe('TLS', () => {
  it('serves HTTPS with --tls-cert/--tls-key; clients trust it with --ca or STACKY_CA', async (t) => {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
      '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {encoding: 'utf8'});
    if (made.status !== 0) {
      t.skip('openssl is not available');
      return;
    }
    const s = await serve(['--tls-cert', cert, '--tls-key', key]);
    try {
      assert.match(s.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const untrusted = stacky(['deployments', '--url', s.url]);
      assert.equal(untrusted.status, 1);
      assert.match(untrusted.stderr, /cannot reach the stacky server/);
      assert.equal(stacky(['deployments', '--url', s.url, '--ca', cert]).status, 0);
      assert.equal(stacky(['deployments', '--url', s.url], {STACKY_CA: cert}).status, 0);
      const missing = stacky(['deployments', '--url', s.url, '--ca', join(dir, 'nope.pem')]);
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /cannot read the CA file .*nope\.pem: ENOENT/);
    } finally {
      await s.stop();
    }
  });
});
