// A database of its own for each PostgreSQL test, on the machine's server (127.0.0.1:5432, trust
// auth) or STACKY_TEST_PG_ADMIN's. Without a server the tests skip, unless STACKY_REQUIRE_PG=1
// (set by .ci/run), where they fail.
import postgres from 'postgres';

const ADMIN_URL = process.env.STACKY_TEST_PG_ADMIN ?? 'postgres://postgres@127.0.0.1:5432/postgres';
let counter = 0;

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function admin<R>(fn: (sql: postgres.Sql) => Promise<R>): Promise<R> {
  const sql = postgres(ADMIN_URL, {onnotice: () => {}, max: 1, connect_timeout: 5});
  try {
    return await fn(sql);
  } finally {
    await sql.end({timeout: 1});
  }
}

let available: Promise<boolean> | undefined;

/** Whether the server answers; false skips PostgreSQL tests, unless they are required. */
export function pgAvailable(): Promise<boolean> {
  available ??= admin(async (sql) => {
    await sql`SELECT 1`;
    return true;
  }).catch((error: unknown) => {
    if (process.env.STACKY_REQUIRE_PG === '1') throw new Error(`STACKY_REQUIRE_PG=1 but PostgreSQL does not answer: ${(error as Error).message}`);
    return false;
  });
  return available;
}

/** The `skip` option of a PostgreSQL test: a reason when the server is away and not required. */
export async function pgSkip(): Promise<string | false> {
  return (await pgAvailable()) ? false : 'no PostgreSQL at 127.0.0.1:5432 (set STACKY_REQUIRE_PG=1 to fail instead)';
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `stacky_test_${process.pid}_${++counter}_${Date.now() % 100000}`;
  await admin((sql) => sql.unsafe(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(), name,
    drop: () => admin((sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}
