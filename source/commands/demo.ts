// stacky demo: the embedded default. A server on a fresh SQLite file, fed a live, realistic
// stream, with the console attached when there is a terminal.
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {writeCorpus} from '../demo/corpus.js';
import {DEMO_SHAPES, type DemoShape} from '../demo/types.js';
import {startWriterThread, stopWriterThread} from './writer-thread.js';
import type {FeederData, FeederMessage} from './demo-feeder.js';
import {startServer, onSignals, type Running} from './serve.js';
import {guarded, intFlag, parse, UsageError} from './args.js';

const HELP = `Usage: stacky demo [--db PATH] [--port N] [--rate N] [--no-tui] [--write FILE --count N] [--shape S]

Starts the server on a fresh SQLite file and feeds it a live stream of realistic OpenStack
notifications (several deployments, many hosts; create, resize, snapshot, rebuild and delete
flows; exists audits; errors; glance images, cinder volumes, neutron ports). The console
opens on it when run in a terminal.
  --db PATH        database file (default: a new file in the temp directory)
  --port N         port (default 8000, or a free one when 8000 is taken)
  --rate N         notifications per second (default 200)
  --no-tui         run headless: print where the server listens and a progress line
  --write FILE     write a corpus of JSON Lines instead (with --count N, default 100000)
  --seed N         generator seed (default: random for live runs, 1 for --write)
  --shape S        how the notifications travel (default: mixed live, flat for --write):
                     flat       StackTach's traffic: legacy nova and glance bodies on monitor.*
                     enveloped  the flat stream, each body in oslo.messaging's 2.0 envelope
                     versioned  nova's versioned notifications only, enveloped
                     mixed      per request flat, enveloped or versioned, plus cinder and
                                neutron events and nova's flavor, aggregate, keypair and
                                service events, as a current cloud sends them

Examples: stacky demo
          stacky demo --no-tui --rate 2000
          stacky demo --write corpus.jsonl --count 1000000
          stacky demo --write current-cloud.jsonl --count 10000 --shape mixed
`;

/** --shape: one of DEMO_SHAPES, else a usage error. */
function shapeFlag(value: string | undefined, fallback: DemoShape): DemoShape {
  if (value === undefined) return fallback;
  if (!(DEMO_SHAPES as readonly string[]).includes(value)) {
    throw new UsageError(`--shape must be one of ${DEMO_SHAPES.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as DemoShape;
}

/**
 * Feeds the generator's notifications as real time reaches their timestamps, from a thread with
 * its own connection (demo-feeder.ts), off the event loop that answers the console.
 */
export function startFeeder(
  running: Running, rate: number, seed: number, onError: (e: Error) => void, shape: DemoShape = 'mixed',
) {
  const data: FeederData = {dbPath: running.store.file!, rate, seed, shape};
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
  return guarded('demo', async () => {
    const {values} = parse(argv, {
      db: {type: 'string'}, port: {type: 'string'}, rate: {type: 'string'}, 'no-tui': {type: 'boolean'},
      write: {type: 'string'}, count: {type: 'string'}, seed: {type: 'string'}, shape: {type: 'string'},
      help: {type: 'boolean', short: 'h'},
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (values.write !== undefined) {
      const count = intFlag('count', values.count, 100_000, 1);
      // flat by default: a corpus is a fixture, and a seed keeps writing the bytes it always wrote
      // (the bench and the tests compare against them); StackTach itself can ingest it too.
      const shape = shapeFlag(values.shape, 'flat');
      await writeCorpus(values.write, count, {seed: intFlag('seed', values.seed, 1), shape});
      process.stdout.write(`wrote ${count} notifications to ${values.write}\n`);
      return 0;
    }
    if (values.count !== undefined) throw new UsageError('--count goes with --write FILE');
    const rate = intFlag('rate', values.rate, 200, 1);
    const shape = shapeFlag(values.shape, 'mixed');
    const seed = intFlag('seed', values.seed, Math.floor(Math.random() * 2 ** 31));
    const db = values.db ?? join(tmpdir(), `stacky-demo-${Date.now()}.db`);
    const running = await listen(db, intFlag('port', values.port, 8000), values.port !== undefined);
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
        {banner: `demo: ${rate}/s into ${db}`},
      );
      await stop();
      return code;
    }
    process.stdout.write(`listening on ${running.url}\n`);
    process.stdout.write(`demo: feeding ${rate} notifications/s into ${db}` +
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
