// Live under load (issue #18): `stacky demo` at 2,000/s in the serving process, 50 clients each
// tailing /stacky/watch/0/ once a second from the `now` its last reply handed back (as the
// console does) and opening one instance seen in the tail. Reads timed here; the serving process
// (bench/live-server.ts) reports what it stored and its event-loop delay.
//   node --import tsx bench/live.ts [--quick]
import {spawn} from 'node:child_process';
import {mkdirSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {Agent, get} from 'node:http';
import {fmt, line, percentile, verdict} from './lib.js';

const RATE = 2000;
const CLIENTS = 50;

function fetchText(agent: Agent, url: string): Promise<{status: number; body: string}> {
  return new Promise((resolve, reject) => {
    get(url, {agent}, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({status: res.statusCode ?? 0, body}));
      res.on('error', reject);
    }).on('error', reject);
  });
}

export async function benchLive(quick: boolean): Promise<void> {
  const seconds = quick ? 10 : 20;
  const dir = process.env.STACKY_BENCH_DIR ?? '/tmp/stacky-bench';
  mkdirSync(dir, {recursive: true});
  const db = join(dir, `live-${process.pid}.db`);
  const child = spawn(process.execPath, [...(process.env.STACKY_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.STACKY_BENCH_PROF] : []), '--import', 'tsx', 'bench/live-server.ts', db, String(RATE)],
    {stdio: ['pipe', 'pipe', 'inherit']});
  child.stdout!.setEncoding('utf8');
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: string) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bench/live-server.ts exited with ${code}`)));
  });

  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const timed = async (agent: Agent, u: string) => {
    const t = performance.now();
    try {
      const r = await fetchText(agent, u);
      latencies.push(performance.now() - t);
      if (r.status !== 200) errors++;
      return r.status === 200 ? r.body : undefined;
    } catch {
      latencies.push(performance.now() - t);
      errors++;
      return undefined;
    }
  };
  const client = async (n: number) => {
    const agent = new Agent({keepAlive: true, maxSockets: 1});
    await new Promise((r) => setTimeout(r, (n * 1000) / CLIENTS)); // spread over the second
    let since = '';
    while (performance.now() < end) {
      const tick = performance.now();
      const body = await timed(agent, `${url}/stacky/watch/0/${since ? `?since=${encodeURIComponent(since)}` : ''}`);
      if (body !== undefined) {
        const [, rows, until] = JSON.parse(body) as [unknown, unknown[][], string];
        since = until;
        const seen = rows.map((r) => r[6]).filter((i) => typeof i === 'string' && i !== '-') as string[];
        if (seen.length > 0) await timed(agent, `${url}/stacky/uuid/?uuid=${seen[Math.floor(Math.random() * seen.length)]}`);
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - tick))));
    }
    agent.destroy();
  };
  await Promise.all(Array.from({length: CLIENTS}, (_, n) => client(n)));

  const result = new Promise<string>((resolve) => {
    child.stdout!.on('data', () => {
      const l = out.split('\n').find((x) => x.startsWith('{'));
      if (l) resolve(l);
    });
  });
  child.stdin!.write('stop\n');
  const server = JSON.parse(await result) as {seconds: number; stored: number; offered: number; errors: string[]; delayP99: number; delayMax: number};
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, {force: true});

  latencies.sort((a, b) => a - b);
  const [p50, p99, max] = [percentile(latencies, 50), percentile(latencies, 99), latencies[latencies.length - 1] ?? NaN];
  const storedRate = server.stored / server.seconds;
  process.stdout.write(`live: demo at ${fmt(RATE)}/s, ${CLIENTS} clients tailing watch/0 once a second and ` +
    `opening one instance, ${seconds} s; ${fmt(latencies.length)} reads\n`);
  line('live read p50', `${fmt(p50, 1)} ms`);
  line('live read p99', `${fmt(p99, 1)} ms`, '< 100 ms', verdict(p99 < 100));
  line('live read max', `${fmt(max, 1)} ms`, '< 500 ms', verdict(max < 500));
  line('live read errors', `${fmt(errors + server.errors.length)}`, '0', verdict(errors + server.errors.length === 0));
  line('live stored rate', `${fmt(storedRate)} /s`, `>= 95% of ${fmt(RATE)}/s`, verdict(storedRate >= 0.95 * RATE));
  // What the demo offered (source/demo/pacer.ts) is the other yardstick: stored against offered
  // tells the store's share of a shortfall from the generator's.
  const offered = server.offered / server.seconds;
  line('  of what the demo generated', `${fmt((100 * server.stored) / Math.max(1, server.offered), 1)}%`,
    `>= 95% of ${fmt(offered)}/s generated`, verdict(server.stored >= 0.95 * server.offered));
  line('live event-loop delay p99', `${fmt(server.delayP99, 1)} ms`, `< 10 ms (max ${fmt(server.delayMax, 1)} ms)`,
    verdict(server.delayP99 < 10));
}

if (import.meta.url === `file://${process.argv[1]}`) await benchLive(process.argv.includes('--quick'));
