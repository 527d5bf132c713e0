// The live demo's pace (source/demo/pacer.ts) on a simulated clock: the demo offers its full
// rate (issue #18: `stacky demo --rate 2000` offered ~1,800/s) and catches up after a stall.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {DemoGenerator} from '../../source/demo/generator.js';
import {DemoPacer} from '../../source/demo/pacer.js';
import type {DemoShape} from '../../source/demo/types.js';

const START = Date.UTC(2026, 0, 1) * 1000;
const SECOND = 1_000_000;

/** Notifications handed out over `seconds` of simulated time, polled every 100 ms as the feeder does. */
function offered(rate: number, shape: DemoShape, seconds: number): number {
  const pacer = new DemoPacer(new DemoGenerator({rate, shape, seed: 3, startMicros: START}), rate * 5);
  let count = 0;
  for (let t = START; t <= START + seconds * SECOND; t += SECOND / 10) count += pacer.until(t).length;
  return count;
}

test('after N simulated seconds the demo has offered N × rate (within 1%), in every shape', () => {
  for (const shape of ['flat', 'mixed', 'versioned'] as const) {
    for (const [rate, seconds] of [[2000, 10], [50, 200]] as const) {
      const n = offered(rate, shape, seconds);
      const ratio = n / (rate * seconds);
      assert.ok(ratio > 0.99 && ratio < 1.01, `${shape} at ${rate}/s for ${seconds} s: ${n} offered (${ratio})`);
    }
  }
});

test('every notification handed out is due, none twice, and a stalled caller catches up at once', () => {
  const generator = new DemoGenerator({rate: 1000, seed: 3, startMicros: START});
  const pacer = new DemoPacer(generator, 100_000);
  const when = (body: Record<string, unknown>) => Date.parse((body.timestamp as string).replace(' ', 'T') + 'Z') * 1000;
  const first = pacer.until(START + SECOND);
  assert.ok(first.every((e) => when(e.body) <= START + SECOND + 999), 'nothing from the future');
  // The caller was busy for 10 s: the next call brings all of them.
  const caughtUp = pacer.until(START + 11 * SECOND);
  const total = first.length + caughtUp.length;
  assert.ok(total > 0.99 * 11_000 && total < 1.01 * 11_000, `${total} after 11 s`);
  assert.ok(when(caughtUp[0]!.body) >= when(first.at(-1)!.body), 'in order, no repeat');
  assert.equal(new Set([...first, ...caughtUp]).size, total);
  assert.deepEqual(pacer.until(START + 11 * SECOND), [], 'nothing more until the clock moves');
});

test('a batch holds at most maxBatch; the rest follows with the next calls, in the same order', () => {
  const paced = (maxBatch: number) => new DemoPacer(new DemoGenerator({rate: 1000, seed: 3, startMicros: START}), maxBatch);
  const all = paced(100_000).until(START + 3 * SECOND);
  const pacer = paced(500);
  const batches = Array.from({length: Math.ceil(all.length / 500) + 1}, () => pacer.until(START + 3 * SECOND));
  assert.deepEqual(batches.map((b) => b.length), [...Array.from({length: Math.floor(all.length / 500)}, () => 500), all.length % 500, 0]);
  assert.deepEqual(batches.flat().map((e) => e.body.message_id), all.map((e) => e.body.message_id));
});
