// Issue #13 on the command side: terminal-safe print output, credentials kept out of messages
// and files, and `stacky ingest` saying exactly what was stored when it fails part-way. Real
// servers over HTTP, the real binary, real files.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import Database from 'better-sqlite3';
import {run as print} from '../../source/commands/print.js';
import {run as config} from '../../source/commands/config.js';
import {run as worker} from '../../source/commands/worker.js';
import {StackyClient} from '../../source/client/client.js';
import {watchLine} from '../../source/commands/print/watch.js';
import {INSTANCE_ID_1, line, notification, startServer, type TestServer} from '../server/helpers.js';
import {bin, build, root, runStacky} from './print-build.js';

let dir: string;
before(() => {
  build();
  dir = mkdtempSync(join(tmpdir(), 'stacky-hostile-cli-'));
});
after(() => rmSync(dir, {recursive: true, force: true}));

const PWNED = '\x1b]0;PWNED\x07';
const SHOWN = '\\x1b]0;PWNED\\x07';
 
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

async function printed(url: string, ...argv: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  let stdout = '';
  let stderr = '';
  const code = await print(argv, {
    streams: {stdout: {write: (t: string) => (stdout += t)}, stderr: {write: (t: string) => (stderr += t)}},
    env: {STACKTACH_URL: url, STACKY_CONFIG_DIR: join(dir, 'no-config')},
  });
  return {code, stdout, stderr};
}

describe('#10 print commands never write control sequences from the data', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({now: 1_389_900_010_000_000});
    await s.ingest({event: PWNED, at: 1_389_900_000_000_000, instance: INSTANCE_ID_1, tenant: `t${PWNED}`,
      payload: {note: `\u009b31m red \u202e evil`}});
  });
  after(() => s.close());

  it('events, uuid, show and search show them escaped, in every mode', async () => {
    for (const argv of [['events'], ['uuid', INSTANCE_ID_1], ['show', '1'], ['search', 'nova', 'tenant', `t${PWNED}`],
      ['uuid', INSTANCE_ID_1, '--csv'], ['show', '1', '--csv'], ['events', '--json']]) {
      const r = await printed(s.url, ...argv);
      assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stdout, CONTROL, argv.join(' '));
      assert.doesNotMatch(r.stdout, /\u202e/, argv.join(' '));
      if (!argv.includes('--json')) assert.ok(r.stdout.includes(SHOWN), `${argv.join(' ')}: ${r.stdout}`);
    }
  });

  it('a watch line and an error message from the server are escaped too', async () => {
    const columns = [10, 1, 20, 10, 20, 36].map((width, index) => ({index, width, cut: false}));
    assert.equal(watchLine([1, PWNED, '17:00:00', 'dep', PWNED, INSTANCE_ID_1], columns).includes('\x1b'), false);
    const r = await printed(s.url, 'uuid', `bad${PWNED}`);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stderr, CONTROL);
    assert.ok(r.stderr.includes(SHOWN), r.stderr);
  });
});

describe('#15 credentials stay out of messages and of files others can read', () => {
  it('a client error names the URL without its password', async () => {
    const client = new StackyClient({url: 'http://admin:s3cret@127.0.0.1:1'});
    await assert.rejects(client.deployments(), (e: Error) => {
      assert.equal(e.message.includes('s3cret'), false, e.message);
      assert.match(e.message, /http:\/\/admin:\*\*\*@127\.0\.0\.1:1/);
      return true;
    });
    const r = await printed('http://admin:s3cret@127.0.0.1:1', 'deployments');
    assert.equal(r.code, 1);
    assert.equal(r.stderr.includes('s3cret'), false, r.stderr);
    const cli = spawnSync(process.execPath, [bin, 'ingest', '--url', 'http://admin:s3cret@127.0.0.1:1', '-'],
      {input: '', encoding: 'utf8', cwd: root});
    assert.equal(cli.status, 1);
    assert.equal(cli.stderr.includes('s3cret'), false, cli.stderr);
  });

  it('config.json is written owner-only, and a file open to others is tightened', async () => {
    const env = {STACKY_CONFIG_DIR: join(dir, 'cfg')};
    const quiet = {write: () => true};
    assert.equal(await config(['set', 'url', 'http://admin:s3cret@127.0.0.1:8000'], {env, stdout: quiet, stderr: quiet}), 0);
    const path = join(dir, 'cfg', 'config.json');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    chmodSync(path, 0o644);
    let stderr = '';
    assert.equal(await config(['get'], {env, stdout: quiet, stderr: {write: (t: string) => (stderr += t)}}), 0);
    assert.match(stderr, /config\.json holds a URL with a password and can be read by other users \(mode 0644\); run: chmod 600 /);
    assert.equal(await config(['set', 'poll', '3'], {env, stdout: quiet, stderr: quiet}), 0);
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  it('a worker config holding rabbit_password that others can read is named in a warning', async () => {
    const path = join(dir, 'worker.json');
    const fixture = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'stacktach_worker_config.json'), 'utf8')) as
      {deployments: {enabled?: boolean}[]};
    for (const d of fixture.deployments) d.enabled = false; // nothing to consume: it stops after the checks
    writeFileSync(path, JSON.stringify(fixture));
    chmodSync(path, 0o644);
    let stderr = '';
    const code = await worker(['--config', path], {env: {}, stderr: {write: (t: string) => (stderr += t)}});
    assert.equal(code, 2);
    assert.match(stderr, /warning: \S+worker\.json holds a RabbitMQ password and can be read by other users \(mode 0644\)/);
    chmodSync(path, 0o600);
    stderr = '';
    await worker(['--config', path], {env: {}, stderr: {write: (t: string) => (stderr += t)}});
    assert.doesNotMatch(stderr, /warning/);
  });
});

const stacky = runStacky;

const rowsOf = (db: string, sql: string) => {
  const d = new Database(db, {readonly: true});
  try {
    return d.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    d.close();
  }
};

const note = (i: number) => line({event: 'compute.instance.update', at: 1_389_900_000_000_000 + i, instance: INSTANCE_ID_1,
  messageId: `c-${i}`, payload: {pad: 'x'.repeat(2000 + (i * 7919) % 1000)}});

describe('#7 #17 stacky ingest says what was stored before a failure', () => {
  it('#17 --db on a full disk: exit 1, and the count committed before it', async () => {
    const file = join(dir, 'many.jsonl');
    writeFileSync(file, Array.from({length: 40_000}, (_, i) => note(i)).join('\n') + '\n');
    const db = join(dir, 'full.db');
    // The file size limit of this process stands in for a full disk (writes fail past it).
    const r = await stacky(['ingest', '--db', db, file], {shell: 'trap "" XFSZ; ulimit -f 12000;'});
    assert.equal(r.code, 1, r.stderr);
    const stored = rowsOf(db, 'SELECT count(*) AS n FROM stacktach_rawdata')[0]!.n as number;
    assert.equal(stored > 0 && stored < 40_000, true, `${stored} stored`);
    assert.equal(r.stderr, `stacky ingest: ${file}: disk I/O error; stored ${stored}, duplicates 0, rejected 0 before the failure\n`);
  });

  it('#7 --url against a server whose disk fills: the counts from its error table', async () => {
    const s = await startServer();
    try {
      const pages = s.sqlite().db.pragma('page_count', {simple: true}) as number;
      s.sqlite().db.pragma(`max_page_count = ${pages + 300}`);
      const input = Array.from({length: 20_000}, (_, i) => note(i)).join('\n') + '\n';
      const r = await stacky(['ingest', '--url', s.url, '-'], {input});
      const stored = rowsOf(s.dbPath, 'SELECT count(*) AS n FROM stacktach_rawdata')[0]!.n as number;
      assert.equal(r.code, 1);
      assert.equal(stored > 0, true);
      assert.match(r.stderr, new RegExp(`^stacky ingest: stdin: server answered 507: The disk is full \\(database or disk is full\\); ` +
        `nothing after the lines counted here was stored: stored ${stored}, duplicates 0, rejected 0\\.; ` +
        `stored ${stored}, duplicates 0, rejected 0 before the failure\\n$`));
    } finally {
      await s.close();
    }
  });
});

describe('#4 stacky ingest --url counts the rejections a reply does not list', () => {
  it('prints the listed ones, says how many more, and counts them all', async () => {
    const s = await startServer({limits: {replyRejections: 2}});
    try {
      const r = await stacky(['ingest', '--url', s.url, '-'], {input: `x\ny\n${note(1)}\nz\n[1]\n`});
      assert.equal(r.code, 1);
      assert.equal(r.stdout, 'stored 1, duplicates 0, rejected 4\n');
      assert.match(r.stderr, /^stdin:1: rejected: not JSON: .*\nstdin:2: rejected: not JSON: .*\nstdin: 2 more rejected lines not listed \(see stacky quarantine\)\n$/);
    } finally {
      await s.close();
    }
  });
});

describe('#5 #9 #12 files: nesting, invalid UTF-8 and notifications without message_id', () => {
  it('quarantines a too-deep body with its reason and invalid UTF-8 as its bytes; re-ingest stores nothing twice', async () => {
    const db = join(dir, 'files.db');
    const file = join(dir, 'mixed.jsonl');
    const head = JSON.stringify(notification({event: 'compute.instance.update', at: '2014-01-16 17:00:00', instance: INSTANCE_ID_1}));
    const deep = `${head.slice(0, -1)}, "deep": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const bad = Buffer.from([0x7b, 0x22, 0x61, 0xff, 0xfe, 0x22, 0x7d]); // {"a\xff\xfe"}
    const anonymous = JSON.stringify(notification({event: 'compute.instance.update', at: '2014-01-16 17:00:01', instance: INSTANCE_ID_1}));
    writeFileSync(file, Buffer.concat([Buffer.from(`${anonymous}\n${deep}\n`), bad, Buffer.from(`\n${note(1)}\n`)]));
    const first = await stacky(['ingest', '--db', db, file]);
    assert.equal(first.stdout, 'stored 2, duplicates 0, rejected 2\n');
    assert.equal(first.stderr, `${file}:2: rejected: JSON nested more than 100 levels deep\n` +
      `${file}:3: rejected: not valid UTF-8; the bytes received are kept\n`);
    const q = rowsOf(db, 'SELECT line, raw FROM stacky_quarantine ORDER BY id');
    assert.deepEqual(q.map((r) => r.line), [2, 3]);
    assert.deepEqual(q[1]!.raw, bad);
    const again = await stacky(['ingest', '--db', db, file]);
    assert.equal(again.stdout, 'stored 0, duplicates 2, rejected 2\n');
  });
});
