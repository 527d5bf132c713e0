// `stacky worker`: RabbitMQ into the database, as StackTach's worker (run: source/commands/worker.ts).
import type {CommandSpec} from '../spec.js';
import {daemonFlags, dbFlag, healthFlags, retainFlags} from './shared.js';

export const workerSpec = {
  name: 'worker',
  group: 'server',
  summary: 'Consume OpenStack notifications from RabbitMQ, configured as StackTach\'s worker, into the database (SQLite or PostgreSQL).',
  details: ['The config is StackTach\'s etc/stacktach_worker_config.json format. Runs until SIGINT or SIGTERM, then ' +
    'stores and acks what was delivered.'],
  flags: {
    config: {type: 'string', value: 'FILE', short: 'c',
      description: 'StackTach worker config (default: $STACKTACH_DEPLOYMENTS_FILE, else ./stacktach_worker_config.json)'},
    ...dbFlag,
    prefetch: {type: 'int', value: 'N', min: 1, description: 'unacked messages per queue (default 10000)'},
    batch: {type: 'int', value: 'N', min: 1, description: 'messages stored per transaction (default 5000)'},
    ...retainFlags,
    listen: {type: 'string', value: '[HOST:]PORT',
      description: 'serve GET /healthz and GET /metrics there (HOST 127.0.0.1 unless given; port 0 picks a free one)'},
    ...healthFlags,
    ...daemonFlags,
    'example-config': {type: 'boolean', description: 'print a commented config for a current cloud (exchanges and topics by name), and exit'},
  },
  examples: ['stacky worker --config stacktach_worker_config.json --db stacky.db',
    'stacky worker -c cell1.json --listen 0.0.0.0:9100 --auth-file tokens.json',
    'stacky worker --example-config > stacky-worker.json'],
} as const satisfies CommandSpec;
