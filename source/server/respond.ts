// Writing responses: every stacky body is Python-style JSON with Content-Type application/json.
import type {ServerResponse} from 'node:http';
import {pyDumps} from '../core/pyjson.js';

export function sendBody(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, {'Content-Type': type, 'Content-Length': bytes.length});
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendBody(res, status, pyDumps(value));
}

/** Django's fallback pages for framework errors (docs/api.md §1.4). */
export function sendHtml404(res: ServerResponse, path: string): void {
  sendBody(res, 404, `<h1>Not Found</h1><p>The requested URL ${escapeHtml(path)} was not found on this server.</p>`,
    'text/html; charset=utf-8');
}

export function sendHtml500(res: ServerResponse): void {
  sendBody(res, 500, '<h1>Server Error (500)</h1>', 'text/html; charset=utf-8');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
