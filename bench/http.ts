// HTTP throughput of /stacky/uuid/ with autocannon at 50 connections, next to a bare node:http
// hello world on the same machine and client. Both servers run as child processes.
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import {fmt, line, startChild, stopChild, verdict} from './lib.js';

const HELLO = `require('http').createServer((q, s) => { s.setHeader('Content-Type', 'text/plain'); s.end('hello world\\n'); })
  .listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });`;

function cannon(url: string, seconds: number, paths?: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const opts: autocannon.Options = {url, connections: 50, duration: seconds, pipelining: 1};
    if (paths) {
      opts.requests = [{setupRequest: (req) => ({...req, path: paths[Math.floor(Math.random() * paths.length)]!})}];
    }
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result.requests.average)));
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
  const helloRate = await cannon(hello.url, seconds);
  await stopChild(hello.child);

  // Cached: repeated URLs on a quiet database come from memory. Uncached: every answer is built,
  // on the read threads (serve's default) and on the serving thread alone (--read-threads 0).
  const rates: number[] = [];
  for (const [cache, threads] of [['1', []], ['0', []], ['0', ['--read-threads', '0']]] as const) {
    process.env.STACKY_HTTP_CACHE = cache;
    const stacky = await startChild(process.execPath, ['bin/stacky.js', 'serve', '--db', dbPath, '--port', '0', ...threads]);
    await cannon(stacky.url, 2, paths);
    rates.push(await cannon(stacky.url, seconds, paths));
    await stopChild(stacky.child);
  }
  delete process.env.STACKY_HTTP_CACHE;
  const [cached, uncached, alone] = rates as [number, number, number];
  line('http /stacky/uuid/ (50 conns)', `${fmt(cached)} req/s`, `hello world ${fmt(helloRate)} req/s`,
    verdict(cached >= 0.25 * helloRate));
  line('  (target)', '>= 25% of hello', `(${fmt((cached / helloRate) * 100, 1)}%; ${paths.length} distinct uuids)`);
  line('  without the response cache', `${fmt(uncached)} req/s`, `>= 25% of hello (${fmt((uncached / helloRate) * 100, 1)}%)`,
    verdict(uncached >= 0.25 * helloRate));
  line('    on the serving thread alone', `${fmt(alone)} req/s`, `(${fmt((alone / helloRate) * 100, 1)}%; --read-threads 0)`);
}
