// Errors the client raises, so console and print commands can show one clear line.
import {redactUrl} from './redact.js';
import type {IngestCounts} from './types.js';

/** The server answered a non-200 status; message comes from its error table when it sent one. */
export class StackyHttpError extends Error {
  constructor(readonly status: number, message: string, readonly body: unknown) {
    super(message);
    this.name = 'StackyHttpError';
  }
}

/**
 * POST /ingest/ answered an error: `reason` is its error table's message, `counts` what was
 * committed before the upload stopped (absent when the table has no such columns, e.g. a 401).
 */
export class StackyIngestError extends StackyHttpError {
  constructor(status: number, readonly reason: string, readonly counts: IngestCounts | undefined, body: unknown) {
    super(status, `server answered ${status}: ${reason}`, body);
    this.name = 'StackyIngestError';
  }
}

/** No answer at all: refused, reset, timed out, DNS. */
export class StackyUnreachableError extends Error {
  readonly url: string;

  constructor(url: string, readonly cause: string) {
    super(`cannot reach the stacky server at ${redactUrl(url)}: ${redactUrl(cause)}`);
    this.url = redactUrl(url);
    this.name = 'StackyUnreachableError';
  }
}

/** The message of a stacky error table [["Error","Message"],[type,msg]], if body is one. */
export function errorTableMessage(body: unknown): string | undefined {
  if (!Array.isArray(body) || body.length !== 2) return undefined;
  const [head, row] = body as unknown[];
  if (!Array.isArray(head) || head[0] !== 'Error' || !Array.isArray(row)) return undefined;
  return `${String(row[0])}: ${String(row[1])}`;
}

/** The <title> (or first <h1>) of an HTML error page, e.g. "Not Found" or "Server Error (500)". */
export function htmlErrorMessage(text: string): string | undefined {
  const match = /<title>([\s\S]*?)<\/title>/i.exec(text) ?? /<h1>([\s\S]*?)<\/h1>/i.exec(text);
  const inner = match?.[1]?.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();
  return inner ? inner : undefined;
}
