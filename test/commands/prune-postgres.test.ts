// `stacky prune` and `serve --retain` on PostgreSQL through the real binary: a postgres:// --db
// reaches the store's Pruner (source/store/postgres/retention.ts), whole days go.
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {describe, it} from 'node:test';
import postgres from 'postgres';
import {micros} from '../server/helpers.js';
import {seedOld} from './prune-seed.js';
import {createTestDatabase, pgSkip, type TestDatabase} from '../store/postgres/test-database.js';

const skip = await pgSkip();
const BIN = fileURLToPath(new URL('../../bin/stacky.js', import.meta.url));
async function seeded(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  await seedOld(db.url);
  return db;
}

async function state(url: string): Promise<{whens: number[]; partitions: number}> {
  const sql = postgres(url, {onnotice: () => {}, max: 1});
  try {
    const whens = (await sql`SELECT "when" FROM stacktach_rawdata ORDER BY id`).map((r) => Number(r.when));
    const [p] = await sql`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'stacktach_rawdata'::regclass`;
    return {whens, partitions: p!.n as number};
  } finally {
    await sql.end();
  }
}

describe('stacky prune on PostgreSQL', {skip}, () => {
  it('drops the days before the time, as a date or as epoch seconds', async () => {
    const db = await seeded();
    try {
      assert.deepEqual(await state(db.url), {whens: [micros('2014-01-01 00:00:00'), micros('2014-01-01 00:01:00'),
        micros('2014-01-03 00:00:00')], partitions: 2});
      const r = spawnSync(process.execPath, [BIN, 'prune', '--db', db.url, '--before', '2014-01-02 06:00:00', '--json'], {encoding: 'utf8'});
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as Record<string, number>;
      assert.deepEqual([out.before, out.raw, out.glance, out.generic, out.quarantine, out.partitions],
        [1388642400, 2, 0, 0, 1, 1]);
      assert.ok(out.derived! > 0 && out.bytes! > 0);
      assert.deepEqual(await state(db.url), {whens: [micros('2014-01-03 00:00:00')], partitions: 1});
      const epoch = spawnSync(process.execPath, [BIN, 'prune', '--db', db.url, '--before', String(Math.floor(Date.now() / 1000))], {encoding: 'utf8'});
      assert.equal(epoch.status, 0, epoch.stderr);
      assert.match(epoch.stdout, /^pruned before \d{4}-\d\d-\d\d \d\d:\d\d:\d\d: 1 nova, 0 glance, 0 generic raw rows, \d+ derived rows, 0 quarantined; \d+ transactions, longest \d+\.\d ms; 1 day partition dropped; the database takes \d+\.\d MiB\n$/);
      assert.deepEqual(await state(db.url), {whens: [], partitions: 0});
    } finally {
      await db.drop();
    }
  });

  it('serve --retain prunes in the background', async () => {
    const db = await seeded();
    const child = spawn(process.execPath, [BIN, 'serve', '--db', db.url, '--port', '0', '--retain', '1d'], {stdio: ['ignore', 'pipe', 'pipe']});
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.resume();
    const exited = new Promise<true>((r) => child.once('exit', () => r(true)));
    try {
      while (!/retention (pass|failed)/.test(err)) {
        if (await Promise.race([new Promise<false>((r) => child.stderr.once('data', () => r(false))), exited])) break;
      }
      assert.match(err, /retention pass cutoff_us=\d+ raw=3 glance=0 generic=0 .* quarantine=1 .* partitions=2 partitionsBusy=0 /);
      assert.deepEqual(await state(db.url), {whens: [], partitions: 0});
    } finally {
      child.kill('SIGTERM');
      await exited;
      await db.drop();
    }
  });
});
