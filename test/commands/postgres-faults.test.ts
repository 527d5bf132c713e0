// Issue #16, bad input: every command given a postgres:// --db that cannot be used says so in
// one line naming user, host, port and database, exits 1, and never shows the password. The
// built binary against a PostgreSQL of the test's own (password authentication, stopped at will).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {build, runStacky, type Run} from './print-build.js';
import {ownServerSkip, startOwnServer, type OwnServer} from '../store/postgres/own-server.js';
import {tempDir} from '../ingest/sources/amqp/helpers.js';

const skip = ownServerSkip();

/** Each command that opens --db, with what else it needs to get that far. */
function commands(configPath: string): [string, string[]][] {
  return [
    ['worker', ['worker', '--config', configPath]],
    ['ingest', ['ingest']],
    ['serve', ['serve', '--port', '0']],
    ['report summary', ['report', 'summary', '--start', '2014-01-14 19:00:00']],
    ['quarantine', ['quarantine']],
  ];
}

function urlWith(pg: OwnServer, password: string, database: string): string {
  return `postgres://stacky:${password}@127.0.0.1:${pg.port}/${database}`;
}

async function expectOneLine(url: string, configPath: string, password: string, reason: RegExp, location: string): Promise<void> {
  const runs = await Promise.all(commands(configPath).map(async ([name, args]) =>
    [name, await runStacky([...args, '--db', url])] as [string, Run]));
  for (const [name, r] of runs) {
    const expected = new RegExp(`^stacky ${name}: PostgreSQL at ${location.replace(/\./g, '\\.')}: ${reason.source}\\n$`);
    assert.match(r.stderr, expected, `${name}: ${r.stderr}`);
    assert.equal(r.stdout, '', name);
    assert.equal(r.code, 1, name);
    assert.ok(!r.stderr.includes(password) && !r.stdout.includes(password), `${name} shows no password`);
  }
}

test('PostgreSQL refusing, missing or down at start: one line, exit 1, no password', {skip, timeout: 60_000}, async () => {
  build();
  const pg = await startOwnServer();
  const tmp = tempDir();
  try {
    const configPath = join(tmp.dir, 'worker.json');
    // No broker is reached: the database is opened first.
    writeFileSync(configPath, JSON.stringify({deployments: [{name: 'd', rabbit_host: '127.0.0.1', rabbit_port: 1,
      rabbit_userid: 'guest', rabbit_password: 'guest', rabbit_virtual_host: '/', durable_queue: false,
      exit_on_exception: false, queue_name: 'stacktach', topics: {nova: [{queue: 'q', routing_key: 'monitor.info'}]}}]}), {mode: 0o600});
    const here = `stacky@127.0.0.1:${pg.port}`;

    const wrong = 'not-the-password-41';
    await expectOneLine(urlWith(pg, wrong, 'stacky'), configPath, wrong,
      /refused: password authentication failed for user "stacky"/, `${here}/stacky`);
    await expectOneLine(urlWith(pg, pg.password, 'nosuchdb'), configPath, pg.password,
      /the database does not exist \(create it first: Stacky creates everything inside it\)/, `${here}/nosuchdb`);
    pg.stop();
    await expectOneLine(pg.url, configPath, pg.password, /connection refused \(is it running\?\)/, `${here}/stacky`);

    // Retention on a PostgreSQL that is down: the same one line, and never a folder named after the URL.
    const cwd = tempDir();
    try {
      const prune = await runStacky(['prune', '--db', pg.url, '--before', '2020-01-01'], {cwd: cwd.dir});
      assert.equal(prune.code, 1);
      assert.equal(prune.stdout, '');
      assert.match(prune.stderr, new RegExp(`^stacky prune: [^\\n]*PostgreSQL at ${here}/stacky: connection refused \\(is it running\\?\\)\\n$`));
      assert.ok(!prune.stderr.includes(pg.password));
      assert.deepEqual(readdirSync(cwd.dir), []);
    } finally {
      cwd.dispose();
    }
  } finally {
    pg.dispose();
    tmp.dispose();
  }
});
