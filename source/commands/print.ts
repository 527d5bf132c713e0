// The print commands (deployments … usage): argv → handler → exit status.
// 0 ok, 1 server error or unreachable server, 2 usage error. Never imports ink or react.
import {StackyClient} from '../client/client.js';
import {StackyHttpError, StackyUnreachableError} from '../client/errors.js';
import {terminalSafe} from '../core/terminal-text.js';
import {UsageError} from './args.js';
import {printArgs, type PrintArgs} from './print/args.js';
import {handlers} from './print/handlers.js';
import {createOutput, type Streams} from './print/output.js';
import {findSpec} from './print/specs.js';
import {command} from './spec.js';
import {isService, loadSettings, type Settings} from './settings.js';
import {credentialsOf} from './credentials.js';

export interface RunOptions {
  streams?: Streams;
  env?: NodeJS.ProcessEnv;
}

export async function run(argv: string[], options: RunOptions = {}): Promise<number> {
  const streams: Streams = options.streams ?? {stdout: process.stdout, stderr: process.stderr};
  const spec = findSpec(argv[0] ?? '');
  if (!spec) throw new Error(`not a print command: '${argv[0] ?? ''}'`);
  return command(spec, argv.slice(1), (parsed) => print(printArgs(spec, parsed), streams, options.env ?? process.env), streams);
}

async function print(args: PrintArgs, streams: Streams, env: NodeJS.ProcessEnv): Promise<number> {
  let settings: Settings;
  try {
    settings = loadSettings({
      ...(args.url !== undefined ? {url: args.url} : {}),
      ...(args.ca !== undefined ? {ca: args.ca} : {}),
      ...(args.service !== undefined && isService(args.service) ? {service: args.service} : {}),
    }, env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  let credentials;
  try {
    credentials = credentialsOf(settings);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const out = createOutput(args.json ? 'json' : args.jsonl ? 'jsonl' : args.csv ? 'csv' : 'table', args.wide ? 0 : args.width, streams);
  const abort = new AbortController();
  const client = new StackyClient({
    url: settings.url,
    signal: abort.signal,
    credentials,
    ...(args.json || args.jsonl ? {onReply: (reply) => void out.raw.push(reply.text)} : {}),
  });
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const onSignal = () => {
    stop();
    abort.abort();
  };
  const onPipeError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') onSignal(); // the reader went away (e.g. `| head`): stop quietly
  };
  // Only watch turns Ctrl-C into a clean exit 0; other commands keep Node's default (130).
  const watching = args.command === 'watch';
  if (watching) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  process.stdout.on('error', onPipeError);
  try {
    const handler = handlers[args.command]!;
    return await handler({args, settings, client, out, stopped});
  } catch (error) {
    if (error instanceof StackyHttpError) {
      streams.stderr.write(`stacky ${args.command}: ${terminalSafe(error.message)} (HTTP ${error.status})\n`);
      return 1;
    }
    if (error instanceof StackyUnreachableError) {
      if (abort.signal.aborted) return 0; // stopped by Ctrl-C or a closed pipe
      streams.stderr.write(`stacky ${args.command}: ${terminalSafe(error.message)}\n`);
      return 1;
    }
    throw error;
  } finally {
    if (watching) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    process.stdout.off('error', onPipeError);
  }
}
