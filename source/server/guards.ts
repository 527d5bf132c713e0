// Requests refused before any route runs: other HTTP versions, methods a route does not take,
// Host names that are not this server's (DNS rebinding), and cross-site uploads from browsers.
import type {IncomingMessage} from 'node:http';
import {isIP} from 'node:net';
import {HttpError, badRequest} from './http-error.js';

/** The host name of a Host header value, without port or IPv6 brackets; undefined when malformed. */
export function hostName(header: string): string | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9_.-]+))(?::\d{1,5})?$/.exec(header);
  const name = m?.[1] ?? m?.[2];
  return name === undefined ? undefined : name.toLowerCase().replace(/\.$/, '');
}

/**
 * A browser reaching this server through another name (DNS rebinding) sends that name as Host.
 * IP literals and localhost are always this machine; other names must be allowed by the
 * operator (`stacky serve --allow-host NAME`, or `*` for any), as Django's ALLOWED_HOSTS.
 */
export function hostAllowed(header: string | undefined, allowed: readonly string[]): boolean {
  if (header === undefined) return true; // HTTP/1.0 without Host: not a browser
  const name = hostName(header);
  if (name === undefined) return false;
  if (isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost')) return true;
  return allowed.some((a) => a === '*' || a.toLowerCase() === name);
}

/** Content types a browser may POST cross-site without asking first (CORS "simple" requests). */
const SIMPLE_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);

/** Refuses other HTTP versions and Host names that are not this server's. */
export function screen(req: IncomingMessage, allowedHosts: readonly string[]): void {
  if (req.httpVersionMajor !== 1) {
    throw badRequest(`HTTP/${req.httpVersion} is not supported; use HTTP/1.1 or HTTP/1.0.`);
  }
  if (!hostAllowed(req.headers.host, allowedHosts)) {
    throw badRequest(`Invalid Host header '${req.headers.host}'. Start the server with --allow-host NAME to serve that name.`);
  }
}

/** Refuses methods a route does not take, and uploads a browser was made to send from another site. */
export function screenMethod(req: IncomingMessage, isIngest: boolean): void {
  if (!isIngest) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new HttpError(405, 'Method Not Allowed', `${req.method} is not allowed here; the stacky API answers GET and HEAD.`,
        {}, {Allow: 'GET, HEAD'});
    }
    return;
  }
  if (req.method !== 'POST') {
    throw new HttpError(405, 'Method Not Allowed', 'POST JSON Lines to /ingest/.', {}, {Allow: 'POST'});
  }
  // A page on another site can make a browser POST here: refuse what only a browser sends.
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  if ((origin !== undefined && !sameHost(origin, req.headers.host)) || site === 'cross-site' || site === 'same-site') {
    throw new HttpError(403, 'Forbidden', 'Cross-site uploads are refused: POST from stacky ingest --url, curl or a script.');
  }
  // curl and scripts send these types too (curl --data-binary is a form): refused only from a browser.
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const browser = /^Mozilla\//.test(req.headers['user-agent'] ?? '') || req.headers.referer !== undefined || origin !== undefined;
  if (SIMPLE_TYPES.has(type) && browser) {
    throw new HttpError(415, 'Unsupported Media Type',
      `Content-Type ${type} from a browser is refused (a page on another site could send it); send application/x-ndjson.`);
  }
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}
