// Small helpers shared by the benchmarks: timing, percentiles, child servers, report lines.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import pg from 'pg';
import {cpus, totalmem} from 'node:os';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
}

export function line(label: string, value: string, limit = '', verdict = ''): void {
  process.stdout.write(`${label.padEnd(34)} ${value.padStart(18)}  ${limit.padEnd(34)} ${verdict}\n`);
}

export function verdict(ok: boolean): string {
  return ok ? 'MET' : 'MISSED';
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', {maximumFractionDigits: digits, minimumFractionDigits: digits});
}

/** Starts a child process that prints `listening on http://HOST:PORT`; resolves with the URL. */
export function startChild(command: string, args: string[]): Promise<{url: string; child: ChildProcess}> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'inherit']});
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({url: m[1]!, child});
    });
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code} before listening`)));
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The local PostgreSQL the peer and the pg benchmarks use (trust auth). */
export const PG_SERVER = {host: process.env.STACKY_BENCH_PG_HOST ?? '127.0.0.1', port: Number(process.env.STACKY_BENCH_PG_PORT ?? 5432),
  user: process.env.STACKY_BENCH_PG_USER ?? 'postgres'};

/** A postgres:// URL of database `name` on PG_SERVER, as `stacky --db` takes it. */
export function pgUrl(name: string): string {
  return `postgres://${encodeURIComponent(PG_SERVER.user)}@${PG_SERVER.host}:${PG_SERVER.port}/${encodeURIComponent(name)}`;
}

/** Runs `fn` on a fresh database of the bench's own name, dropped afterwards (never any other). */
export async function withScratchDatabase<T>(name: string, fn: (name: string) => Promise<T>): Promise<T> {
  if (!/^stacky_bench_\w+$/.test(name)) throw new Error(`bench: ${name} is not a bench database name`);
  const admin = new pg.Client({...PG_SERVER, database: 'postgres'});
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    return await fn(name);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

const TICK_US = 1e6 / Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim() || 100);

/** µs of CPU a process has used (Linux /proc; 0 once it is gone). */
export function processCpu(pid: number): number {
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US;
  } catch {
    return 0;
  }
}

/** The PostgreSQL server's own writers (shared by every database on it, but idle unless someone writes). */
export function serverHelpers(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (/^postgres: .*(walwriter|checkpointer|background writer)/.test(cmd)) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/** CPU seconds used so far by the RabbitMQ broker (beam.smp), or NaN where that can't be read. */
export function brokerCpu(): number {
  try {
    const pid = execFileSync('pgrep', ['-f', 'beam.smp'], {encoding: 'utf8'}).trim().split('\n')[0]!;
    return processCpu(Number(pid)) / 1e6;
  } catch {
    return NaN;
  }
}
