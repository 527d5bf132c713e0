// The preparing threads: closing one mid-batch, and their priority on contended cores (Linux).
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {openSqliteStore as openStore} from '../../source/store/sqlite/store.js';
import {ParallelIngest} from '../../source/ingest/parallel.js';
import {packItems} from '../../source/ingest/prepare.js';
import {SqliteWriter} from '../../source/store/sqlite/writer.js';

const body = Buffer.from('{"event_type": "x", "timestamp": "2014-01-01 00:00:00", "publisher_id": "p"}');
const header = {deployment: 'd', exchange: 'nova', routingKey: 'monitor.info'};
const noDefaults = {deployment: '', exchange: ''};

function withStore(body: (db: ReturnType<typeof openStore>['db']) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacky-parallel-'));
    const store = openStore(join(dir, 'stacky.db'));
    try {
      await body(store.db);
    } finally {
      store.close();
      rmSync(dir, {recursive: true, force: true});
    }
  };
}

describe('ParallelIngest close', () => {
  it('rejects a batch still being prepared, so whoever awaits it goes on (a rolled-back batch renews the lanes)', withStore(async (db) => {
    const lane = new ParallelIngest(new SqliteWriter(db), {source: 'test'});
    const pending = lane.prepare(packItems(Array.from({length: 2000}, () => ({item: header, body}))), noDefaults);
    await lane.close();
    await assert.rejects(pending, /prepare worker closed/);
    await assert.rejects(lane.prepare(packItems([{item: header, body}]), noDefaults), /prepare worker closed/);
  }));
});

/** Nice value per thread of this process, from /proc (field 19 of each task's stat). */
function threadNice(): Map<number, number> {
  const nice = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    nice.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
  }
  return nice;
}

describe('ParallelIngest lanes', {skip: existsSync('/proc/thread-self') ? false : 'not Linux: thread priorities are left alone'}, () => {
  it('each preparing thread runs 10 nice levels below the writer; the writer keeps its own', withStore(async (db) => {
    const before = threadNice();
    const own = before.get(process.pid)!;
    const lanes = [new ParallelIngest(new SqliteWriter(db), {source: 'test'}), new ParallelIngest(new SqliteWriter(db), {source: 'test'})];
    try {
      // A reply means the thread has started and set its priority.
      for (const lane of lanes) assert.equal((await lane.prepare(packItems([{item: header, body}]), noDefaults)).length, 1);
      const after = threadNice();
      const lowered = [...after].filter(([tid, n]) => !before.has(tid) && n === Math.min(19, own + 10));
      assert.equal(lowered.length, 2, `new threads and their nice values: ${JSON.stringify([...after].filter(([t]) => !before.has(t)))}`);
      assert.equal(after.get(process.pid), own);
    } finally {
      await Promise.all(lanes.map((l) => l.close()));
    }
  }));
});
