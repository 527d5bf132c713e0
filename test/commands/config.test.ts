// Settings precedence and `stacky config`, on a temporary STACKY_CONFIG_DIR.
import assert from 'node:assert/strict';
import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, it} from 'node:test';
import {run} from '../../source/commands/config.js';
import {MemoryConfig, configDir, loadSettings, openConfig} from '../../source/commands/settings.js';

const root = mkdtempSync(join(tmpdir(), 'stacky-config-'));
after(() => rmSync(root, {recursive: true, force: true}));
let n = 0;
const freshEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({STACKY_CONFIG_DIR: join(root, `c${n++}`), ...extra});

async function config(env: NodeJS.ProcessEnv, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {env, stdout: {write: (s: string) => (stdout += s)}, stderr: {write: (s: string) => (stderr += s)}});
  return {code, stdout, stderr};
}

describe('loadSettings', () => {
  it('defaults to 127.0.0.1:8000, all deployments, nova, 2 s', () => {
    assert.deepEqual(loadSettings({}, freshEnv()), {url: 'http://127.0.0.1:8000', deployment: 'all', service: 'nova', pollSeconds: 2});
  });

  it('takes flags over the environment over the saved config', async () => {
    const env = freshEnv();
    assert.equal((await config(env, 'set', 'url', 'http://saved:1')).code, 0);
    assert.equal((await config(env, 'set', 'poll', '5')).code, 0);
    assert.equal(loadSettings({}, env).url, 'http://saved:1');
    assert.equal(loadSettings({}, env).pollSeconds, 5);
    assert.equal(loadSettings({}, {...env, STACKY_URL: 'http://stacky:2'}).url, 'http://stacky:2');
    assert.equal(loadSettings({}, {...env, STACKY_URL: 'http://stacky:2', STACKTACH_URL: 'http://stacktach:3/'}).url, 'http://stacktach:3');
    assert.equal(loadSettings({url: 'http://flag:4'}, {...env, STACKTACH_URL: 'http://stacktach:3'}).url, 'http://flag:4');
    assert.deepEqual(loadSettings({deployment: 'region-1', service: 'glance', poll: 1}, env),
      {url: 'http://saved:1', deployment: 'region-1', service: 'glance', pollSeconds: 1});
  });

  it('refuses bad flag values', () => {
    assert.throws(() => loadSettings({service: 'swift'}, freshEnv()), /service must be nova, glance or generic/);
    assert.throws(() => loadSettings({url: 'ftp://x'}, freshEnv()), /url must start with http/);
  });

  it('ignores hand-edited nonsense in the file', () => {
    const env = freshEnv();
    const store = openConfig(env);
    store.set('service', 'swift');
    store.set('poll', -1);
    assert.deepEqual(loadSettings({}, env), {url: 'http://127.0.0.1:8000', deployment: 'all', service: 'nova', pollSeconds: 2});
  });

  it('falls back to in-memory defaults when the folder cannot be created', {skip: process.getuid?.() === 0 ? 'root ignores permissions' : false}, () => {
    const locked = join(root, 'locked');
    writeFileSync(locked, '');
    chmodSync(locked, 0o400);
    const env = {STACKY_CONFIG_DIR: join(locked, 'sub')};
    assert.ok(openConfig(env) instanceof MemoryConfig);
    assert.equal(loadSettings({}, env).url, 'http://127.0.0.1:8000');
  });

  it('falls back when the path is not a folder, and when the file is not JSON', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const store = openConfig({STACKY_CONFIG_DIR: join(file, 'sub')});
    assert.ok(store instanceof MemoryConfig);
    const env = freshEnv();
    openConfig(env).set('url', 'http://x:1');
    writeFileSync(join(env.STACKY_CONFIG_DIR!, 'config.json'), '{nope');
    assert.ok(openConfig(env) instanceof MemoryConfig);
    assert.equal(loadSettings({}, env).url, 'http://127.0.0.1:8000');
  });

  it('lives under XDG_CONFIG_HOME/stacky unless STACKY_CONFIG_DIR says otherwise', () => {
    assert.equal(configDir({XDG_CONFIG_HOME: '/x'}), join('/x', 'stacky'));
    assert.equal(configDir({XDG_CONFIG_HOME: '/x', STACKY_CONFIG_DIR: '/y'}), '/y');
    assert.equal(configDir({HOME: '/home/u'}), join('/home/u', '.config', 'stacky'));
  });
});

describe('stacky config', () => {
  it('sets, gets and unsets each key', async () => {
    const env = freshEnv();
    assert.equal((await config(env, 'set', 'url', 'http://stacktach.example.com:8000/')).code, 0);
    assert.equal((await config(env, 'set', 'deployment', 'region-1')).code, 0);
    assert.equal((await config(env, 'set', 'service', 'glance')).code, 0);
    assert.equal((await config(env, 'set', 'poll', '0.5')).code, 0);
    assert.deepEqual(await config(env, 'get'), {
      code: 0, stderr: '',
      stdout: 'url=http://stacktach.example.com:8000\ndeployment=region-1\nservice=glance\npoll=0.5\n',
    });
    assert.deepEqual(await config(env, 'get', 'service'), {code: 0, stdout: 'glance\n', stderr: ''});
    const saved = JSON.parse(readFileSync(join(env.STACKY_CONFIG_DIR!, 'config.json'), 'utf8'));
    assert.deepEqual(saved, {url: 'http://stacktach.example.com:8000', deployment: 'region-1', service: 'glance', poll: 0.5});
    assert.equal((await config(env, 'unset', 'service')).code, 0);
    assert.equal((await config(env, 'get', 'service')).stdout, 'nova\n');
  });

  it('prints the file path', async () => {
    const env = freshEnv();
    assert.deepEqual(await config(env, 'path'), {code: 0, stdout: join(env.STACKY_CONFIG_DIR!, 'config.json') + '\n', stderr: ''});
  });

  it('exits 2 with a clear message for an unknown key, a bad value or a bad action', async () => {
    const env = freshEnv();
    const unknown = await config(env, 'set', 'colour', 'blue');
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, "stacky config: unknown key 'colour' (keys: url, deployment, service, poll, token, ca); see stacky config --help\n");
    assert.equal((await config(env, 'get', 'colour')).code, 2);
    const bad = await config(env, 'set', 'service', 'swift');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /service must be nova, glance or generic \(got 'swift'\)/);
    assert.match((await config(env, 'set', 'poll', 'soon')).stderr, /poll must be a number of seconds/);
    assert.match((await config(env, 'set', 'url', 'not a url')).stderr, /url is not a valid URL/);
    assert.equal((await config(env, 'set', 'url')).code, 2);
    assert.equal((await config(env, 'frobnicate')).code, 2);
    assert.equal((await config(env)).code, 2);
  });

  it('says so when it cannot save', async () => {
    const file = join(root, 'not-a-dir');
    writeFileSync(file, 'x');
    const result = await config({STACKY_CONFIG_DIR: join(file, 'sub')}, 'set', 'poll', '3');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /the change was not saved/);
  });
});
