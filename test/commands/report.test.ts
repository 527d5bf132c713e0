// `stacky report summary` as its own process: the printed JSON, --store and the API serving the
// stored report, the empty window, flags and exit codes.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {openDatabase} from '../../source/store/sqlite/database.js';
import {buildSummaryReport} from '../../source/reports/summary.js';
import {items, MAIN, HOUR_START, at} from '../reports/corpus.js';
import {startServer} from '../server/helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = "const {main} = await import('./source/cli.ts'); process.exitCode = await main(process.argv.slice(1));";

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function stacky(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', ENTRY, ...args], {
      cwd: ROOT, env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({code, stdout, stderr}));
  });
}

function corpusDb(): {dir: string; path: string} {
  const dir = mkdtempSync(join(tmpdir(), 'stacky-report-'));
  const path = join(dir, 'stacky.db');
  const db = openDatabase(path);
  db.close();
  return {dir, path};
}

test('prints the report JSON for the window; --store saves it and the API serves it', async () => {
  const server = await startServer();
  try {
    await server.pipeline.ingest(MAIN.flatMap(items));
    const expected = (await buildSummaryReport(server.store.reportSource, {start: HOUR_START, hours: 1})).json;

    const printed = await stacky(['report', 'summary', '--db', server.dbPath, '--start', '2014-01-14 19:00:00', '--hours', '1']);
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal(printed.stdout, `${expected}\n`);
    assert.equal(printed.stderr, '');
    assert.equal((await server.json('/stacky/reports/?created_from=0&created_to=99999999999') as unknown[]).length, 1);

    const before = Date.now() * 1000;
    const storedRun = await stacky(['report', 'summary', '--db', server.dbPath, '--start', '2014-01-14 19:00:00',
      '--hours', '1', '--store']);
    const after = Date.now() * 1000;
    assert.equal(storedRun.code, 0, storedRun.stderr);
    assert.equal(storedRun.stdout, `${expected}\n`);
    assert.equal(storedRun.stderr, 'stored report 1: summary for region: all\n');

    const row = server.sqlite().db.prepare('SELECT * FROM stacktach_jsonreport').get() as Record<string, unknown>;
    assert.equal(row.id, 1);
    assert.equal(row.name, 'summary for region: all');
    assert.equal(row.version, 4);
    assert.equal(row.period_start, at('2014-01-14 19:00:00'));
    assert.equal(row.period_end, at('2014-01-14 19:59:59'));
    assert.ok((row.created as number) >= before && (row.created as number) <= after);
    assert.equal(row.json, expected);

    const listed = await server.get('/stacky/reports/?created_from=0&created_to=99999999999');
    assert.equal(listed.status, 200);
    const table = JSON.parse(listed.text) as unknown[][];
    assert.deepEqual(table[0], ['Id', 'Start', 'End', 'Created', 'Name', 'Version']);
    assert.deepEqual(table[1]!.slice(0, 3), [1, 1389726000, 1389729599]);
    assert.deepEqual(table[1]!.slice(4), ['summary for region: all', 4]);
    assert.match(listed.text, /\[1, 1389726000\.0, 1389729599\.0, /);

    const one = await server.get('/stacky/report/1/');
    assert.equal(one.status, 200);
    assert.equal(one.text, expected);

    const search = await server.json('/stacky/reports/search/?name=summary%20for%20region:%20all') as unknown[][];
    assert.deepEqual(search[1]!.slice(0, 3), [1, '2014-01-14 19:00:00', '2014-01-14 19:59:59']);

    const west = await stacky(['report', 'summary', '--db', server.dbPath, '--start', '2014-01-14 19:00:00',
      '--hours', '1', '--region', 'West', '--store']);
    assert.equal(west.code, 0, west.stderr);
    assert.equal(west.stderr, 'stored report 2: summary for region: West\n');
    const westReport = JSON.parse(west.stdout) as unknown[];
    const westMeta = westReport[0] as Record<string, unknown>;
    assert.equal(westMeta.region, 'WEST');
    assert.deepEqual(westMeta.cells, ['west-1']);
    assert.deepEqual((westReport.slice(2) as unknown[][]).map((r) => r.slice(0, 8)), [['create', 'snap', 'windows', '50s', '50s', '50s', '50s', 1]]);
  } finally {
    await server.close();
  }
});

test('an empty window prints a valid zero report; percentile and too-long flags reach the report', async () => {
  const {dir, path} = corpusDb();
  try {
    const empty = await stacky(['report', 'summary', '--db', path, '--start', '2014-01-15 00:00:00', '--hours', '2',
      '--percentile', '90', '--too-long', '600']);
    assert.equal(empty.code, 0, empty.stderr);
    const [meta, header, ...rows] = JSON.parse(empty.stdout) as [Record<string, unknown>, string[], ...unknown[]];
    assert.deepEqual(rows, []);
    assert.equal(meta.total, 0);
    assert.equal(meta.failure_grand_rate, 0);
    assert.equal(meta.hours, 2);
    assert.equal(meta.end, 1389751199);
    assert.equal(meta['> 10 failure percentage'], 0);
    assert.deepEqual(header.slice(6, 7), ['90%']);
    assert.match(empty.stdout, /"pct": 0\.05, /);
    assert.match(empty.stdout, /"> 10 failure percentage": 0\.0, /);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});

test('flags: usage errors exit 2, no region or no database exit 1', async () => {
  const {dir, path} = corpusDb();
  try {
    const db = openDatabase(path);
    db.prepare("INSERT INTO stacktach_deployment (name) VALUES ('east-1')").run();
    db.close();
    const noRegion = await stacky(['report', 'summary', '--db', path, '--start', '2014-01-14 19:00:00', '--region', 'north']);
    assert.equal(noRegion.code, 1);
    assert.equal(noRegion.stderr, "No regions found for 'north'\n");
    assert.equal(noRegion.stdout, '');

    const noDb = await stacky(['report', 'summary', '--db', join(dir, 'missing.db'), '--start', '2014-01-14 19:00:00']);
    assert.equal(noDb.code, 1);
    assert.match(noDb.stderr, /no database at .*missing\.db/);

    const cases: [string[], RegExp][] = [
      [[], /--start "YYYY-MM-DD HH:MM:SS" is required/],
      [['--start', 'yesterday'], /--start must be "YYYY-MM-DD HH:MM:SS"/],
      [['--start', '2014-01-14 19:00:00', '--hours', '0'], /--hours must be a whole number >= 1/],
      [['--start', '2014-01-14 19:00:00', '--percentile', '101'], /--percentile must be a whole number from 0 to 100, got '101'/],
      [['--start', '2014-01-14 19:00:00', '--too-long', 'long'], /--too-long must be a whole number >= 1/],
      [['--start', '2014-01-14 19:00:00', '--bogus'], /^stacky report summary: unknown flag --bogus; see stacky report summary --help\n$/],
    ];
    for (const [args, message] of cases) {
      const r = await stacky(['report', 'summary', '--db', path, ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
    const help = await stacky(['report', 'summary', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: stacky report summary /);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});
