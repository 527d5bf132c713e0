// A PostgreSQL server of the test's own (issue #16 faults): initdb into a temp folder, its own
// port, password authentication, and pg_ctl to stop, start and restart it. Never the machine's
// server. As root the binaries run as the postgres user (initdb refuses root).
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const BIN_ROOT = '/usr/lib/postgresql';

/** The newest installed server's bin folder, or null when there is none. */
export function pgBinDir(): string | null {
  if (!existsSync(BIN_ROOT)) return null;
  const versions = readdirSync(BIN_ROOT).filter((v) => existsSync(join(BIN_ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(BIN_ROOT, versions[0], 'bin') : null;
}

/** The `skip` option of a test that needs its own server: a reason when initdb is missing. */
export function ownServerSkip(): string | false {
  if (pgBinDir()) return false;
  const why = `no PostgreSQL binaries under ${BIN_ROOT}`;
  if (process.env.STACKY_REQUIRE_PG === '1') throw new Error(`STACKY_REQUIRE_PG=1 but ${why}`);
  return why;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface OwnServer {
  port: number;
  /** postgres://stacky:<password>@127.0.0.1:<port>/stacky */
  url: string;
  password: string;
  stop(): void;
  start(): void;
  restart(): void;
  /** Stops the server and removes its folder. */
  dispose(): void;
}

const asRoot = process.getuid?.() === 0;

function run(bin: string, args: string[], dir: string, env: NodeJS.ProcessEnv = {}): string {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return execFileSync(file, argv, {encoding: 'utf8', cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000,
    env: {...process.env, ...env}});
}

/**
 * initdb with a user `stacky` (scram password) owning a database `stacky`, listening on
 * 127.0.0.1 only, started. `-m fast` stops cut open connections as a crash or failover would.
 */
export async function startOwnServer(): Promise<OwnServer> {
  const bin = pgBinDir();
  if (!bin) throw new Error(`no PostgreSQL binaries under ${BIN_ROOT}`);
  const dir = mkdtempSync(join(tmpdir(), 'stacky-pg-'));
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const data = join(dir, 'data');
  const password = `pw-${Math.random().toString(36).slice(2)}-secret`;
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${password}\n`);
  if (asRoot) execFileSync('chown', ['postgres:postgres', pwfile]);
  run(join(bin, 'initdb'), ['-D', data, '-U', 'stacky', '--pwfile', pwfile, '--auth=scram-sha-256', '-E', 'UTF8',
    '--locale=C.UTF-8', '--no-sync'], dir);
  const port = await freePort();
  const pgctl = (...args: string[]) => run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '20', ...args], dir);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`;
  const start = () => void pgctl('-o', options, 'start');
  start();
  run(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'stacky', '-O', 'stacky', 'stacky'], dir, {PGPASSWORD: password});
  let disposed = false;
  return {
    port, password,
    url: `postgres://stacky:${password}@127.0.0.1:${port}/stacky`,
    stop: () => void pgctl('-m', 'fast', 'stop'),
    start,
    restart: () => void pgctl('-m', 'fast', '-o', options, 'restart'),
    dispose() {
      if (disposed) return;
      disposed = true;
      try {
        pgctl('-m', 'immediate', 'stop');
      } catch {
        // not running
      }
      rmSync(dir, {recursive: true, force: true});
    },
  };
}
