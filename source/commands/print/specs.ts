// What each print command takes: its synopsis, the flags it accepts beyond the common ones,
// and an example. Argument parsing and `stacky --help` both read this table.

export type FlagName = 'service' | 'limit' | 'offset' | 'when-min' | 'when-max' | 'poll' | 'jsonl';

export interface CommandSpec {
  name: string;
  synopsis: string;
  summary: string;
  /** Flags accepted besides the common ones (--url --json --csv --width --wide --help). */
  flags: FlagName[];
  /** Extra lines explaining arguments and flags. */
  details: string[];
  examples: string[];
  /** The original stacky.py command line this one replaces. */
  original: string;
}

export const printCommands: CommandSpec[] = [
  {
    name: 'deployments', synopsis: 'deployments', summary: 'List deployments (#, Name).', flags: [],
    details: [], examples: ['stacky deployments'], original: 'stacky deployments',
  },
  {
    name: 'events', synopsis: 'events', summary: 'List the distinct event names (all services unless --service).',
    flags: ['service'], details: ['--service also takes all (the default).'], examples: ['stacky events', 'stacky events --service glance'], original: 'stacky events',
  },
  {
    name: 'hosts', synopsis: 'hosts', summary: 'List the distinct host names.',
    flags: ['service'], details: [], examples: ['stacky hosts'], original: 'stacky hosts',
  },
  {
    name: 'uuid', synopsis: 'uuid <uuid>', summary: 'Events for an instance (or image, with --service glance), then its timings.',
    flags: ['service', 'limit', 'offset', 'when-min', 'when-max'],
    details: ['--json prints one object holding both replies: {"events": …, "timings": …}.'],
    examples: ['stacky uuid 2222bbbb-6352-4dbc-8271-96cc54bf14cd'], original: 'stacky uuid <uuid>',
  },
  {
    name: 'timings', synopsis: 'timings <event> ["YYYY-MM-DD HH:MM:SS" ["YYYY-MM-DD HH:MM:SS"]]',
    summary: 'Durations of one operation (event name without .start/.end), fastest first.',
    flags: ['limit', 'offset', 'when-min', 'when-max'],
    details: ['The optional dates bound the end time, like --when-min/--when-max.'],
    examples: ['stacky timings compute.instance.create "2014-01-01 00:00:00"'], original: 'stacky timings <event> [from [to]]',
  },
  {
    name: 'summary', synopsis: 'summary', summary: 'Count, min, max and average duration of every operation.',
    flags: ['limit', 'offset'], details: [], examples: ['stacky summary'], original: 'stacky summary',
  },
  {
    name: 'request', synopsis: 'request <request-id>', summary: 'Every nova event of one request.',
    flags: ['limit', 'offset', 'when-min', 'when-max'], details: [],
    examples: ['stacky request req-8888bbbb-9e47-4b27-a95e-27996cc40c06'], original: 'stacky request <request-id>',
  },
  {
    name: 'search', synopsis: 'search <service> <field> <value> [limit]', summary: 'Raw events whose <field> equals <value>, newest first.',
    flags: ['service', 'limit', 'offset', 'when-min', 'when-max'],
    details: ['<field> is a column such as host, event, instance, request_id, tenant, deployment_id, routing_key, state.'],
    examples: ['stacky search nova tenant testtenantid1 10'], original: 'stacky search <service> <field> <value> [limit]',
  },
  {
    name: 'show', synopsis: 'show [service] <event-id>', summary: 'One raw event: key/value table, its JSON, then the related events.',
    flags: ['service'], details: ['--json prints one object: {"event": <show reply>, "related": <uuid reply, or null>}.'],
    examples: ['stacky show 42', 'stacky show glance 7'], original: 'stacky show [service] <event-id>',
  },
  {
    name: 'watch', synopsis: 'watch [deployment|all] [service] [event] [poll-seconds]', summary: 'Stream new events until Ctrl-C.',
    flags: ['service', 'poll', 'jsonl'],
    details: [
      'deployment is a numeric id, a name, or all (default: the configured deployment).',
      'The header repeats every 20 rows; --csv prints one header; --jsonl prints each reply on one line (no --json: a stream is not one document).',
    ],
    examples: ['stacky watch', 'stacky watch 1 nova compute.instance.update 5'], original: 'stacky watch [dep|all] [service] [event] [poll]',
  },
  {
    name: 'kpi', synopsis: 'kpi [tenant]', summary: 'Request durations of the last 24 hours (Event, Time, UUID, Deployment).',
    flags: [], details: [], examples: ['stacky kpi', 'stacky kpi testtenantid1'], original: 'stacky kpi [tenant]',
  },
  {
    name: 'reports', synopsis: 'reports [YYYY-MM-DD HH:MM [YYYY-MM-DD HH:MM]]',
    summary: 'Reports created in a range (default today, 00:00 to 23:59 UTC).',
    flags: ['limit', 'offset', 'when-min', 'when-max'],
    details: ['Start/End show as "Jan 14 19:00" and Created as "Tue Jan 14" in the table; --csv keeps the epoch numbers.'],
    examples: ['stacky reports 2014-01-14 00:00 2014-01-15 00:00'], original: 'stacky reports [d t [d t]]',
  },
  {
    name: 'report', synopsis: 'report <report-id>', summary: 'One stored report: its metadata, then its table.',
    flags: [], details: ['Reports whose metadata says report_format json print as JSON; raw_text ones print line by line.'],
    examples: ['stacky report 12'], original: 'stacky report <id>',
  },
  {
    name: 'usage', synopsis: 'usage launches|deletes|exists [uuid]', summary: 'Usage rows (launches, deletes or exists), optionally for one instance.',
    flags: ['limit', 'offset'], details: ['StackTach removed these endpoints in 2014; a server without them answers 404.'],
    examples: ['stacky usage launches 2222bbbb-6352-4dbc-8271-96cc54bf14cd'], original: 'stacky usage launches|deletes|exists [uuid]',
  },
];

export const commonFlags = [
  ['--url URL', 'server to ask (default: STACKTACH_URL, STACKY_URL, `stacky config`, http://127.0.0.1:8000)'],
  ['--ca FILE', 'CA certificate to trust for an https:// server (default: STACKY_CA, `stacky config`); STACKY_TOKEN sends a token'],
  ['--json', "print one JSON document: the server's reply unchanged (uuid, show: an object of replies)"],
  ['--csv', 'print the rows as CSV'],
  ['--width N', 'fit tables in N columns (default: the terminal width; unlimited when piped; 0 = unlimited)'],
  ['--wide', 'no width limit: every column, nothing cut'],
  ['-h, --help', 'show help for the command'],
] as const;

export const flagHelp: Record<FlagName, string> = {
  service: '--service S      nova, glance or generic',
  limit: '--limit N        at most N rows (server default 50, max 1000)',
  offset: '--offset N       skip the first N rows',
  'when-min': '--when-min T     not before T (epoch seconds or "YYYY-MM-DD HH:MM:SS" UTC)',
  'when-max': '--when-max T     not after T',
  poll: '--poll S         seconds between polls (default 2, or the configured poll)',
  jsonl: '--jsonl          one JSON document (the reply) per poll, one per line',
};

const flagUsage: Record<FlagName, string> = {
  service: '[--service S]', limit: '[--limit N]', offset: '[--offset N]', 'when-min': '[--when-min T]', 'when-max': '[--when-max T]', poll: '[--poll S]', jsonl: '[--jsonl]',
};

/** The synopsis followed by the command's own flags, e.g. "hosts [--service S]". */
export function fullSynopsis(spec: CommandSpec): string {
  return [spec.synopsis, ...spec.flags.map((f) => flagUsage[f])].join(' ');
}

export function findSpec(name: string): CommandSpec | undefined {
  return printCommands.find((c) => c.name === name);
}
