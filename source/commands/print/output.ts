// Where print output goes, in which of the four modes (table, --json, --jsonl, --csv).
import {renderCsv} from './csv.js';
import {renderTable} from './table.js';
import {terminalSafe} from '../../core/terminal-text.js';

export type Mode = 'table' | 'json' | 'jsonl' | 'csv';

export interface Output {
  mode: Mode;
  /** Table width limit; undefined means unlimited. */
  maxWidth: number | undefined;
  write(text: string): void;
  error(text: string): void;
  /** Raw reply texts collected in --json and --jsonl modes, in the order they arrived. */
  raw: string[];
}

export interface Streams {
  stdout: {write(text: string): unknown; isTTY?: boolean; columns?: number};
  stderr: {write(text: string): unknown};
}

/**
 * Table width: --width N when given (0 = unlimited); else the terminal's width when stdout is
 * a terminal (80 if it does not say); else unlimited, so piped output never loses characters.
 */
export function tableWidth(width: number | undefined, stdout: Streams['stdout']): number | undefined {
  if (width !== undefined) return width === 0 ? undefined : width;
  if (stdout.isTTY) return stdout.columns && stdout.columns > 0 ? stdout.columns : 80;
  return undefined;
}

export function createOutput(mode: Mode, width: number | undefined, streams: Streams): Output {
  return {
    mode,
    maxWidth: tableWidth(width, streams.stdout),
    // Every byte printed passes the terminal-safe rule: text from the data never drives the terminal.
    write: (text) => void streams.stdout.write(terminalSafe(text)),
    error: (text) => void streams.stderr.write(terminalSafe(text)),
    raw: [],
  };
}

/** A reply's text on one line: as the server sent it, re-serialised only if it spans lines. */
function oneLine(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.includes('\n')) return trimmed;
  try {
    return JSON.stringify(JSON.parse(trimmed));
  } catch {
    return trimmed.replaceAll(/\r?\n/g, ' ');
  }
}

/**
 * --json and --jsonl: print the replies collected so far as one JSON document on one line,
 * and forget them. Without keys that is the one reply, unchanged; with keys (a command that
 * asks twice) an object holding each reply under its key, null for one not asked.
 */
export function flushJson(out: Output, keys?: readonly string[]): void {
  const texts = out.raw.splice(0).map(oneLine);
  if (keys) {
    out.write(`{${keys.map((key, i) => `${JSON.stringify(key)}: ${texts[i] || 'null'}`).join(', ')}}\n`);
    return;
  }
  const text = texts.filter((t) => t !== '').at(-1);
  if (text !== undefined) out.write(`${text}\n`);
}

function isTable(value: unknown): value is unknown[][] {
  return Array.isArray(value) && value.every((row) => Array.isArray(row));
}

/**
 * Print a stacky table the way the original's dump_results did: nothing for [] (or the
 * emptyMessage), "No results" for a header alone, else the framed table. --csv prints header
 * and rows; --json prints the raw replies.
 */
export function emitTable(out: Output, table: unknown, options: {emptyMessage?: string; display?: (row: unknown[]) => unknown[]} = {}): void {
  if (out.mode === 'json') return flushJson(out);
  if (table === null || table === undefined || (Array.isArray(table) && table.length === 0)) {
    if (out.mode === 'table' && options.emptyMessage) out.write(`${options.emptyMessage}\n`);
    return;
  }
  if (!isTable(table)) {
    // Not the list-of-rows shape a stacky table has: show what came, rather than nothing.
    out.write(`${typeof table === 'string' ? table : JSON.stringify(table, null, 2)}\n`);
    return;
  }
  if (out.mode === 'csv') return out.write(renderCsv(table));
  const [header, ...rows] = table;
  if (rows.length === 0) return out.write('No results\n');
  out.write(renderTable(header!, options.display ? rows.map(options.display) : rows, {maxWidth: out.maxWidth}));
}

/** A Key/Value table of an object's entries (report metadata). */
export function emitKeyValues(out: Output, entries: [string, unknown][]): void {
  if (out.mode === 'csv') return out.write(renderCsv([['Key', 'Value'], ...entries]));
  out.write(renderTable(['Key', 'Value'], entries, {maxWidth: out.maxWidth}));
}
