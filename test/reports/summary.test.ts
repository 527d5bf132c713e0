// The summary report built from a corpus stored through the real pipeline; every cell and every
// metadata value is known by construction (the table in corpus.ts).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {openSqliteStore, type SqliteStore} from '../../source/store/sqlite/store.js';
import {buildSummaryReport, RegionNotFoundError, storeSummaryReport} from '../../source/reports/summary.js';
import {at, HOUR_START, ingest, MAIN, simple, type Req} from './corpus.js';

async function mainStore(): Promise<SqliteStore> {
  const store = openSqliteStore(':memory:');
  await ingest(store.db, MAIN);
  return store;
}

const HEADER = ['Operation', 'Image', 'OS Type', 'Min', 'Max', 'Med', '97%', 'Requests',
  '4xx', '% 4xx', '5xx', '% 5xx', '> 30', '% > 30', 'state', '% state'];

const ZERO = [0, 0, 0, 0, 0, 0, 0, 0];

test('the hourly report of the main corpus: every cell and every metadata value', async () => {
  const store = await mainStore();
  const built = await buildSummaryReport(store.reportSource, {start: HOUR_START, hours: 1});
  const {metadata, header, rows} = built.report;
  assert.deepEqual(header, HEADER);
  assert.deepEqual(rows, [
    // reboot 1 s, delete 5 s: median sorted[1], 97% sorted[trunc(1.94)] = sorted[1]
    ['aux', '?', '?', '1s', '5s', '5s', '5s', 2, ...ZERO],
    // 10, 65, 344, 1860, 3725 s: median sorted[2], 97% sorted[trunc(4.85)] = sorted[4]
    ['create', 'base', 'linux', '10s', '01:02:05', '5:44s', '01:02:05', 5, 0, 0, 0, 0, 1, 0.2, 1, 0.2],
    // 20, 30, 40, 50 s: median is the upper one, sorted[2]; 97% sorted[trunc(3.88)] = sorted[3]
    ['create', 'snap', 'windows', '20s', '50s', '40s', '50s', 4, 1, 0.25, 1, 0.25, 0, 0, 0, 0],
    // the http-only failure: a request, but no failure column
    ['resize', 'base', 'linux', '1:40s', '1:40s', '1:40s', '1:40s', 1, ...ZERO],
    ['snapshot', 'snap', '?', '7s', '7s', '7s', '7s', 1, ...ZERO],
  ]);
  assert.deepEqual(metadata, {
    percentile: 97,
    pct: 0.015,
    hours: 1,
    start: 1389726000,
    end: 1389729599,
    region: null,
    cells: ['east-1', 'west-1'],
    total: 13,
    '4xx failure count': 1,
    '4xx failure percentage': (1 / 13) * 100,
    '5xx failure count': 1,
    '5xx failure percentage': (1 / 13) * 100,
    '> 30 failure count': 1,
    '> 30 failure percentage': (1 / 13) * 100,
    'state failure count': 1,
    'state failure percentage': (1 / 13) * 100,
    failure_grand_total: 4,
    failure_grand_rate: (4 / 13) * 100,
  });
  assert.equal(built.report.unreportedFailures, 1);
  assert.equal(built.name, 'summary for region: all');
  assert.deepEqual(built.window, {start: at('2014-01-14 19:00:00'), end: at('2014-01-14 19:59:59')});
  await store.close();
});

test('the JSON text is Python json.dumps: floats keep .0, keys in pretty.py order', async () => {
  const store = await mainStore();
  const {json} = await buildSummaryReport(store.reportSource, {start: HOUR_START, hours: 1});
  assert.ok(json.startsWith('[{"percentile": 97, "pct": 0.015, "hours": 1, "start": 1389726000.0, ' +
    '"end": 1389729599.0, "region": null, "cells": ["east-1", "west-1"], "total": 13, ' +
    '"4xx failure count": 1, "4xx failure percentage": 7.6923076923076925, '), json);
  assert.ok(json.includes('"failure_grand_total": 4, "failure_grand_rate": 30.76923076923077}, ["Operation", '));
  assert.ok(json.includes('["aux", "?", "?", "1s", "5s", "5s", "5s", 2, 0, 0.0, 0, 0.0, 0, 0.0, 0, 0.0]'));
  assert.ok(json.includes('["create", "base", "linux", "10s", "01:02:05", "5:44s", "01:02:05", 5, 0, 0.0, 0, 0.0, 1, 0.2, 1, 0.2]'));
  const parsed = JSON.parse(json) as unknown[];
  assert.equal(parsed.length, 7);
  await store.close();
});

test('--percentile picks sorted[trunc(p/100·n)] and renames the column; pct follows', async () => {
  const store = await mainStore();
  const {report} = await buildSummaryReport(store.reportSource, {start: HOUR_START, hours: 1, percentile: 60});
  assert.equal(report.header[6], '60%');
  assert.equal(report.metadata.percentile, 60);
  assert.equal(report.metadata.pct, 0.2);
  // aux: sorted[1]; create base linux: sorted[3] = 1860 s; create snap windows: sorted[2] = 40 s
  assert.deepEqual(report.rows.map((r) => r[6]), ['5s', '31:00s', '40s', '1:40s', '7s']);
  await store.close();
});

test('--too-long renames the class and moves requests into it', async () => {
  const store = await mainStore();
  const {report} = await buildSummaryReport(store.reportSource, {start: HOUR_START, hours: 1, tooLong: 300});
  assert.deepEqual(report.header.slice(12), ['> 5', '% > 5', 'state', '% state']);
  // 344 s and 1860 s are now too long; req-5 stays a state failure.
  assert.deepEqual(report.rows[1]!.slice(7), [5, 0, 0, 0, 0, 2, 0.4, 1, 0.2]);
  assert.equal(report.metadata['> 5 failure count'], 2);
  assert.equal(report.metadata['> 30 failure count'], undefined);
  assert.equal(report.metadata.failure_grand_total, 5);

  const lenient = (await buildSummaryReport(store.reportSource, {start: HOUR_START, hours: 1, tooLong: 3000})).report;
  assert.deepEqual(lenient.rows[1]!.slice(7), [5, 0, 0, 0, 0, 0, 0, 1, 0.2]);
  assert.equal(lenient.metadata['> 50 failure count'], 0);
  await store.close();
});

test('an empty window is a valid report: no rows, total 0, every rate 0.0', async () => {
  const store = await mainStore();
  const built = await buildSummaryReport(store.reportSource, {start: at('2014-01-15 03:00:00'), hours: 1});
  assert.deepEqual(built.report.rows, []);
  assert.equal(built.report.metadata.total, 0);
  for (const t of ['4xx', '5xx', '> 30', 'state']) {
    assert.equal(built.report.metadata[`${t} failure count`], 0);
    assert.equal(built.report.metadata[`${t} failure percentage`], 0);
  }
  assert.equal(built.report.metadata.failure_grand_total, 0);
  assert.equal(built.report.metadata.failure_grand_rate, 0);
  assert.ok(built.json.includes('"failure_grand_rate": 0.0}'));
  assert.deepEqual((JSON.parse(built.json) as unknown[])[1], HEADER);

  const empty = openSqliteStore(':memory:');
  const none = await buildSummaryReport(empty.reportSource, {start: HOUR_START, hours: 1});
  assert.deepEqual(none.report.metadata.cells, []);
  assert.equal(none.report.metadata.total, 0);
  await store.close();
  await empty.close();
});

test('a 24-hour window spans the day and stops at 23:59:59', async () => {
  const store = await mainStore();
  const {report, window} = await buildSummaryReport(store.reportSource, {start: at('2014-01-14 00:00:00')});
  assert.equal(report.metadata.hours, 24);
  assert.equal(window.end, at('2014-01-14 23:59:59'));
  assert.equal(report.metadata.end, 1389743999);
  // req-13's update at 19:00:00.000000 is inside a day window; its request is create base linux
  // from 18:59:50 to 19:00:00 (10 s); req-14's update at 19:59:59.5 is too.
  assert.equal(report.metadata.total, 15);
  await store.close();
});

test('region: substring of the uppercased name; updates filtered, requests and raws not', async () => {
  const store = openSqliteStore(':memory:');
  const start = at('2014-01-14 19:00:00');
  const reqs: Req[] = [
    // inst-a is updated in WEST-1 by req-a; req-b on the same instance runs only in east-2.
    {request: 'req-a', instance: 'inst-a', start: start + 60e6, deployment: 'west-1', steps: simple('reboot', 5)},
    {request: 'req-b', instance: 'inst-a', start: start + 600e6, deployment: 'east-2', steps: [
      {t: 0, event: 'compute.instance.rescue.start'}, {t: 12, event: 'compute.instance.rescue.end'}]},
    // req-c is updated in east-2; its first raw came from west-1 two hours earlier.
    {request: 'req-c', instance: 'inst-c', start: start - 7200e6, deployment: 'east-2', steps: [
      {t: 0, event: 'compute.instance.rebuild.start', deployment: 'west-1'},
      {t: 7300, event: 'compute.instance.update'}]},
  ];
  await ingest(store.db, reqs);
  const west = await buildSummaryReport(store.reportSource, {start, hours: 1, region: 'west'});
  assert.equal(west.name, 'summary for region: west');
  assert.equal(west.report.metadata.region, 'WEST');
  assert.deepEqual(west.report.metadata.cells, ['west-1']);
  assert.deepEqual(west.report.rows.map((r) => r.slice(0, 8)), [
    ['aux', '?', '?', '5s', '5s', '5s', '5s', 1],
    ['rescue', '?', '?', '12s', '12s', '12s', '12s', 1],
  ]);
  const east = await buildSummaryReport(store.reportSource, {start, hours: 1, region: 'EaSt'});
  assert.equal(east.name, 'summary for region: EaSt');
  assert.equal(east.report.metadata.region, 'EAST');
  assert.deepEqual(east.report.rows.map((r) => r.slice(0, 8)), [
    ['rebuild', '?', '?', '02:01:40', '02:01:40', '02:01:40', '02:01:40', 1],
  ]);
  assert.deepEqual(east.report.rows[0]!.slice(12, 14), [1, 1]);
  await assert.rejects(buildSummaryReport(store.reportSource, {start, hours: 1, region: 'north'}),
    (e: unknown) => e instanceof RegionNotFoundError && e.message === "No regions found for 'north'");
  await store.close();
});

test('a request touching two updated instances counts once per instance', async () => {
  const store = openSqliteStore(':memory:');
  const start = at('2014-01-14 19:10:00');
  await ingest(store.db, [
    {request: 'req-multi', instance: 'inst-x', start, steps: simple('create', 30)},
    {request: 'req-multi', instance: 'inst-y', start: start + 5e6, steps: simple('create', 40)},
  ]);
  const {report} = await buildSummaryReport(store.reportSource, {start: HOUR_START, hours: 1});
  // Both passes see the raws of both instances: 19:10:00 to 19:10:45.
  assert.deepEqual(report.rows, [['create', '?', '?', '45s', '45s', '45s', '45s', 2, ...ZERO]]);
  await store.close();
});

test('stored: a version 4 row named for the region, over the period, with the JSON verbatim', async () => {
  const store = await mainStore();
  const built = await buildSummaryReport(store.reportSource, {start: HOUR_START, hours: 1});
  const created = at('2014-01-14 20:10:00');
  const id = (await storeSummaryReport(store.reportSource, built, {created}))!;
  assert.deepEqual(await store.reports.createdBetween(0, created, 50, 0), [{
    id, period_start: at('2014-01-14 19:00:00'), period_end: at('2014-01-14 19:59:59'), created,
    name: 'summary for region: all', version: 4,
  }]);
  assert.equal(await store.reports.json(id), built.json);
  assert.equal(await storeSummaryReport(store.reportSource, built, {created, once: true}), null);
  await store.close();
});

test('versioned requests count as legacy ones: the scenario of test/fixtures/openstack.ts', async () => {
  const {messages} = await import('../fixtures/openstack.js');
  const {Pipeline} = await import('../../source/ingest/pipeline.js');
  const store = openSqliteStore(':memory:');
  await new Pipeline(store.writer(), {source: 'test'}).ingest(messages().map((m) =>
    ({deployment: 'region-1', exchange: m.exchange, routingKey: m.routingKey, body: m.body})));
  const {report} = await buildSummaryReport(store.reportSource, {start: Date.UTC(2026, 2, 1, 10) * 1000 - 1, hours: 1});
  // Instance A's request (update from the api, create.start, create.end): one create of 32.5 s,
  // linux from os_type; nothing else is an updated instance's request.
  assert.deepEqual(report.rows, [['create', '?', 'linux', '32s', '32s', '32s', '32s', 1, ...ZERO]]);
  assert.equal(report.metadata.total, 1);
  await store.close();
});

test('on a file, a snapshot reads one state on a connection of its own while the store\'s own writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stacky-snapshot-'));
  const store = openSqliteStore(join(dir, 'stacky.db'));
  try {
    await ingest(store.db, MAIN);
    const all = [0, Number.MAX_SAFE_INTEGER] as const;
    const late = {request: 'req-late', instance: 'inst-late', start: at('2014-01-14 19:30:00'), steps: simple('create', 30)};
    const [before, during] = await store.reportSource.snapshot(async (q) => {
      const first = (await q.requestPairs(...all)).length;
      await ingest(store.db, [late]);
      // The store's connection committed outside the snapshot, which still reads its first state.
      assert.equal(store.db.inTransaction, false);
      return [first, (await q.requestPairs(...all)).length];
    });
    assert.equal(during, before);
    assert.equal((await store.reportSource.requestPairs(...all)).length, before + 1);
    // The same report as the in-memory corpus gives, plus the late request.
    const built = await buildSummaryReport(store.reportSource, {start: HOUR_START, hours: 1});
    assert.equal(built.report.metadata.total, 14);
  } finally {
    await store.close();
    rmSync(dir, {recursive: true, force: true});
  }
});
