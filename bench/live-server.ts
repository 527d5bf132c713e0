// The serving process of the live-load bench (bench/live.ts): `stacky demo`'s server and feeder in
// one process, as `serve --worker` runs them, with its event-loop delay measured. Prints
// `listening on URL`; on a line `stop` on stdin prints one JSON line of figures and exits.
import {monitorEventLoopDelay} from 'node:perf_hooks';
import {createInterface} from 'node:readline';
import {startServer} from '../source/commands/serve.js';
import {startFeeder} from '../source/commands/demo.js';

const [db, rate] = [process.argv[2]!, Number(process.argv[3])];
const running = await startServer({db, host: '127.0.0.1', port: 0, source: 'http'});
const errors: string[] = [];
const feeder = startFeeder(running, rate, 1, (e) => errors.push(e.message));
// Measured from the feeder's first batch on: its start-up (a thread) is not the stored rate.
while (feeder.stored() === 0) await new Promise((r) => setTimeout(r, 50));
const base = {stored: feeder.stored(), offered: feeder.offered()};
const delay = monitorEventLoopDelay({resolution: 1});
delay.enable();
const started = performance.now();
process.stdout.write(`listening on ${running.url}\n`);
for await (const l of createInterface({input: process.stdin})) {
  if (l.trim() !== 'stop') continue;
  const seconds = (performance.now() - started) / 1000;
  delay.disable();
  const [stored, offered] = [feeder.stored() - base.stored, feeder.offered() - base.offered];
  await feeder.stop();
  process.stdout.write(`${JSON.stringify({seconds, stored, offered, errors, delayP99: delay.percentile(99) / 1e6,
    delayMax: delay.max / 1e6})}\n`);
  await running.close();
  process.exit(0);
}
