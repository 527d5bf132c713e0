// The operator features of issue 14: copy over SSH (OSC 52), relative times, marks, rates.
import {afterEach, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {keys, start as startApp, type Harness} from './helpers.js';
import {FakeSource, U1, watchRow} from './fake-source.js';
import type {AppProps} from '../../source/console/app.js';
import {osc52} from '../../source/console/terminal.js';

const open: Harness[] = [];
afterEach(() => {
  for (const h of open.splice(0)) h.unmount();
});
async function start(props: Partial<AppProps> = {}, source = new FakeSource()): Promise<Harness> {
  const h = await startApp(props, source);
  open.push(h);
  return h;
}
const statusLine = (h: Harness) => h.frame().split('\n').at(-2)?.trimEnd() ?? '';

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
