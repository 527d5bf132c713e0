// Print commands stay light: no ink, react or console code in their import graph. (Their
// start-up time is measured by `npm run bench`, never in tests.)
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {before, describe, it} from 'node:test';
import {build, root} from './print-build.js';

/** Every module entry reaches through static (and, unless told, dynamic) imports: relative files and bare packages. */
function importGraph(entry: string, dynamic = true): {files: Set<string>; packages: Set<string>} {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)) {
      if (m[2] || (m[4] && !dynamic)) continue; // type-only imports vanish at run time
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

  it('never imports ink, react, the console or any package (node:http carries the requests)', () => {
    const {files, packages} = importGraph(join(root, 'source', 'commands', 'print.ts'));
    assert.deepEqual([...packages].filter((p) => !p.startsWith('node:')).sort(), []);
    for (const f of files) assert.ok(!f.includes(`${join('source', 'console')}`), f);
  });

  it('dispatch loads only the registry of plain specs before the command runs', () => {
    const {files, packages} = importGraph(join(root, 'source', 'cli.ts'), false);
    assert.deepEqual([...packages].filter((p) => !p.startsWith('node:')), []);
    const loaded = [...files].map((f) => relative(root, f)).sort();
    // The specs themselves (source/commands/specs/*) hold data and constants only.
    assert.deepEqual(loaded.filter((f) => !f.startsWith(join('source', 'commands', 'specs'))), [
      'source/cli.ts', 'source/commands/print/specs.ts', 'source/commands/registry.ts', 'source/core/report-defaults.ts',
      'source/demo/types.ts', 'source/store/location.ts',
    ].map((f) => join(...f.split('/'))));
  });
});
