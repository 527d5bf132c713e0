// Test helper: makes sure dist/ holds a build of the current sources, for tests that run bin/stacky.js.
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
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

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The built binary, asynchronously (a server in this process must keep answering meanwhile).
 * `shell` runs first in bash (ulimit, traps) before the binary replaces it.
 */
export function runStacky(args: string[], options: {input?: string; cwd?: string; env?: NodeJS.ProcessEnv; shell?: string} = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const spawnOptions = {cwd: options.cwd ?? root, env: options.env ?? process.env};
    const child = options.shell
      ? spawn('bash', ['-c', `${options.shell} exec "$0" "$@"`, process.execPath, bin, ...args], spawnOptions)
      : spawn(process.execPath, [bin, ...args], spawnOptions);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({code, stdout, stderr}));
    // The command may stop reading once a server has answered (an early error): not a failure here.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
