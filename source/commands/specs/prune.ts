// `stacky prune`: a one-off retention pass (run: source/commands/prune.ts).
import type {CommandSpec} from '../spec.js';
import {dbFlag, jsonFlag} from './shared.js';

export const pruneSpec = {
  name: 'prune',
  group: 'server',
  summary: 'Delete notifications older than T with the rows derived from them, and older quarantine entries.',
  details: ['Stored reports stay. Works in small transactions, so a running server and worker keep going meanwhile; ' +
    'freed pages are reused by later inserts. On PostgreSQL whole days go: the day holding T stays until a later pass. ' +
    'serve and worker take --retain 30d to do this in the background.'],
  flags: {
    ...dbFlag,
    before: {type: 'string', value: 'T', description: 'epoch seconds, or "YYYY-MM-DD HH:MM:SS" (UTC) (required)'},
    ...jsonFlag,
  },
  examples: ['stacky prune --db /var/lib/stacky/stacky.db --before "2026-01-01 00:00:00"'],
} as const satisfies CommandSpec;
