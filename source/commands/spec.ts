// What a command is: its name, summary, flags (type, default, description), arguments and
// examples. Parsing (node:util parseArgs, generated from the flags), `stacky <cmd> --help` and
// usage errors are all derived here from one CommandSpec; source/commands/registry.ts is the one
// table of them. Plain text and node:util only: print commands load this on every start.
import {parseArgs} from 'node:util';
import {UsageError} from './args.js';
import {StoreOpenError} from '../store/errors.js';
import {terminalSafe} from '../core/terminal-text.js';

interface FlagBase {
  description: string;
  short?: string;
}

export interface BooleanFlag extends FlagBase {
  type: 'boolean';
}

export interface StringFlag extends FlagBase {
  type: 'string';
  /** The value's name in help, e.g. PATH. */
  value: string;
  default?: string;
  multiple?: boolean;
  choices?: readonly string[];
}

export interface IntFlag extends FlagBase {
  type: 'int';
  value: string;
  default?: number;
  min?: number;
  max?: number;
  multiple?: boolean;
}

export type FlagSpec = BooleanFlag | StringFlag | IntFlag;
export type FlagSet = Readonly<Record<string, FlagSpec>>;

type One<F> = F extends {type: 'boolean'} ? boolean : F extends {type: 'int'} ? number : string;
type Value<F> = F extends {multiple: true} ? One<F>[] : One<F>;
/** Booleans and flags with a default always have a value; the others may be absent. */
type Always<F> = F extends {type: 'boolean'} ? true : F extends {default: unknown} ? true : false;

export type Values<S extends FlagSet> =
  {-readonly [K in keyof S as Always<S[K]> extends true ? K : never]: Value<S[K]>} &
  {-readonly [K in keyof S as Always<S[K]> extends true ? never : K]?: Value<S[K]>};

export interface CommandSpec<S extends FlagSet = FlagSet> {
  /** One or two words: `uuid`, `report summary`. */
  name: string;
  /** One line for `stacky --help`. */
  summary: string;
  /** The arguments after the name, as in the usage line (`<uuid>`); absent: the command takes none. */
  args?: string;
  /** Each argument or subcommand with what it means, for `stacky <cmd> --help`. */
  argHelp?: readonly (readonly [string, string])[];
  flags: S;
  /** Paragraph lines after the summary. */
  details?: readonly string[];
  examples: readonly string[];
  /** The section of `stacky --help` it is listed in. */
  group: 'print' | 'server' | 'client';
}

/** `--help` is every command's, so no spec lists it. */
const helpFlag = {type: 'boolean', short: 'h', description: 'show this help'} as const satisfies BooleanFlag;

export interface Parsed<S extends FlagSet> {
  values: Values<S>;
  positionals: string[];
  help: boolean;
  /** The flags on the command line (a default does not count). */
  given: ReadonlySet<string>;
}

function intValue(name: string, flag: IntFlag, text: string): number {
  const min = flag.min ?? 0;
  const bad = !/^\d+$/.test(text) || Number(text) < min || (flag.max !== undefined && Number(text) > flag.max);
  if (bad) {
    const range = flag.max === undefined ? `>= ${min}` : `from ${min} to ${flag.max}`;
    throw new UsageError(`--${name} must be a whole number ${range}, got '${text}'`);
  }
  return Number(text);
}

function checked(name: string, flag: FlagSpec, raw: string | boolean): string | number | boolean {
  if (flag.type === 'int') return intValue(name, flag, raw as string);
  if (flag.type === 'string' && flag.choices && !flag.choices.includes(raw as string)) {
    throw new UsageError(`--${name} must be one of ${flag.choices.join(', ')}, got '${String(raw)}'`);
  }
  return raw;
}

/** node:util's parse errors, said in one short clause. */
function parseError(error: Error & {code?: string}): UsageError {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  const flag = /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown flag ${quoted}`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`unexpected argument '${quoted}'`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument missing/.test(error.message)) return new UsageError(`${flag} needs a value`);
      // A value starting with a dash (`--limit -1`) reads as a flag unless given with `=`.
      if (/ambiguous/.test(error.message)) return new UsageError(`${flag} needs its value after '=' when it starts with '-' (${flag}=-…)`);
      return new UsageError(`${flag} takes no value`);
    default:
      return new UsageError(error.message);
  }
}

/** The default of every flag that has one (booleans: false). */
export function defaults<S extends FlagSet>(flags: S): Values<S> {
  const out: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(flags)) {
    if (flag.type === 'boolean') out[name] = false;
    else if (flag.default !== undefined) out[name] = flag.default;
  }
  return out as Values<S>;
}

/** argv after the command's name → typed values; a UsageError for anything the spec does not allow. */
export function parseCommand<S extends FlagSet>(spec: CommandSpec<S>, argv: readonly string[]): Parsed<S> {
  const options: Record<string, {type: 'string' | 'boolean'; short?: string; multiple?: boolean}> = {help: {type: 'boolean', short: 'h'}};
  for (const [name, flag] of Object.entries(spec.flags)) {
    options[name] = {type: flag.type === 'boolean' ? 'boolean' : 'string',
      ...(flag.short ? {short: flag.short} : {}), ...(flag.type !== 'boolean' && flag.multiple ? {multiple: true} : {})};
  }
  let parsed;
  try {
    parsed = parseArgs({args: [...argv], options, allowPositionals: spec.args !== undefined, strict: true});
  } catch (error) {
    throw parseError(error as Error);
  }
  const values: Record<string, unknown> = defaults(spec.flags);
  const given = new Set(Object.keys(parsed.values));
  if (parsed.values.help) return {values: values as Values<S>, positionals: parsed.positionals, help: true, given};
  for (const [name, raw] of Object.entries(parsed.values)) {
    const flag = spec.flags[name];
    if (!flag || raw === undefined) continue;
    values[name] = Array.isArray(raw) ? raw.map((r) => checked(name, flag, r)) : checked(name, flag, raw);
  }
  return {values: values as Values<S>, positionals: parsed.positionals, help: false, given};
}

/** The one shape of a usage error: one line naming the command and where its help is. */
export function usageLine(name: string, message: string): string {
  return `stacky ${name}: ${terminalSafe(message)}; see stacky ${name} --help\n`;
}

export const WIDTH = 80;

/**
 * Words of `text` in lines of at most `width` columns (a longer word gets a line of its own).
 * A line such as "  flat    text" keeps its spacing; its continuations align with "text".
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    const hang = ' '.repeat((/^ *\S+ {2,}(?=\S)/.exec(paragraph) ?? /^ */.exec(paragraph)!)[0].length);
    let line = '';
    paragraph.split(' ').forEach((word, i) => {
      if (i === 0) {
        line = word;
      } else if (word !== '' && line.trim() !== '' && line.length + 1 + word.length > width) {
        lines.push(line);
        line = hang + word;
      } else {
        line += ` ${word}`;
      }
    });
    lines.push(line);
  }
  return lines;
}

function flagLabel(name: string, flag: FlagSpec): string {
  const short = flag.short ? `-${flag.short}, ` : '';
  return `${short}--${name}${flag.type === 'boolean' ? '' : ` ${flag.value}`}`;
}

function flagText(flag: FlagSpec): string {
  const named = (c: string) => flag.description.includes(c) || (flag.type !== 'boolean' && flag.value.includes(c));
  const choices = flag.type === 'string' && flag.choices && !named(flag.choices[0]!) ? ` (${flag.choices.join(', ')})` : '';
  const fallback = flag.type !== 'boolean' && flag.default !== undefined && flag.default !== '' ? ` (default ${flag.default})` : '';
  return `${flag.description}${choices}${fallback}`;
}

/** Two columns: labels padded to the widest (up to 22), texts wrapped to 80 columns. */
function columns(rows: readonly (readonly [string, string])[]): string[] {
  const pad = Math.min(22, Math.max(...rows.map(([label]) => label.length)));
  const out: string[] = [];
  for (const [label, text] of rows) {
    const lines = wrap(text, WIDTH - pad - 4);
    const first = label.length > pad ? [`  ${label}`, ...lines] : [`  ${label.padEnd(pad)}  ${lines.shift() ?? ''}`, ...lines];
    out.push(first[0]!, ...first.slice(1).map((l) => `${' '.repeat(pad + 4)}${l}`));
  }
  return out;
}

function usage(spec: CommandSpec): string {
  return `stacky ${spec.name}${spec.args ? ` ${spec.args}` : ''}${Object.keys(spec.flags).length ? ' [flags]' : ''}`;
}

/** `stacky <cmd> --help`. */
export function helpText(spec: CommandSpec): string {
  const lines = [`Usage: ${usage(spec)}`, '', ...wrap(spec.summary, WIDTH)];
  if (spec.details?.length) lines.push('', ...spec.details.flatMap((d) => wrap(d, WIDTH)));
  if (spec.argHelp?.length) lines.push('', 'Arguments:', ...columns(spec.argHelp));
  const flags = Object.entries({...spec.flags, help: helpFlag}).map(([name, flag]): [string, string] => [flagLabel(name, flag), flagText(flag)]);
  lines.push('', 'Flags:', ...columns(flags));
  lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

export interface Io {
  stdout: {write(text: string): unknown};
  stderr: {write(text: string): unknown};
}

/**
 * Runs a command's body on its parsed argv: `--help` prints the spec's help (exit 0), a usage
 * error anywhere prints one line (exit 2).
 */
export async function command<S extends FlagSet>(spec: CommandSpec<S>, argv: readonly string[],
  body: (parsed: Parsed<S>) => Promise<number>, io: Io = process): Promise<number> {
  try {
    const parsed = parseCommand(spec, argv);
    if (parsed.help) {
      io.stdout.write(helpText(spec));
      return 0;
    }
    return await body(parsed);
  } catch (error) {
    // A database that is down, refuses us or has a schema we cannot use: one line, exit 1.
    if (error instanceof StoreOpenError) {
      io.stderr.write(`stacky ${spec.name}: ${error.message}\n`);
      return 1;
    }
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(usageLine(spec.name, error.message));
    return 2;
  }
}
