// Opening a store by its location (source/store/open.ts): which locations are PostgreSQL, how a
// location is named in messages, and what a SQLite location opens.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {openStore} from '../../source/store/open.js';
import {describeLocation, isPostgresLocation} from '../../source/store/location.js';

describe('store locations', () => {
  it('a postgres:// or postgresql:// URL is PostgreSQL; anything else is a SQLite path', () => {
    assert.deepEqual(['postgres://db/stacky', 'postgresql://u@db:5433/stacky', 'PostgreSQL://db/x'].map(isPostgresLocation),
      [true, true, true]);
    assert.deepEqual(['/var/lib/stacky/stacky.db', ':memory:', 'postgres.db', 'postgres:/x', './postgresql://x'].map(isPostgresLocation),
      [false, false, false, false, false]);
  });

  it('a URL is named by user, host, port and database, never by its password; a path as it is', () => {
    assert.equal(describeLocation('postgresql://stacky:s3cret@db.example:6543/stacky?sslmode=require'), 'stacky@db.example:6543/stacky');
    assert.equal(describeLocation('postgres://stacky:s3cret@db.example/stacky'), 'stacky@db.example:5432/stacky');
    assert.equal(describeLocation('postgres:///stacky?host=/run/postgresql'), '/run/postgresql:5432/stacky');
    assert.equal(describeLocation('/var/lib/stacky/stacky.db'), '/var/lib/stacky/stacky.db');
    // A URL that does not parse is still named as written, up to the last '@' of its user part.
    assert.equal(describeLocation('postgres://stacky:s3cret@db.example:99999/stacky'), 'stacky@db.example:99999/stacky (a URL that does not parse)');
    assert.equal(describeLocation('postgres://stacky:s3@cret@[db/stacky?x=1'), 'stacky@[db/stacky (a URL that does not parse)');
  });

  it('a SQLite file is the location threads open again; memory has none; a read-only open needs the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacky-open-'));
    try {
      const path = join(dir, 'stacky.db');
      const file = await openStore(path);
      assert.equal(file.location, path);
      const reader = await openStore(path, {readonly: true});
      assert.deepEqual(await reader.raw.deployments(), []);
      await reader.close();
      await file.close();
      const memory = await openStore(':memory:');
      assert.equal(memory.location, undefined);
      await memory.close();
      await assert.rejects(openStore(join(dir, 'missing.db'), {readonly: true}));
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
