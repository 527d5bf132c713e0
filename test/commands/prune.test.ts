// `stacky prune` and `serve --retain` through the real binary: flags, refusals, rows gone.
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before, describe, it} from 'node:test';
import {openSqliteStore as openStore} from '../../source/store/sqlite/store.js';
import {micros} from '../server/helpers.js';
import {seedOld} from './prune-seed.js';


const BIN = fileURLToPath(new URL('../../bin/stacky.js', import.meta.url));

const whens = (path: string) => {
  const store = openStore(path);
  try {
    return store.db.prepare('SELECT "when" FROM stacktach_rawdata ORDER BY id').pluck().all() as number[];
  } finally {
    store.close();
  }
};

describe('stacky prune', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'stacky-prune-'));
  });
  after(() => rmSync(dir, {recursive: true, force: true}));

  it('refuses a missing or unreadable --before with one line and exit 2', () => {
    const missing = spawnSync(process.execPath, [BIN, 'prune', '--db', join(dir, 'x.db')], {encoding: 'utf8'});
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^stacky prune: --before is required/);
    const bad = spawnSync(process.execPath, [BIN, 'prune', '--db', join(dir, 'x.db'), '--before', 'yesterday'], {encoding: 'utf8'});
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^stacky prune: --before takes epoch seconds or 'YYYY-MM-DD HH:MM:SS' \(UTC\), got 'yesterday'/);
  });

  it('deletes rows before the time, as a date or as epoch seconds', async () => {
    const path = join(dir, 'a.db');
    await seedOld(path);
    const r = spawnSync(process.execPath, [BIN, 'prune', '--db', path, '--before', '2014-01-02 00:00:00', '--json'], {encoding: 'utf8'});
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {before: number; raw: number; quarantine: number};
    assert.deepEqual([out.before, out.raw, out.quarantine], [1388620800, 2, 1]);
    assert.deepEqual(whens(path), [micros('2014-01-03 00:00:00')]);
    const epoch = spawnSync(process.execPath, [BIN, 'prune', '--db', path, '--before', String(Math.floor(Date.now() / 1000))], {encoding: 'utf8'});
    assert.equal(epoch.status, 0, epoch.stderr);
    assert.match(epoch.stdout, /^pruned before \d{4}-\d\d-\d\d \d\d:\d\d:\d\d: 0 nova, 0 glance, 0 generic raw rows, \d+ derived rows, 0 quarantined;/);
  });

  it('serve --retain prunes in the background', async () => {
    const path = join(dir, 'b.db');
    await seedOld(path);
    const badSpan = spawnSync(process.execPath, [BIN, 'serve', '--db', path, '--retain', '30 days'], {encoding: 'utf8'});
    assert.equal(badSpan.status, 2);
    assert.match(badSpan.stderr, /--retain takes a span like 30d, 12h, 90m or 2w, got '30 days'/);
    const child = spawn(process.execPath, [BIN, 'serve', '--db', path, '--port', '0', '--retain', '1d'], {stdio: ['ignore', 'pipe', 'pipe']});
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.resume();
    try {
      // Everything but the newest row is older than a day.
      while (!/retention pass/.test(err)) await new Promise((r) => child.stderr.once('data', r));
      assert.deepEqual(whens(path), [micros('2014-01-03 00:00:00')]);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
