// The response cache answers repeated read-only URLs from memory, but never with stale data:
// any commit (this connection's or another process's) invalidates it. Clock-dependent URLs
// (watch, kpi, reports) are never cached.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import {after, before, describe, it} from 'node:test';
import {ENGINE, INSTANCE_ID_1, micros, SECOND, startServer, type TestServer} from './helpers.js';
import {ResponseCache} from '../../source/server/response-cache.js';

describe('response cache', () => {
  let s: TestServer;
  const base = micros('2014-01-16 17:00:00');
  before(async () => {
    s = await startServer({now: base + 60 * SECOND});
    await s.ingest({event: 'compute.instance.update', at: base, instance: INSTANCE_ID_1});
  });
  after(() => s.close());

  const count = async (path: string) => ((await s.json(path)) as unknown[]).length;

  it('sees rows stored through this process right away', async () => {
    const path = `/stacky/uuid/?uuid=${INSTANCE_ID_1}`;
    assert.equal(await count(path), 2, 'header + 1 row');
    assert.equal(await count(path), 2, 'the same answer again, from the cache');
    await s.ingest({event: 'compute.instance.update', at: base + SECOND, instance: INSTANCE_ID_1});
    assert.equal(await count(path), 3, 'the new row, not the cached answer');
  });

  it('sees rows committed by another connection (another process) right away', async () => {
    const path = '/stacky/deployments/';
    const before = await s.get(path);
    if (ENGINE === 'postgres') {
      await s.query('INSERT INTO stacktach_deployment (name) VALUES (?)', 'from-elsewhere');
    } else {
      const other = new Database(s.dbPath);
      other.prepare('INSERT INTO stacktach_deployment (name) VALUES (?)').run('from-elsewhere');
      other.close();
    }
    const afterWrite = await s.get(path);
    assert.notEqual(afterWrite.text, before.text);
    assert.match(afterWrite.text, /from-elsewhere/);
  });

  it('never caches watch: the clock moves the window', async () => {
    const path = `/stacky/watch/0/?since=${base / SECOND - 1}`;
    s.clock.now = base + 30 * SECOND;
    const first = (await s.json(path)) as [number[], unknown[], string];
    s.clock.now = base + 90 * SECOND;
    const second = (await s.json(path)) as [number[], unknown[], string];
    assert.notEqual(first[2], second[2], 'now moved with the clock');
  });

  it('evicts the least recently used answers beyond its size, and skips huge ones', () => {
    const version = '1';
    const cache = new ResponseCache(3200); // entries cost ~160 bytes with their keys
    cache.set('a', 'x'.repeat(60), version);
    cache.set('b', 'y'.repeat(60), version);
    assert.equal(cache.get('a', version), 'x'.repeat(60));
    for (let i = 0; i < 30; i++) cache.set(`k${i}`, 'z'.repeat(60), version);
    assert.equal(cache.get('b', version), undefined, 'b was least recently used');
    cache.set('huge', 'h'.repeat(200), version);
    assert.equal(cache.get('huge', version), undefined, 'an answer over a sixteenth of the budget is not kept');
    cache.set('c', 'c', version);
    assert.equal(cache.get('c', version), 'c');
    assert.equal(cache.get('c', '2'), undefined, 'a new data version invalidates');
  });
});
