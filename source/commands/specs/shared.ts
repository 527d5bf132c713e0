// Flags several commands share, composed into their specs (never copied).
import type {FlagSet} from '../spec.js';
import {DEFAULT_DB_POOL} from '../../store/location.js';

/** Seconds between two background retention passes (--retain-every). */
export const DEFAULT_RETAIN_EVERY_S = 600;

export const dbFlag = {
  db: {type: 'string', value: 'PATH|URL', description: "SQLite file or postgres://user@host:port/db (default: $STACKY_DB or the per-user data dir's stacky.db)"},
  'db-pool': {type: 'int', value: 'N', min: 1, max: 100, default: DEFAULT_DB_POOL,
    description: 'connections to PostgreSQL this process opens at most (each thread of its own: read threads, writers)'},
} as const satisfies FlagSet;

export const jsonFlag = {
  json: {type: 'boolean', description: 'print the result as one JSON document'},
} as const satisfies FlagSet;

/** Background pruning, for the long-running serve and worker. */
export const retainFlags = {
  retain: {type: 'string', value: 'SPAN', description: 'delete notifications older than SPAN (30d, 12h, 90m, 2w) in the background'},
  'retain-every': {type: 'int', value: 'N', min: 1, default: DEFAULT_RETAIN_EVERY_S, description: 'seconds between retention passes'},
} as const satisfies FlagSet;

/** Running unattended: logs, the stop bound and the systemd unit (serve and worker). */
export const daemonFlags = {
  'stop-timeout': {type: 'int', value: 'S', min: 1, default: 30,
    description: 'on SIGTERM, seconds to finish in-flight work (store and ack) before exiting anyway'},
  'log-format': {type: 'string', value: 'F', choices: ['text', 'json'], default: 'text', description: 'log lines as'},
  'log-level': {type: 'string', value: 'L', choices: ['debug', 'info', 'warn', 'error'], default: 'info', description: 'least level logged'},
  'print-systemd': {type: 'boolean', description: 'print a systemd unit running this command line, and exit'},
} as const satisfies FlagSet;

/** /healthz and /metrics, and who may reach them: serve's, and worker's with --listen (source/commands/serve-setup.ts). */
export const healthFlags = {
  'auth-file': {type: 'string', value: 'FILE', description: 'bearer tokens (see stacky token); required to listen beyond loopback'},
  insecure: {type: 'boolean', description: 'listen beyond loopback without tokens (warns at every start)'},
  'metrics-open': {type: 'boolean', description: '/healthz and /metrics without a token'},
  'max-lag': {type: 'int', value: 'N', min: 1, default: 100_000, description: "/healthz fails when a consumer's queues hold N messages"},
  'min-free-mb': {type: 'int', value: 'N', default: 100, description: '/healthz fails below N MiB free beside the database'},
} as const satisfies FlagSet;
