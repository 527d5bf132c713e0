// Writing responses: every stacky body is Python-style JSON, sent as UTF-8 with nosniff so a
// browser never reads a reply (which echoes stored data) as HTML or script.
import type {ServerResponse} from 'node:http';
import {pyDumps} from '../core/pyjson.js';
import {terminalSafe} from '../core/terminal-text.js';

export const JSON_TYPE = 'application/json; charset=utf-8';

export function sendBody(res: ServerResponse, status: number, body: string, type = JSON_TYPE,
  headers: Readonly<Record<string, string>> = {}): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, {...headers, 'Content-Type': type, 'Content-Length': bytes.length, 'X-Content-Type-Options': 'nosniff'});
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): void {
  sendBody(res, status, pyDumps(value), JSON_TYPE, headers);
}

/** Django's fallback pages for framework errors (docs/api.md §1.4). */
export function sendHtml404(res: ServerResponse, path: string): void {
  sendBody(res, 404, `<h1>Not Found</h1><p>The requested URL ${escapeHtml(path)} was not found on this server.</p>`,
    'text/html; charset=utf-8');
}

export function sendHtml500(res: ServerResponse): void {
  sendBody(res, 500, '<h1>Server Error (500)</h1>', 'text/html; charset=utf-8');
}

/** HTML-escaped and terminal-safe: the page may be shown by curl in a terminal as well as by a browser. */
export function escapeHtml(s: string): string {
  return terminalSafe(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
