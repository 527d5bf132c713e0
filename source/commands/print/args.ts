// argv of a print command → plain values. Flags may appear anywhere among the positionals.
import type {anyPrintFlag} from './specs.js';
import {epochArgString} from '../../core/time.js';
import {UsageError} from '../args.js';
import type {CommandSpec, FlagSet, Parsed, Values} from '../spec.js';

export interface PrintArgs {
  command: string;
  positionals: string[];
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

export function parseTime(name: string, text: string): string {
  const value = epochArgString(text);
  if (value === undefined) throw new UsageError(`${name} must be epoch seconds or "YYYY-MM-DD HH:MM:SS" (got '${text}')`);
  return value;
}

/** A print command's parsed flags → plain values, with the checks that span flags. */
export function printArgs(spec: CommandSpec, parsed: Parsed<FlagSet>): PrintArgs {
  const command = spec.name;
  const v = parsed.values as Partial<Values<typeof anyPrintFlag>>;
  if ([v.json, v.jsonl, v.csv].filter(Boolean).length > 1) throw new UsageError('use only one of --json, --jsonl and --csv');
  if (v.json && command === 'watch') throw new UsageError('watch streams one JSON document per poll: use --jsonl');
  if (v.wide && v.width !== undefined) throw new UsageError('use either --wide or --width N, not both');
  const args: PrintArgs = {
    command,
    positionals: parsed.positionals,
    json: v.json ?? false,
    jsonl: v.jsonl ?? false,
    csv: v.csv ?? false,
    wide: v.wide ?? false,
  };
  if (v.url !== undefined) args.url = v.url;
  if (v.ca !== undefined) args.ca = v.ca;
  if (v.service !== undefined) args.service = v.service;
  if (v.limit !== undefined) args.limit = v.limit;
  if (v.offset !== undefined) args.offset = v.offset;
  if (v.width !== undefined) args.width = v.width;
  if (v['when-min'] !== undefined) args.whenMin = parseTime('--when-min', v['when-min']);
  if (v['when-max'] !== undefined) args.whenMax = parseTime('--when-max', v['when-max']);
  if (v.poll !== undefined) args.poll = parsePoll(v.poll);
  return args;
}

export function parsePoll(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 3600) throw new UsageError(`poll seconds must be a number between 0 and 3600 (got '${text}')`);
  return n;
}
