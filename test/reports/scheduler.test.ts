// The hourly scheduler on a fake clock: catch-up at start-up, one report a few minutes after
// each hour, never the same period twice.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {openSqliteStore, type SqliteStore} from '../../source/store/sqlite/store.js';
import {startHourlyReports, type SchedulerOptions} from '../../source/reports/scheduler.js';
import {buildSummaryReport} from '../../source/reports/summary.js';
import {at, ingest, MAIN, simple} from './corpus.js';

const MINUTE = 60_000;

/** A clock and timer queue under the test's control; times in ms. */
class FakeClock {
  private timers: {at: number; fn: () => Promise<void>; live: boolean}[] = [];

  constructor(public t: number) {}

  now = (): number => this.t;

  setTimer = (fn: () => Promise<void>, ms: number) => {
    const timer = {at: this.t + ms, fn, live: true};
    this.timers.push(timer);
    return {cancel: () => void (timer.live = false)};
  };

  pending(): number[] {
    return this.timers.filter((x) => x.live).map((x) => x.at);
  }

  /** Moves time forward, firing every timer that falls due on the way, in order, each turn done before the next. */
  async advance(ms: number): Promise<void> {
    const until = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.live && x.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.live = false;
      this.t = Math.max(this.t, due.at);
      await due.fn();
    }
    this.timers = this.timers.filter((x) => x.live);
    this.t = until;
  }
}

const ms = (text: string) => at(text) / 1000;

interface Stored {
  period_start: number;
  period_end: number;
  created: number;
  name: string;
  version: number;
  json: string;
}

function stored(store: SqliteStore): Stored[] {
  return store.db.prepare<[], Stored>('SELECT period_start, period_end, created, name, version, json FROM stacktach_jsonreport ORDER BY id').all();
}

const hourText = (us: number) => new Date(us / 1000).toISOString().slice(0, 16).replace('T', ' ');

function start(store: SqliteStore, clock: FakeClock, extra: SchedulerOptions = {}) {
  const lines: string[] = [];
  const running = startHourlyReports(store.reportSource, {now: clock.now, setTimer: clock.setTimer, log: (l) => lines.push(l), ...extra});
  return {running, lines};
}

test('catch-up at start-up, then one report five minutes after each hour', async () => {
  const store = openSqliteStore(':memory:');
  await ingest(store.db, MAIN); // raws from 2014-01-14 18:00:00 to 19:59:59.5
  const clock = new FakeClock(ms('2014-01-14 22:03:00'));
  const {running, lines} = start(store, clock);

  // Nothing runs synchronously; the catch-up goes one report per turn, oldest first.
  assert.equal(stored(store).length, 0);
  await clock.advance(0);
  // Hours due: up to 20:00 (21:00 is due only at 22:05); hours before the first raw are skipped.
  assert.deepEqual(stored(store).map((r) => hourText(r.period_start)), ['2014-01-14 18:00', '2014-01-14 19:00', '2014-01-14 20:00']);
  for (const r of stored(store)) {
    assert.equal(r.period_end - r.period_start, 3599_000_000);
    assert.equal(r.name, 'summary for region: all');
    assert.equal(r.version, 4);
    assert.equal(r.created, ms('2014-01-14 22:03:00') * 1000);
  }
  // The 19:00 report is the one `stacky report summary` builds for that hour.
  assert.equal(stored(store)[1]!.json, (await buildSummaryReport(store.reportSource, {start: at('2014-01-14 19:00:00'), hours: 1})).json);
  // 18:00 has raws (req-5 started then) but no update: an empty report.
  assert.equal(JSON.parse(stored(store)[0]!.json)[0].total, 0);
  assert.deepEqual(clock.pending(), [ms('2014-01-14 22:05:00')]);

  await clock.advance(2 * MINUTE - 1);
  assert.equal(stored(store).length, 3);
  await clock.advance(1);
  assert.equal(stored(store).length, 4);
  assert.equal(hourText(stored(store)[3]!.period_start), '2014-01-14 21:00');
  assert.equal(stored(store)[3]!.created, ms('2014-01-14 22:05:00') * 1000);
  assert.deepEqual(clock.pending(), [ms('2014-01-14 23:05:00')]);

  await clock.advance(3 * 60 * MINUTE);
  assert.deepEqual(stored(store).map((r) => hourText(r.period_start)).slice(4),
    ['2014-01-14 22:00', '2014-01-14 23:00', '2014-01-15 00:00']);
  assert.equal(lines.length, 7);
  assert.match(lines[1]!, /^hourly report 2014-01-14 19:00: stored report 2 \(13 requests\)$/);
  running.stop();
  assert.deepEqual(clock.pending(), []);
  await store.close();
});

test('a restart never generates a stored period again, and catches up only what is missing', async () => {
  const store = openSqliteStore(':memory:');
  await ingest(store.db, MAIN);
  const clock = new FakeClock(ms('2014-01-14 21:10:00'));
  const first = start(store, clock);
  await clock.advance(0);
  assert.equal(stored(store).length, 3); // 18:00, 19:00, 20:00
  first.running.stop();

  // Same time again: nothing to do.
  const second = start(store, clock);
  await clock.advance(0);
  assert.equal(stored(store).length, 3);
  assert.deepEqual(second.lines, []);
  second.running.stop();

  // Down for three hours: only the three missed hours are made.
  await clock.advance(3 * 60 * MINUTE);
  const third = start(store, clock);
  await clock.advance(0);
  const hours = stored(store).map((r) => hourText(r.period_start));
  assert.deepEqual(hours, ['2014-01-14 18:00', '2014-01-14 19:00', '2014-01-14 20:00',
    '2014-01-14 21:00', '2014-01-14 22:00', '2014-01-14 23:00']);
  assert.equal(new Set(hours).size, hours.length);
  third.running.stop();
  await store.close();
});

test('two schedulers on one database still store each period once', async () => {
  const store = openSqliteStore(':memory:');
  await ingest(store.db, MAIN);
  const clock = new FakeClock(ms('2014-01-15 01:30:00'));
  const a = start(store, clock);
  const b = start(store, clock);
  await clock.advance(5 * 60 * MINUTE);
  const hours = stored(store).map((r) => hourText(r.period_start));
  assert.equal(new Set(hours).size, hours.length);
  assert.equal(hours.length, 12); // 18:00 on the 14th to 05:00 on the 15th (due at 06:05)
  a.running.stop();
  b.running.stop();
  await store.close();
});

test('catch-up looks back catchUpHours at most; an empty hour is still a report', async () => {
  const store = openSqliteStore(':memory:');
  await ingest(store.db, MAIN);
  const clock = new FakeClock(ms('2014-01-16 00:30:00'));
  const {running} = start(store, clock, {catchUpHours: 3});
  await clock.advance(0);
  const rows = stored(store);
  assert.deepEqual(rows.map((r) => hourText(r.period_start)), ['2014-01-15 21:00', '2014-01-15 22:00', '2014-01-15 23:00']);
  for (const r of rows) assert.equal(JSON.parse(r.json)[0].total, 0);
  running.stop();
  await store.close();
});

test('no data yet: nothing is generated until the first raw arrives', async () => {
  const store = openSqliteStore(':memory:');
  const clock = new FakeClock(ms('2014-01-14 18:30:00'));
  const {running} = start(store, clock);
  await clock.advance(0);
  assert.deepEqual(clock.pending(), [ms('2014-01-14 19:05:00')]);
  await clock.advance(60 * MINUTE);
  assert.equal(stored(store).length, 0);
  await ingest(store.db, [{request: 'req-z', instance: 'inst-z', start: at('2014-01-14 19:40:00'), steps: simple('create', 30)}]);
  await clock.advance(60 * MINUTE); // 20:05: the 19:00 hour is due
  assert.deepEqual(stored(store).map((r) => [hourText(r.period_start), JSON.parse(r.json)[0].total]), [['2014-01-14 19:00', 1]]);
  running.stop();
  await store.close();
});

test('stop cancels the pending timer; a failing hour is logged and retried the next hour', async () => {
  const store = openSqliteStore(':memory:');
  await ingest(store.db, MAIN);
  const clock = new FakeClock(ms('2014-01-14 20:10:00'));
  // A region that matches nothing fails every build.
  const {running, lines} = start(store, clock, {region: 'nowhere', catchUpHours: 2});
  await clock.advance(0);
  assert.equal(stored(store).length, 0);
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /failed: No regions found for 'nowhere'/);
  assert.deepEqual(clock.pending(), [ms('2014-01-14 21:05:00')]);
  await clock.advance(55 * MINUTE);
  assert.equal(lines.length, 4); // 19:00 and 20:00 retried (18:00 is now out of range)
  running.stop();
  assert.deepEqual(clock.pending(), []);
  await clock.advance(5 * 60 * MINUTE);
  assert.equal(lines.length, 4);
  await store.close();
});
