// `stacky token add|list|remove`: the bearer tokens of serve --auth-file (run: source/commands/token.ts).
import type {CommandSpec} from '../spec.js';

export const tokenSpec = {
  name: 'token',
  group: 'server',
  summary: 'Manage the bearer tokens of `stacky serve --auth-file FILE`.',
  args: 'add NAME --role R | list | remove NAME',
  argHelp: [
    ['add NAME', 'create a token; prints it alone on stdout, once (only its SHA-256 hash is kept)'],
    ['list', 'name, role and creation time of every token'],
    ['remove NAME', 'delete a token'],
  ],
  details: ['The file is created with mode 0600 and refused by the server if group or others can read it. Send SIGHUP ' +
    'to a running server to reload it. Roles: read (the /stacky/ API, /healthz, /metrics), ingest (POST /ingest/), admin (both).'],
  flags: {
    'auth-file': {type: 'string', value: 'FILE', description: 'the token file (default: $STACKY_AUTH_FILE; required)'},
    role: {type: 'string', value: 'R', description: 'with add: read, ingest or admin'},
  },
  examples: ['stacky token add ops-console --role read --auth-file /etc/stacky/tokens.json',
    'stacky token list --auth-file /etc/stacky/tokens.json'],
} as const satisfies CommandSpec;
