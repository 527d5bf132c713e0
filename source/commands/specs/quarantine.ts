// `stacky quarantine`: what ingest could not store, and its replay (run: source/commands/quarantine.ts).
import type {CommandSpec} from '../spec.js';
import {dbFlag, jsonFlag} from './shared.js';

export const quarantineSpec = {
  name: 'quarantine',
  group: 'server',
  summary: 'List rejected notifications (newest first) with where they came from, why, and their raw text; or replay them.',
  details: ['--replay re-ingests them through this version\'s parser (after an upgrade that learned a new shape): those ' +
    'that now store leave the quarantine, the others stay with today\'s reason.'],
  flags: {
    ...dbFlag,
    limit: {type: 'int', value: 'N', default: 50, description: 'list at most N entries'},
    ...jsonFlag,
    replay: {type: 'boolean', description: 'replay the quarantined entries instead of listing them'},
    id: {type: 'int', value: 'N', min: 1, multiple: true, description: 'with --replay: only this entry (repeatable)'},
  },
  examples: ['stacky quarantine --db stacky.db --limit 20', 'stacky quarantine --db stacky.db --replay'],
} as const satisfies CommandSpec;
