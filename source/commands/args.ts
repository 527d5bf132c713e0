// Small flag parsing for the server-side commands (node:util parseArgs: fast, no ink).
import {parseArgs, type ParseArgsConfig} from 'node:util';

/** The one usage error of every command (print commands name theirs, for the usage line). */
export class UsageError extends Error {
  override name = 'UsageError';

  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({args: argv, options, allowPositionals, strict: true});
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function intFlag(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`--${name} must be a whole number >= ${min}, got '${value}'`);
  return Number(value);
}

/** Runs a command body, turning usage errors into exit 2 with one line on stderr. */
export async function guarded(name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`stacky ${name}: ${error.message}\nSee: stacky ${name} --help\n`);
      return 2;
    }
    throw error;
  }
}
