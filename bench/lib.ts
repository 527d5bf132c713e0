// Small helpers shared by the benchmarks: timing, percentiles, child servers, report lines.
import {spawn, type ChildProcess} from 'node:child_process';
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
