// Shared watch tails (source/server/watch-tail.ts, issue #18): the cursor contract across commits
// (no gaps, no duplicates), the row cap with ties, the fallback to the database for windows older
// than the tail, and replies byte-identical to a server without the tail (same SQLite file).
// Real SQLite, real HTTP.
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {AddressInfo} from 'node:net';
import {openStore} from '../../source/store/open.js';
import {Pipeline} from '../../source/ingest/pipeline.js';
import {createStackyServer, watchTailsOf} from '../../source/server/app.js';
import type {ServerLimits} from '../../source/server/limits.js';
import type {WatchTails} from '../../source/server/watch-tail.js';
import {micros, send, SECOND, startServer, type Note, type TestServer} from './helpers.js';


const T = micros('2014-01-16 17:10:00');

interface Pair {
  s: TestServer;
  tails: WatchTails;
  /** GET on the shared-tail server and on the peer without it; asserts the bytes match, returns the parsed reply. */
  both(path: string): Promise<[unknown, unknown[][], string]>;
  close(): Promise<void>;
}

async function pair(limits: Partial<ServerLimits>): Promise<Pair> {
  const s = await startServer({now: T, limits});
  const store = await openStore(s.dbPath);
  const peer = createStackyServer({store, pipeline: new Pipeline(store.writer(), {source: 'test'}), now: () => s.clock.now,
    cache: false, limits, log: () => {}});
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
  const peerUrl = `http://127.0.0.1:${(peer.address() as AddressInfo).port}`;
  assert.equal(watchTailsOf.get(peer), undefined);
  return {
    s, tails: watchTailsOf.get(s.server)!,
    both: async (path) => {
      const [a, b] = [await s.get(path), await send(peerUrl + path)];
      assert.equal(a.status, 200);
      assert.equal(a.text, b.text, path);
      return a.json() as [unknown, unknown[][], string];
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        peer.close(() => resolve());
        peer.closeAllConnections();
      });
      await store.close();
      await s.close();
    },
  };
}

let serial = 0;
const note = (at: number, instance = 'i-1'): Note =>
  ({event: 'compute.instance.update', at, instance, messageId: `m-${++serial}`});

describe('watch: shared tails', () => {
  it('clients polling at different paces across commits get every row once, in order, as without the tail', async () => {
    const p = await pair({watchRows: 5, watchTailRows: 10});
    try {
      const all: number[] = [];
      const clients = [1, 2, 3].map((every) => ({every, since: String(T / SECOND), seen: [] as number[]}));
      const drain = async (c: (typeof clients)[number]) => {
        for (;;) {
          const [, rows, until] = await p.both(`/stacky/watch/0/?since=${encodeURIComponent(c.since)}`);
          c.seen.push(...rows.map((r) => r[0] as number));
          c.since = until;
          if (/^\d+$/.test(until)) return; // not capped: caught up with now
        }
      };
      for (let commit = 0; commit < 12; commit++) {
        // Three rows share an instant (ties by id), one sits exactly at the next `now`, and one is
        // ahead of the clock: the next commit's rows land behind it in the tail.
        const base = T + commit * SECOND;
        const result = await p.s.ingest(note(base + SECOND / 2), note(base + SECOND / 2, 'i-2'), note(base + SECOND / 2, 'i-3'),
          note(base + SECOND, ''), note(base + 1.9 * SECOND, 'i-4'));
        assert.equal(result.stored, 5);
        p.s.clock.now = base + SECOND + SECOND / 2;
        for (const c of clients) if ((commit + 1) % c.every === 0) await drain(c);
      }
      p.s.clock.now = T + 20 * SECOND;
      for (const c of clients) await drain(c);
      const stored = (await p.s.query('SELECT id FROM stacktach_rawdata ORDER BY "when", id')).map((r) => Number(r.id));
      all.push(...stored);
      assert.equal(all.length, 60);
      for (const c of clients) assert.deepEqual(c.seen, all, `polling every ${c.every} commits`);
      // The laggard's windows were older than the 10-row tail: those came from the database.
      assert.ok(p.tails.counts.fallbacks > 0, JSON.stringify(p.tails.counts));
      assert.ok(p.tails.counts.hits > p.tails.counts.fallbacks, JSON.stringify(p.tails.counts));
      // Built once, then brought up to date commit by commit (rows above the highest id seen).
      assert.equal(p.tails.counts.builds, 1);
    } finally {
      await p.close();
    }
  });

  it('the cap: 12 rows of one instant come 5, 5 and 2, the cursor naming the last id', async () => {
    const p = await pair({watchRows: 5});
    try {
      const at = T + SECOND / 4;
      await p.s.ingest(...Array.from({length: 12}, () => note(at)));
      p.s.clock.now = T + 3 * SECOND;
      const ids = (rows: unknown[][]) => rows.map((r) => r[0]);
      const first = await p.both(`/stacky/watch/0/?since=${T / SECOND - 1}`);
      assert.deepEqual([ids(first[1]), first[2]], [[1, 2, 3, 4, 5], '1389892200.250000:5']);
      const second = await p.both(`/stacky/watch/0/?since=${first[2]}`);
      assert.deepEqual([ids(second[1]), second[2]], [[6, 7, 8, 9, 10], '1389892200.250000:10']);
      const third = await p.both(`/stacky/watch/0/?since=${second[2]}`);
      assert.deepEqual([ids(third[1]), third[2]], [[11, 12], '1389892203']);
      assert.equal(p.tails.counts.fallbacks, 0);
      assert.equal(p.tails.counts.hits, 3);
    } finally {
      await p.close();
    }
  });

  it('a large reply is streamed in parts (the database read a page at a time): 2,600 rows, seven to an instant, ' +
    'walked 1,200 at a time, the same bytes with and without the tail, every row once', async () => {
    const p = await pair({watchRows: 1200});
    try {
      // Seven rows to an instant, so ties straddle the database's pages of 500 and the cap.
      await p.s.ingest(...Array.from({length: 2600}, (_, i) => note(T + Math.floor(i / 7) * 1000 + 1000, `i-${i % 13}`)));
      p.s.clock.now = T + 5 * SECOND;
      const first = await p.s.get(`/stacky/watch/0/?since=${T / SECOND}`);
      assert.equal(first.headers['transfer-encoding'], 'chunked');
      assert.equal(first.headers['content-length'], undefined);
      assert.ok(first.text.length > 64 * 1024);
      const seen: number[] = [];
      const cursors: string[] = [];
      for (let since = String(T / SECOND); ;) {
        const [, rows, until] = await p.both(`/stacky/watch/0/?since=${encodeURIComponent(since)}`);
        seen.push(...rows.map((r) => r[0] as number));
        cursors.push(until);
        if (/^\d+$/.test(until)) break;
        since = until;
      }
      // 1,200 + 1,200 + 200; row 1,200 (index 1,199) shares its instant with row 1,201.
      assert.deepEqual(cursors, ['1389892200.172000:1200', '1389892200.343000:2400', '1389892205']);
      assert.deepEqual(seen, Array.from({length: 2600}, (_, i) => i + 1));
      const last = await p.s.get(`/stacky/watch/0/?since=${encodeURIComponent(cursors[1]!)}`);
      assert.equal(last.headers['content-length'], String(Buffer.byteLength(last.text)), 'a small reply is sent whole');
    } finally {
      await p.close();
    }
  });

  it('a window older than the tail is read from the database; one inside it from the tail', async () => {
    const p = await pair({watchTailRows: 5});
    try {
      await p.s.ingest(...Array.from({length: 20}, (_, i) => note(T + (i + 1) * (SECOND / 10))));
      p.s.clock.now = T + 5 * SECOND;
      const old = await p.both(`/stacky/watch/0/?since=${T / SECOND}`);
      assert.deepEqual(old[1].map((r) => r[0]), Array.from({length: 20}, (_, i) => i + 1));
      assert.deepEqual(p.tails.counts, {builds: 1, updates: 0, hits: 0, fallbacks: 1});
      // The tail holds rows 16..20, after row 15 at T+1.5 s.
      const recent = await p.both(`/stacky/watch/0/?since=${encodeURIComponent(`${T / SECOND + 1}.500000:15`)}`);
      assert.deepEqual(recent[1].map((r) => r[0]), [16, 17, 18, 19, 20]);
      assert.deepEqual(p.tails.counts, {builds: 1, updates: 0, hits: 1, fallbacks: 1});
      // One row older than the tail's floor: back to the database.
      const edge = await p.both(`/stacky/watch/0/?since=${encodeURIComponent(`${T / SECOND + 1}.500000:14`)}`);
      assert.deepEqual(edge[1].map((r) => r[0]), [15, 16, 17, 18, 19, 20]);
      assert.equal(p.tails.counts.fallbacks, 2);
    } finally {
      await p.close();
    }
  });

  it('the same poll from many clients within a second and a commit is answered with the same bytes, built once', async () => {
    const p = await pair({});
    try {
      await p.s.ingest(note(T - SECOND / 2), note(T - SECOND / 4, 'i-2'));
      const first = await p.s.get('/stacky/watch/0/');
      for (let i = 0; i < 5; i++) assert.equal((await p.s.get('/stacky/watch/0/')).text, first.text);
      assert.deepEqual(p.tails.counts, {builds: 1, updates: 0, hits: 1, fallbacks: 0});
      // A commit: the tail takes the new row by id, the next poll is built afresh.
      await p.s.ingest(note(T - SECOND / 8, 'i-3'));
      const after = await p.both('/stacky/watch/0/');
      assert.deepEqual(after[1].map((r) => r[0]), [1, 2, 3]);
      assert.deepEqual(p.tails.counts, {builds: 1, updates: 1, hits: 2, fallbacks: 0});
      // Another second: a new reply, from the same tail.
      p.s.clock.now = T + SECOND;
      const next = await p.both('/stacky/watch/0/');
      assert.deepEqual(next[1].map((r) => r[0]), [1, 2, 3]);
      assert.equal(next[2], String(T / SECOND + 1));
      assert.deepEqual(p.tails.counts, {builds: 1, updates: 1, hits: 3, fallbacks: 0});
    } finally {
      await p.close();
    }
  });

  it('rows deleted under the tail (retention) leave it: the tail is built anew', async () => {
    const p = await pair({});
    try {
      await p.s.ingest(note(T - SECOND / 2), note(T - SECOND / 4, 'i-2'), note(T - SECOND / 8, 'i-3'));
      assert.deepEqual((await p.both('/stacky/watch/0/'))[1].map((r) => r[0]), [1, 2, 3]);
      await p.s.query('DELETE FROM stacktach_rawdata WHERE id = 2');
      p.s.clock.now = T + SECOND;
      assert.deepEqual((await p.both('/stacky/watch/0/'))[1].map((r) => r[0]), [1, 3]);
      assert.deepEqual(p.tails.counts, {builds: 2, updates: 0, hits: 2, fallbacks: 0});
    } finally {
      await p.close();
    }
  });

  it('extra=1 adds host, tenant and request id to each row, from the tail and from the database alike', async () => {
    const p = await pair({watchTailRows: 2});
    try {
      await p.s.ingest({...note(T + SECOND / 2), tenant: 't-1', request: 'req-1', publisher: 'compute.host-a'},
        {...note(T + SECOND / 2 + 1), tenant: null, request: null}, note(T + SECOND / 2 + 2));
      p.s.clock.now = T + 2 * SECOND;
      const since = String(T / SECOND);
      const [, plain] = await p.both(`/stacky/watch/0/?since=${since}`);
      const [, wide] = await p.both(`/stacky/watch/0/?since=${since}&extra=1`);
      assert.deepEqual(plain.map((r) => r.length), [7, 7, 7]);
      assert.deepEqual(wide.map((r) => r.slice(0, 7)), plain, 'the first seven cells are as without it');
      assert.deepEqual(wide[0]!.slice(7), ['host-a', 't-1', 'req-1']);
      assert.deepEqual(wide[1]!.slice(7), ['c-01', '', '']);
      // The 2-row tail holds the newest rows: a window from the start came from the database.
      const [, recent] = await p.both(`/stacky/watch/0/?since=${encodeURIComponent(`${since}.5`)}&extra=1`);
      assert.deepEqual(recent.map((r) => r.length), [10, 10]);
    } finally {
      await p.close();
    }
  });
});
