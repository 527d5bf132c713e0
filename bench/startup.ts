// Start-up of a print command: `stacky deployments` against a live server, fastest of 10.
import {spawnSync} from 'node:child_process';
import {fmt, line, startChild, stopChild, verdict} from './lib.js';

export async function benchStartup(dbPath: string): Promise<void> {
  const server = await startChild(process.execPath, ['bin/stacky.js', 'serve', '--db', dbPath, '--port', '0']);
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, ['bin/stacky.js', 'deployments', '--url', server.url], {encoding: 'utf8'});
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`stacky deployments failed: ${r.stderr}`);
  }
  const t = performance.now();
  for (let i = 0; i < 10; i++) spawnSync(process.execPath, ['-e', '0']);
  const node = (performance.now() - t) / 10;
  await stopChild(server.child);
  const best = Math.min(...times);
  line('print command start-up', `${fmt(best)} ms`, `bare \`node -e 0\` ${fmt(node)} ms (target < 300 ms)`, verdict(best < 300));
}
