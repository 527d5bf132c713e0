// argv of a print command → plain values. Flags may appear anywhere among the positionals.
import {parseArgs} from 'node:util';
import {findSpec, type FlagName} from './specs.js';
import {epochArgString} from '../../core/time.js';

import {UsageError} from '../args.js';

export interface PrintArgs {
  command: string;
  positionals: string[];
  help: boolean;
  json: boolean;
  /** watch only: one JSON document per poll. */
  jsonl: boolean;
  csv: boolean;
  /** No width limit (--wide). */
  wide: boolean;
  url?: string;
  /** CA file for an https:// server. */
  ca?: string;
  service?: string;
  limit?: number;
  offset?: number;
  /** Decimal epoch strings. */
  whenMin?: string;
  whenMax?: string;
  width?: number;
  poll?: number;
}

const options = {
  help: {type: 'boolean', short: 'h'},
  json: {type: 'boolean'},
  jsonl: {type: 'boolean'},
  csv: {type: 'boolean'},
  wide: {type: 'boolean'},
  url: {type: 'string'},
  ca: {type: 'string'},
  width: {type: 'string'},
  service: {type: 'string'},
  limit: {type: 'string'},
  offset: {type: 'string'},
  'when-min': {type: 'string'},
  'when-max': {type: 'string'},
  poll: {type: 'string'},
} as const;

const commandFlags = new Set<string>(['service', 'limit', 'offset', 'when-min', 'when-max', 'poll', 'jsonl']);

function count(name: string, text: string, command: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`--${name} must be a whole number ≥ 0 (got '${text}')`, command);
  return Number(text.trim());
}

export function parseTime(name: string, text: string, command: string): string {
  const value = epochArgString(text);
  if (value === undefined) throw new UsageError(`${name} must be epoch seconds or "YYYY-MM-DD HH:MM:SS" (got '${text}')`, command);
  return value;
}

/** argv with the command name first, as cli.ts passes it. */
export function parsePrintArgs(argv: readonly string[]): PrintArgs {
  const [command = '', ...rest] = argv;
  const spec = findSpec(command);
  if (!spec) throw new UsageError(`unknown print command '${command}'`);
  let parsed;
  try {
    parsed = parseArgs({args: [...rest], options, allowPositionals: true, strict: true});
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument starting with a '-'.*$/s, '') : String(error);
    throw new UsageError(message, command);
  }
  const v = parsed.values;
  for (const key of Object.keys(v)) {
    if (commandFlags.has(key) && !spec.flags.includes(key as FlagName)) throw new UsageError(`${command} does not take --${key}`, command);
  }
  if ([v.json, v.jsonl, v.csv].filter(Boolean).length > 1) throw new UsageError('use only one of --json, --jsonl and --csv', command);
  if (v.json && command === 'watch') throw new UsageError('watch streams one JSON document per poll: use --jsonl', command);
  if (v.wide && v.width !== undefined) throw new UsageError('use either --wide or --width N, not both', command);
  const args: PrintArgs = {
    command,
    positionals: parsed.positionals,
    help: v.help ?? false,
    json: v.json ?? false,
    jsonl: v.jsonl ?? false,
    csv: v.csv ?? false,
    wide: v.wide ?? false,
  };
  if (v.url !== undefined) args.url = v.url;
  if (v.ca !== undefined) args.ca = v.ca;
  if (v.service !== undefined) {
    const allowed = command === 'events' ? ['nova', 'glance', 'generic', 'all'] : ['nova', 'glance', 'generic'];
    if (!allowed.includes(v.service)) throw new UsageError(`--service must be ${allowed.join(', ')} (got '${v.service}')`, command);
    args.service = v.service;
  }
  if (v.limit !== undefined) args.limit = count('limit', v.limit, command);
  if (v.offset !== undefined) args.offset = count('offset', v.offset, command);
  if (v.width !== undefined) args.width = count('width', v.width, command);
  if (v['when-min'] !== undefined) args.whenMin = parseTime('--when-min', v['when-min'], command);
  if (v['when-max'] !== undefined) args.whenMax = parseTime('--when-max', v['when-max'], command);
  if (v.poll !== undefined) args.poll = parsePoll(v.poll, command);
  return args;
}

export function parsePoll(text: string, command: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 3600) throw new UsageError(`poll seconds must be a number between 0 and 3600 (got '${text}')`, command);
  return n;
}
