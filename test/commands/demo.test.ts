// The real `stacky demo --write` binary: the corpus it writes for each --shape is the demo
// generator's stream for that shape, flat when none is asked for; a bad --shape is a usage error.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {bin, build} from './print-build.js';
import Database from 'better-sqlite3';
import {demoStream} from '../../source/demo/corpus.js';
import type {DemoOptions} from '../../source/demo/types.js';

let dir: string;


before(() => {
  build();
  dir = mkdtempSync(join(tmpdir(), 'stacky-demo-cmd-'));
});
after(() => rmSync(dir, {recursive: true, force: true}));

function stacky(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {encoding: 'utf8'});
  return {code: r.status, stdout: r.stdout, stderr: r.stderr};
}

function expected(count: number, options: DemoOptions): string {
  let text = '';
  for (const e of demoStream(count, options)) text += JSON.stringify(e) + '\n';
  return text;
}

describe('stacky demo --write', () => {
  it('writes the flat stream when no shape is asked for', () => {
    const file = join(dir, 'default.jsonl');
    assert.deepEqual(stacky('demo', '--write', file, '--count', '1500'), {code: 0, stdout: `wrote 1500 notifications to ${file}\n`, stderr: ''});
    assert.equal(readFileSync(file, 'utf8'), expected(1500, {seed: 1, shape: 'flat'}));
  });

  for (const shape of ['flat', 'enveloped', 'versioned', 'mixed'] as const) {
    it(`writes the ${shape} stream with --shape ${shape}`, () => {
      const file = join(dir, `${shape}.jsonl`);
      assert.equal(stacky('demo', '--write', file, '--count', '800', '--seed', '4', '--shape', shape).code, 0);
      assert.equal(readFileSync(file, 'utf8'), expected(800, {seed: 4, shape}));
    });
  }

  it('refuses an unknown shape with a usage error and writes nothing', () => {
    const file = join(dir, 'round.jsonl');
    assert.deepEqual(stacky('demo', '--write', file, '--shape', 'round'), {
      code: 2, stdout: '',
      stderr: "stacky demo: --shape must be one of flat, enveloped, versioned, mixed, got 'round'; see stacky demo --help\n",
    });
    assert.equal(existsSync(file), false);
  });

  it('documents --shape in its help and in stacky help demo', () => {
    const help = stacky('demo', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: stacky demo \[flags\]\n/);
    assert.match(help.stdout, /\n {2}--shape S {5}how the notifications travel \(default: mixed live, flat for\n {16}--write\):\n/);
    for (const shape of ['flat', 'enveloped', 'versioned', 'mixed']) assert.match(help.stdout, new RegExp(`\\n {18}${shape} +\\S`));
    assert.equal(stacky('help', 'demo').stdout, help.stdout);
  });
});

describe('a mixed demo corpus through stacky ingest', () => {
  it('stores every shape the demo speaks: nothing quarantined, versioned rows found by instance, cinder and neutron by resource', () => {
    const file = join(dir, 'mixed-ingest.jsonl');
    const db = join(dir, 'mixed.db');
    assert.equal(stacky('demo', '--write', file, '--count', '3000', '--seed', '7', '--shape', 'mixed').code, 0);
    const ingested = stacky('ingest', '--db', db, file);
    assert.deepEqual(ingested, {code: 0, stdout: 'stored 3000, duplicates 0, rejected 0\n', stderr: ''});
    const quarantined = stacky('quarantine', '--db', db);
    assert.equal(quarantined.stdout, '0 quarantined\n');
    const probe = new Database(db, {readonly: true});
    try {
      const n = (sql: string) => (probe.prepare(sql).get() as {n: number}).n;
      assert.ok(n("SELECT count(*) AS n FROM stacktach_rawdata WHERE event LIKE 'instance.%' AND instance IS NOT NULL") > 100);
      assert.equal(n("SELECT count(*) AS n FROM stacktach_rawdata WHERE event LIKE 'instance.%' AND instance IS NULL"), 0);
      assert.ok(n("SELECT count(*) AS n FROM stacktach_timing WHERE name LIKE 'instance.%' AND diff IS NOT NULL") > 10);
      assert.equal(n("SELECT count(*) AS n FROM stacktach_genericrawdata WHERE event LIKE 'volume.%' AND resource IS NULL"), 0);
      // A port.create.start carries the request, before the port has an id.
      assert.equal(n(`SELECT count(*) AS n FROM stacktach_genericrawdata WHERE event LIKE 'port.%'
        AND event != 'port.create.start' AND resource IS NULL`), 0);
      assert.equal(n("SELECT count(*) AS n FROM stacktach_genericrawdata WHERE event = 'volume.attach.end' AND instance IS NULL"), 0);
      assert.ok(n("SELECT count(*) AS n FROM stacktach_rawdata WHERE routing_key LIKE 'notifications.%'") > 100);
    } finally {
      probe.close();
    }
  });
});
