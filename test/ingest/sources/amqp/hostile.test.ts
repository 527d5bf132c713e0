// Issue #13 #5 through the real broker: a body nested deeper than the bound is quarantined with
// its reason by the worker, as by POST and files (test/server/hostile.test.ts,
// test/commands/hostile-cli.test.ts), and the notifications around it are stored.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {parseWorkerConfig} from '../../../../source/ingest/sources/amqp/config.js';
import {startWorker, type WorkerHandle} from '../../../../source/ingest/sources/amqp/worker.js';
import {openDatabase} from '../../../../source/store/sqlite/database.js';
import {brokerSkip, novaGlanceTopics, novaNotification, publisher, tempDir, testVhost, waitFor, workerConfig} from './helpers.js';
import {SqliteWriter} from '../../../../source/store/sqlite/writer.js';

const skip = await brokerSkip();

test('the worker quarantines a body nested 5,000 deep with its reason', {skip}, async () => {
  const broker = await testVhost();
  const tmp = tempDir();
  const db = openDatabase(join(tmp.dir, 'stacky.db'));
  let worker: WorkerHandle | undefined;
  try {
    const {config} = parseWorkerConfig(workerConfig(broker.vhost, [{name: broker.id, topics: novaGlanceTopics(broker.id)}]));
    worker = await startWorker(config, new SqliteWriter(db), () => {}, {progressMs: 0});
    await worker.ready();
    const text = JSON.stringify(novaNotification());
    const deep = Buffer.from(`${text.slice(0, -1)}, "deep": ${'['.repeat(5000)}${']'.repeat(5000)}}`);
    const p = await publisher(broker.url);
    p.publish('nova', 'monitor.info', novaNotification());
    p.publish('nova', 'monitor.info', deep);
    p.publish('nova', 'monitor.info', novaNotification());
    await p.close();
    await waitFor('3 messages handled', () => {
      const s = worker!.stats().get(broker.id);
      return s !== undefined && s.stored + s.quarantined >= 3 ? s : undefined;
    });
    assert.deepEqual(worker.stats().get(broker.id), {received: 3, stored: 2, duplicates: 0, quarantined: 1});
    const q = db.prepare('SELECT error, raw FROM stacky_quarantine').all() as {error: string; raw: Buffer}[];
    assert.deepEqual(q.map((r) => r.error), ['JSON nested more than 100 levels deep']);
    assert.deepEqual(q[0]!.raw, deep);
  } finally {
    await worker?.stop();
    db.close();
    await broker.dispose();
    tmp.dispose();
  }
});
