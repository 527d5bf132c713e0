// The operator features of issue 14: copy over SSH (OSC 52), relative times, marks, rates.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {keys, startEach} from './helpers.js';
import {FakeSource, U1, watchRow} from './fake-source.js';
import {osc52} from '../../source/console/terminal.js';
import {sparkline} from '../../source/console/text.js';
import {WatchTail} from '../../source/console/tail.js';

const start = startEach();

test('y: the selected id, or the raw event JSON, goes to the clipboard; the JSON is saved in the given directory', async () => {
  assert.equal(osc52('hi'), '\u001B]52;c;aGk=\u0007');
  const dir = mkdtempSync(join(tmpdir(), 'stacky-copy-'));
  const copied: string[] = [];
  try {
    const h = await start({saveDir: join(dir, 'saved'), clipboard: (t) => copied.push(t)});
    h.source.watchBatches.push([watchRow(1, 'compute.instance.create.start', {uuid: U1})]);
    await h.until(/create\.start/);
    await h.press('y');
    await h.until(/copied 2222bbbb/);
    assert.deepEqual(copied, [U1]);
    await h.press(':');
    await h.type('show 12');
    await h.press(keys.enter);
    await h.until(/JSON/);
    await h.press('y');
    await h.until(/copied event #12; saved to/);
    assert.match(copied[1]!, /"needle": "haystack"/);
    assert.match(readFileSync(join(dir, 'saved', 'stacky-event-12.json'), 'utf8'), /"needle": "haystack"/);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});

test('rates: events/s and errors/s per bucket, drawn as sparklines in the watch header', async () => {
  assert.equal(sparkline([0, 1, 2, 4, 8]), '▁▂▃▅█');
  assert.equal(sparkline([0, 0]), '▁▁');
  const src = new FakeSource();
  let now = 1_000_000;
  src.watchBatches.push([watchRow(1, 'a'), watchRow(2, 'b', {error: true})], [], [watchRow(3, 'c')]);
  const tail = new WatchTail(src, {deployment: 'all', service: 'nova', pollMs: 5, now: () => now});
  tail.start();
  const until = async (f: () => boolean) => {
    while (!f()) await new Promise((r) => setTimeout(r, 2));
  };
  await until(() => tail.polls >= 1);
  now += 10_000;
  await until(() => tail.polls >= 3);
  tail.stop();
  assert.deepEqual(tail.rates(2, 10), [0.2, 0.1]);
  assert.deepEqual(tail.rates(2, 10, true), [0.1, 0]);

  const h = await start();
  h.source.watchBatches.push([watchRow(1, 'compute.instance.create.start'), watchRow(2, 'compute.instance.create.error', {error: true})]);
  await h.until(/create\.error/);
  await h.until((f) => /^ watch\s+ev\/s ▁*█ 0\.1 {2}err\/s ▁*█ 0\.1 {2}http:\/\/fake:8000$/.test(f.split('\n')[1]!));
});

test('watch all: one events/s sparkline per deployment after the totals, busiest first, as room allows', async () => {
  const h = await start({size: {columns: 200, rows: 50}});
  h.source.watchBatches.push([watchRow(1, 'a', {dep: 'east'}), watchRow(2, 'b', {dep: 'west'}), watchRow(3, 'c', {dep: 'west'})]);
  await h.until(/ c /);
  const header = await h.until((f) => /│ west/.test(f.split('\n')[1]!));
  assert.match(header.split('\n')[1]!, /^ watch +ev\/s ▁{7}█ [\d.]+ {2}err\/s ▁{8} 0\.0 │ west ▁{9}█ [\d.]+ │ east ▁{9}█ [\d.]+ {2}http:\/\/fake:8000$/);
  // At 80 columns only the totals fit.
  h.rerender({size: {columns: 80, rows: 24}});
  await h.until((f) => /^ watch\s+ev\/s ▁*█ 0\.1 {2}err\/s ▁+ 0\.0 {2}http:\/\/fake:8000$/.test(f.split('\n')[1]!));
});

test('extra watch columns: host, tenant and request id as width allows, never narrowing the others; at 200 nothing shown is cut', async () => {
  const req = 'req-5f3c8a5e-0b0a-4c5e-9a51-3c3c3c3c3c3c';
  const row = watchRow(1, 'compute.instance.create.start', {uuid: U1, extra: ['compute-17.example', '0123456789abcdef0123456789abcdef', req]});
  const h = await start({size: {columns: 200, rows: 50}});
  h.source.watchBatches.push([row]);
  let f = await h.until(/create\.start/);
  assert.match(f, /Host {21}Tenant +\n/, 'host and tenant whole; the request id does not fit');
  assert.doesNotMatch(f, /Request id/);
  assert.ok(f.includes(`${U1} compute-17.example       0123456789abcdef0123456789abcdef`));
  h.rerender({size: {columns: 240, rows: 50}});
  f = await h.until(/Request id/);
  assert.ok(f.includes(req));
  h.rerender({size: {columns: 120, rows: 30}});
  // 120 columns: the usual columns are not all whole yet, so no extra column takes their room.
  f = await h.until((fr) => !/Host/.test(fr));
  assert.match(f, /Event +UUID/);
});
