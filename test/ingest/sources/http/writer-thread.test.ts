// POST /ingest/ on a writer thread (source/ingest/sources/http/writer-thread.ts, issue #18): the same reply,
// counts and rejections as storing in the serving process, not one row written through the
// serving connection, and the rows served at once. Real SQLite files, real HTTP.
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {AddressInfo} from 'node:net';
import {openSqliteStore as openStore} from '../../../../source/store/sqlite/store.js';
import {Pipeline} from '../../../../source/ingest/pipeline.js';
import {createStackyServer} from '../../../../source/server/app.js';
import {INSTANCE_ID_2, line, micros, send} from '../../../server/helpers.js';


async function serve(dir: string, name: string, thread: boolean) {
  const store = openStore(join(dir, name));
  const server = createStackyServer({store, pipeline: new Pipeline(store.writer(), {source: 'http'}), log: () => {},
    ingestThread: thread ? {source: 'http'} : undefined});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const changes = () => store.db.prepare('SELECT total_changes()').pluck().get() as number;
  return {store, url, changes, close: () => new Promise<void>((resolve) => server.close(() => {
    store.close();
    resolve();
  }))};
}

describe('POST /ingest/ on a writer thread', () => {
  it('answers exactly as in-process storing, writes nothing through the serving connection, serves the rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacky-ingest-thread-'));
    const threaded = await serve(dir, 'a.db', true);
    const inline = await serve(dir, 'b.db', false);
    try {
      // 4,500 lines: three batches of the handler's 2,000, a rejected line in two of them.
      const lines = Array.from({length: 4500}, (_, i) => line({event: 'compute.instance.update',
        at: micros('2014-01-17 00:00:00') + i * 1000, instance: INSTANCE_ID_2, messageId: `m-${i}`}, 'bare'));
      lines[1999] = '{}';
      lines[4320] = 'garbage';
      lines.push(lines[10]!); // a redelivery
      const before = threaded.changes();
      const [a, b] = [await send(`${threaded.url}/ingest/`, 'POST', lines.join('\n')),
        await send(`${inline.url}/ingest/`, 'POST', lines.join('\n'))];
      assert.equal(a.status, 200);
      assert.equal(a.text, b.text);
      const reply = a.json() as {stored: number; duplicates: number; rejected: {line: number}[]};
      assert.deepEqual([reply.stored, reply.duplicates, reply.rejected.map((r) => r.line)], [4498, 1, [2000, 4321]]);
      assert.equal(threaded.changes(), before, 'no row went through the serving connection');
      const uuid = await send(`${threaded.url}/stacky/uuid/?uuid=${INSTANCE_ID_2}`);
      assert.equal(uuid.status, 200);
      assert.ok((uuid.json() as unknown[]).length > 1);
      assert.equal(uuid.text, (await send(`${inline.url}/stacky/uuid/?uuid=${INSTANCE_ID_2}`)).text);
    } finally {
      await threaded.close();
      await inline.close();
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
