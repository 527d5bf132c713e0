// `stacky --version` prints package.json's version rather than a copy of it.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {before, test} from 'node:test';
import {bin, build, root} from './commands/print-build.js';

before(build);

test('stacky --version prints the version package.json holds', () => {
  const {version} = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {version: string};
  const r = spawnSync(process.execPath, [bin, '--version'], {encoding: 'utf8'});
  assert.deepEqual({status: r.status, stdout: r.stdout, stderr: r.stderr}, {status: 0, stdout: `${version}\n`, stderr: ''});
});

test('the built version module reads the package.json above it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stacky-version-'));
  try {
    mkdirSync(join(dir, 'dist', 'source'), {recursive: true});
    copyFileSync(join(root, 'dist', 'source', 'version.js'), join(dir, 'dist', 'source', 'version.js'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({type: 'module', version: '9.8.7-test'}));
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import {version} from ${JSON.stringify(join(dir, 'dist', 'source', 'version.js'))}; console.log(version);`], {encoding: 'utf8'});
    assert.deepEqual({status: r.status, stdout: r.stdout, stderr: r.stderr}, {status: 0, stdout: '9.8.7-test\n', stderr: ''});
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});
