// /healthz's verdict: the store (source/store/api.ts writeProblem, here a real SQLite file), the
// consumers' state and their lag.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {checkHealth} from '../../source/server/health.js';
import {openStore} from '../../source/store/open.js';
import type {Store} from '../../source/store/api.js';

describe('checkHealth', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stacky-health-'));
    store = await openStore(join(dir, 'stacky.db'));
  });
  after(async () => {
    await store.close();
    rmSync(dir, {recursive: true, force: true});
  });
  const base = () => ({store, minFreeBytes: 0, maxLag: 100});

  it('is ok with a writable database and consuming consumers under the lag bound', async () => {
    const consumers = {
      states: () => new Map([['east/nova', {state: 'consuming'}]]),
      stats: () => new Map(),
      depths: () => new Map([['east/nova', 99]]),
    };
    assert.deepEqual(await checkHealth({...base(), consumers}), {ok: true, reasons: []});
  });

  it('names every reason: a consumer not consuming, one lagging, a full disk, a missing file, a closed store', async () => {
    const consumers = {
      states: () => new Map([['east/nova', {state: 'waiting'}], ['east/glance', {state: 'consuming'}]]),
      stats: () => new Map(),
      depths: () => new Map([['east/glance', 100]]),
    };
    assert.deepEqual((await checkHealth({...base(), consumers})).reasons,
      ['consumer east/nova: waiting', 'consumer east/glance: 100 messages waiting (limit 100)']);
    assert.match((await checkHealth({...base(), minFreeBytes: Number.MAX_SAFE_INTEGER})).reasons[0]!,
      /^database: only \d+ bytes free on its file system \(minimum 9007199254740991\)$/);
    // The file (and its folder) gone from under the open store.
    rmSync(dir, {recursive: true, force: true});
    assert.deepEqual((await checkHealth(base())).reasons, ['database: not writable (ENOENT)']);
    await store.close();
    assert.deepEqual(await checkHealth(base()), {ok: false, reasons: ['database: closed']});
  });

  it('an in-memory store has no file to check: ok while open', async () => {
    const memory = await openStore(':memory:');
    assert.deepEqual(await checkHealth({store: memory, minFreeBytes: Number.MAX_SAFE_INTEGER, maxLag: 100}), {ok: true, reasons: []});
    await memory.close();
  });
});
