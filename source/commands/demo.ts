// stacky demo: the embedded default. A server on a fresh SQLite file, fed a live, realistic
// stream, with the console attached when there is a terminal.
import {dbLocation} from './paths.js';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {writeCorpus} from '../demo/corpus.js';
import type {DemoShape} from '../demo/types.js';
import {startWriterThread, stopWriterThread} from './writer-thread.js';
import type {FeederData, FeederMessage} from './demo-feeder.js';
import {startServer, onSignals, type Running} from './serve.js';
import {UsageError} from './args.js';
import {command} from './spec.js';
import {demoSpec} from './specs/demo.js';
import {describeLocation} from '../store/location.js';

/**
 * Feeds the generator's notifications as real time reaches their timestamps, from a thread with
 * its own connection (demo-feeder.ts), off the event loop that answers the console.
 */
export function startFeeder(
  running: Running, rate: number, seed: number, onError: (e: Error) => void, shape: DemoShape = 'mixed',
) {
  const data: FeederData = {dbPath: running.store.location!, rate, seed, shape};
  const thread = startWriterThread('demo-feeder', data);
  let counts = {stored: 0, offered: 0};
  thread.on('message', (m: FeederMessage) => {
    if ('error' in m) onError(new Error(m.error));
    else counts = m;
  });
  thread.on('error', onError);
  return {stop: () => stopWriterThread(thread), stored: () => counts.stored, offered: () => counts.offered};
}

async function listen(db: string, port: number, explicitPort: boolean): Promise<Running> {
  try {
    return await startServer({db, host: '127.0.0.1', port, source: 'http'});
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && !explicitPort) {
      return startServer({db, host: '127.0.0.1', port: 0, source: 'http'});
    }
    throw error;
  }
}

export async function run(argv: string[]): Promise<number> {
  return command(demoSpec, argv, async ({values}) => {
    if (values.write !== undefined) {
      const count = values.count ?? 100_000;
      // flat by default: a corpus is a fixture, and a seed keeps writing the bytes it always wrote
      // (the bench and the tests compare against them); StackTach itself can ingest it too.
      const shape = (values.shape ?? 'flat') as DemoShape;
      await writeCorpus(values.write, count, {seed: values.seed ?? 1, shape});
      process.stdout.write(`wrote ${count} notifications to ${values.write}\n`);
      return 0;
    }
    if (values.count !== undefined) throw new UsageError('--count goes with --write FILE');
    const rate = values.rate;
    const shape = (values.shape ?? 'mixed') as DemoShape;
    const seed = values.seed ?? Math.floor(Math.random() * 2 ** 31);
    const db = values.db ? dbLocation(values) : join(tmpdir(), `stacky-demo-${Date.now()}.db`);
    const running = await listen(db, values.port ?? 8000, values.port !== undefined);
    const feeder = startFeeder(running, rate, seed, (e) => process.stderr.write(`stacky demo: ingest failed: ${e.message}\n`), shape);
    const stop = async () => {
      await feeder.stop();
      await running.close();
    };

    const tty = Boolean(process.stdout.isTTY && process.stdin.isTTY);
    if (!values['no-tui'] && tty) {
      const {launchConsole} = await import('../console/launch.js');
      const code = await launchConsole(
        {url: running.url, deployment: 'all', service: 'nova', pollSeconds: 1},
        {banner: `demo: ${rate}/s into ${describeLocation(db)}`},
      );
      await stop();
      return code;
    }
    process.stdout.write(`listening on ${running.url}\n`);
    process.stdout.write(`demo: feeding ${rate} notifications/s into ${describeLocation(db)}` +
      `${tty ? '' : ' (no terminal: running headless)'}\n` +
      `try: STACKTACH_URL=${running.url} stacky watch all   or   stacky --url ${running.url}\n`);
    const progress = setInterval(() => process.stdout.write(`demo: ${feeder.stored()} notifications stored\n`), 10_000);
    onSignals(async () => {
      clearInterval(progress);
      await stop();
    });
    await new Promise(() => {});
    return 0;
  });
}
