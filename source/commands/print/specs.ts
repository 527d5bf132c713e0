// The print commands' specs (deployments … usage): arguments as in the original stacky.py client,
// flags composed from the sets below. Run by source/commands/print.ts; listed by ../registry.ts.
import type {CommandSpec, FlagSet} from '../spec.js';

/** Every print command takes these. */
export const printFlags = {
  url: {type: 'string', value: 'URL', description: 'server to ask (default: STACKTACH_URL, STACKY_URL, `stacky config`, http://127.0.0.1:8000)'},
  ca: {type: 'string', value: 'FILE',
    description: 'CA certificate to trust for an https:// server (default: STACKY_CA, `stacky config`); STACKY_TOKEN sends a token'},
  json: {type: 'boolean', description: "print one JSON document: the server's reply unchanged (uuid, show: an object of replies)"},
  csv: {type: 'boolean', description: 'print the rows as CSV'},
  width: {type: 'int', value: 'N', description: 'fit tables in N columns (default: the terminal width; unlimited when piped; 0 = unlimited)'},
  wide: {type: 'boolean', description: 'no width limit: every column, nothing cut'},
} as const satisfies FlagSet;

const SERVICES = ['nova', 'glance', 'generic'] as const;

const service = {
  service: {type: 'string', value: 'S', choices: SERVICES, description: 'nova, glance or generic (default: the configured service)'},
} as const satisfies FlagSet;

const serviceOrAll = {
  service: {type: 'string', value: 'S', choices: [...SERVICES, 'all'], description: 'nova, glance, generic or all (default all)'},
} as const satisfies FlagSet;

const paging = {
  limit: {type: 'int', value: 'N', description: 'at most N rows (server default 50, max 1000)'},
  offset: {type: 'int', value: 'N', description: 'skip the first N rows'},
} as const satisfies FlagSet;

const window = {
  'when-min': {type: 'string', value: 'T', description: 'not before T (epoch seconds or "YYYY-MM-DD HH:MM:SS" UTC)'},
  'when-max': {type: 'string', value: 'T', description: 'not after T'},
} as const satisfies FlagSet;

const polling = {
  poll: {type: 'string', value: 'S', description: 'seconds between polls (default 2, or the configured poll)'},
  jsonl: {type: 'boolean', description: 'one JSON document (the reply) per poll, one per line'},
} as const satisfies FlagSet;

/** Every flag some print command takes: the shape of their parsed values. */
export const anyPrintFlag = {...printFlags, ...serviceOrAll, ...paging, ...window, ...polling} as const satisfies FlagSet;

const was = (original: string) => `Original client: ${original}`;

const specs: Omit<CommandSpec, 'group'>[] = [
  {
    name: 'deployments', summary: 'List deployments (#, Name).', flags: printFlags,
    details: [was('stacky deployments')], examples: ['stacky deployments'],
  },
  {
    name: 'events', summary: 'List the distinct event names (all services unless --service).', flags: {...printFlags, ...serviceOrAll},
    details: [was('stacky events')], examples: ['stacky events', 'stacky events --service glance'],
  },
  {
    name: 'hosts', summary: 'List the distinct host names.', flags: {...printFlags, ...service},
    details: [was('stacky hosts')], examples: ['stacky hosts'],
  },
  {
    name: 'uuid', args: '<uuid>', summary: 'Events for an instance (or image, with --service glance), then its timings.',
    flags: {...printFlags, ...service, ...paging, ...window},
    details: ['--json prints one object holding both replies: {"events": …, "timings": …}.', was('stacky uuid <uuid>')],
    examples: ['stacky uuid 2222bbbb-6352-4dbc-8271-96cc54bf14cd'],
  },
  {
    name: 'timings', args: '<event> [FROM [TO]]',
    summary: 'Durations of one operation (event name without .start/.end), fastest first.',
    flags: {...printFlags, ...paging, ...window},
    argHelp: [['FROM, TO', '"YYYY-MM-DD HH:MM:SS" (UTC): bound the end time, as --when-min/--when-max do']],
    details: [ was('stacky timings <event> [from [to]]')],
    examples: ['stacky timings compute.instance.create "2014-01-01 00:00:00"'],
  },
  {
    name: 'summary', summary: 'Count, min, max and average duration of every operation.', flags: {...printFlags, ...paging},
    details: [was('stacky summary')], examples: ['stacky summary'],
  },
  {
    name: 'request', args: '<request-id>', summary: 'Every nova event of one request.', flags: {...printFlags, ...paging, ...window},
    details: [was('stacky request <request-id>')], examples: ['stacky request req-8888bbbb-9e47-4b27-a95e-27996cc40c06'],
  },
  {
    name: 'search', args: '<service> <field> <value> [limit]', summary: 'Raw events whose <field> equals <value>, newest first.',
    flags: {...printFlags, ...service, ...paging, ...window},
    details: ['<field> is a column such as host, event, instance, request_id, tenant, deployment_id, routing_key, state.',
      was('stacky search <service> <field> <value> [limit]')],
    examples: ['stacky search nova tenant testtenantid1 10'],
  },
  {
    name: 'show', args: '[service] <event-id>', summary: 'One raw event: key/value table, its JSON, then the related events.',
    flags: {...printFlags, ...service},
    details: ['--json prints one object: {"event": <show reply>, "related": <uuid reply, or null>}.', was('stacky show [service] <event-id>')],
    examples: ['stacky show 42', 'stacky show glance 7'],
  },
  {
    name: 'watch', args: '[deployment|all] [service] [event] [poll-seconds]', summary: 'Stream new events until Ctrl-C.',
    flags: {...printFlags, ...service, ...polling},
    details: [
      'deployment is a numeric id, a name, or all (default: the configured deployment).',
      'The header repeats every 20 rows; --csv prints one header; --jsonl prints each reply on one line ' +
        '(no --json: a stream is not one document).',
      was('stacky watch [dep|all] [service] [event] [poll]'),
    ],
    examples: ['stacky watch', 'stacky watch 1 nova compute.instance.update 5'],
  },
  {
    name: 'kpi', args: '[tenant]', summary: 'Request durations of the last 24 hours (Event, Time, UUID, Deployment).', flags: printFlags,
    details: [was('stacky kpi [tenant]')], examples: ['stacky kpi', 'stacky kpi testtenantid1'],
  },
  {
    name: 'reports', args: '[YYYY-MM-DD HH:MM [YYYY-MM-DD HH:MM]]', summary: 'Reports created in a range (default today, 00:00 to 23:59 UTC).',
    flags: {...printFlags, ...paging, ...window},
    details: ['Start/End show as "Jan 14 19:00" and Created as "Tue Jan 14" in the table; --csv keeps the epoch numbers.',
      was('stacky reports [d t [d t]]')],
    examples: ['stacky reports 2014-01-14 00:00 2014-01-15 00:00'],
  },
  {
    name: 'report', args: '<report-id>', summary: 'One stored report: its metadata, then its table.', flags: printFlags,
    details: ['Reports whose metadata says report_format json print as JSON; raw_text ones print line by line. ' +
      'To build one: stacky report summary --help.', was('stacky report <id>')],
    examples: ['stacky report 12'],
  },
  {
    name: 'usage', args: 'launches|deletes|exists [uuid]', summary: 'Usage rows (launches, deletes or exists), optionally for one instance.',
    flags: {...printFlags, ...paging},
    details: ['StackTach removed these endpoints in 2014; a server without them answers 404.', was('stacky usage launches|deletes|exists [uuid]')],
    examples: ['stacky usage launches 2222bbbb-6352-4dbc-8271-96cc54bf14cd'],
  },
];

/** Arguments go through to the handlers, which count them (print/handlers.ts) and say which is missing or extra. */
export const printSpecs = specs.map((spec): CommandSpec => ({...spec, group: 'print', args: spec.args ?? ''}));

export function findSpec(name: string): CommandSpec | undefined {
  return printSpecs.find((c) => c.name === name);
}
