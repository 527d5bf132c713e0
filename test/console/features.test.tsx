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
