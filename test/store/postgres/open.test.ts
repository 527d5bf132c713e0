// Opening a PostgreSQL store: the schema made once however many start together, and one clear
// line, never the password, when the server cannot be reached or refuses us.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import postgres from 'postgres';
import {openPostgresStore, openPostgresWriter} from '../../../source/store/postgres/open.js';
import {CODEC_ID} from '../../../source/store/json-codec.js';
import {createTestDatabase, pgSkip} from './test-database.js';

const skip = await pgSkip();

test('eight processes opening an empty database at once make the schema once', {skip}, async () => {
  const db = await createTestDatabase();
  try {
    const opened = await Promise.all(Array.from({length: 8}, (_, i) => (i % 2 ? openPostgresWriter(db.url) : openPostgresStore(db.url))));
    const sql = postgres(db.url, {onnotice: () => {}});
    const meta = await sql`SELECT key, value FROM stacky_meta ORDER BY key`;
    assert.deepEqual(meta.map((r) => [r.key, r.value]), [['json_codec', CODEC_ID], ['schema_version', '2']]);
    const [tables] = await sql`SELECT count(*)::int AS n FROM pg_tables WHERE tablename LIKE 'stacktach_%'`;
    assert.equal(tables!.n, 15);
    await sql.end();
    await Promise.all(opened.map((s) => s.close()));
  } finally {
    await db.drop();
  }
});

test('a newer schema is refused with one line', {skip}, async () => {
  const db = await createTestDatabase();
  try {
    await (await openPostgresStore(db.url)).close();
    const sql = postgres(db.url, {onnotice: () => {}});
    await sql`UPDATE stacky_meta SET value = '99' WHERE key = 'schema_version'`;
    await sql.end();
    await assert.rejects(openPostgresStore(db.url),
      {message: `PostgreSQL at postgres@127.0.0.1:5432/${db.name} has schema 99, newer than this stacky (2)`});
  } finally {
    await db.drop();
  }
});

test('a schema 1 database gets schema 2\'s kept-keyframes table when opened', {skip}, async () => {
  const db = await createTestDatabase();
  try {
    await (await openPostgresStore(db.url)).close();
    const sql = postgres(db.url, {onnotice: () => {}});
    await sql`DROP TABLE stacky_keyframes`;
    await sql`UPDATE stacky_meta SET value = '1' WHERE key = 'schema_version'`;
    await (await openPostgresStore(db.url)).close();
    const [row] = await sql`SELECT to_regclass('stacky_keyframes') IS NOT NULL AS ok,
      (SELECT value FROM stacky_meta WHERE key = 'schema_version') AS v`;
    await sql.end();
    assert.deepEqual({...row}, {ok: true, v: '2'});
  } finally {
    await db.drop();
  }
});

test('an unreachable server, a missing database and a wrong password: one line each, no password', {skip}, async () => {
  await assert.rejects(openPostgresStore('postgres://stacky:s3cret@127.0.0.1:1/stacky'),
    {message: 'PostgreSQL at stacky@127.0.0.1:1/stacky: connection refused (is it running?)'});
  await assert.rejects(openPostgresStore('postgres://postgres:s3cret@127.0.0.1:5432/stacky_no_such_db'),
    {message: 'PostgreSQL at postgres@127.0.0.1:5432/stacky_no_such_db: the database does not exist (create it first: Stacky creates everything inside it)'});
  const sql = postgres('postgres://postgres@127.0.0.1:5432/postgres', {onnotice: () => {}});
  await sql.unsafe("DROP ROLE IF EXISTS stacky_pw_test");
  await sql.unsafe("CREATE ROLE stacky_pw_test LOGIN PASSWORD 'right'");
  try {
    // Trust auth lets any password in on this machine; a role without LOGIN is refused instead.
    await sql.unsafe('ALTER ROLE stacky_pw_test NOLOGIN');
    const error = await openPostgresStore('postgres://stacky_pw_test:wrong-s3cret@127.0.0.1:5432/postgres').then(() => undefined, (e: Error) => e);
    assert.ok(error);
    assert.match(error.message, /^PostgreSQL at stacky_pw_test@127\.0\.0\.1:5432\/postgres: /);
    assert.doesNotMatch(error.message, /s3cret|\n/);
  } finally {
    await sql.unsafe('DROP ROLE IF EXISTS stacky_pw_test');
    await sql.end();
  }
});
