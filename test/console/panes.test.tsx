// Each pane at 80×24 against the fake source, plus layout and failure behaviour: the frame is
// never taller than the terminal, text never wraps, resizes reflow, small terminals get a
// notice, NO_COLOR is honoured, and server errors reach the status line.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {keys, start, type Harness} from './helpers.js';
import {FakeSource, U1, watchRow} from './fake-source.js';

function assertFits(frame: string, columns: number, rows: number) {
  const lines = frame.split('\n');
  assert.ok(lines.length <= rows - 1, `frame has ${lines.length} lines for ${rows} rows`);
  for (const l of lines) assert.ok(l.length <= columns, `line longer than ${columns}: ${JSON.stringify(l)}`);
}

async function tour(h: Harness, columns: number, rows: number) {
  const check = async (pattern: RegExp) => assertFits(await h.until(pattern), columns, rows);
  h.source.watchBatches.push(Array.from({length: 40}, (_, i) => watchRow(i + 1, `compute.instance.update`, {error: i === 5})));
  await check(/update/);
  await h.press(keys.enter);
  await check(/Timings/);
  await h.press(keys.enter);
  await check(/JSON/);
  await h.press('r');
  await check(/resize\.start/);
  await h.press('5');
  await check(/summary for region/);
  await h.press(keys.enter);
  await check(/Operation/);
  await h.press('6');
  await check(/52\.88/);
  await h.press('2');
  await check(/when_min/);
  await h.press(keys.esc, '?');
  await check(/Anywhere/);
}

test('watch pane: rows arrive, error rows red, events/s and row count shown', async () => {
  const h = await start({env: {}});
  h.source.watchBatches.push([watchRow(1, 'compute.instance.create.start'), watchRow(2, 'compute.instance.create.error', {error: true})]);
  const f = await h.until(/create\.error/);
  assert.match(f, /● live · [\d.]+ ev\/s · all · nova · 2 rows/);
  const errorLine = h.raw().split('\n').find((l) => l.includes('create.error'))!;
  assert.match(errorLine, /\u001B\[31m/, 'error row is red');
  const okLine = h.raw().split('\n').find((l) => l.includes('create.start'))!;
  assert.doesNotMatch(okLine, /\u001B\[31m/);
  h.unmount();
});

test('NO_COLOR: no colour codes at all', async () => {
  const h = await start({env: {NO_COLOR: '1'}});
  h.source.watchBatches.push([watchRow(2, 'compute.instance.create.error', {error: true})]);
  await h.until(/create\.error/);
  assert.doesNotMatch(h.raw(), /\u001B\[3\dm/);
  h.unmount();
});

test('every pane fits 80×24 and 120×40 without wrapping', async () => {
  for (const [columns, rows] of [[80, 24], [120, 40]] as const) {
    const h = await start({size: {columns, rows}});
    await tour(h, columns, rows);
    h.unmount();
  }
});

test('resize reflows: more columns when wider, a notice when too small', async () => {
  const h = await start();
  h.source.watchBatches.push([watchRow(1, 'compute.instance.create.start')]);
  let f = await h.until(/create\.start/);
  assert.doesNotMatch(f, /Date/, 'the date column is dropped at 80 columns');
  h.rerender({size: {columns: 140, rows: 30}});
  f = await h.until(/Date/);
  assert.match(f, /2222bbbb-6352-4dbc-8271-96cc54bf14cd/, 'full uuid when there is room');
  assertFits(f, 140, 30);
  h.rerender({size: {columns: 70, rows: 20}});
  f = await h.until(/terminal too small/);
  assert.match(f, /70×20; stacky needs at least 80×24/);
  assertFits(f, 70, 20);
  h.rerender({size: {columns: 80, rows: 24}});
  await h.until(/create\.start/);
  await h.press('q');
  assert.equal(h.exited(), 0);
  h.unmount();
});

test('watch pane: the buffer is bounded', async () => {
  const h = await start({capacity: 50});
  for (let b = 0; b < 5; b++) h.source.watchBatches.push(Array.from({length: 40}, (_, i) => watchRow(b * 40 + i, 'compute.instance.update')));
  await h.until(/ 50 rows/);
  await h.until(() => h.source.watchBatches.length === 0);
  await h.until(/ 50 rows/);
  h.unmount();
});

test('unreachable server: status line says so, retries, and the tail resumes', async () => {
  const source = new FakeSource();
  source.down = true;
  const h = await start({}, source);
  await h.until(/✖ no answer yet · server unreachable at http:\/\/fake:8000 \(ECONNREFUSED\) · retr…/);
  source.down = false;
  source.watchBatches.push([watchRow(7, 'compute.instance.back')]);
  await h.until(/instance\.back/);
  await h.until(/● live/);
  h.unmount();
});

test('server errors show their message in the status line (400 and 404)', async () => {
  const h = await start();
  await h.press(':');
  await h.type('search bogus x');
  await h.press(keys.enter);
  await h.until(/400 Bad Request: The requested field 'bogus' does not exist/);
  await h.press(':');
  await h.type('uuid NOT-A-UUID');
  await h.press(keys.enter);
  await h.until(/400 Bad Request: NOT-A-UUID is not uuid-like/);
  await h.press(':');
  await h.type('report 99');
  await h.press(keys.enter);
  await h.until(/404/);
  await h.press(':');
  await h.type('show 404');
  await h.press(keys.enter);
  await h.until(/event #404 does not exist/);
  h.unmount();
});

test('instance pane: events and timings with proportional bars, S/E marked', async () => {
  const h = await start();
  await h.press(':');
  await h.type(`uuid ${U1}`);
  await h.press(keys.enter);
  const f = await h.until(/Timings \(4\)/);
  const create = f.split('\n').find((l) => l.includes('compute.instance.create '))!;
  const resize = f.split('\n').find((l) => l.includes('compute.instance.resize '))!;
  const bar = (l: string) => (l.match(/█/g) ?? []).length;
  assert.ok(bar(create) > 0 && bar(resize) > 0);
  assert.ok(Math.abs(bar(create) / bar(resize) - 4) < 0.6, `8 s vs 2 s bars: ${bar(create)} / ${bar(resize)}`);
  assert.match(f, /S compute\.instance\.snapshot\s+n\/a\s+start, no end/);
  assert.match(f, /E compute\.instance\.delete\s+n\/a\s+end, no start/);
  assert.match(f, /12 E 2026-05-01 10:00:02/);
  h.unmount();
});

test('report: metadata block, then the table; failure rates above 0 highlighted', async () => {
  const h = await start({env: {}});
  await h.press(':');
  await h.type('report 7');
  await h.press(keys.enter);
  const f = await h.until(/Operation/);
  assert.match(f, /failure_grand_rate\s+6\.7/);
  assert.ok(f.indexOf('percentile') < f.indexOf('Operation'));
  const rawLine = h.raw().split('\n').find((l) => l.includes('aaa-create'))!;
  assert.match(rawLine, /\u001B\[31m[^\u001B]*10\.0%/, '10% 5xx rate is red');
  const quiet = h.raw().split('\n').find((l) => l.includes('zzz-resize'))!;
  assert.doesNotMatch(quiet, /\u001B\[31m/);
  h.unmount();
});

test('report stored as a plain object is shown as JSON', async () => {
  const source = new FakeSource();
  source.reportData[8] = {audit: {launches: 3}};
  const h = await start({}, source);
  await h.press(':');
  await h.type('report 8');
  await h.press(keys.enter);
  await h.until(/"launches": 3/);
  h.unmount();
});

test('kpi, deployments, events and hosts drill down', async () => {
  const h = await start();
  await h.press(':');
  await h.type('kpi');
  await h.press(keys.enter);
  await h.until(/3333cccc/);
  await h.press(keys.enter);
  await h.until(/Events of 3333cccc/);
  await h.press(':');
  await h.type('deployments');
  await h.press(keys.enter);
  await h.until(/dep2/);
  await h.press('j', keys.enter);
  await h.until(/watching deployment dep2/);
  await h.until(() => h.source.callsTo('watch').some((c) => c.args[0] === 2));
  await h.press(':');
  await h.type('hosts');
  await h.press(keys.enter);
  await h.until(/compute-2/);
  await h.press(keys.enter);
  await h.until(/search host=compute-1/);
  h.unmount();
});

test('search form accepts dates for when_min/when_max and sends epochs', async () => {
  const h = await start();
  await h.press('2');
  await h.until(/when_min/);
  await h.type('tenant');
  await h.press(keys.tab);
  await h.type('abc');
  await h.press(keys.tab);
  await h.type('2014-01-01 00:00:00');
  await h.press(keys.tab);
  await h.type('1389892207');
  await h.press(keys.enter);
  await h.until(/1003/);
  const call = h.source.callsTo('search').at(-1)!;
  assert.deepEqual(call.args.slice(0, 2), ['tenant', 'abc']);
  assert.equal((call.args[2] as {whenMin?: string}).whenMin, '1388534400');
  assert.equal((call.args[2] as {whenMax?: string}).whenMax, '1389892207');
  h.unmount();
});

test('watch pane: paused rows stay on screen while new rows push the buffer round', async () => {
  const h = await start({capacity: 30});
  h.source.watchBatches.push(Array.from({length: 30}, (_, i) => watchRow(i + 1, `compute.instance.first${i + 1}`)));
  await h.until(/first30\b/);
  await h.press(' ');
  await h.until(/PAUSED 0 new/);
  for (let b = 0; b < 3; b++) h.source.watchBatches.push(Array.from({length: 30}, (_, i) => watchRow(100 + b * 30 + i, 'compute.instance.later')));
  await h.until(/PAUSED 90 new/);
  const f = h.frame();
  assert.match(f, /first30\b/);
  assert.doesNotMatch(f, /instance\.later/);
  await h.press('G');
  await h.until((fr) => /instance\.later/.test(fr) && !/PAUSED/.test(fr));
  h.unmount();
});

test('keys that arrive together in one read are handled one by one', async () => {
  const h = await start();
  await h.press(':');
  await h.type('search tenant abc');
  await h.press(keys.enter);
  await h.until(/1003/);
  await h.press('jjj');
  await h.until(() => /1003/.test(h.selected() ?? ''));
  await h.press('/1002\r');
  await h.until(/filter "1002" \d+ hidden/);
  // A mode change and the keys after it in one read: `kpi` is typed on the command line, not
  // taken as up, pause and instance.
  await h.press(':kpi\r');
  await h.until(/› kpi/);
  h.unmount();
});
