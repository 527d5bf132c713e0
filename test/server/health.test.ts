// /healthz's verdict: the database, the consumers' state and their lag.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {checkHealth} from '../../source/server/health.js';

describe('checkHealth', () => {
  let dir: string;
  let db: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'stacky-health-'));
    db = join(dir, 'stacky.db');
    writeFileSync(db, '');
  });
  after(() => rmSync(dir, {recursive: true, force: true}));
  const base = () => ({dbPath: db, minFreeBytes: 0, maxLag: 100, isOpen: () => true});

  it('is ok with a writable database and consuming consumers under the lag bound', () => {
    const consumers = {
      states: () => new Map([['east/nova', {state: 'consuming'}]]),
      stats: () => new Map(),
      depths: () => new Map([['east/nova', 99]]),
    };
    assert.deepEqual(checkHealth({...base(), consumers}), {ok: true, reasons: []});
  });

  it('names every reason: a consumer not consuming, one lagging, a missing file, a full disk', () => {
    const consumers = {
      states: () => new Map([['east/nova', {state: 'waiting'}], ['east/glance', {state: 'consuming'}]]),
      stats: () => new Map(),
      depths: () => new Map([['east/glance', 100]]),
    };
    assert.deepEqual(checkHealth({...base(), consumers}).reasons,
      ['consumer east/nova: waiting', 'consumer east/glance: 100 messages waiting (limit 100)']);
    assert.deepEqual(checkHealth({...base(), dbPath: join(dir, 'gone', 'x.db')}).reasons, ['database: not writable (ENOENT)']);
    assert.match(checkHealth({...base(), minFreeBytes: Number.MAX_SAFE_INTEGER}).reasons[0]!,
      /^database: only \d+ bytes free on its file system \(minimum 9007199254740991\)$/);
    assert.deepEqual(checkHealth({...base(), isOpen: () => false}), {ok: false, reasons: ['database: closed']});
  });
});
