// `stacky serve`: the StackTach-compatible server (run: source/commands/serve.ts).
import type {CommandSpec, FlagSet} from '../spec.js';
import {daemonFlags, dbFlag, healthFlags, retainFlags} from './shared.js';

/** Running unattended: tokens, TLS, bounds, timeouts, health (read by source/commands/serve-setup.ts). */
export const setupFlags = {
  ...healthFlags,
  'open-read': {type: 'boolean', description: 'let reads through without a token (the original stacky client sends none)'},
  'tls-cert': {type: 'string', value: 'FILE', description: 'serve HTTPS with this certificate (with --tls-key)'},
  'tls-key': {type: 'string', value: 'FILE', description: 'the private key of --tls-cert'},
  'max-requests': {type: 'int', value: 'N', min: 1, default: 64,
    description: 'requests answered at once; more get 503 + Retry-After'},
  'max-watch': {type: 'int', value: 'N', min: 1, default: 4,
    description: 'watch requests at once per token (per address without tokens)'},
  'header-timeout': {type: 'int', value: 'S', min: 1, default: 10, description: 'seconds a client has to send its request headers'},
  'request-timeout': {type: 'int', value: 'S', default: 0, description: 'seconds a client has to send a whole request ' +
    '(0: off; POST /ingest/ has its own bounds, --limit body-ms and body-idle-ms, and answers with its counts)'},
  'idle-timeout': {type: 'int', value: 'S', min: 1, default: 65, description: 'seconds an idle keep-alive connection stays open'},
  // No default here: it depends on the cores (source/server/read-threads.ts), and specs load no server code.
  'read-threads': {type: 'int', value: 'N', min: 0, description: 'threads building uncached read answers, each with its own ' +
    'read-only connection; 0 builds them on the serving thread (default: one per core beside the serving thread, 1 to 4)'},
  ...daemonFlags,
} as const satisfies FlagSet;

export const serveSpec = {
  name: 'serve',
  group: 'server',
  summary: 'Serve every stacky/ URL of StackTach, plus POST /ingest/ for JSON Lines, GET /healthz and GET /metrics.',
  details: ['Prints "listening on URL" once it accepts connections; SIGHUP reloads --auth-file; SIGTERM stops within --stop-timeout.'],
  flags: {
    ...dbFlag,
    host: {type: 'string', value: 'HOST', default: '127.0.0.1', description: 'address to listen on'},
    port: {type: 'int', value: 'N', default: 8000, description: 'port (0 picks a free one)'},
    worker: {type: 'string', value: 'FILE', description: "also consume RabbitMQ with StackTach's worker config FILE (see stacky worker)"},
    reports: {type: 'string', value: 'hourly', choices: ['hourly'], description: 'build the summary report a few minutes after each hour'},
    limit: {type: 'string', value: 'NAME=N', multiple: true,
      description: "change a bound (repeatable; names and defaults in the README's Limits table)"},
    'allow-host': {type: 'string', value: 'NAME', multiple: true,
      description: "also answer requests for this host name (repeatable; '*' any); IP addresses and localhost always are"},
    ...retainFlags,
    ...setupFlags,
  },
  examples: ['stacky serve --db /var/lib/stacky/stacky.db --port 8000',
    'stacky serve --host 0.0.0.0 --auth-file tokens.json --open-read --retain 30d'],
} as const satisfies CommandSpec;
