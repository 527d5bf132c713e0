// The console under load: `stacky demo --rate 2000` feeds a headless server, the real console
// runs in a tmux pseudo-terminal against it, and we measure the console process alone:
// CPU %, RSS at the end, frames/s, tail lag (backlog) and keystroke-to-screen latency.
// Run by hand: `node --import tsx bench/console.ts [--seconds 600] [--rate 2000]`, or from
// bench/run.ts through benchConsole(). Never part of the tests.
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';
import {fmt, line, percentile, startChild, verdict} from './lib.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const bin = join(root, 'bin', 'stacky.js');

export interface ConsoleBenchResult {
  seconds: number;
  rate: number;
  cpuPercent: number;
  rssMiB: number;
  framesPerSecond: number;
  maxRenderMs: number;
  avgRenderMs: number;
  shownRate: number;
  lagStartS: number;
  lagEndS: number;
  lagMaxS: number;
  keyP50Ms: number;
  keyP99Ms: number;
  keyMaxMs: number;
  /** One tmux capture-pane round trip (part of every latency sample). */
  captureMs: number;
  /** From starting `stacky console` to its first event rows on screen. */
  firstRowsMs: number;
  /** Keystroke → screen with the in-flight view open (derived from the whole ring each frame). */
  inflightKeyP50Ms: number;
  inflightKeyP99Ms: number;
}

interface Stats {
  frames: number;
  renderMs: number;
  maxRenderMs: number;
  at: number;
  lagS: number | null;
  pushed: number;
  rate: number;
  status: string;
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout.trim()) || 100;

export async function benchConsole(opts: {seconds?: number; rate?: number} = {}): Promise<ConsoleBenchResult> {
  const seconds = opts.seconds ?? 600;
  const rate = opts.rate ?? 2000;
  if (spawnSync('tmux', ['-V']).status !== 0) throw new Error('the console bench needs tmux');
  const dir = mkdtempSync(join(tmpdir(), 'stacky-console-bench-'));
  const statsFile = join(dir, 'stats.json');
  const session = `stacky-bench-${process.pid}`;
  const {url, child} = await startChild(process.execPath, [bin, 'demo', '--no-tui', '--rate', String(rate), '--port', '0', '--db', join(dir, 'demo.db')]);
  const tmux = (...args: string[]) => execFileSync('tmux', args, {encoding: 'utf8'});
  const screen = () => tmux('capture-pane', '-p', '-t', session);
  const readStats = async (): Promise<Stats> => {
    for (let i = 0; ; i++) {
      try {
        return JSON.parse(readFileSync(statsFile, 'utf8')) as Stats;
      } catch (error) {
        if (i > 50) throw error;
        await delay(100);
      }
    }
  };
  try {
    const script = join(dir, 'run.sh');
    writeFileSync(script, `#!/bin/sh\ncd ${JSON.stringify(root)}\nexec env -u CI STACKY_CONSOLE_STATS=${JSON.stringify(statsFile)} node bin/stacky.js console --url ${url} --poll 1\n`);
    const waitScreen = async (test: (s: string) => boolean, ms = 5000) => {
      const end = Date.now() + ms;
      for (;;) {
        if (test(screen())) return;
        if (Date.now() > end) throw new Error(`screen did not change in time:\n${screen()}`);
        await delay(2);
      }
    };
    // Time to first rows: from starting the console to event rows on screen (node start-up,
    // Ink, the first watch poll, the first frame), against a server that has rows to show: the
    // demo's first seconds may hold none yet, and waiting for traffic is not start-up.
    for (let i = 0; ; i++) {
      const reply = await (await fetch(`${url}/stacky/watch/0/`)).json() as [unknown, unknown[]];
      if (reply[1].length > 0) break;
      if (i > 200) throw new Error('the demo server shows no rows');
      await delay(50);
    }
    const started = performance.now();
    tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', `sh ${script}`);
    const pid = Number(tmux('display-message', '-p', '-t', session, '#{pane_pid}').trim());
    await waitScreen((s) => /compute\.instance\.\S+/.test(s), 20_000);
    const firstRowsMs = performance.now() - started;
    await waitScreen((s) => /● live/.test(s), 20_000);
    await delay(5000); // warm up: the buffer fills, the JIT settles

    // What the measuring costs by itself: one capture-pane round trip.
    const captures: number[] = [];
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      screen();
      captures.push(performance.now() - start);
    }
    captures.sort((a, b) => a - b);

    const t0 = Date.now();
    const cpu0 = cpuTicks(pid);
    const s0 = await readStats();
    const latencies: number[] = [];
    const lags: number[] = [];
    while (Date.now() - t0 < seconds * 1000) {
      // One keystroke round trip: `?` opens the help, `?` closes it; time until the screen shows it.
      for (const [open, pattern] of [[true, /Anywhere/], [false, /Anywhere/]] as const) {
        const start = performance.now();
        tmux('send-keys', '-t', session, '?');
        await waitScreen((s) => pattern.test(s) === open);
        latencies.push(performance.now() - start);
      }
      const st = await readStats();
      if (st.lagS !== null) lags.push(st.lagS);
      await delay(2000);
    }
    const elapsed = (Date.now() - t0) / 1000;
    const cpu = ((cpuTicks(pid) - cpu0) / clockTicks / elapsed) * 100;
    const s1 = await readStats();
    const rss = rssMiB(pid);
    latencies.sort((a, b) => a - b);

    // The same keystrokes with the in-flight view open: it is derived from the whole ring on
    // every tail frame, so it is the costliest view to keep open at 2,000 events/s.
    tmux('send-keys', '-t', session, '7');
    await waitScreen((s) => /in flight ·/.test(s));
    const inflight: number[] = [];
    const t1 = Date.now();
    while (Date.now() - t1 < Math.min(60, seconds / 4) * 1000) {
      for (const open of [true, false]) {
        const start = performance.now();
        tmux('send-keys', '-t', session, '?');
        await waitScreen((s) => /Anywhere/.test(s) === open);
        inflight.push(performance.now() - start);
      }
      await delay(1000);
    }
    inflight.sort((a, b) => a - b);
    tmux('send-keys', '-t', session, 'q');
    return {
      seconds: elapsed,
      rate,
      cpuPercent: cpu,
      rssMiB: rss,
      framesPerSecond: (s1.frames - s0.frames) / ((s1.at - s0.at) / 1000),
      maxRenderMs: s1.maxRenderMs,
      avgRenderMs: (s1.renderMs - s0.renderMs) / Math.max(1, s1.frames - s0.frames),
      shownRate: s1.rate,
      lagStartS: lags[0] ?? Number.NaN,
      lagEndS: lags.at(-1) ?? Number.NaN,
      lagMaxS: Math.max(...lags),
      keyP50Ms: percentile(latencies, 50),
      keyP99Ms: percentile(latencies, 99),
      keyMaxMs: latencies.at(-1) ?? Number.NaN,
      captureMs: percentile(captures, 50),
      firstRowsMs,
      inflightKeyP50Ms: percentile(inflight, 50),
      inflightKeyP99Ms: percentile(inflight, 99),
    };
  } finally {
    spawnSync('tmux', ['kill-session', '-t', session]);
    child.kill('SIGTERM');
    await delay(500);
    rmSync(dir, {recursive: true, force: true});
  }
}

export function printConsoleBench(r: ConsoleBenchResult): void {
  process.stdout.write(`console: demo --rate ${fmt(r.rate)} for ${fmt(r.seconds)} s, console in tmux 100×30 (poll 1 s)\n`);
  line('console CPU', `${fmt(r.cpuPercent, 1)} %`, '< 50 % of one core', verdict(r.cpuPercent < 50));
  line('console RSS at the end', `${fmt(r.rssMiB, 1)} MiB`, '< 200 MB after 10 min', verdict(r.rssMiB * 1.048576 < 200));
  line('frames/s (Ink renders)', fmt(r.framesPerSecond, 1), '≤ ~15 (batched)', verdict(r.framesPerSecond <= 16));
  line('frame render time avg / max', `${fmt(r.avgRenderMs, 1)} / ${fmt(r.maxRenderMs, 1)} ms`, '', '');
  line('events/s shown by the console', fmt(r.shownRate), `demo feeds ${fmt(r.rate)}/s`, '');
  line('tail lag start → end (max)', `${fmt(r.lagStartS, 1)} → ${fmt(r.lagEndS, 1)} s (${fmt(r.lagMaxS, 1)})`, 'no growing backlog', verdict(r.lagEndS <= r.lagStartS + 2 && r.lagMaxS < 10));
  line('keystroke → screen p50 / p99', `${fmt(r.keyP50Ms, 0)} / ${fmt(r.keyP99Ms, 0)} ms`, `< 100 ms (capture alone ${fmt(r.captureMs, 0)} ms)`, verdict(r.keyP99Ms < 100));
  line('same, in-flight view open p50 / p99', `${fmt(r.inflightKeyP50Ms, 0)} / ${fmt(r.inflightKeyP99Ms, 0)} ms`, '< 100 ms', verdict(r.inflightKeyP99Ms < 100));
  line('stacky console → first rows', `${fmt(r.firstRowsMs, 0)} ms`, '< 500 ms (local server)', verdict(r.firstRowsMs < 500));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const quick = process.argv.includes('--quick');
  const result = await benchConsole({seconds: arg('seconds', quick ? 60 : 600), rate: arg('rate', 2000)});
  printConsoleBench(result);
}
