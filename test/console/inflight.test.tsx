// The in-flight view: operations started and not ended, derived from the tail's rows.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {keys, startEach} from './helpers.js';
import {U1, U2} from './fake-source.js';
import {ageText, inFlight} from '../../source/console/views/inflight.js';
import {RingBuffer} from '../../source/console/ring-buffer.js';
import {Snapshot} from '../../source/console/watch-rows.js';
import type {WatchRow} from '../../source/console/tail.js';

const start = startEach();

const iso = (ms: number) => new Date(ms).toISOString();
function row(id: number, event: string, uuid: string, ms: number): [number, string, string, string, string, string, string] {
  return [id, ' ', iso(ms).slice(0, 10), `${iso(ms).slice(11, 23)}000`, 'dep1', event, uuid];
}

test('in flight: a start without its end, oldest first, with the last event of the instance', () => {
  const ring = new RingBuffer<WatchRow>(100);
  const add = (id: number, event: string, uuid: string, time: string) =>
    ring.push({id, error: false, date: '2026-05-01', time, deployment: 'd', event, uuid, host: '', tenant: '', requestId: ''});
  add(1, 'compute.instance.resize.start', 'b', '10:00:05.000000');
  add(2, 'compute.instance.create.start', 'a', '10:00:01.000000');
  add(3, 'compute.instance.update', 'a', '10:00:06.000000');
  add(4, 'compute.instance.reboot.start', 'c', '10:00:07.000000');
  add(5, 'compute.instance.reboot.end', 'c', '10:00:08.000000');
  add(6, 'compute.instance.delete.start', 'd', '10:00:09.000000');
  add(7, 'compute.instance.delete.error', 'd', '10:00:10.000000');
  const list = inFlight(new Snapshot(ring));
  assert.deepEqual(list.map((f) => [f.uuid, f.operation, f.last.event]), [
    ['a', 'compute.instance.create', 'compute.instance.update'],
    ['b', 'compute.instance.resize', 'compute.instance.resize.start'],
  ]);
  assert.deepEqual([5_000, 65_000, 3_725_000].map(ageText), ['5s', '1m05s', '1h02m']);
});

test('in flight view: live, oldest first, stuck rows yellow, Enter opens the instance', async () => {
  const h = await start({env: {}, stuckSeconds: 60});
  const now = Date.now();
  h.source.watchBatches.push([
    row(1, 'compute.instance.create.start', U1, now - 600_000),
    row(2, 'compute.instance.resize.start', U2, now - 5_000),
  ]);
  await h.until(/resize\.start/);
  await h.press('7');
  await h.until(/2 in flight/);
  const body = h.frame().split('\n').slice(2, 6).map((l) => l.trimEnd());
  assert.match(body[0]!, /^\s*Age Operation\s+Last event\s+UUID$/);
  assert.match(body[1]!, /^\s*10m0\ds compute\.instance\.create\s+compute\.instance\.create\.start\s+2222bbbb/);
  assert.match(body[2]!, /^\s*[5-9]s compute\.instance\.resize\s+compute\.instance\.resize\.start\s+3333cccc/);
  const stuck = h.raw().split('\n').find((l) => l.includes('instance.create.start'))!;
  assert.match(stuck, /\u001B\[33m/, 'stuck row yellow');
  const fresh = h.raw().split('\n').find((l) => l.includes('instance.resize.start'))!;
  assert.doesNotMatch(fresh, /\u001B\[33m/);
  // Live: the end arrives, the row goes.
  h.source.watchBatches.push([row(3, 'compute.instance.create.end', U1, now)]);
  await h.until(/1 in flight/);
  assert.doesNotMatch(h.frame(), /compute\.instance\.create /);
  await h.press(keys.enter);
  await h.until(/Events of 3333cccc/);
});
