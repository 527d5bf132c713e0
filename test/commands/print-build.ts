// Test helper: makes sure dist/ holds a build of the current sources, for tests that run bin/stacky.js.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const bin = join(root, 'bin', 'stacky.js');

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f))));
}

/** Builds dist/ unless it is newer than every source file (type errors elsewhere do not stop the emit). */
export function build(): void {
  const cli = join(root, 'dist', 'source', 'cli.js');
  if (existsSync(cli) && newest(join(root, 'dist', 'source')) >= newest(join(root, 'source'))) return;
  spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root], {stdio: 'ignore'});
  assert.ok(existsSync(cli), 'the build produced dist/source/cli.js');
}
