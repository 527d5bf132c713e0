// `--retain` (source/commands/retention-embed.ts): passes run on a thread with a connection of
// their own, report their counts, and stop cleanly.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {openSqliteStore as openStore} from '../../source/store/sqlite/store.js';
import {startRetention} from '../../source/commands/retention-embed.js';
import {micros} from '../server/helpers.js';
import {INSTANCES, seedOld} from './prune-seed.js';

const DAY_US = 86_400_000_000;

describe('retention in the background', () => {
  it('prunes on its own thread while this connection keeps reading, and stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacky-retain-'));
    const path = join(dir, 'r.db');
    await seedOld(path);
    const store = openStore(path);
    try {
      const logged: [string, Record<string, unknown>][] = [];
      let heard: () => void = () => undefined;
      const handle = startRetention(path, DAY_US, {
        now: () => micros('2014-01-03 00:00:00') / 1000, everySeconds: 3600,
        log: (event, fields) => {
          logged.push([event, fields]);
          heard();
        },
      });
      while (logged.length === 0) await new Promise<void>((resolve) => (heard = resolve));
      assert.equal(logged[0]![0], 'retention pass');
      assert.equal(logged[0]![1].raw, 2);
      assert.equal(logged[0]![1].cutoff_us, micros('2014-01-02 00:00:00'));
      assert.ok((logged[0]![1].checkpoints as number) >= 1);
      assert.equal(handle.passes, 1);
      // This connection sees the other connection's deletions.
      assert.deepEqual(store.db.prepare('SELECT instance FROM stacktach_rawdata').pluck().all(), [INSTANCES[2]]);
      await handle.stop();
      assert.equal(logged.length, 1);
    } finally {
      store.close();
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
