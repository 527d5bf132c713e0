// How writers take SQLite's write lock (source/store/sqlite/write-lock.ts): by trying BEGIN
// IMMEDIATE again with the busy handler off, up to their own bound, and getting the lock once
// another connection's long hold ends. The other connection holds it on a thread of its own
// (a wait blocks the waiting thread, as it does in production).
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {once} from 'node:events';
import {Worker} from 'node:worker_threads';
import {afterEach, beforeEach, describe, it} from 'node:test';
import {openDatabase, type Db} from '../../../source/store/sqlite/database.js';
import {beginImmediate, inWriteTransaction, LOCK_WAIT_MS} from '../../../source/store/sqlite/write-lock.js';
import {SqliteWriter} from '../../../source/store/sqlite/writer.js';

// Holds the write lock (one row inserted) until `go[0]` is set, then 50 ms more, then commits;
// or, with `forever`, until it is stopped.
const HOLDER = `
const {parentPort, workerData} = require('node:worker_threads');
const Database = require('better-sqlite3');
const db = new Database(workerData.path);
db.exec('BEGIN IMMEDIATE');
db.prepare("INSERT OR REPLACE INTO stacky_meta (key, value) VALUES ('held', 'yes')").run();
const go = new Int32Array(workerData.go);
parentPort.postMessage('holding');
Atomics.wait(go, 0, 0);
if (!workerData.forever) {
  Atomics.wait(go, 1, 0, 50);
  db.exec('COMMIT');
}
db.close();
parentPort.postMessage('done');
`;

let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stacky-write-lock-'));
  db = openDatabase(join(dir, 'stacky.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, {recursive: true, force: true});
});

/** Another connection holding the write lock on a thread of its own; `release()` lets it commit. */
async function holder(forever = false): Promise<{release: () => void; done: Promise<unknown>}> {
  const go = new SharedArrayBuffer(8);
  const worker = new Worker(HOLDER, {eval: true, workerData: {path: join(dir, 'stacky.db'), go, forever}});
  const messages = worker.on('error', (e) => assert.fail(e));
  const [first] = await once(messages, 'message');
  assert.equal(first, 'holding');
  const done = once(worker, 'message');
  return {
    release: () => {
      const flags = new Int32Array(go);
      Atomics.store(flags, 0, 1);
      Atomics.notify(flags, 0);
    },
    done,
  };
}

const held = () => db.prepare("SELECT value FROM stacky_meta WHERE key = 'held'").pluck().get();

describe('taking the write lock', () => {
  it('waits for a long hold to end, then has the lock and sees what the holder committed', async () => {
    const other = await holder();
    other.release();
    // The holder commits 50 ms after this began waiting: the wait ends with the lock, no error.
    beginImmediate(db);
    assert.equal(held(), 'yes');
    db.prepare("INSERT INTO stacky_meta (key, value) VALUES ('after', 'yes')").run();
    db.exec('COMMIT');
    assert.deepEqual(await other.done, ['done']);
    assert.equal(db.pragma('busy_timeout', {simple: true}), LOCK_WAIT_MS);
  });

  it('gives up at its own bound with SQLITE_BUSY, not at the busy timeout, which it leaves as it was', {timeout: 10_000}, async () => {
    const other = await holder(true);
    // A busy handler left on would wait an hour here (the test fails at its timeout).
    db.pragma('busy_timeout = 3600000');
    assert.throws(() => beginImmediate(db, 20), {code: 'SQLITE_BUSY'});
    assert.throws(() => inWriteTransaction(db, () => assert.fail('ran without the lock'), 0), {code: 'SQLITE_BUSY'});
    assert.equal(db.inTransaction, false);
    assert.equal(db.pragma('busy_timeout', {simple: true}), 3_600_000);
    other.release();
    assert.deepEqual(await other.done, ['done']);
    // Never committed: the row went with the holder's connection.
    assert.equal(held(), undefined);
  });

  it('a write transaction commits what its body wrote, or nothing when the body throws', () => {
    const put = db.prepare('INSERT INTO stacky_meta (key, value) VALUES (?, ?)');
    assert.equal(inWriteTransaction(db, () => put.run('a', '1').changes), 1);
    assert.throws(() => inWriteTransaction(db, () => {
      put.run('b', '2');
      throw new Error('no');
    }), {message: 'no'});
    assert.equal(db.inTransaction, false);
    assert.deepEqual(db.prepare("SELECT key FROM stacky_meta WHERE key IN ('a', 'b')").pluck().all(), ['a']);
  });

  it('a writer\'s deployments, quarantine and batch wait for a long hold instead of failing', async () => {
    const writer = new SqliteWriter(db);
    const entry = {source: 'test', deployment: 'east', exchange: 'nova', routingKey: 'monitor.info', line: 1, raw: '{'};
    for (const write of [
      () => writer.addDeployments(['east']),
      () => writer.quarantine([{...entry, error: 'not JSON'}], 5),
      () => writer.write([{kind: 'rejected', ...entry, error: 'in a batch'}], () => undefined, 6),
    ]) {
      const other = await holder();
      other.release();
      await write();
      assert.deepEqual(await other.done, ['done']);
    }
    assert.deepEqual(db.prepare('SELECT name FROM stacktach_deployment').pluck().all(), ['east']);
    assert.deepEqual(db.prepare('SELECT received, error FROM stacky_quarantine').all(), [{received: 5, error: 'not JSON'}, {received: 6, error: 'in a batch'}]);
  });
});
