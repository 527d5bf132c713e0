// `stacky help [command]`, also `stacky --help` (run: source/commands/help.ts).
import type {CommandSpec} from '../spec.js';

export const helpSpec = {
  name: 'help',
  group: 'client',
  summary: 'Every command with a line each, or one command\'s help (as stacky <command> --help).',
  args: '[command]',
  flags: {},
  examples: ['stacky help', 'stacky help serve'],
} as const satisfies CommandSpec;
