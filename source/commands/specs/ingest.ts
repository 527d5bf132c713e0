// `stacky ingest`: JSON Lines into a database or a running server (run: source/commands/ingest.ts).
import type {CommandSpec} from '../spec.js';
import {dbFlag} from './shared.js';

export const ingestSpec = {
  name: 'ingest',
  group: 'server',
  summary: 'Load notifications from JSON Lines files (or stdin) into a database or a running server.',
  args: '[FILE ... | -]',
  argHelp: [['FILE', 'JSON Lines to read; - or none: stdin']],
  details: [
    'Each line is a notification body, a [routing_key, body] pair, or an envelope ' +
      '{"deployment","exchange","routing_key","body"}. Bad lines are quarantined (see stacky quarantine) and ' +
      'reported with their line number; the others are still stored.',
    'Exit status: 0 all stored, 1 some lines rejected, 2 usage error.',
  ],
  flags: {
    ...dbFlag,
    url: {type: 'string', value: 'URL', description: "post to a running server's /ingest/ instead (STACKY_TOKEN, STACKY_CA apply)"},
    deployment: {type: 'string', value: 'NAME', default: 'default', description: 'deployment for lines that do not name one'},
    exchange: {type: 'string', value: 'NAME', default: 'nova', description: 'exchange for lines that do not name one (nova, glance, generic)'},
  },
  examples: ['stacky ingest --db stacky.db --deployment region-1 notifications.jsonl',
    'cat n.jsonl | stacky ingest --url http://127.0.0.1:8000 -'],
} as const satisfies CommandSpec;
