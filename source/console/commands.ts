// The `:` command line: parsing into an intent, and Tab completion.

export type Command =
  | {kind: 'uuid'; uuid: string}
  | {kind: 'req'; requestId: string}
  | {kind: 'show'; id: number}
  | {kind: 'report'; id: number}
  | {kind: 'search'; field: string; value: string}
  | {kind: 'watch'; deployment: string}
  | {kind: 'service'; service: 'nova' | 'glance' | 'generic'}
  | {kind: 'event'; eventName: string}
  | {kind: 'kpi'; tenant?: string}
  | {kind: 'list'; view: 'summary' | 'reports' | 'deployments' | 'events' | 'hosts' | 'inflight'}
  | {kind: 'help'}
  | {kind: 'quit'};

export const commandNames = [
  'uuid', 'req', 'show', 'report', 'search', 'watch', 'service', 'event', 'kpi', 'summary', 'reports',
  'deployments', 'events', 'hosts', 'inflight', 'help', 'quit',
] as const;

const aliases: Record<string, string> = {request: 'req', instance: 'uuid', q: 'quit', dep: 'watch'};

export const searchFields = [
  'tenant', 'instance', 'request_id', 'event', 'host', 'state', 'old_state', 'old_task', 'task', 'routing_key',
  'publisher', 'service', 'deployment', 'deployment__name', 'id', 'uuid', 'status', 'owner', 'message_id',
];

export const services = ['nova', 'glance', 'generic'] as const;

/** A parsed command, or an error message for the status line. */
export function parseCommand(line: string): Command | {error: string} {
  const words = line.trim().replace(/^:/, '').trim().split(/\s+/).filter(Boolean);
  const raw = words[0]?.toLowerCase();
  if (!raw) return {error: 'empty command; try :uuid ID, :req ID, :report ID, :search FIELD VALUE, :watch DEP|all'};
  const name = aliases[raw] ?? raw;
  const args = words.slice(1);
  const need = (n: number, usage: string) => (args.length < n ? {error: `usage: :${usage}`} : undefined);
  switch (name) {
    case 'uuid':
      return need(1, 'uuid ID') ?? {kind: 'uuid', uuid: args[0]!};
    case 'req':
      return need(1, 'req ID') ?? {kind: 'req', requestId: args[0]!};
    case 'show':
    case 'report': {
      const missing = need(1, `${name} ID`);
      if (missing) return missing;
      if (!/^\d+$/.test(args[0]!)) return {error: `:${name} needs a numeric id (got '${args[0]}')`};
      return {kind: name, id: Number(args[0])};
    }
    case 'search':
      return need(2, 'search FIELD VALUE') ?? {kind: 'search', field: args[0]!, value: args.slice(1).join(' ')};
    case 'watch':
      return {kind: 'watch', deployment: args.join(' ') || 'all'};
    case 'service': {
      const s = args[0]?.toLowerCase();
      if (s !== 'nova' && s !== 'glance' && s !== 'generic') return {error: 'usage: :service nova|glance|generic'};
      return {kind: 'service', service: s};
    }
    case 'event':
      return {kind: 'event', eventName: !args[0] || args[0] === 'all' ? '' : args[0]};
    case 'kpi':
      return args[0] ? {kind: 'kpi', tenant: args[0]} : {kind: 'kpi'};
    case 'summary':
    case 'reports':
    case 'deployments':
    case 'events':
    case 'hosts':
    case 'inflight':
      return {kind: 'list', view: name};
    case 'help':
      return {kind: 'help'};
    case 'quit':
      return {kind: 'quit'};
    default:
      return {error: `unknown command ':${raw}'; press Tab for the list`};
  }
}

export interface CompletionContext {
  deployments: readonly string[];
  uuids: readonly string[];
  requestIds: readonly string[];
  reportIds: readonly string[];
  eventNames: readonly string[];
}

/** Candidates for the word being typed at the end of `line`. */
export function candidates(line: string, ctx: CompletionContext): {prefix: string; word: string; options: string[]} {
  const m = /^(.*?)(\S*)$/.exec(line)!;
  const before = m[1]!;
  const word = m[2]!;
  const words = before.trim().split(/\s+/).filter(Boolean);
  let pool: readonly string[];
  if (words.length === 0) pool = commandNames;
  else {
    const cmd = aliases[words[0]!.toLowerCase()] ?? words[0]!.toLowerCase();
    const argIndex = words.length - 1;
    if (argIndex > 0) pool = [];
    else if (cmd === 'watch') pool = ['all', ...ctx.deployments];
    else if (cmd === 'service') pool = services;
    else if (cmd === 'search') pool = searchFields;
    else if (cmd === 'uuid') pool = ctx.uuids;
    else if (cmd === 'req') pool = ctx.requestIds;
    else if (cmd === 'report') pool = ctx.reportIds;
    else if (cmd === 'event') pool = ['all', ...ctx.eventNames];
    else pool = [];
  }
  const lower = word.toLowerCase();
  const options = [...new Set(pool)].filter((o) => o.toLowerCase().startsWith(lower));
  return {prefix: before, word, options};
}

function commonPrefix(values: readonly string[]): string {
  if (values.length === 0) return '';
  let p = values[0]!;
  for (const v of values) while (!v.toLowerCase().startsWith(p.toLowerCase())) p = p.slice(0, -1);
  return p;
}

export interface CompletionState {
  /** The options of the last Tab, cycled by repeated Tabs. */
  options: string[];
  /** The option on the line now; -1 while the options are only listed. */
  index: number;
  prefix: string;
}

/**
 * Tab: one option completes it (plus a space); several complete their common prefix. When
 * nothing can be added, a Tab on a word that is itself an option moves to the next one
 * (`event` → `events` in one press, #11); otherwise the options are listed and the line is left
 * as typed (#4: a uuid the user never saw is never put on the line), and further Tabs cycle.
 */
export function complete(line: string, ctx: CompletionContext, previous?: CompletionState): {line: string; state?: CompletionState} {
  if (previous && previous.options.length > 1) {
    const index = (previous.index + 1) % previous.options.length;
    return {line: `${previous.prefix}${previous.options[index]}`, state: {...previous, index}};
  }
  const {prefix, word, options} = candidates(line, ctx);
  if (options.length === 0) return {line};
  if (options.length === 1) return {line: `${prefix}${options[0]} `};
  const common = commonPrefix(options);
  if (common.length > word.length) {
    return {line: `${prefix}${common}`, state: {options, index: options.findIndex((o) => o === common), prefix}};
  }
  const at = options.findIndex((o) => o.toLowerCase() === word.toLowerCase());
  if (at >= 0) {
    const index = (at + 1) % options.length;
    return {line: `${prefix}${options[index]}`, state: {options, index, prefix}};
  }
  return {line, state: {options, index: -1, prefix}};
}
