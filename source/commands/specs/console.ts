// `stacky [console]`: the interactive terminal console (run: source/commands/console.ts).
import type {CommandSpec} from '../spec.js';

export const consoleSpec = {
  name: 'console',
  group: 'client',
  summary: 'The interactive terminal console (also what plain `stacky` opens); needs a terminal.',
  details: ['Keys: ? inside the console lists them all. For scripts and pipes use the print commands.'],
  flags: {
    url: {type: 'string', value: 'URL', description: 'server to watch (default: STACKTACH_URL, STACKY_URL, `stacky config`, http://127.0.0.1:8000)'},
    ca: {type: 'string', value: 'FILE', description: 'CA certificate to trust for an https:// server'},
    deployment: {type: 'string', value: 'D', description: 'all, a deployment name or a numeric id (default: the configured one)'},
    service: {type: 'string', value: 'S', description: 'nova, glance or generic (default: the configured one)'},
    poll: {type: 'string', value: 'SECONDS', description: 'seconds between polls (default: the configured poll)'},
  },
  examples: ['stacky', 'stacky console --url http://127.0.0.1:8000'],
} as const satisfies CommandSpec;
