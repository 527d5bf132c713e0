// HTTP throughput of /stacky/uuid/ with autocannon at 50 connections, next to a bare node:http
// hello world on the same machine and client. Both servers run as child processes.
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import {fmt, line, processCpu, startChild, stopChild, verdict} from './lib.js';

const HELLO = `require('http').createServer((q, s) => { s.setHeader('Content-Type', 'text/plain'); s.end('hello world\\n'); })
  .listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });`;

interface Run {
  rate: number;
  /** CPU µs a request: the server process (all its threads), and this client (autocannon). */
  server: number;
  client: number;
}

/** A run of autocannon against `url`, with the CPU each side spent a request (what the rate hides on a shared machine). */
function cannon(url: string, seconds: number, paths?: string[], pid?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const opts: autocannon.Options = {url, connections: 50, duration: seconds, pipelining: 1};
    if (paths) {
      opts.requests = [{setupRequest: (req) => ({...req, path: paths[Math.floor(Math.random() * paths.length)]!})}];
    }
    const server0 = pid === undefined ? 0 : processCpu(pid);
    const client0 = process.cpuUsage();
    autocannon(opts, (err, result) => {
      if (err) return reject(err);
      const client = process.cpuUsage(client0);
      const n = Math.max(1, result.requests.total);
      resolve({rate: result.requests.average, server: pid === undefined ? NaN : (processCpu(pid) - server0) / n,
        client: (client.user + client.system) / n});
    });
  });
}

export async function benchHttp(dbPath: string, quick: boolean): Promise<void> {
  const seconds = quick ? 5 : 10;
  const db = new Database(dbPath, {readonly: true});
  const instances = db.prepare(`SELECT DISTINCT instance FROM stacktach_rawdata WHERE instance IS NOT NULL
    AND id % 97 = 0 LIMIT 5000`).pluck().all() as string[];
  db.close();
  const paths = instances.map((u) => `/stacky/uuid/?uuid=${u}`);

  const hello = await startChild(process.execPath, ['-e', HELLO]);
  await cannon(hello.url, 1);
  const helloRun = await cannon(hello.url, seconds, undefined, hello.child.pid);
  const helloRate = helloRun.rate;
  await stopChild(hello.child);

  // Cached: repeated URLs on a quiet database come from memory. Uncached: every answer is built,
  // on the read threads (serve's default) and on the serving thread alone (--read-threads 0).
  const runs: Run[] = [];
  for (const [cache, threads] of [['1', []], ['0', []], ['0', ['--read-threads', '0']]] as const) {
    process.env.STACKY_HTTP_CACHE = cache;
    const stacky = await startChild(process.execPath, ['bin/stacky.js', 'serve', '--db', dbPath, '--port', '0', ...threads]);
    await cannon(stacky.url, 2, paths);
    runs.push(await cannon(stacky.url, seconds, paths, stacky.child.pid));
    await stopChild(stacky.child);
  }
  delete process.env.STACKY_HTTP_CACHE;
  const [cached, uncached, alone] = runs as [Run, Run, Run];
  // Per request, the CPU both sides spent: on two shared cores the rates follow these.
  const cpu = (label: string, r: Run) =>
    line(label, `${fmt(r.server)} + ${fmt(r.client)} µs`, 'CPU a request: server + client (autocannon)');
  line('http /stacky/uuid/ (50 conns)', `${fmt(cached.rate)} req/s`, `hello world ${fmt(helloRate)} req/s`,
    verdict(cached.rate >= 0.25 * helloRate));
  line('  (target)', '>= 25% of hello', `(${fmt((cached.rate / helloRate) * 100, 1)}%; ${paths.length} distinct uuids)`);
  cpu('  hello world', helloRun);
  cpu('  cached', cached);
  line('  without the response cache', `${fmt(uncached.rate)} req/s`, `>= 25% of hello (${fmt((uncached.rate / helloRate) * 100, 1)}%)`,
    verdict(uncached.rate >= 0.25 * helloRate));
  cpu('    without the cache', uncached);
  line('    on the serving thread alone', `${fmt(alone.rate)} req/s`, `(${fmt((alone.rate / helloRate) * 100, 1)}%; --read-threads 0)`);
  cpu('    on the serving thread alone', alone);
}
