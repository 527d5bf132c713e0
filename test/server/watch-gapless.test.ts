// A tail with no gaps under concurrent writers (docs/api.md §2.10, gapless): two writers store
// notifications at once, one of them behind the other in notification time, while a client
// polls watch as the console does; every stored row comes exactly once. On both engines.
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {AddressInfo} from 'node:net';
import {createStackyServer} from '../../source/server/app.js';
import {Pipeline} from '../../source/ingest/pipeline.js';
import {openStore, openWriter} from '../../source/store/open.js';
import {item, micros, send, SECOND, startServer} from './helpers.js';
import {createTestDatabase, pgSkip} from '../store/postgres/test-database.js';

const T0 = micros('2014-01-16 17:00:00');
const N = 1200;

async function run(location: string, gapless: boolean): Promise<{stored: number[]; seen: number[]}> {
  const clock = {now: T0};
  const store = await openStore(location);
  const server = createStackyServer({store, pipeline: new Pipeline(store.writer(), {source: 'test'}), now: () => clock.now, log: () => {}});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const writers = [await openWriter(location), await openWriter(location)];
  try {
    // Writer 0 stores the even notifications, writer 1 the odd ones in small batches, behind it.
    const feed = async (k: number, batch: number) => {
      const pipeline = new Pipeline(writers[k]!, {source: 'test'});
      const mine = Array.from({length: N / 2}, (_, j) => 2 * j + k).map((i) => item({event: 'compute.instance.update',
        at: T0 + i * 10_000, instance: `i-${i % 7}`, messageId: `m-${i}`}));
      for (let i = 0; i < mine.length; i += batch) {
        // Writer 1 commits each batch only once the polls' window has passed its times.
        const last = T0 + (2 * Math.min(i + batch, mine.length) - 1) * 10_000;
        while (k === 1 && clock.now < last + SECOND / 2) await new Promise((resolve) => setImmediate(resolve));
        await pipeline.ingest(mine.slice(i, i + batch));
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    let writing = true;
    const seen: number[] = [];
    let since: string | undefined;
    const poll = async () => {
      const q = new URLSearchParams({...(since ? {since} : {}), ...(gapless ? {gapless: '1'} : {})});
      const reply = (await send(`${url}/stacky/watch/0/?${q}`)).json() as [unknown, unknown[][], string];
      for (const row of reply[1]) seen.push(row[0] as number);
      since = reply[2];
    };
    const polling = (async () => {
      // The server's clock walks through the notifications' times a fifth of a second a poll.
      while (writing) {
        clock.now += SECOND / 5;
        await poll();
      }
    })();
    await Promise.all([feed(0, 60), feed(1, 7)]);
    writing = false;
    await polling;
    clock.now = T0 + N * 10_000 + 3 * SECOND;
    await poll();
    await poll();
    const stored = (await store.raw.watch('nova', 0, null, 0, Number.MAX_SAFE_INTEGER, 10 * N)).map((r) => r.id);
    return {stored, seen};
  } finally {
    await Promise.all(writers.map((w) => w.close()));
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await store.close();
  }
}

const sorted = (a: number[]) => [...a].sort((x, y) => x - y);

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`watch under two writers (${engine})`, {skip: engine === 'postgres' ? await pgSkip() : false}, () => {
    const withLocation = async <R>(fn: (location: string) => Promise<R>): Promise<R> => {
      if (engine === 'postgres') {
        const db = await createTestDatabase();
        try {
          return await fn(db.url);
        } finally {
          await db.drop();
        }
      }
      const dir = mkdtempSync(join(tmpdir(), 'stacky-gapless-'));
      try {
        return await fn(join(dir, 'stacky.db'));
      } finally {
        rmSync(dir, {recursive: true, force: true});
      }
    };

    it('gapless: every row once, those committed late with an earlier time too', () => withLocation(async (location) => {
      const {stored, seen} = await run(location, true);
      assert.equal(stored.length, N);
      assert.equal(new Set(seen).size, seen.length, 'no row twice');
      assert.deepEqual(sorted(seen), sorted(stored));
    }));

    it('the original\'s cursor (without gapless) passes over rows committed behind it', () => withLocation(async (location) => {
      const {stored, seen} = await run(location, false);
      assert.equal(stored.length, N);
      assert.equal(new Set(seen).size, seen.length, 'no row twice');
      assert.ok(seen.length < stored.length, `saw ${seen.length} of ${stored.length}`);
    }));
  });
}

describe('gapless cursor and the row cap', () => {
  for (const late of [10, 12]) {
    it(`${late} rows committed behind the cursor come 5 a reply, each once`, async () => {
      const s = await startServer({now: T0 + 60 * SECOND, limits: {watchRows: 5}});
      try {
        const poll = async (since?: string) => (await s.json(`/stacky/watch/0/?gapless=1${since ? `&since=${since}` : ''}`)) as [unknown, unknown[][], string];
        let [, rows, since] = await poll();
        assert.deepEqual(rows, []);
        await s.ingest(...Array.from({length: late}, (_, i) => ({event: 'compute.instance.update', at: T0 + i * SECOND, instance: `i-${i}`,
          messageId: `late-${i}`})));
        const seen: number[] = [];
        const sizes: number[] = [];
        for (let i = 0; i < 4; i++) {
          [, rows, since] = await poll(since);
          sizes.push(rows.length);
          seen.push(...rows.map((r) => r[0] as number));
        }
        assert.deepEqual(sizes, late === 10 ? [5, 5, 0, 0] : [5, 5, 2, 0]);
        assert.deepEqual(seen, Array.from({length: late}, (_, i) => i + 1));
      } finally {
        await s.close();
      }
    });
  }
});
