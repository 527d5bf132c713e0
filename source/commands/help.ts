// `stacky --help`, `stacky help [command]` and `stacky <print command> --help`.
// Plain text only: this module is loaded by print commands and must stay light.
import {commonFlags, flagHelp, fullSynopsis, printCommands, type CommandSpec} from './print/specs.js';

interface OtherCommand {
  name: string;
  synopsis: string;
  summary: string;
  details: string[];
  examples: string[];
}

/** Commands other than the print ones; their own modules parse them, this only describes them. */
const otherCommands: OtherCommand[] = [
  {
    name: 'serve', synopsis: 'serve [--db PATH] [--host 127.0.0.1] [--port 8000] [--worker FILE] [--reports hourly] [--retain SPAN] [--auth-file FILE] [--tls-cert F --tls-key F]',
    summary: 'Run the stacky API server (StackTach-compatible /stacky/ URLs plus POST /ingest/).',
    details: [
      '--db PATH        SQLite database file',
      '--host H         address to listen on (default 127.0.0.1)',
      '--port N         port (default 8000; 0 picks a free one); prints "listening on http://HOST:PORT"',
      '--worker FILE    also consume RabbitMQ as configured in FILE (see worker)',
      '--reports hourly build the summary report every hour',
      '--limit NAME=N   change a bound, repeatable (see the README\'s Limits table)',
      '--allow-host H   also answer for host name H, repeatable (\'*\' any)',
      '--retain SPAN    delete notifications older than SPAN (30d, 12h, 2w) in the background',
      '--auth-file FILE bearer tokens (stacky token); required beyond loopback (or --insecure); --open-read',
      '--tls-cert F --tls-key F   serve HTTPS',
      'GET /healthz and GET /metrics; limits, timeouts, logs, --print-systemd: see stacky serve --help',
    ],
    examples: ['stacky serve --db stacky.db --port 8000'],
  },
  {
    name: 'ingest', synopsis: 'ingest [--db PATH | --url URL] [--deployment NAME] [--exchange nova|glance|generic] [FILE ... | -]',
    summary: 'Load notifications from JSON Lines files (or stdin) into a database or a running server.',
    details: [
      '--db PATH        write straight into this SQLite database',
      '--url URL        POST to a running server\'s /ingest/ instead',
      '--deployment N   deployment name for lines that do not carry one',
      '--exchange E     nova, glance or generic, for lines that do not carry one',
      'Each line is a notification body, a [routing_key, body] pair, or {"deployment","exchange","routing_key","body"}.',
    ],
    examples: ['stacky ingest --db stacky.db --deployment region-1 notifications.jsonl', 'cat n.jsonl | stacky ingest --url http://127.0.0.1:8000 -'],
  },
  {
    name: 'demo', synopsis: 'demo [--db PATH] [--port N] [--rate N] [--no-tui] [--write FILE --count N] [--shape S]',
    summary: 'Serve generated, realistic OpenStack traffic and open the console on it.',
    details: [
      '--db PATH        database to use (default: a temporary one)',
      '--port N         server port',
      '--rate N         notifications per second',
      '--no-tui         only serve; do not open the console',
      '--write FILE --count N   write N generated notifications to FILE as JSON Lines and exit',
      '--shape S        flat | enveloped | versioned | mixed (default mixed live, flat for --write)',
    ],
    examples: ['stacky demo', 'stacky demo --write corpus.jsonl --count 1000'],
  },
  {
    name: 'worker', synopsis: 'worker [--config FILE] [--db PATH] [--prefetch N] [--batch N] | --example-config',
    summary: 'Consume notifications from RabbitMQ (StackTach worker config format) into the database.',
    details: [
      '--config FILE    StackTach worker config (default: $STACKTACH_DEPLOYMENTS_FILE, else ./stacktach_worker_config.json)',
      '--db PATH        SQLite database file',
      '--prefetch N     unacked messages per queue (default 10000)',
      '--batch N        messages stored per transaction (default 5000)',
      '--example-config print a commented config for a current cloud (exchanges and topics by name)',
      '--retain SPAN    delete notifications older than SPAN in the background',
      '--stop-timeout S --log-format json|text --print-systemd: see stacky worker --help',
    ],
    examples: ['stacky worker --config stacktach_worker_config.json --db stacky.db',
      'stacky worker --example-config > stacky-worker.json   # a config for a current cloud'],
  },
  {
    name: 'report summary', synopsis: 'report summary [--db PATH] --start "YYYY-MM-DD HH:MM:SS" [--hours N] [--percentile P] [--region R] [--too-long S] [--store]',
    summary: 'Build the "summary for region" report (pretty.py) for a time window.',
    details: [
      '--start T        window start, UTC',
      '--hours N        window length (default 24)',
      '--percentile P   percentile to report (default 97)',
      '--region R       only this region (deployment)',
      '--too-long S     seconds after which a request counts as too long (default 1800)',
      '--store          save it as a report (then see stacky reports / stacky report <id>)',
    ],
    examples: ['stacky report summary --db stacky.db --start "2014-01-14 00:00:00" --hours 24 --store'],
  },
  {
    name: 'quarantine', synopsis: 'quarantine [--db PATH] [--limit N] [--json] | --replay [--id N ...]',
    summary: 'List notifications that ingest could not parse, or replay them through today\'s parser.',
    details: ['--db PATH        SQLite database file', '--limit N        at most N entries',
      '--replay         re-ingest quarantined entries; those that now store leave the quarantine',
      '--id N           with --replay: only this entry (repeatable)'],
    examples: ['stacky quarantine --db stacky.db --limit 20', 'stacky quarantine --db stacky.db --replay'],
  },
  {
    name: 'prune', synopsis: 'prune [--db PATH] --before T [--json]',
    summary: 'Delete notifications older than T with the rows derived from them, and old quarantine entries.',
    details: ['--before T       epoch seconds or "YYYY-MM-DD HH:MM:SS" (UTC); stored reports stay',
      'serve and worker take --retain 30d to do this in the background'],
    examples: ['stacky prune --db stacky.db --before "2026-01-01 00:00:00"'],
  },
  {
    name: 'token', synopsis: 'token add NAME --role read|ingest|admin | list | remove NAME  --auth-file FILE',
    summary: 'Manage the bearer tokens of `serve --auth-file`: add prints the new token once; only its hash is kept.',
    details: ['--auth-file FILE the token file (created with mode 0600)', '--role R         read, ingest or admin'],
    examples: ['stacky token add ops-console --role read --auth-file /etc/stacky/tokens.json'],
  },
  {
    name: 'console', synopsis: 'console [--url URL]',
    summary: 'The interactive terminal console (also what plain `stacky` opens).',
    details: ['--url URL        server to watch (default as for the print commands)'],
    examples: ['stacky console --url http://127.0.0.1:8000'],
  },
  {
    name: 'config', synopsis: 'config get [key] | set <key> <value> | unset <key> | path',
    summary: 'Show or change the saved client settings: url, deployment, service, poll, token, ca.',
    details: [
      'url         server URL (default http://127.0.0.1:8000)',
      'deployment  all, a deployment name or a numeric id (default all; used by watch and the console)',
      'service     nova, glance or generic (default nova)',
      'poll        seconds between watch polls (default 2)',
      'token       bearer token for a server with --auth-file (STACKY_TOKEN overrides; `get` shows only "(set)")',
      'ca          CA certificate file for an https:// server (STACKY_CA and --ca override)',
      'Flags and STACKTACH_URL / STACKY_URL override the saved url. The file lives in',
      '$STACKY_CONFIG_DIR, else $XDG_CONFIG_HOME/stacky, else ~/.config/stacky (see `stacky config path`).',
    ],
    examples: ['stacky config set url http://stacktach.example.com:8000', 'stacky config get'],
  },
];

function printSection(spec: CommandSpec): string {
  const lines = [`stacky ${fullSynopsis(spec)}`, '', `  ${spec.summary}`, ''];
  for (const d of spec.details) lines.push(`  ${d}`);
  if (spec.details.length) lines.push('');
  lines.push('Flags:');
  for (const f of spec.flags) lines.push(`  ${flagHelp[f]}`);
  for (const [flag, text] of commonFlags) lines.push(`  ${flag.padEnd(16)} ${text}`);
  lines.push('', 'Examples:');
  for (const e of spec.examples) lines.push(`  ${e}`);
  lines.push('', `Original client: ${spec.original}`);
  return lines.join('\n') + '\n';
}

function otherSection(cmd: OtherCommand): string {
  const lines = [`stacky ${cmd.synopsis}`, '', `  ${cmd.summary}`, ''];
  for (const d of cmd.details) lines.push(`  ${d}`);
  lines.push('', 'Examples:');
  for (const e of cmd.examples) lines.push(`  ${e}`);
  return lines.join('\n') + '\n';
}

/** Help for one command, or undefined when there is no such command. */
export function commandHelp(name: string): string | undefined {
  const spec = printCommands.find((c) => c.name === name);
  if (name === 'report') {
    const summary = otherCommands.find((c) => c.name === 'report summary')!;
    return printSection(spec!) + '\n' + otherSection(summary);
  }
  if (spec) return printSection(spec);
  const other = otherCommands.find((c) => c.name === name);
  return other ? otherSection(other) : undefined;
}

export function fullHelp(): string {
  const lines = [
    'stacky: a live monitor for OpenStack notifications, compatible with StackTach\'s stacky.',
    '',
    'Usage: stacky <command> [arguments] [flags]',
    '       stacky              open the console',
    '',
    'Print commands (arguments as in the original stacky client; output is a table, --json or --csv):',
  ];
  for (const c of printCommands) lines.push(`  ${fullSynopsis(c)}`, `      ${c.summary}`);
  lines.push('', 'Flags of the print commands (each takes --url, --json, --csv, --width and --wide too):');
  for (const f of Object.values(flagHelp)) lines.push(`  ${f}`);
  for (const [flag, text] of commonFlags) lines.push(`  ${flag.padEnd(16)} ${text}`);
  lines.push('', 'Server, data and console:');
  for (const c of otherCommands) lines.push(`  ${c.synopsis}`, `      ${c.summary}`);
  lines.push(
    '',
    'Examples:',
    ...printCommands.map((c) => `  ${c.examples[0]}`),
    ...otherCommands.map((c) => `  ${c.examples[0]}`),
    '',
    'Environment: STACKTACH_URL or STACKY_URL (server URL), STACKY_CONFIG_DIR (config folder),',
    '  STACKY_TOKEN (bearer token), STACKY_CA (CA file for https).',
    'Exit status: 0 ok, 1 server error or unreachable server, 2 usage error.',
    'Run `stacky <command> --help` for one command.',
  );
  return lines.join('\n') + '\n';
}

export async function run(argv: string[]): Promise<number> {
  const name = argv.filter((a) => !a.startsWith('-')).join(' ');
  if (name === '') {
    process.stdout.write(fullHelp());
    return 0;
  }
  const text = commandHelp(name) ?? commandHelp(name.split(' ')[0]!);
  if (!text) {
    process.stderr.write(`stacky help: unknown command '${name}'; see stacky --help\n`);
    return 2;
  }
  process.stdout.write(text);
  return 0;
}
