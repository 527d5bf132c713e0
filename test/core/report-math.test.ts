import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
  buildSummary, durationStats, durationText, evaluateRequest, failureTypes, reportWindow, resolveFailure,
  selectDeployments, summaryArray, summaryName, SummaryTally, tooLongLabel, type ReportRaw,
} from '../../source/core/report-math.js';
import {pyDumps} from '../../source/core/pyjson.js';

const S = 1_000_000;
let nextId = 1;

function raw(t: number, fields: Partial<ReportRaw> = {}): ReportRaw {
  return {id: nextId++, when: 1389726000 * S + t * S, routing_key: 'monitor.info', state: 'active',
    old_state: 'active', event: 'compute.instance.update', image_type: 0, ...fields};
}

test('window: (start, start + hours h − 1 s]', () => {
  assert.deepEqual(reportWindow(1389726000 * S, 1), {start: 1389726000 * S, end: 1389729599 * S});
  assert.deepEqual(reportWindow(0, 24), {start: 0, end: 86399 * S});
});

test('names and labels', () => {
  assert.equal(summaryName(null), 'summary for region: all');
  assert.equal(summaryName(''), 'summary for region: all');
  assert.equal(summaryName('dfw'), 'summary for region: dfw');
  assert.equal(tooLongLabel(1800), '> 30');
  assert.equal(tooLongLabel(1799), '> 29');
  assert.equal(tooLongLabel(59), '> 0');
  assert.deepEqual(failureTypes(600), ['4xx', '5xx', '> 10', 'state']);
});

test('region: uppercase substring of the uppercased name, table order kept', () => {
  const all = [{id: 1, name: 'dfw-c0001'}, {id: 2, name: 'ORD-global'}, {id: 3, name: 'DFW-c0002'}];
  assert.deepEqual(selectDeployments(all, 'dfw').map((d) => d.id), [1, 3]);
  assert.deepEqual(selectDeployments(all, 'GLOB').map((d) => d.id), [2]);
  assert.deepEqual(selectDeployments(all, null).map((d) => d.id), [1, 2, 3]);
  assert.deepEqual(selectDeployments(all, 'lon'), []);
});

test('statistics: extremes, upper median, sorted[trunc(p/100·n)]', () => {
  // 40 distinct durations, shuffled: 97% → index trunc(38.8) = 38, not the max at 39.
  const values = Array.from({length: 40}, (_, i) => ((i * 17) % 40 + 1) * S);
  assert.deepEqual(durationStats(values, 97), {min: 1 * S, max: 40 * S, median: 21 * S, percentile: 39 * S});
  assert.deepEqual(durationStats(values, 50), {min: 1 * S, max: 40 * S, median: 21 * S, percentile: 21 * S});
  assert.deepEqual(durationStats([3 * S], 97), {min: 3 * S, max: 3 * S, median: 3 * S, percentile: 3 * S});
  assert.equal(durationStats([1, 2], 100).percentile, 2); // clamped where Python raised IndexError
  assert.equal(durationStats([5, 1, 3, 2], 0).percentile, 1);
  assert.throws(() => durationStats([], 97), RangeError);
});

test('durations print with sec_to_str, truncated to whole seconds', () => {
  assert.equal(durationText(5_999_999), '5s');
  assert.equal(durationText(344 * S), '5:44s');
  assert.equal(durationText(65 * S), '1:05s');
  assert.equal(durationText(3723 * S), '01:02:03');
  assert.equal(durationText(93600 * S), '26:00:00');
});

test('evaluation: operation by substring, the last match wins', () => {
  const ev = evaluateRequest([
    raw(0, {event: 'compute.instance.create.start'}),
    raw(1, {event: 'compute.instance.rebuild.start'}),
    raw(2, {event: 'compute.instance.update'}),
    raw(3, {event: null}),
  ], 1800)!;
  assert.equal(ev.operation, 'rebuild');
  assert.equal(ev.durationUs, 3 * S);
  assert.equal(evaluateRequest([raw(0, {event: 'compute.instance.finish_resize.end'})], 1800)!.operation, 'resize');
  assert.equal(evaluateRequest([raw(0, {event: 'compute.instance.create_ip.end'})], 1800)!.operation, 'create');
  assert.equal(evaluateRequest([raw(0, {event: 'compute.instance.reboot.start'})], 1800)!.operation, 'aux');
  assert.equal(evaluateRequest([], 1800), null);
});

test('evaluation: image and OS buckets from the OR of the raws\' bits', () => {
  const kinds = (...bits: number[]) => {
    const ev = evaluateRequest(bits.map((b, i) => raw(i, {image_type: b})), 1800)!;
    return [ev.image, ev.osType];
  };
  assert.deepEqual(kinds(0), ['?', '?']);
  assert.deepEqual(kinds(0x111), ['base', 'linux']);
  assert.deepEqual(kinds(0x1, 0x2), ['snap', '?']); // snapshot beats base
  assert.deepEqual(kinds(0x3), ['snap', '?']); // import shows as snap
  assert.deepEqual(kinds(0x11, 0x20), ['base', 'windows']); // windows beats linux
  assert.deepEqual(kinds(0x41), ['base', '?']); // freebsd
});

test('evaluation: failure classes before the error code is read', () => {
  const fail = (raws: ReportRaw[], tooLong = 1800) => evaluateRequest(raws, tooLong)!.failure;
  assert.equal(fail([raw(0), raw(10)]), null);
  assert.equal(fail([raw(0, {routing_key: 'monitor.error'}), raw(10)]), 'http');
  assert.equal(fail([raw(0, {routing_key: null}), raw(10)]), null);
  assert.equal(fail([raw(0, {old_state: 'building', state: 'error'})]), 'state');
  // state overrides http, and a later error raw turns it back to http
  assert.equal(fail([raw(0, {routing_key: 'monitor.error'}), raw(1, {state: 'error'})]), 'state');
  assert.equal(fail([raw(0, {state: 'error'}), raw(1, {routing_key: 'monitor.error', state: 'error', old_state: 'error'})]), 'http');
  // error → error is no new state failure, and no recovery either
  assert.equal(fail([raw(0, {old_state: 'error', state: 'error'})]), null);
  // recovery out of error clears http and state alike; error → deleted does not
  assert.equal(fail([raw(0, {state: 'error'}), raw(1, {old_state: 'error', state: 'active'})]), null);
  assert.equal(fail([raw(0, {routing_key: 'monitor.error'}), raw(1, {old_state: 'error', state: 'active'})]), null);
  assert.equal(fail([raw(0, {state: 'error'}), raw(1, {old_state: 'error', state: 'deleted'})]), 'state');
  // too long only when nothing else failed, strictly longer than too_long
  assert.equal(fail([raw(0), raw(1800)]), null);
  assert.equal(fail([raw(0), raw(1800.000001)]), '> 30');
  assert.equal(fail([raw(0, {state: 'error'}), raw(4000)]), 'state');
  assert.equal(fail([raw(0), raw(601)], 600), '> 10');
  const err = raw(5, {routing_key: 'monitor.error'});
  const ev = evaluateRequest([raw(0), err, raw(9, {routing_key: 'monitor.error'})], 1800)!;
  assert.equal(ev.err!.when, raw(9).when); // the last error raw
  assert.equal(evaluateRequest([raw(0), err], 1800)!.err, err);
});

test('error code: 4xx and 5xx replace any class; anything else leaves it', () => {
  const stored = (exception: unknown) => ['monitor.error', {payload: exception === undefined ? {} : {exception}}];
  assert.equal(resolveFailure('http', stored({kwargs: {code: 409}})), '4xx');
  assert.equal(resolveFailure('state', stored({kwargs: {code: 400}})), '4xx');
  assert.equal(resolveFailure('> 30', stored({kwargs: {code: 599}})), '5xx');
  assert.equal(resolveFailure('http', stored({kwargs: {code: '500'}})), '5xx');
  assert.equal(resolveFailure('http', stored({kwargs: {code: 302}})), 'http');
  assert.equal(resolveFailure('http', stored({kwargs: {code: 600}})), 'http');
  assert.equal(resolveFailure('http', stored({kwargs: {}})), 'http');
  assert.equal(resolveFailure('http', stored({message: 'boom'})), 'http');
  assert.equal(resolveFailure('http', stored({kwargs: {code: 'Conflict'}})), 'http');
  assert.equal(resolveFailure('state', stored({})), 'state'); // an empty exception is falsy
  assert.equal(resolveFailure('state', stored(undefined)), 'state');
  assert.equal(resolveFailure('state', ['monitor.error', {}]), 'state');
  assert.equal(resolveFailure(null, stored({kwargs: {code: 409}})), null);
});

test('rows: sorted by operation, image, OS; fractions per row, percentages in the metadata', () => {
  const tally = new SummaryTally();
  tally.add('resize', 'base', 'linux', 100 * S, null);
  tally.add('create', 'snap', 'windows', 20 * S, '4xx');
  tally.add('create', 'base', 'linux', 30 * S, 'http');
  tally.add('create', 'base', 'linux', 10 * S, 'state');
  tally.add('aux', '?', '?', 5 * S, null);
  tally.add('create', 'base', '?', 1 * S, '> 30');
  const window = reportWindow(1389726000 * S, 1);
  const report = buildSummary(tally, {percentile: 97, hours: 1, tooLong: 1800, window, region: 'dfw', cells: ['dfw-1']});
  assert.deepEqual(report.rows, [
    ['aux', '?', '?', '5s', '5s', '5s', '5s', 1, 0, 0, 0, 0, 0, 0, 0, 0],
    ['create', 'base', '?', '1s', '1s', '1s', '1s', 1, 0, 0, 0, 0, 1, 1, 0, 0],
    ['create', 'base', 'linux', '10s', '30s', '30s', '30s', 2, 0, 0, 0, 0, 0, 0, 1, 0.5],
    ['create', 'snap', 'windows', '20s', '20s', '20s', '20s', 1, 1, 1, 0, 0, 0, 0, 0, 0],
    ['resize', 'base', 'linux', '1:40s', '1:40s', '1:40s', '1:40s', 1, 0, 0, 0, 0, 0, 0, 0, 0],
  ]);
  assert.equal(report.metadata.region, 'DFW');
  assert.equal(report.metadata.total, 6);
  assert.equal(report.metadata['4xx failure percentage'], (1 / 6) * 100);
  assert.equal(report.metadata.failure_grand_total, 3);
  assert.equal(report.metadata.failure_grand_rate, 50);
  assert.equal(report.unreportedFailures, 1);
  const text = pyDumps(summaryArray(report));
  assert.ok(text.includes('"failure_grand_rate": 50.0}'), text);
  assert.ok(text.includes('["create", "base", "linux", "10s", "30s", "30s", "30s", 2, 0, 0.0, 0, 0.0, 0, 0.0, 1, 0.5]'));
});

test('an empty tally is a report with total 0 and rates 0.0', () => {
  const report = buildSummary(new SummaryTally(), {percentile: 97, hours: 1, tooLong: 1800,
    window: reportWindow(0, 1), region: null, cells: []});
  assert.deepEqual(report.rows, []);
  assert.equal(pyDumps(summaryArray(report)), '[{"percentile": 97, "pct": 0.015, "hours": 1, "start": 0.0, ' +
    '"end": 3599.0, "region": null, "cells": [], "total": 0, "4xx failure count": 0, "4xx failure percentage": 0.0, ' +
    '"5xx failure count": 0, "5xx failure percentage": 0.0, "> 30 failure count": 0, "> 30 failure percentage": 0.0, ' +
    '"state failure count": 0, "state failure percentage": 0.0, "failure_grand_total": 0, "failure_grand_rate": 0.0}, ' +
    '["Operation", "Image", "OS Type", "Min", "Max", "Med", "97%", "Requests", "4xx", "% 4xx", "5xx", "% 5xx", ' +
    '"> 30", "% > 30", "state", "% state"]]');
});
