// The real `stacky ingest` binary: --db straight into a file, --url against a real
// `stacky serve --port 0`; counts on stdout, `FILE:LINE: rejected: reason` on stderr, exit 1
// when any line was rejected while every other line is still stored.
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {bin, build, root, runStacky} from './print-build.js';
import {openSqliteStore as openStore} from '../../source/store/sqlite/store.js';
import {line, send, type Note} from '../server/helpers.js';

let dir: string;


before(() => {
  build();
  dir = mkdtempSync(join(tmpdir(), 'stacky-ingest-cmd-'));
});
after(() => rmSync(dir, {recursive: true, force: true}));

const stacky = (args: string[], input?: string) =>
  runStacky(args, {input, cwd: dir, env: {...process.env, STACKY_DATA_DIR: join(dir, 'data')}});

const UPDATE: Note = {event: 'compute.instance.update', at: '2014-01-16 17:10:06', instance: '2222bbbb-6352-4dbc-8271-96cc54bf14cd',
  request: 'req-8888bbbb-9e47-4b27-a95e-27996cc40c06', tenant: 't'};
const at = (i: number) => `2014-01-16 17:10:${String(i).padStart(2, '0')}.500000`;

function file(name: string, lines: string[]): string {
  const p = join(dir, name);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}

/** Five good lines in the three forms, with three bad lines between them. */
function mixed(name: string, prefix: string): string {
  return file(name, [
    line({...UPDATE, at: at(1), messageId: `${prefix}-1`}, 'bare'),
    '{"event_type": "compute.instance.update"',
    line({...UPDATE, at: at(2), messageId: `${prefix}-2`}, 'pair'),
    '',
    JSON.stringify({...JSON.parse(line({...UPDATE, at: at(3)}, 'bare')), publisher_id: undefined}),
    line({...UPDATE, at: at(4), messageId: `${prefix}-4`}, 'envelope'),
    line({...UPDATE, at: '2014-02-30 00:00:00', messageId: `${prefix}-bad`}, 'bare'),
    line({...UPDATE, at: at(5), messageId: `${prefix}-5`, deployment: 'region-2', exchange: 'glance',
      payload: {id: 'img'}}, 'envelope'),
    line({...UPDATE, at: at(1), messageId: `${prefix}-1`}, 'bare'), // a redelivery
  ]);
}

function rejects(name: string): RegExp[] {
  return [
    new RegExp(`^${escape(name)}:2: rejected: not JSON: .+$`),
    new RegExp(`^${escape(name)}:5: rejected: missing publisher_id$`),
    new RegExp(`^${escape(name)}:7: rejected: unparseable timestamp '2014-02-30 00:00:00'$`),
  ];
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function checkStderr(stderr: string, patterns: RegExp[]): void {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, patterns.length, stderr);
  lines.forEach((l, i) => assert.match(l, patterns[i]!));
}

describe('stacky ingest --db', () => {
  it('stores every good line, prints the counts, names each rejected line, and exits 1', async () => {
    const db = join(dir, 'one.db');
    const input = mixed('one.jsonl', 'one');
    const r = await stacky(['ingest', '--db', db, input]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'stored 4, duplicates 1, rejected 3\n');
    checkStderr(r.stderr, rejects(input));
    const store = openStore(db);
    try {
      const nova = store.db.prepare('SELECT d.name, r.routing_key FROM stacktach_rawdata r JOIN stacktach_deployment d ON d.id = r.deployment_id ORDER BY r.id').all();
      assert.deepEqual(nova, [{name: 'default', routing_key: 'monitor.info'}, {name: 'default', routing_key: 'monitor.info'},
        {name: 'default', routing_key: 'monitor.info'}]);
      assert.equal((store.db.prepare('SELECT count(*) AS n FROM stacktach_glancerawdata').get() as {n: number}).n, 1);
      const q = store.db.prepare('SELECT source, line, error FROM stacky_quarantine ORDER BY id').all() as {source: string; line: number; error: string}[];
      assert.deepEqual(q.map((x) => [x.source, x.line]), [[input, 2], [input, 5], [input, 7]]);
      assert.equal(q[1]!.error, 'missing publisher_id');
    } finally {
      store.close();
    }
  });

  it('exits 0 when every line is stored; --deployment and --exchange set the defaults', async () => {
    const db = join(dir, 'two.db');
    const input = file('two.jsonl', [line({...UPDATE, publisher: 'identity.k-01'}, 'bare'),
      line({...UPDATE, at: at(7), routingKey: 'notifications.error'}, 'pair')]);
    const r = await stacky(['ingest', '--db', db, '--deployment', 'region-7', '--exchange', 'keystone', input]);
    assert.deepEqual(r, {code: 0, stdout: 'stored 2, duplicates 0, rejected 0\n', stderr: ''});
    const store = openStore(db);
    try {
      assert.deepEqual(store.db.prepare(`SELECT d.name, g.routing_key, g.host FROM stacktach_genericrawdata g
        JOIN stacktach_deployment d ON d.id = g.deployment_id ORDER BY g.id`).all(),
      [{name: 'region-7', routing_key: 'monitor.info', host: 'k-01'}, {name: 'region-7', routing_key: 'notifications.error', host: 'c-01'}]);
    } finally {
      store.close();
    }
  });

  it('reads stdin for - or no file, several files in turn, and prints derived-table warnings', async () => {
    const db = join(dir, 'three.db');
    const stdin = [line({...UPDATE, at: at(10)}, 'bare'), 'nope', ''].join('\n');
    const a = await stacky(['ingest', '--db', db], stdin);
    assert.equal(a.code, 1);
    assert.equal(a.stdout, 'stored 1, duplicates 0, rejected 1\n');
    assert.match(a.stderr, /^stdin:2: rejected: not JSON: .+\n$/);
    const f1 = file('three-a.jsonl', [line({...UPDATE, at: at(11)}), line({event: 'compute.instance.exists', at: at(12),
      instance: UPDATE.instance, payload: {launched_at: ''}})]);
    const f2 = file('three-b.jsonl', ['[]']);
    const b = await stacky(['ingest', '--db', db, f1, '-', f2], line({...UPDATE, at: at(13)}, 'pair'));
    assert.equal(b.code, 1);
    assert.equal(b.stdout, 'stored 3, duplicates 0, rejected 1\n');
    assert.equal(b.stderr, `${f1}: warning: line 2: Ignoring exists without launched_at. RawData(3)\n` +
      `${f2}:1: rejected: a JSON array line must be [routing_key, body]\n`);
  });

  it('usage errors exit 2; an unreadable file exits 1 with its name', async () => {
    const both = await stacky(['ingest', '--db', join(dir, 'x.db'), '--url', 'http://127.0.0.1:9', 'f']);
    assert.equal(both.code, 2);
    assert.equal(both.stderr, 'stacky ingest: give --db or --url, not both; see stacky ingest --help\n');
    const unknown = await stacky(['ingest', '--bogus']);
    assert.equal(unknown.code, 2);
    const missing = await stacky(['ingest', '--db', join(dir, 'x.db'), join(dir, 'missing.jsonl')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, new RegExp(`^stacky ingest: ${escape(join(dir, 'missing.jsonl'))}: .*ENOENT`));
  });
});

describe('stacky ingest --url against stacky serve', () => {
  let server: ChildProcess | undefined;
  let url = '';
  const db = join(tmpdir(), `stacky-serve-${process.pid}-${Date.now()}.db`);

  before(async () => {
    server = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0'], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']});
    let out = '';
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 20_000);
      server!.stdout!.setEncoding('utf8').on('data', (c: string) => {
        out += c;
        if (out.includes('\n')) {
          clearTimeout(timer);
          resolve(out);
        }
      });
      server!.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
  });
  after(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
      await new Promise((resolve) => server!.once('exit', resolve));
    }
    for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, {force: true});
  });

  it('serve prints exactly one line: listening on http://HOST:PORT', () => {
    assert.match(url, /^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    url = url.trim().slice('listening on '.length);
  });

  it('posts the lines, prints the same counts and rejections, exits 1; the server has the rows', async () => {
    const input = mixed('remote.jsonl', 'remote');
    const r = await stacky(['ingest', '--url', url, '--deployment', 'region-1', relative(dir, input)]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, 'stored 4, duplicates 1, rejected 3\n');
    checkStderr(r.stderr, rejects('remote.jsonl'));
    const deployments = await send(`${url}/stacky/deployments/`);
    assert.equal(deployments.text, '[["#", "Name"], [1, "region-1"], [2, "region-2"]]');
    const uuid = await send(`${url}/stacky/uuid/?uuid=${UPDATE.instance}`);
    assert.equal((uuid.json() as unknown[]).length, 4);
    const again = await stacky(['ingest', '--url', `${url}/`, input]);
    assert.equal(again.code, 1);
    assert.equal(again.stdout, 'stored 0, duplicates 5, rejected 3\n');
  });

  it('exits 0 when all lines are stored, reading stdin', async () => {
    const r = await stacky(['ingest', '--url', url, '--exchange', 'generic'], line({...UPDATE, at: at(30)}, 'bare'));
    assert.deepEqual(r, {code: 0, stdout: 'stored 1, duplicates 0, rejected 0\n', stderr: ''});
    const events = await send(`${url}/stacky/events/?service=generic`);
    assert.equal(events.text, '[["Event Name"], ["compute.instance.update"]]');
  });

  it('an unreachable server exits 1 and says so', async () => {
    const input = file('unreachable.jsonl', [line(UPDATE)]);
    const r = await stacky(['ingest', '--url', 'http://127.0.0.1:9', input]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^stacky ingest: ${escape(input)}: cannot reach the stacky server at http://127.0.0.1:9: connect ECONNREFUSED 127.0.0.1:9; what was stored of this file is unknown\n$`));
  });

  it('serve shuts down cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => server!.once('exit', (code) => resolve(code)));
    server!.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
