// `watch` against a scripted server: since hand-off, the header every 20 rows, Ctrl-C, --csv, --json.
import assert from 'node:assert/strict';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, beforeEach, describe, it} from 'node:test';
import {run} from '../../source/commands/print.js';

const widths = [10, 1, 15, 20, 23, 36];
const uuid = '2222bbbb-6352-4dbc-8271-96cc54bf14cd';
const event = (id: number, date = '2014-01-16') => [id, id % 7 === 0 ? 'E' : ' ', date, `17:10:${String(id % 60).padStart(2, '0')}`, 'region-1', 'compute.instance.update', uuid];

let server: Server;
let url = '';
const requests: string[] = [];
let replies: unknown[][] = [];
const configDir = mkdtempSync(join(tmpdir(), 'stacky-watch-'));

before(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    res.writeHead(200, {'Content-Type': 'application/json'});
    if (path === '/stacky/deployments/') return res.end('[["#", "Name"], [3, "region-1"]]');
    const n = requests.filter((r) => r.startsWith('/stacky/watch/')).length;
    const rows = replies[n - 1] ?? [];
    res.end(JSON.stringify([widths, rows, String(1389892200 + n)]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  rmSync(configDir, {recursive: true, force: true});
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  requests.length = 0;
});

/**
 * Runs `stacky watch …` in this process and sends it Ctrl-C once `polls` replies were handled:
 * that is when the next watch request arrives (watch asks again only after printing a reply).
 */
async function watch(polls: number, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const timer = setInterval(() => {
    if (requests.filter((r) => r.startsWith('/stacky/watch/')).length > polls) process.emit('SIGINT');
  }, 5);
  try {
    const code = await run(['watch', ...argv, '--url', url], {
      env: {STACKY_CONFIG_DIR: configDir},
      streams: {stdout: {write: (s: string) => (stdout += s)}, stderr: {write: (s: string) => (stderr += s)}},
    });
    return {code, stdout, stderr};
  } finally {
    clearInterval(timer);
  }
}

describe('watch', () => {
  it('sends the previous now as since, and repeats the header every 20 rows with that block\'s date', async () => {
    replies = [[...Array.from({length: 19}, (_, i) => event(i + 1))], [event(20), event(21, '2014-01-17')], [], [event(22, '2014-01-17')]];
    const result = await watch(4, 'all', 'nova', '', '0.01');
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    const watchRequests = requests.filter((r) => r.startsWith('/stacky/watch/'));
    assert.deepEqual(watchRequests.slice(0, 4), [
      '/stacky/watch/0/?service=nova&gapless=1',
      '/stacky/watch/0/?service=nova&since=1389892201&gapless=1',
      '/stacky/watch/0/?service=nova&since=1389892202&gapless=1',
      '/stacky/watch/0/?service=nova&since=1389892203&gapless=1',
    ]);
    const lines = result.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 3), ['Watching nova', 'All Deployments', 'Polling every 0.01 seconds']);
    const rule = '+----------+-+---------------+--------------------+-----------------------+------------------------------------+';
    assert.equal(lines[3], rule);
    assert.equal(lines[4], '|    #     |?|   2014-01-16  |     Deployment     |         Event         |                UUID                |');
    assert.equal(lines[6], `|    1     | |    17:10:01   |      region-1      |compute.instance.update|${uuid}|`);
    assert.equal(lines[12], `|    7     |E|    17:10:07   |      region-1      |compute.instance.update|${uuid}|`);
    // rows 1–20 are under the first header; the 21st row starts a block whose date is its own
    assert.equal(lines[26], rule);
    assert.equal(lines[27], '|    #     |?|   2014-01-17  |     Deployment     |         Event         |                UUID                |');
    assert.equal(lines[29], `|    21    |E|    17:10:21   |      region-1      |compute.instance.update|${uuid}|`);
    assert.equal(lines[30], `|    22    | |    17:10:22   |      region-1      |compute.instance.update|${uuid}|`);
    assert.equal(lines.length, 32);
  });

  it('resolves a deployment name, prints the event filter, and writes CSV with one header', async () => {
    replies = [[event(1)], [event(2)]];
    const result = await watch(2, 'region-1', 'nova', 'compute.instance.update', '0.01', '--csv');
    assert.equal(result.code, 0);
    assert.ok(requests.includes('/stacky/watch/3/?service=nova&event_name=compute.instance.update&gapless=1'));
    assert.equal(result.stdout, [
      '#,?,Date,Time,Deployment,Event,UUID',
      `1, ,2014-01-16,17:10:01,region-1,compute.instance.update,${uuid}`,
      `2, ,2014-01-16,17:10:02,region-1,compute.instance.update,${uuid}`,
      '',
    ].join('\n'));
  });

  it('prints each poll\'s reply on a line of its own with --jsonl', async () => {
    replies = [[], [event(1)], []];
    const result = await watch(3, '--jsonl', '--poll', '0.01');
    assert.equal(result.code, 0);
    // Ctrl-C comes once the fourth request arrived; its reply may be printed before that.
    const lines = result.stdout.split('\n');
    assert.equal(lines.pop(), '');
    assert.deepEqual(lines, [[], [event(1)], [], [], []].slice(0, lines.length).map((rows, i) => JSON.stringify([widths, rows, String(1389892201 + i)])));
    assert.ok(lines.length === 3 || lines.length === 4, result.stdout);
  });

  it('fits --width 80: the UUID left out, no event name cut', async () => {
    replies = [[event(1)]];
    const result = await watch(1, 'all', 'nova', '', '0.01', '--width', '80');
    assert.equal(result.code, 0);
    assert.equal(result.stdout, [
      'Watching nova', 'All Deployments', 'Polling every 0.01 seconds',
      '+----------+-+---------------+--------------------+-----------------------+',
      '|    #     |?|   2014-01-16  |     Deployment     |         Event         |',
      '+----------+-+---------------+--------------------+-----------------------+',
      '|    1     | |    17:10:01   |      region-1      |compute.instance.update|',
      '',
    ].join('\n'));
  });

  it('refuses an unknown deployment name (exit 2) and a bad service (exit 2)', async () => {
    // No Ctrl-C here: both must fail on their own, before any watch request.
    const unknown = await watch(Infinity, 'nowhere');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^stacky watch: no deployment named 'nowhere'/);
    const bad = await watch(Infinity, 'all', 'swift');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /service must be nova, glance or generic/);
  });
});
