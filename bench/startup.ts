// Start-up of a print command: `stacky uuid <uuid> --url <local server>`, spawn to exit, over 20
// runs, next to a bare `node -e 0` (the floor no command can go below) timed in the same loop and
// the 200 ms budget (issue #15). The two alternate so load on the machine weighs on both alike.
import {spawnSync} from 'node:child_process';
import Database from 'better-sqlite3';
import {fmt, line, percentile, startChild, stopChild, verdict} from './lib.js';

const BUDGET_MS = 200;

function spawnMs(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, {encoding: 'utf8'});
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return ms;
}

export async function benchStartup(dbPath: string, runs = 20): Promise<void> {
  const db = new Database(dbPath, {readonly: true});
  const row = db.prepare("SELECT instance FROM stacktach_rawdata WHERE instance != '' LIMIT 1").get() as {instance: string} | undefined;
  db.close();
  const uuid = row?.instance ?? '2222bbbb-6352-4dbc-8271-96cc54bf14cd';
  const server = await startChild(process.execPath, ['bin/stacky.js', 'serve', '--db', dbPath, '--port', '0']);
  const stacky = ['bin/stacky.js', 'uuid', uuid, '--url', server.url];
  spawnMs(stacky); // warms the file cache and the server's first query
  const print: number[] = [];
  const node: number[] = [];
  for (let i = 0; i < runs; i++) {
    print.push(spawnMs(stacky));
    node.push(spawnMs(['-e', '0']));
  }
  await stopChild(server.child);
  print.sort((a, b) => a - b);
  node.sort((a, b) => a - b);
  const p50 = percentile(print, 50);
  line(`print start-up p50 (uuid, ${runs} runs)`, `${fmt(p50)} ms`, `node -e 0 p50 ${fmt(percentile(node, 50))} ms; < ${BUDGET_MS} ms`,
    verdict(p50 < BUDGET_MS));
  line('print start-up p99', `${fmt(percentile(print, 99))} ms`, `node -e 0 p99 ${fmt(percentile(node, 99))} ms`);
}
