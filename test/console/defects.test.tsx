// One test per defect listed in issue 14, each driving the real app with a fake source and
// asserting on exact frame lines where a key state is shown.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {keys, startEach, type Harness} from './helpers.js';

// A failed assertion must not leave the app polling (the runner would wait for ever).
const start = startEach();
import {FakeSource, U1, U2, watchRow} from './fake-source.js';
import type {Table} from '../../source/client/types.js';
import {cellNumber} from '../../source/console/views/report.js';

/** Frame lines without trailing spaces. */
const lines = (h: Harness) => h.frame().split('\n').map((l) => l.trimEnd());
/** The body rows (between the crumb line and the status line). */
const bodyLines = (h: Harness) => lines(h).slice(2, -2);
const statusLine = (h: Harness) => lines(h).at(-2) ?? '';
const footerLine = (h: Harness) => lines(h).at(-1) ?? '';

async function command(h: Harness, text: string) {
  await h.press(':');
  await h.type(text);
  await h.press(keys.enter);
}

test('#1 report sort: durations sort by time, not as text', async () => {
  assert.deepEqual(['16s', '1:28s', '6s', '2:08s', '56s', '01:00:01', '0d 00:00:55.50'].map(cellNumber), [16, 88, 6, 128, 56, 3601, 55.5]);
  const source = new FakeSource();
  const header = ['Operation', 'Image', 'OS Type', 'Min', 'Max', 'Med', '97%', 'Requests', '4xx', '% 4xx', '5xx', '% 5xx', '> 30', '% > 30', 'state', '% state'];
  const row = (op: string, min: string) => [op, 'base', 'linux', min, min, min, min, 1, 0, 0, 0, 0, 0, 0, 0, 0];
  source.reportData[8] = [{percentile: 97, hours: 1}, header, row('a-op', '1:28s'), row('b-op', '16s'), row('c-op', '6s'), row('d-op', '2:08s'), row('e-op', '56s')];
  const h = await start({size: {columns: 200, rows: 30}}, source);
  await command(h, 'report 8');
  await h.until(/Operation▲/);
  await h.press('s', 's', 's');
  await h.until(/Min▲/);
  const order = bodyLines(h).filter((l) => /^[a-e]-op/.test(l)).map((l) => l.slice(0, 4));
  assert.deepEqual(order, ['c-op', 'b-op', 'e-op', 'a-op', 'd-op']);
});

test('#2 report sort at 80 columns: s only picks columns on screen, and ▲ is always shown', async () => {
  const h = await start();
  await command(h, 'report 7');
  await h.until(/Operation▲/);
  for (let i = 0; i < 16; i++) {
    await h.press('s');
    await h.until((f) => /sorted by/.test(f));
    const header = bodyLines(h).find((l) => /^Operation|Operation /.test(l)) ?? '';
    assert.match(header, /[▲▼]/, `press ${i + 1}: no ▲ in the header line ${JSON.stringify(header)}`);
  }
});

test('#3 search form: typing a field and value does not say loading… and does not fetch', async () => {
  const h = await start();
  await h.press('2');
  await h.until(/when_min/);
  await h.type('host');
  await h.press(keys.tab);
  await h.type('compute-1');
  await h.until(/compute-1/);
  assert.doesNotMatch(h.frame(), /loading…/);
  assert.equal(h.source.callsTo('search').length, 0);
  assert.equal(bodyLines(h)[2], ' a field and a value, then Enter · dates: epoch or YYYY-MM-DD HH:MM:SS (UTC)');
  await h.press(keys.enter);
  await h.until(/1000 E/);
  assert.equal(h.source.callsTo('search').length, 1);
});

test('#5 at 200 columns a search result column is never cut when it fits', async () => {
  const source = new FakeSource();
  const wide = 'block_device_mapping_and_more';
  source.search = async (field: string, value: string) => {
    source.calls.push({method: 'search', args: [field, value]});
    return [
      ['#', '?', 'When', 'Deployment', 'Event', 'Host', 'State', "State'", "Task'"],
      [1, ' ', '2026-05-01 10:00:00', 'dep1', 'compute.instance.update', 'compute-1', 'building', 'building', wide],
    ] as Table;
  };
  const h = await start({size: {columns: 200, rows: 30}}, source);
  await command(h, 'search host compute-1');
  const f = await h.until(/compute\.instance\.update/);
  assert.match(f, new RegExp(`${wide}\\b`));
  assert.doesNotMatch(f, /block_device_ma…/);
});

test('#13 report metadata shows a value as stored (0.015, not 0.02)', async () => {
  const source = new FakeSource();
  source.reportData[9] = [{pct: 0.015, hours: 1}, ['Operation', 'Requests'], ['x', 1]];
  const h = await start({}, source);
  await command(h, 'report 9');
  await h.until(/Operation/);
  assert.ok(bodyLines(h).some((l) => /^pct\s+0\.015\b/.test(l)), lines(h).join('\n'));
});

test('#17 an instance with many events shows its timings on the first screen', async () => {
  const source = new FakeSource();
  const base = source.uuid.bind(source);
  source.uuid = async (uuid: string, opts = {}) => {
    const t = await base(uuid, opts);
    const rows = Array.from({length: 60}, (_, i) => [100 + i, ' ', '2026-05-01 10:00:01', 'dep1', 'compute.instance.update', 'compute-1', 'active', '', '']);
    return [t[0]!, ...rows] as Table;
  };
  const h = await start({}, source);
  await command(h, `uuid ${U1}`);
  await h.until(/Timings \(4\)/);
  assert.equal(bodyLines(h)[0], 'Timings (4)   S = start without end · E = end without start');
  assert.match(h.frame(), /compute\.instance\.create\s+0d 00:00:08\.00/);
  assert.match(h.frame(), /Events of 2222bbbb-6352-4dbc-8271-96cc54bf14cd \(60\)/);
});


test('#4 :u Tab Tab keeps the typed text on the line and lists the uuids; nothing unseen is opened', async () => {
  const h = await start();
  h.source.watchBatches.push([watchRow(1, 'a.start', {uuid: U1}), watchRow(2, 'b.start', {uuid: U2})]);
  await h.until(/b\.start/);
  await h.press(':');
  await h.type('u');
  await h.press(keys.tab);
  await h.until(/^:uuid /m);
  await h.press(keys.tab);
  await h.until(/3333cccc/);
  assert.equal(footerLine(h), `:uuid    ${U2} ${U1.slice(0, 33)}…`);
  await h.press(keys.tab);
  await h.until(() => footerLine(h).startsWith(`:uuid ${U2}`));
});

test('#11 one Tab goes from :event to :events; the search form footer offers no completion', async () => {
  const h = await start();
  await h.press(':');
  await h.type('event');
  await h.press(keys.tab);
  await h.until(/^:events /m);
  await h.press(keys.esc, '2');
  await h.until(/when_min/);
  assert.match(footerLine(h), /^ Enter search {2}Esc close {2}Tab next field/);
  assert.doesNotMatch(footerLine(h), /complete/);
});

test('#12 while paused the footer offers resume, not pause', async () => {
  const h = await start();
  h.source.watchBatches.push([watchRow(1, 'a.start'), watchRow(2, 'b.start')]);
  await h.until(/b\.start/);
  assert.match(footerLine(h), /Space pause/);
  await h.press(' ');
  await h.until(/PAUSED/);
  assert.match(footerLine(h), /Space resume/);
  assert.doesNotMatch(footerLine(h), /Space pause/);
});

test('#10 the first PgDn moves the window a whole page, the cursor with it', async () => {
  const h = await start();
  await command(h, 'search tenant abc');
  await h.until(/1000 E/);
  const before = bodyLines(h);
  assert.equal(before[4]!.slice(0, 4), '1000');
  const page = before.length - 4;
  await h.press(keys.pageDown);
  await h.until(() => bodyLines(h)[4]!.startsWith(String(1000 + page)));
  assert.ok(h.selected()?.startsWith(String(1000 + page)), `cursor on ${h.selected()}`);
});

test('#7 a failed view says its error once; #8 the URL is on screen and named when unreachable', async () => {
  const h = await start();
  assert.match(lines(h)[1]!, / http:\/\/fake:8000$/);
  await h.press('5');
  await h.until(/summary for region/);
  await h.press(keys.enter);
  await h.until(/Operation/);
  h.source.down = true;
  await h.press('R');
  await h.until(/server unreachable at http:\/\/fake:8000 \(ECONNREFUSED\)/);
  const status = statusLine(h);
  assert.equal(status.split('server unreachable').length, 2, `said twice: ${status}`);
  h.source.down = false;
  h.source.reportData[7] = undefined;
});

test('#7 an http error is said once', async () => {
  const h = await start();
  await h.press('5');
  await h.until(/summary for region/);
  h.source.report = async () => {
    throw new (await import('../../source/client/errors.js')).StackyHttpError(404, 'HTTP 404 from /stacky/report/7/', null);
  };
  await h.press(keys.enter);
  await h.until(/✖ 404/);
  assert.equal(statusLine(h), ' ✖ 404 HTTP 404 from /stacky/report/7/');
});

test('#9 a dead server stalls the tail: no events/s figure, the time since the last answer instead', async () => {
  const h = await start();
  h.source.watchBatches.push([watchRow(1, 'a.start')]);
  await h.until(/a\.start/);
  await h.until(/ev\/s/);
  h.source.down = true;
  await h.until(/stalled \d+s/);
  assert.doesNotMatch(statusLine(h), /ev\/s/);
  assert.match(statusLine(h), /^ ✖ stalled \d+s · server unreachable at http:\/\/fake:8000 \(ECONNREFUSED\) · retry i…$/);
  await h.press('?');
  await h.until(/Status: /);
  assert.match(h.frame().replace(/\n/g, ' '), /Status: ✖ stalled \d+s · server unreachable at http:\/\/fake:8000 \(ECONNREFUSED\) · retry in \d+s \(#\d+\) · all · nova · 1 row/);
});

test('#14 an invalid :uuid or :req is a status message, not a view on the back stack', async () => {
  const h = await start();
  h.source.request = async (id: string) => {
    h.source.calls.push({method: 'request', args: [id]});
    throw new (await import('../../source/client/errors.js')).StackyHttpError(400, `Bad Request: ${id} is not request-id-like`, null);
  };
  await command(h, 'uuid deadbeef');
  await h.until(/400 Bad Request: deadbeef is not uuid-like/);
  assert.match(lines(h)[1]!, /^ watch\s+ev\/s \S+ [\d.]+ {2}err\/s \S+ [\d.]+ {2}http:\/\/fake:8000$/);
  await command(h, 'req nope');
  await h.until(/400 Bad Request: nope is not request-id-like/);
  assert.match(lines(h)[1]!, /^ watch\s+ev\/s \S+ [\d.]+ {2}err\/s \S+ [\d.]+ {2}http:\/\/fake:8000$/);
  await command(h, `uuid ${U1}`);
  await h.until(/Timings \(4\)/);
  assert.match(lines(h)[1]!, /^ watch › instance 2222bbbb…/);
});

test('#16 an open instance refreshes when the tail brings its rows, new rows marked +', async () => {
  const source = new FakeSource();
  const base = source.uuid.bind(source);
  let extra: (string | number)[][] = [];
  source.uuid = async (uuid: string, opts = {}) => [...(await base(uuid, opts)), ...extra] as Table;
  const h = await start({}, source);
  await command(h, `uuid ${U1}`);
  await h.until(/Events of 2222bbbb-6352-4dbc-8271-96cc54bf14cd \(3\)/);
  extra = [[14, ' ', '2026-05-01 10:00:20', 'dep1', 'compute.instance.reboot.start', 'compute-1', 'active', '', '']];
  source.watchBatches.push([watchRow(14, 'compute.instance.reboot.start', {uuid: U1})]);
  await h.until(/Events of 2222bbbb-6352-4dbc-8271-96cc54bf14cd \(4\)/);
  assert.ok(bodyLines(h).some((l) => /^14 \+ 2026-05-01 10:00:20 dep1\s+compute\.instance\.reboot\.start/.test(l)), h.frame());
  assert.ok(bodyLines(h).some((l) => /^13\s{3}2026-05-01 10:00:09/.test(l)), 'older rows unmarked');
});

test('#16 an open request refreshes while open', async () => {
  const source = new FakeSource();
  const base = source.request.bind(source);
  let extra: (string | number)[][] = [];
  source.request = async (id: string) => [...(await base(id)), ...extra] as Table;
  const h = await start({}, source);
  await command(h, 'req req-8888bbbb-9e47-4b27-a95e-27996cc40c06');
  await h.until(/resize\.start/);
  extra = [[22, ' ', '2026-05-01 10:01:09', 'dep1', 'compute.instance.resize.end', 'compute-2', 'active', '', '']];
  await h.until(/resize\.end/, 15_000);
  assert.ok(bodyLines(h).some((l) => /^22 \+ /.test(l)), h.frame());
});

test('#6 a long value cut at 80 columns: w wraps it whole, → scrolls to its end, ← back', async () => {
  const source = new FakeSource();
  const reason = `${'NoValidHost: No valid host was found. '.repeat(3)}There are not enough hosts available.`;
  source.showData[78] = [[['Key', 'Value'], ['#', 78], ['Reason', reason]], '{}', null];
  const h = await start({}, source);
  await command(h, 'show 78');
  await h.until(/Reason/);
  await h.press('j');
  await h.until(() => /^Reason/.test(h.selected() ?? ''));
  assert.equal(h.selected()!.trimEnd(), `Reason     ${reason.slice(0, 68)}…`);
  await h.press('w');
  await h.until(/^available\.\s*$/m);
  const wrapped = bodyLines(h);
  const at = wrapped.findIndex((l) => l.startsWith('Reason'));
  assert.deepEqual(wrapped.slice(at, at + 2), [
    'Reason     NoValidHost: No valid host was found. NoValidHost: No valid host was',
    'found. NoValidHost: No valid host was found. There are not enough hosts',
  ]);
  assert.equal(wrapped[at + 2], 'available.');
  await h.press('w', keys.right);
  await h.until((f) => !/^Reason/m.test(f));
  await h.press(keys.right, keys.right, keys.right, keys.right, keys.right);
  await h.until(/enough hosts available\./);
  await h.press(keys.left, keys.left, keys.left, keys.left, keys.left, keys.left);
  await h.until(() => /^Reason {5}NoValidHost/.test(h.selected() ?? ''));
});
