// `stacky quarantine --replay` (the real binary): entries quarantined by an older parser that did
// not know the oslo.messaging envelope are stored now and leave; the rest stay, with today's reason.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {openDatabase} from '../../source/store/sqlite/database.js';

import {openWriter} from '../../source/store/open.js';
import type {QuarantineEntry} from '../../source/store/types.js';
import {tempDir} from '../ingest/sources/amqp/helpers.js';
import {envelope, messages} from '../fixtures/openstack.js';

const bin = join(fileURLToPath(new URL('../..', import.meta.url)), 'bin', 'stacky.js');
const stacky = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], {encoding: 'utf8'});

test('replay stores what today\'s parser reads, keeps the rest with its new reason, and --id picks entries', async () => {
  const tmp = tempDir();
  try {
    const db = join(tmp.dir, 'stacky.db');
    const create = messages().find((m) => m.name === 'instance.create.end')!;
    const attach = messages().find((m) => m.name === 'volume.attach.end')!;
    const writer = await openWriter(db);
    const old = 'missing publisher_id';
    const entry = (e: Partial<QuarantineEntry>) => writer.quarantine([{
      source: 'amqp', deployment: 'region-1', exchange: 'nova', routingKey: 'versioned_notifications.info', line: null,
      error: old, raw: '', ...e,
    }], 1);
    await entry({raw: JSON.stringify(envelope(create.body))});
    await entry({source: 'cloud.jsonl', line: 3, routingKey: '', raw: JSON.stringify({deployment: 'region-1', exchange: 'cinder',
      routing_key: 'notifications.info', body: envelope(attach.body)})});
    await entry({source: 'http', line: 5, routingKey: '', error: 'not JSON: old words', raw: 'not json at all'});
    await entry({raw: JSON.stringify(envelope(create.body))});
    await entry({raw: JSON.stringify({'oslo.version': '2.0', 'oslo.message': '{}'})});
    await writer.close();

    const some = stacky('quarantine', '--db', db, '--replay', '--id', '5');
    assert.equal(some.stderr, '');
    assert.equal(some.stdout, 'replayed 1: 0 stored, 0 already stored, 1 stayed quarantined\n');

    const all = stacky('quarantine', '--db', db, '--replay');
    assert.equal(all.stdout, 'replayed 5: 2 stored, 1 already stored, 2 stayed quarantined\n');
    assert.equal(all.status, 0);

    const left = JSON.parse(stacky('quarantine', '--db', db, '--json').stdout) as {id: number; error: string}[];
    assert.deepEqual(left.map((r) => [r.id, r.error]), [[5, 'missing publisher_id'],
      [3, 'not JSON: Unexpected token \'o\', "not json at all" is not valid JSON']]);
    const check = openDatabase(db);
    assert.deepEqual(check.prepare('SELECT event, routing_key FROM stacktach_rawdata').all(),
      [{event: 'instance.create.end', routing_key: 'versioned_notifications.info'}]);
    assert.deepEqual(check.prepare('SELECT event, resource, routing_key FROM stacktach_genericrawdata').all(),
      [{event: 'volume.attach.end', resource: '9d3c2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a', routing_key: 'notifications.info'}]);
    check.close();

    const usage = stacky('quarantine', '--db', db, '--id', '3');
    assert.equal(usage.status, 2);
    assert.equal(usage.stderr, 'stacky quarantine: --id goes with --replay; see stacky quarantine --help\n');
  } finally {
    tmp.dispose();
  }
});
