// stacky demo's feeder writes from a thread with its own connection (source/commands/demo-feeder.ts,
// issue #18): the serving connection stores nothing, yet the server answers with the fed rows.
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startServer} from '../../source/commands/serve.js';
import {startFeeder} from '../../source/commands/demo.js';
import {waitFor} from '../ingest/sources/amqp/helpers.js';
import {sqliteDb} from '../../source/store/sqlite/store.js';

describe('demo feeder', () => {
  it('stores off the serving connection; the server sees the rows through the data version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacky-feeder-'));
    const running = await startServer({db: join(dir, 'demo.db'), host: '127.0.0.1', port: 0});
    const changes = () => sqliteDb(running.store).prepare('SELECT total_changes()').pluck().get() as number;
    const before = changes(); // opening the file writes its schema
    const errors: Error[] = [];
    const feeder = startFeeder(running, 500, 7, (e) => errors.push(e), 'flat');
    try {
      await waitFor('100 rows stored by the feeder', () => errors.length > 0 || feeder.stored() >= 100);
      assert.deepEqual(errors, []);
      const count = () => sqliteDb(running.store).prepare(`SELECT (SELECT count(*) FROM stacktach_rawdata)
        + (SELECT count(*) FROM stacktach_glancerawdata) + (SELECT count(*) FROM stacktach_genericrawdata)`).pluck().get() as number;
      const stored = feeder.stored();
      assert.ok(count() >= stored, `${count()} rows, ${stored} stored`);
      // Not one row went through the serving connection.
      assert.equal(changes(), before);
      const reply = await fetch(`${running.url}/stacky/deployments/`);
      assert.equal(reply.status, 200);
      const listed = (await reply.json()) as unknown[];
      assert.ok(listed.length > 1, JSON.stringify(listed));
    } finally {
      await feeder.stop();
      await running.close();
      rmSync(dir, {recursive: true, force: true});
    }
    assert.deepEqual(errors, []);
  });
});
