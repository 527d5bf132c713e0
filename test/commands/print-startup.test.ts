// Print commands stay light: no ink, react or console code in their import graph, and a
// command starts, asks and answers in under 300 ms.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {dirname, join, resolve} from 'node:path';
import {before, describe, it} from 'node:test';
import {bin, build, root} from './print-build.js';

/** Every module print.ts reaches through static or dynamic imports: relative files and bare packages. */
function importGraph(entry: string): {files: Set<string>; packages: Set<string>} {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)) {
      if (m[2]) continue; // type-only imports vanish at run time
      const spec = m[3] ?? m[4]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(entry);
  return {files, packages};
}

describe('print start-up', () => {
  before(build);

  it('never imports ink, react or the console', () => {
    const {files, packages} = importGraph(join(root, 'source', 'commands', 'print.ts'));
    assert.deepEqual([...packages].filter((p) => !p.startsWith('node:')).sort(), ['axios']);
    for (const f of files) assert.ok(!f.includes(`${join('source', 'console')}`), f);
  });

  it('answers in under 300 ms', async () => {
    const port = await new Promise<number>((done) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as {port: number}).port;
        probe.close(() => done(p));
      });
    });
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const r = spawnSync(process.execPath, [bin, 'deployments', '--url', `http://127.0.0.1:${port}`], {encoding: 'utf8', env: {...process.env, STACKY_CONFIG_DIR: '/nonexistent/stacky'}});
      times.push(performance.now() - t);
      assert.equal(r.status, 1); // unreachable: the whole path runs, minus the server's own time
    }
    assert.ok(Math.min(...times) < 300, `fastest of 5 runs took ${Math.min(...times).toFixed(0)} ms`);
  });
});
