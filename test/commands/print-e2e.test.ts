// Every print command as the real binary (node bin/stacky.js) against a real `stacky serve`
// loaded with test/fixtures/print-corpus.jsonl: exact tables, --json, --csv and exit codes.
import assert from 'node:assert/strict';
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {closeSync, mkdtempSync, openSync, readFileSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, it} from 'node:test';
import Database from 'better-sqlite3';
import {bin, build, root} from './print-build.js';
const corpus = join(root, 'test', 'fixtures', 'print-corpus.jsonl');
const U1 = '2222bbbb-6352-4dbc-8271-96cc54bf14cd';
const R1 = 'req-8888bbbb-9e47-4b27-a95e-27996cc40c06';

let dir = '';
let url = '';
let server: ChildProcess | undefined;

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {...process.env, STACKY_CONFIG_DIR: join(dir, 'config'), NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', ...extra};
  delete e.STACKY_URL;
  return e;
}

function stacky(...args: string[]): {code: number | null; stdout: string; stderr: string} {
  const r = spawnSync(process.execPath, [bin, ...args], {env: env({STACKTACH_URL: url}), encoding: 'utf8', timeout: 20_000});
  return {code: r.status, stdout: r.stdout, stderr: r.stderr};
}

/** stdout of a command that must succeed quietly. */
function ok(...args: string[]): string {
  const r = stacky(...args);
  assert.equal(r.stderr, '', `stderr of stacky ${args.join(' ')}`);
  assert.equal(r.code, 0, `exit status of stacky ${args.join(' ')}`);
  return r.stdout;
}

const lines = (...l: string[]) => l.join('\n') + '\n';

async function until<T>(what: string, probe: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function ingest(body: string, query = 'deployment=region-1&exchange=nova'): Promise<unknown> {
  const res = await fetch(`${url}/ingest/?${query}`, {method: 'POST', body});
  assert.equal(res.status, 200);
  return res.json();
}

before(async () => {
  build();
  dir = mkdtempSync(join(tmpdir(), 'stacky-print-e2e-'));
  const db = join(dir, 'stacky.db');
  server = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0'], {env: env(), stdio: ['ignore', 'pipe', 'inherit']});
  let out = '';
  server.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  url = await until('stacky serve', () => /listening on (http:\S+)/.exec(out)?.[1]);
  const stored = await ingest(readFileSync(corpus, 'utf8'));
  assert.equal((stored as {stored: number}).stored, 7);
  // Reports come from report builders; seed the table directly with one of each shape.
  const sql = new Database(db);
  const put = sql.prepare('INSERT INTO stacktach_jsonreport (id, period_start, period_end, created, name, version, json) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const start = 1389657600e6;
  const end = 1389744000e6;
  const created = 1389693600e6; // 2014-01-14 10:00:00
  put.run(1, start, end, created, 'summary for region: region-1', 4, JSON.stringify([
    {region: 'region-1', hours: 24, percentile: 97},
    ['Operation', 'Image', 'OS Type', 'Min', 'Max', 'Med', '97%', 'Requests', 'OK', 'ERR', '% Success'],
    ['create', 'base', 'linux', '0s', '55s', '55s', '55s', 1, 1, 0, '100.00%'],
  ]));
  put.run(2, start, end, created + 60e6, 'error details', 1, JSON.stringify([{name: 'error details', report_format: 'json'}, ['UUID', 'Error'], ['3333cccc-41d3-4d6d-8467-e584edc61dab', 'No valid host was found']]));
  put.run(3, start, end, created + 120e6, 'raw text', 1, JSON.stringify([{raw_text: true}, 'first line', 'second line']));
  put.run(4, start, end, created + 180e6, 'nova usage audit', 7, JSON.stringify({launches: 1, deletes: 1}));
  sql.close();
});

after(() => {
  server?.kill('SIGTERM');
  if (dir) rmSync(dir, {recursive: true, force: true});
});

const novaHeader = [
  '+---+---+----------------------------+------------+-------------------------------+--------+----------+--------+-------+',
  "| # | ? |            When            | Deployment |             Event             |  Host  |  State   | State' | Task' |",
  '+---+---+----------------------------+------------+-------------------------------+--------+----------+--------+-------+',
];
const novaRule = novaHeader[0]!;
const row1 = '| 1 |   |    2014-01-14 15:39:00     |  region-1  |    compute.instance.update    | api-01 | building |  None  |  None |';
const row2 = '| 2 |   | 2014-01-14 15:39:10.250000 |  region-1  | compute.instance.create.start |  c-01  | building |        |       |';
const row3 = '| 3 |   | 2014-01-14 15:40:05.750000 |  region-1  |  compute.instance.create.end  |  c-01  |  active  |        |       |';
const row5 = '| 5 |   |    2014-01-15 09:00:00     |  region-1  | compute.instance.delete.start |  c-01  |  active  |        |       |';
const row6 = '| 6 |   | 2014-01-15 09:00:02.500000 |  region-1  |  compute.instance.delete.end  |  c-01  | deleted  |        |       |';
const novaCsvHeader = "#,?,When,Deployment,Event,Host,State,State',Task'";
const u1Csv = [
  '1, ,2014-01-14 15:39:00,region-1,compute.instance.update,api-01,building,,',
  '2, ,2014-01-14 15:39:10.250000,region-1,compute.instance.create.start,c-01,building,,',
  '3, ,2014-01-14 15:40:05.750000,region-1,compute.instance.create.end,c-01,active,,',
  '5, ,2014-01-15 09:00:00,region-1,compute.instance.delete.start,c-01,active,,',
  '6, ,2014-01-15 09:00:02.500000,region-1,compute.instance.delete.end,c-01,deleted,,',
];

describe('print commands against stacky serve', () => {
  it('deployments', () => {
    assert.equal(ok('deployments'), lines('+---+----------+', '| # |   Name   |', '+---+----------+', '| 1 | region-1 |', '| 2 | region-2 |', '+---+----------+'));
    assert.equal(ok('deployments', '--json'), '[["#", "Name"], [1, "region-1"], [2, "region-2"]]\n');
    assert.equal(ok('deployments', '--csv'), lines('#,Name', '1,region-1', '2,region-2'));
  });

  it('events and hosts', () => {
    assert.equal(ok('events'), lines(
      '+-------------------------------+',
      '|           Event Name          |',
      '+-------------------------------+',
      '|  compute.instance.create.end  |',
      '| compute.instance.create.error |',
      '| compute.instance.create.start |',
      '|  compute.instance.delete.end  |',
      '| compute.instance.delete.start |',
      '|    compute.instance.update    |',
      '|          image.upload         |',
      '+-------------------------------+',
    ));
    assert.equal(ok('events', '--service', 'glance', '--csv'), lines('Event Name', 'image.upload'));
    assert.equal(ok('hosts'), lines('+-----------+', '| Host Name |', '+-----------+', '|   api-01  |', '|    c-01   |', '|    c-02   |', '+-----------+'));
    assert.equal(ok('hosts', '--service', 'glance', '--json'), '[["Host Name"], ["glance-01"]]\n');
  });

  it('uuid prints the events, then the timings', () => {
    assert.equal(ok('uuid', U1), lines(
      `Events related to ${U1}`,
      ...novaHeader, row1, row2, row3, row5, row6, novaRule,
      '+---+-------------------------+----------------+',
      '| ? |          Event          |  Time (secs)   |',
      '+---+-------------------------+----------------+',
      '| . | compute.instance.create | 0d 00:00:55.50 |',
      '| . | compute.instance.delete | 0d 00:00:02.50 |',
      '+---+-------------------------+----------------+',
    ));
    assert.equal(ok('uuid', U1, '--csv', '--limit', '2'), lines(
      novaCsvHeader, ...u1Csv.slice(0, 2), '',
      '?,Event,Time (secs)', '.,compute.instance.create,0d 00:00:55.50', '.,compute.instance.delete,0d 00:00:02.50',
    ));
    const json = ok('uuid', U1, '--json', '--when-min', '2014-01-15 00:00:00');
    assert.match(json, /^\{"events": \[\["#", "\?", "When", [^\n]*\]\], "timings": \[\["\?", "Event", "Time \(secs\)"\], [^\n]*\]\]\}\n$/);
    const doc = JSON.parse(json) as {events: unknown[][]; timings: unknown[][]};
    assert.deepEqual(Object.keys(doc), ['events', 'timings']);
    assert.deepEqual(doc.events.map((r) => r[0]), ['#', 5, 6]);
    assert.deepEqual(doc.timings.map((r) => r[1]), ['Event', 'compute.instance.create', 'compute.instance.delete']);
  });

  it('fits 80 columns without cutting an id, an event name or a time; --wide shows every column', () => {
    const narrow = [
      '+---+---+----------------------------+-------------------------------+--------+',
      '| # | ? |            When            |             Event             |  Host  |',
      '+---+---+----------------------------+-------------------------------+--------+',
      '| 1 |   |    2014-01-14 15:39:00     |    compute.instance.update    | api-01 |',
      '| 2 |   | 2014-01-14 15:39:10.250000 | compute.instance.create.start |  c-01  |',
      '| 3 |   | 2014-01-14 15:40:05.750000 |  compute.instance.create.end  |  c-01  |',
      '| 5 |   |    2014-01-15 09:00:00     | compute.instance.delete.start |  c-01  |',
      '| 6 |   | 2014-01-15 09:00:02.500000 |  compute.instance.delete.end  |  c-01  |',
      '+---+---+----------------------------+-------------------------------+--------+',
    ];
    const timings = [
      '+---+-------------------------+----------------+',
      '| ? |          Event          |  Time (secs)   |',
      '+---+-------------------------+----------------+',
      '| . | compute.instance.create | 0d 00:00:55.50 |',
      '| . | compute.instance.delete | 0d 00:00:02.50 |',
      '+---+-------------------------+----------------+',
    ];
    assert.equal(ok('uuid', U1, '--width', '80'), lines(`Events related to ${U1}`, ...narrow, ...timings));
    assert.equal(ok('uuid', U1, '--wide'), lines(`Events related to ${U1}`, ...novaHeader, row1, row2, row3, row5, row6, novaRule, ...timings));
    assert.deepEqual(stacky('uuid', U1, '--wide', '--width', '80'), {
      code: 2, stdout: '', stderr: 'stacky uuid: use either --wide or --width N, not both; see stacky uuid --help\n',
    });
  });

  it('timings with and without an end-time range', () => {
    assert.equal(ok('timings', 'compute.instance.create'), lines(
      '+--------------------------------------+----------------+',
      '|       compute.instance.create        |      Time      |',
      '+--------------------------------------+----------------+',
      `| ${U1} | 0d 00:00:55.50 |`,
      '+--------------------------------------+----------------+',
    ));
    assert.equal(ok('timings', 'compute.instance.create', '2014-01-15 00:00:00', '--csv'), 'compute.instance.create,Time\n');
    assert.equal(ok('timings', 'compute.instance.create', '2014-01-14 00:00:00', '2014-01-15 00:00:00'), ok('timings', 'compute.instance.create'));
    assert.equal(ok('timings', 'compute.instance.create', '--when-max', '1389657600'), 'No results\n');
  });

  it('summary', () => {
    assert.equal(ok('summary'), lines(
      '+-------------------------+---+---------------+---------------+-------------+',
      '|          Event          | N |      Min      |      Max      |     Avg     |',
      '+-------------------------+---+---------------+---------------+-------------+',
      '| compute.instance.create | 1 | 0d 00:00:55.5 | 0d 00:00:55.5 | 0d 00:00:55 |',
      '| compute.instance.delete | 1 | 0d 00:00:02.5 | 0d 00:00:02.5 | 0d 00:00:02 |',
      '+-------------------------+---+---------------+---------------+-------------+',
    ));
    assert.equal(ok('summary', '--csv'), lines('Event,N,Min,Max,Avg', 'compute.instance.create,1,0d 00:00:55.5,0d 00:00:55.5,0d 00:00:55', 'compute.instance.delete,1,0d 00:00:02.5,0d 00:00:02.5,0d 00:00:02'));
  });

  it('request', () => {
    assert.equal(ok('request', R1), lines(...novaHeader, row1, row2, row3, novaRule));
    assert.equal(ok('request', R1, '--csv', '--offset', '1', '--limit', '1'), lines(novaCsvHeader, u1Csv[1]!));
    assert.equal(ok('request', 'req-00000000-0000-4000-8000-000000000000'), 'No results\n');
  });

  it('search, with the limit as an argument or a flag', () => {
    assert.equal(ok('search', 'nova', 'host', 'c-02'), lines(
      '+---+---+----------------------------+------------+-------------------------------+------+-------+----------+-------+',
      "| # | ? |            When            | Deployment |             Event             | Host | State |  State'  | Task' |",
      '+---+---+----------------------------+------------+-------------------------------+------+-------+----------+-------+',
      '| 4 | E | 2014-01-14 16:00:00.500000 |  region-1  | compute.instance.create.error | c-02 | error | building |       |',
      '+---+---+----------------------------+------------+-------------------------------+------+-------+----------+-------+',
    ));
    assert.equal(ok('search', 'nova', 'tenant', 'testtenantid1', '2', '--csv'), lines(novaCsvHeader, u1Csv[4]!, u1Csv[3]!));
    assert.equal(ok('search', 'host', 'c-01', '--service', 'nova', '--limit', '1', '--csv'), lines(novaCsvHeader, u1Csv[4]!));
    assert.equal(ok('search', 'glance', 'uuid', '5555eeee-6352-4dbc-8271-96cc54bf14ce', '--csv'), lines(
      '#,?,When,Deployment,Event,Host,Status', '1, ,2014-01-14 15:45:00,region-2,image.upload,glance-01,saving'));
    assert.equal(ok('search', 'nova', 'host', 'nowhere'), 'Event with host nowhere not found\n');
    assert.equal(ok('search', 'nova', 'host', 'nowhere', '--json'), '[]\n');
    assert.equal(ok('search', 'nova', 'host', 'nowhere', '--csv'), '');
  });

  it('show prints the key/value table, the JSON, then the related events', () => {
    const kv = lines(
      '+------------+------------------------------------------+',
      '|    Key     |                  Value                   |',
      '+------------+------------------------------------------+',
      '|     #      |                    3                     |',
      '|    When    |        2014-01-14 15:40:05.750000        |',
      '| Deployment |                 region-1                 |',
      '|  Category  |               monitor.info               |',
      '| Publisher  |               compute.c-01               |',
      '|   State    |                  active                  |',
      '|   Event    |       compute.instance.create.end        |',
      '|  Service   |                 compute                  |',
      '|    Host    |                   c-01                   |',
      `|    UUID    |   ${U1}   |`,
      `|   Req ID   | ${R1} |`,
      '+------------+------------------------------------------+',
    );
    const body = JSON.parse(readFileSync(corpus, 'utf8').split('\n')[2]!);
    const json = JSON.stringify(['monitor.info', body], null, 2) + '\n';
    assert.equal(ok('show', '3'), kv + json + lines(...novaHeader, row1, row2, row3, row5, row6, novaRule));
    assert.equal(ok('show', 'nova', '3'), ok('show', '3'));
    const csv = ok('show', '3', '--csv');
    assert.ok(csv.startsWith(lines('Key,Value', '#,3', 'When,2014-01-14 15:40:05.750000')), csv);
    assert.ok(csv.endsWith(lines(`Req ID,${R1}`, '', novaCsvHeader, ...u1Csv)), csv);
    const reply = ok('show', '3', '--json');
    assert.ok(reply.endsWith('}\n') && reply.indexOf('\n') === reply.length - 1, reply);
    const doc = JSON.parse(reply) as {event: unknown[]; related: unknown[][]};
    assert.deepEqual(Object.keys(doc), ['event', 'related']);
    assert.deepEqual(JSON.parse(doc.event[1] as string), ['monitor.info', body]);
    assert.equal(doc.related.length, 6);
  });

  it('show glance, and a missing event', () => {
    const text = ok('show', 'glance', '1');
    assert.match(text, /^\| {3}Status {3}\| {16}saving {16}\|$/m);
    assert.ok(text.endsWith(lines(
      '+---+---+---------------------+------------+--------------+-----------+--------+',
      '| # | ? |         When        | Deployment |    Event     |    Host   | Status |',
      '+---+---+---------------------+------------+--------------+-----------+--------+',
      '| 1 |   | 2014-01-14 15:45:00 |  region-2  | image.upload | glance-01 | saving |',
      '+---+---+---------------------+------------+--------------+-----------+--------+',
    )), text);
    assert.deepEqual(stacky('show', '99'), {code: 1, stdout: '', stderr: 'stacky show: event 99 not found in nova (Server reported: ObjectDoesNotExist)\n'});
  });

  it('kpi, with and without a tenant', () => {
    // The corpus is from 2014 and kpi looks at the last 24 hours: header only.
    assert.equal(ok('kpi'), 'No results\n');
    assert.equal(ok('kpi', 'testtenantid1'), 'Filtering by Tenant ID: testtenantid1\nNo results\n');
    assert.equal(ok('kpi', '--csv'), 'Event,Time,UUID,Deployment\n');
    assert.deepEqual(stacky('kpi', 'nobody'), {code: 1, stdout: '', stderr: 'stacky kpi: Not Found: Could not find raws for tenant nobody (HTTP 404)\n'});
  });

  it('reports reformats the dates like the original; --csv keeps the numbers', () => {
    assert.equal(ok('reports', '2014-01-14', '00:00', '2014-01-15', '00:00'), lines(
      'Querying for reports created from 2014-01-14 00:00:00 to 2014-01-15 00:00:00',
      '+----+--------------+--------------+------------+------------------------------+---------+',
      '| Id |    Start     |     End      |  Created   |             Name             | Version |',
      '+----+--------------+--------------+------------+------------------------------+---------+',
      '| 1  | Jan 14 00:00 | Jan 15 00:00 | Tue Jan 14 | summary for region: region-1 |    4    |',
      '| 2  | Jan 14 00:00 | Jan 15 00:00 | Tue Jan 14 |        error details         |    1    |',
      '| 3  | Jan 14 00:00 | Jan 15 00:00 | Tue Jan 14 |           raw text           |    1    |',
      '| 4  | Jan 14 00:00 | Jan 15 00:00 | Tue Jan 14 |       nova usage audit       |    7    |',
      '+----+--------------+--------------+------------+------------------------------+---------+',
    ));
    assert.equal(ok('reports', '--when-min', '2014-01-14 10:01:00', '--when-max', '2014-01-14 10:02:00', '--csv'), lines(
      'Id,Start,End,Created,Name,Version', '2,1389657600,1389744000,1389693660,error details,1', '3,1389657600,1389744000,1389693720,raw text,1'));
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(ok('reports'), `Querying for reports created from ${today} 00:00:00 to ${today} 23:59:00\nNo results\n`);
  });

  it('report prints metadata then the table, or the json / raw_text forms', () => {
    assert.equal(ok('report', '1'), lines(
      'Report Metadata',
      '+------------+----------+',
      '|    Key     |  Value   |',
      '+------------+----------+',
      '|   region   | region-1 |',
      '|   hours    |    24    |',
      '| percentile |    97    |',
      '+------------+----------+',
      'Report Details',
      '+-----------+-------+---------+-----+-----+-----+-----+----------+----+-----+-----------+',
      '| Operation | Image | OS Type | Min | Max | Med | 97% | Requests | OK | ERR | % Success |',
      '+-----------+-------+---------+-----+-----+-----+-----+----------+----+-----+-----------+',
      '|   create  |  base |  linux  |  0s | 55s | 55s | 55s |    1     | 1  |  0  |  100.00%  |',
      '+-----------+-------+---------+-----+-----+-----+-----+----------+----+-----+-----------+',
    ));
    assert.equal(ok('report', '1', '--csv'), lines('Operation,Image,OS Type,Min,Max,Med,97%,Requests,OK,ERR,% Success', 'create,base,linux,0s,55s,55s,55s,1,1,0,100.00%'));
    assert.deepEqual(JSON.parse(ok('report', '1', '--json'))[0], {region: 'region-1', hours: 24, percentile: 97});
    assert.equal(ok('report', '2'), JSON.stringify([['UUID', 'Error'], ['3333cccc-41d3-4d6d-8467-e584edc61dab', 'No valid host was found']], null, 4) + '\n');
    assert.equal(ok('report', '3'), 'first line\nsecond line\n');
    assert.equal(ok('report', '4'), '{\n  "launches": 1,\n  "deletes": 1\n}\n');
    assert.equal(ok('report', '4', '--csv'), 'Key,Value\nlaunches,1\ndeletes,1\n');
    const missing = stacky('report', '99');
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /^stacky report: .*\(HTTP 404\)\n$/);
  });

  it('usage', () => {
    const text = ok('usage', 'launches', U1, '--csv');
    assert.match(text, /^UUID,Launched At,Instance Type Id,Instance Flavor Id\n2222bbbb-6352-4dbc-8271-96cc54bf14cd,2014-01-14 15:40:05,[^,]+,2\n$/);
    assert.equal(stacky('usage', 'launches', 'not-a-uuid').code, 1);
  });

  it('exits 1 with the server\'s message for a bad uuid or request id', () => {
    assert.deepEqual(stacky('uuid', 'nope'), {code: 1, stdout: '', stderr: 'stacky uuid: Bad Request: nope is not uuid-like (HTTP 400)\n'});
    assert.deepEqual(stacky('request', 'nope'), {code: 1, stdout: '', stderr: 'stacky request: Bad Request: nope is not request-id-like (HTTP 400)\n'});
    const field = stacky('search', 'nova', 'colour', 'blue');
    assert.equal(field.code, 1);
    assert.match(field.stderr, /^stacky search: Bad Request: The requested field 'colour' does not exist/);
  });

  it('exits 2 for usage errors, before asking the server', () => {
    const cases: [string[], string][] = [
      [['uuid'], 'missing <uuid>'],
      [['search', 'nova', 'host'], 'missing <value>'],
      [['show', 'abc'], "event-id must be a number (got 'abc')"],
      [['deployments', 'extra'], "unexpected argument 'extra'"],
      [['uuid', 'a', 'b'], 'too many arguments (expected <uuid>)'],
      [['hosts', '--limit', '3'], 'unknown flag --limit'],
      [['timings', 'x', 'tomorrow'], `from must be epoch seconds or "YYYY-MM-DD HH:MM:SS" (got 'tomorrow')`],
      [['usage', 'frobs'], "the first argument must be launches, deletes or exists (got 'frobs')"],
      [['events', '--url', 'ftp://x'], "url must start with http:// or https:// (got 'ftp://x')"],
    ];
    for (const [args, message] of cases) {
      assert.deepEqual(stacky(...args), {code: 2, stdout: '', stderr: `stacky ${args[0]}: ${message}; see stacky ${args[0]} --help\n`});
    }
  });

  it('says in one line when the server cannot be reached', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as {port: number}).port;
        probe.close(() => resolve(p));
      });
    });
    const r = stacky('deployments', '--url', `http://127.0.0.1:${port}`);
    assert.deepEqual(r, {code: 1, stdout: '', stderr: `stacky deployments: cannot reach the stacky server at http://127.0.0.1:${port}: ECONNREFUSED\n`});
  });

  it('answers --help for a print command and for stacky help <command>', () => {
    assert.match(ok('uuid', '--help'), /^Usage: stacky uuid <uuid> \[flags\]\n[\s\S]*--when-min[\s\S]*Examples:\n {2}stacky uuid 2222bbbb/);
    assert.equal(ok('help', 'uuid'), ok('uuid', '--help'));
    assert.match(ok('help', 'report'), /^Usage: stacky report <report-id> [\s\S]*stacky report summary --help/);
    assert.match(ok('help', 'report', 'summary'), /^Usage: stacky report summary \[flags\]\n/);
  });
});

describe('watch piped to a file', () => {
  it('receives each row as it arrives, and Ctrl-C ends it with status 0', async () => {
    const file = join(dir, 'watch.out');
    const fd = openSync(file, 'w');
    const child = spawn(process.execPath, [bin, 'watch', 'all', 'nova', '', '0.2'], {env: env({STACKTACH_URL: url}), stdio: ['ignore', fd, 'pipe']});
    closeSync(fd);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until('the watch header lines', () => (readFileSync(file, 'utf8').includes('Polling every 0.2 seconds\n') ? true : undefined));
      const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
      await ingest(JSON.stringify({
        message_id: 'live-1', event_type: 'compute.instance.update', publisher_id: 'compute.c-09', timestamp: now,
        _context_request_id: R1, payload: {instance_id: U1, state: 'active'},
      }) + '\n');
      const text = await until('the new row', () => {
        const t = readFileSync(file, 'utf8');
        return /compute\.instance\.update/.test(t) ? t : undefined;
      });
      assert.equal(child.exitCode, null, 'watch is still running when its row is in the file');
      const date = now.slice(0, 10);
      assert.equal(text, lines(
        'Watching nova',
        'All Deployments',
        'Polling every 0.2 seconds',
        '+----------+-+---------------+--------------------+-----------------------------+------------------------------------+',
        `|    #     |?|   ${date}  |     Deployment     |            Event            |                UUID                |`,
        '+----------+-+---------------+--------------------+-----------------------------+------------------------------------+',
        `|    7     | |${now.endsWith('.000') ? now.slice(11, 19) : `${now.slice(11)}000`}|      region-1      |   compute.instance.update   |${U1}|`,
      ));
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0);
    assert.equal(stderr, '');
  });
});
