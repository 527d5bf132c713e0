// stacky serve: the StackTach-compatible server on one SQLite file.
import type {Server} from 'node:http';
import {openStore, type Store} from '../store/store.js';
import {Pipeline} from '../ingest/pipeline.js';
import {createStackyServer} from '../server/app.js';
import {defaultDbPath} from './paths.js';
import {guarded, intFlag, parse, UsageError} from './args.js';
import {parseLimits, type ServerLimits} from '../server/limits.js';

interface ServeBounds {
  limits?: ServerLimits;
  allowedHosts?: string[];
}

const HELP = `Usage: stacky serve [--db PATH] [--host 127.0.0.1] [--port 8000] [--worker FILE] [--reports hourly]

Serves every stacky/ URL of StackTach, plus POST /ingest/ for JSON Lines.
  --db PATH         SQLite file (default: $STACKY_DB or the per-user data dir's stacky.db)
  --host HOST       address to listen on (default 127.0.0.1)
  --port N          port (default 8000; 0 picks a free one)
  --worker FILE     also consume RabbitMQ with StackTach's worker config FILE
  --reports hourly  generate the hourly summary report a few minutes after each hour
  --limit NAME=N    change a bound (repeatable; names and defaults in the README's Limits table)
  --allow-host NAME also answer requests for this host name (repeatable; '*' for any); IP
                    addresses and localhost are always answered

Example: stacky serve --db /var/lib/stacky/stacky.db --port 8000
`;

export interface Running {
  server: Server;
  store: Store;
  url: string;
  close(): Promise<void>;
}

/** Starts the server; resolves once it accepts connections. Used by serve and demo. */
export async function startServer(opts: {db: string; host: string; port: number; source?: string} & ServeBounds): Promise<Running> {
  const store = openStore(opts.db);
  const pipeline = new Pipeline(store.db, {source: opts.source ?? 'http'});
  const server = createStackyServer({store, pipeline, limits: opts.limits, allowedHosts: opts.allowedHosts,
    ingestThread: {source: opts.source ?? 'http'}});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    server, store, url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => {
        store.close();
        resolve();
      });
      server.closeAllConnections();
    }),
  };
}

export function onSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) process.exit(1);
    stopping = true;
    stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

export async function run(argv: string[]): Promise<number> {
  return guarded('serve', async () => {
    const {values} = parse(argv, {
      db: {type: 'string'}, host: {type: 'string'}, port: {type: 'string'}, worker: {type: 'string'},
      reports: {type: 'string'}, help: {type: 'boolean', short: 'h'},
      limit: {type: 'string', multiple: true}, 'allow-host': {type: 'string', multiple: true},
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (values.reports !== undefined && values.reports !== 'hourly') {
      throw new UsageError(`--reports takes 'hourly', got '${values.reports}'`);
    }
    const port = intFlag('port', values.port, 8000);
    let limits: ServerLimits;
    try {
      limits = parseLimits(values.limit ?? []);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const running = await startServer({db: values.db ?? defaultDbPath(), host: values.host ?? '127.0.0.1', port,
      limits, allowedHosts: [...(values['allow-host'] ?? []), values.host ?? '127.0.0.1']});
    const stops: (() => Promise<void> | void)[] = [];
    if (values.worker) {
      const {startWorkerFromFile} = await import('./worker-embed.js');
      stops.push(await startWorkerFromFile(values.worker, running.store.db));
    }
    if (values.reports === 'hourly') {
      const {startHourly} = await import('./reports-embed.js');
      stops.push(startHourly(running.store.db));
    }
    process.stdout.write(`listening on ${running.url}\n`);
    onSignals(async () => {
      for (const stop of stops) await stop();
      await running.close();
    });
    await new Promise(() => {});
    return 0;
  });
}
