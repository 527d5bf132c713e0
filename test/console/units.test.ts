// Pure parts of the console: ring buffer, column layout, text, commands, keymap, reducer, tail.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {setTimeout as delay} from 'node:timers/promises';
import {RingBuffer} from '../../source/console/ring-buffer.js';
import {Snapshot, WatchRows} from '../../source/console/watch-rows.js';
import type {WatchRow} from '../../source/console/tail.js';
import {layoutColumns, fitCell, type Column} from '../../source/console/columns.js';
import {clean, durationSeconds, epochText, fit, toEpoch} from '../../source/console/text.js';
import {complete, parseCommand} from '../../source/console/commands.js';
import {footerHints, helpLines, keymap} from '../../source/console/keymap.js';
import {initialState, reducer, topView} from '../../source/console/state.js';
import {WatchTail} from '../../source/console/tail.js';
import {backoffMs, describeError} from '../../source/console/data-source.js';
import {StackyHttpError, StackyUnreachableError} from '../../source/client/errors.js';
import {FakeSource, watchRow} from './fake-source.js';

async function until(check: () => boolean, ms = 2000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await delay(5);
  }
}

test('watch rows over a snapshot keep every line while the ring moves on under them', () => {
  const row = (id: number): WatchRow => ({id, error: false, date: '2026-05-01', time: '10:00:00', deployment: 'd',
    event: `e${id}`, uuid: '', host: '', tenant: '', requestId: ''});
  const ring = new RingBuffer<WatchRow>(3);
  for (let i = 1; i <= 3; i++) ring.push(row(i));
  const rows = new WatchRows(new Snapshot(ring), undefined, '', 'nova');
  for (let i = 4; i <= 6; i++) ring.push(row(i)); // a batch arrives before the render
  assert.deepEqual(Array.from({length: rows.length}, (_, i) => rows.line(i)?.cells?.[5]), ['e1', 'e2', 'e3']);
});

test('ring buffer keeps the newest items and stays bounded', () => {
  const b = new RingBuffer<number>(3);
  for (let i = 0; i < 10; i++) b.push(i);
  assert.equal(b.size, 3);
  assert.deepEqual(b.toArray(), [7, 8, 9]);
  assert.equal(b.firstSeq, 7);
  assert.equal(b.lastSeq, 9);
  assert.equal(b.bySeq(8), 8);
  assert.equal(b.bySeq(2), undefined);
  assert.equal(b.dropped, 7);
  b.clear();
  assert.equal(b.size, 0);
  assert.equal(b.firstSeq, 10);
});

test('columns drop by priority and fill the width exactly', () => {
  const cols: Column[] = [
    {title: 'a', min: 10, max: 10, priority: 1},
    {title: 'b', min: 10, max: 20, priority: 3},
    {title: 'c', min: 10, max: Number.POSITIVE_INFINITY, priority: 2},
  ];
  const wide = layoutColumns(cols, 60);
  assert.deepEqual(wide, [10, 20, 28]);
  const narrow = layoutColumns(cols, 25);
  assert.equal(narrow[1], 0, 'lowest priority dropped first');
  assert.equal(fitCell('x'.repeat(30), narrow[0]!, cols[0]), 'x'.repeat(9) + '…');
});

test('text helpers', () => {
  assert.equal(fit('abcdef', 4), 'abc…');
  assert.equal(fit('ab', 4), 'ab  ');
  assert.equal(toEpoch('2014-01-01 00:00:00'), '1388534400');
  assert.equal(toEpoch('1389892207.5'), '1389892207.5');
  assert.equal(toEpoch('yesterday'), undefined);
  assert.equal(epochText(1388534400.5), '2014-01-01 00:00:00');
  assert.equal(durationSeconds('0d 00:01:55.50'), 115.5);
  assert.ok(Number.isNaN(durationSeconds('n/a')));
});

test('commands parse, and Tab completes commands and arguments', () => {
  assert.deepEqual(parseCommand(':uuid abc'), {kind: 'uuid', uuid: 'abc'});
  assert.deepEqual(parseCommand('req r-1'), {kind: 'req', requestId: 'r-1'});
  assert.deepEqual(parseCommand('report 7'), {kind: 'report', id: 7});
  assert.deepEqual(parseCommand('search tenant a b'), {kind: 'search', field: 'tenant', value: 'a b'});
  assert.deepEqual(parseCommand('watch'), {kind: 'watch', deployment: 'all'});
  assert.deepEqual(parseCommand('service glance'), {kind: 'service', service: 'glance'});
  assert.ok('error' in parseCommand('service foo'));
  assert.ok('error' in parseCommand('report x'));
  assert.ok('error' in parseCommand('nope'));
  const ctx = {deployments: ['dep1', 'dep2'], uuids: [], requestIds: [], reportIds: ['7'], eventNames: []};
  assert.equal(complete('ser', ctx).line, 'service ');
  assert.equal(complete('service gl', ctx).line, 'service glance ');
  const first = complete('watch d', ctx);
  assert.equal(first.line, 'watch dep');
  const second = complete(first.line, ctx, first.state);
  assert.equal(second.line, 'watch dep1');
  assert.equal(complete(second.line, ctx, second.state).line, 'watch dep2');
  assert.equal(complete('report ', ctx).line, 'report 7 ');
});

test('keymap: no key bound twice in one scope; hints fit; help lists every binding', () => {
  const seen = new Set<string>();
  for (const b of keymap) {
    for (const k of b.keys) {
      const id = `${b.scope}:${k}`;
      assert.ok(!seen.has(id), `duplicate ${id}`);
      seen.add(id);
    }
  }
  const hints = footerHints(['watch', 'event', 'list', 'global'], 79);
  assert.ok(hints.length <= 79);
  assert.match(hints, /Space pause/);
  const help = helpLines().join('\n');
  for (const b of keymap) assert.ok(help.includes(b.help), `help shows ${b.id}`);
});

test('navigation stack: push, pop, pane switching and the root', () => {
  let s = initialState();
  s = reducer(s, {type: 'push', view: {kind: 'instance', uuid: 'u', service: 'nova'}});
  s = reducer(s, {type: 'push', view: {kind: 'show', eventId: 3, service: 'nova'}});
  assert.deepEqual(s.stack.map((v) => v.kind), ['watch', 'instance', 'show']);
  s = reducer(s, {type: 'switchPane', pane: 'instance', service: 'nova'});
  assert.deepEqual(s.stack.map((v) => v.kind), ['watch', 'instance']);
  s = reducer(s, {type: 'switchPane', pane: 'reports', service: 'nova'});
  assert.equal(topView(s).kind, 'reports');
  s = reducer(s, {type: 'switchPane', pane: 'watch', service: 'nova'});
  assert.deepEqual(s.stack.map((v) => v.kind), ['watch']);
  s = reducer(s, {type: 'switchPane', pane: 'instance', service: 'nova'});
  const shown = topView(s);
  assert.equal(shown.kind === 'instance' ? shown.uuid : undefined, 'u', 'the instance pane remembers the last instance');
  s = reducer(s, {type: 'pop'});
  s = reducer(s, {type: 'pop'});
  assert.equal(s.stack.length, 1, 'the root never pops');
  for (let i = 0; i < 100; i++) s = reducer(s, {type: 'push', view: {kind: 'show', eventId: i, service: 'nova'}});
  assert.ok(s.stack.length <= 30);
  assert.equal(s.stack[0]!.kind, 'watch');
});

test('errors become one status-line message; backoff grows and caps', () => {
  assert.equal(describeError(new StackyUnreachableError('http://x', 'ECONNREFUSED')).kind, 'unreachable');
  const http = describeError(new StackyHttpError(400, 'Bad Request: x is not uuid-like', null));
  assert.equal(http.message, '400 Bad Request: x is not uuid-like');
  assert.deepEqual([1, 2, 3, 10].map((n) => backoffMs(n)), [1000, 2000, 4000, 30000]);
});

test('tail: sends now back as since, skips duplicates, maps a deployment name to its id', async () => {
  const src = new FakeSource();
  src.watchBatches.push([watchRow(1, 'a'), watchRow(2, 'b')], [watchRow(2, 'b'), watchRow(3, 'c')]);
  const tail = new WatchTail(src, {deployment: 'dep2', service: 'glance', pollMs: 10, capacity: 100});
  tail.start();
  await until(() => tail.polls >= 3);
  tail.stop();
  const calls = src.callsTo('watch');
  assert.equal(calls[0]!.args[0], 2, 'dep2 is deployment 2');
  assert.equal((calls[0]!.args[1] as {since?: string}).since, undefined);
  assert.equal((calls[1]!.args[1] as {since?: string}).since, '1002');
  assert.equal((calls[2]!.args[1] as {since?: string}).since, '1004');
  assert.equal((calls[0]!.args[1] as {service?: string}).service, 'glance');
  assert.deepEqual(tail.buffer.toArray().map((r) => r.id), [1, 2, 3]);
});

test('tail: an unknown deployment name is reported and retried', async () => {
  const src = new FakeSource();
  const tail = new WatchTail(src, {deployment: 'nowhere', service: 'nova', pollMs: 10, baseBackoffMs: 5});
  tail.start();
  await until(() => tail.status.kind === 'error');
  assert.match(tail.status.message, /unknown deployment 'nowhere'/);
  src.deploymentsTable = [['#', 'Name'], [9, 'nowhere']];
  await until(() => tail.status.kind === 'live');
  tail.stop();
  assert.equal(src.callsTo('watch')[0]!.args[0], 9);
});

test('tail: survives an unreachable server and resumes from the last since', async () => {
  const src = new FakeSource();
  src.watchBatches.push([watchRow(1, 'a')]);
  const tail = new WatchTail(src, {deployment: 'all', service: 'nova', pollMs: 10, baseBackoffMs: 5});
  tail.start();
  await until(() => tail.polls >= 2);
  const since = tail.since;
  src.down = true;
  await until(() => tail.status.kind === 'unreachable');
  assert.match(tail.status.message, /unreachable/);
  assert.equal(tail.since, since, 'since kept while down');
  const before = src.callsTo('watch').length;
  src.down = false;
  await until(() => tail.status.kind === 'live' && src.callsTo('watch').length > before);
  tail.stop();
  const resumed = src.calls.filter((c) => c.method === 'watch').slice(before)[0]!;
  assert.equal((resumed.args[1] as {since?: string}).since, since);
});

test('tail: events per second from the batches', async () => {
  const src = new FakeSource();
  for (let i = 0; i < 20; i++) src.watchBatches.push(Array.from({length: 10}, (_, k) => watchRow(i * 10 + k, 'e')));
  const tail = new WatchTail(src, {deployment: 'all', service: 'nova', pollMs: 20});
  tail.start();
  await until(() => tail.polls >= 6);
  tail.stop();
  assert.ok(tail.rate() > 100, `rate ${tail.rate()}`);
});

test('a column dropped early comes back when a wider one has gone', () => {
  const cols: Column[] = [
    {title: 'event', min: 30, max: 30, priority: 1},
    {title: 'state', min: 6, max: 6, priority: 5},
    {title: 'deployment', min: 15, max: 15, priority: 4},
  ];
  // 30 + 6 + 15 + 2 gaps = 53 > 45: state goes first, then deployment; state then fits again.
  assert.deepEqual(layoutColumns(cols, 45), [30, 6, 0]);
});

test('selection: moves are a function of the row count and the page', async () => {
  const {move} = await import('../../source/console/selection.js');
  const page = 10;
  assert.deepEqual(move({cursor: 0, top: 0}, {type: 'pageDown'}, 100, page), {cursor: 10, top: 10});
  assert.deepEqual(move({cursor: 3, top: 0}, {type: 'pageDown'}, 100, page), {cursor: 13, top: 10});
  assert.deepEqual(move({cursor: 95, top: 90}, {type: 'pageDown'}, 100, page), {cursor: 99, top: 90});
  assert.deepEqual(move({cursor: 13, top: 10}, {type: 'pageUp'}, 100, page), {cursor: 3, top: 0});
  assert.deepEqual(move({cursor: 3, top: 0}, {type: 'pageUp'}, 100, page), {cursor: 0, top: 0});
  assert.deepEqual(move({cursor: 9, top: 0}, {type: 'down'}, 100, page), {cursor: 10, top: 1});
  assert.deepEqual(move({cursor: 0, top: 0}, {type: 'bottom'}, 100, page), {cursor: 99, top: 90});
  assert.deepEqual(move({cursor: 50, top: 45}, {type: 'top'}, 100, page), {cursor: 0, top: 0});
  assert.deepEqual(move({cursor: 0, top: 0}, {type: 'down'}, 5, page, (i) => i !== 1), {cursor: 2, top: 0});
  assert.deepEqual(move({cursor: 0, top: 0}, {type: 'pageDown'}, 0, page), {cursor: 0, top: 0});
});

test('text from the data is shown with its control characters escaped, never sent to the terminal (issue #13)', () => {
  assert.equal(clean('\x1b]0;PWNED\x07compute.instance.update'), '\\x1b]0;PWNED\\x07compute.instance.update');
  assert.equal(clean('a\nb\u202ec'), 'a\\x0ab\\u202ec');
  assert.equal(clean(null), '');
});

test('moves are reducer actions given the rows: they compose without a render and clamp to the count given', async () => {
  const {arrayRows} = await import('../../source/console/selection.js');
  const line = (n: number) => ({kind: 'data' as const, cells: [n], search: String(n), target: {eventId: n}});
  const rows = arrayRows([{kind: 'title', text: 'T', search: ''}, ...Array.from({length: 20}, (_, i) => line(i))]);
  let s = reducer(initialState(), {type: 'push', view: {kind: 'reports'}});
  const over = {rows, page: 5};
  // Not moved yet: the cursor is on the first data row (1, below the title); three downs in a row.
  for (let i = 0; i < 3; i++) s = reducer(s, {type: 'move', move: {type: 'down'}, over});
  assert.deepEqual([topView(s).cursor, topView(s).top], [4, 0]);
  s = reducer(s, {type: 'move', move: {type: 'pageDown'}, over});
  assert.deepEqual([topView(s).cursor, topView(s).top], [9, 5]);
  // Fewer rows than the cursor (a filter typed in the same read): clamped to the last row.
  s = reducer(s, {type: 'move', move: {type: 'down'}, over: {rows: arrayRows([line(0), line(1), line(2)]), page: 5}});
  assert.deepEqual([topView(s).cursor, topView(s).top], [2, 0]);
  s = reducer(s, {type: 'move', move: {type: 'top'}, over});
  assert.deepEqual([topView(s).cursor, topView(s).top], [1, 0], 'the title never holds the cursor');
});
