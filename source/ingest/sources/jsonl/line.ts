// One JSON Lines line → one pipeline item. Three forms are accepted (see README):
// [routing_key, body], a bare notification body, or an envelope with deployment/exchange/body.
import type {IngestItem} from '../../item.js';
import {EnvelopeError, looksEnveloped, unwrapEnvelope} from '../../../core/envelope.js';

export interface LineDefaults {
  deployment: string;
  exchange: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The routing key StackTach would have seen for a bare body: errors go to monitor.error. */
export function defaultRoutingKey(body: unknown): string {
  if (!isObject(body)) return 'monitor.info';
  return body.priority === 'ERROR' ? 'monitor.error' : body.priority === 'CRITICAL' ? 'monitor.critical' : 'monitor.info';
}

/**
 * A body in oslo.messaging's 2.0 envelope, opened: the item then carries the notification and
 * its JSON text as the sender wrote it (stored without re-serialising). A broken envelope is an
 * error naming it; anything else passes through.
 */
function opened(body: unknown, text: () => string | undefined): {body: unknown; text?: string} | {error: string} {
  // The body's own text is cut out of the line only when it is stored as it is (not an envelope).
  if (!looksEnveloped(body)) return {body, text: text()};
  try {
    const inner = unwrapEnvelope(body);
    return {body: inner.body, text: inner.text};
  } catch (error) {
    if (error instanceof EnvelopeError) return {error: error.message};
    throw error;
  }
}

/**
 * The body's own JSON text inside a line, when the line is compact JSON of the expected shape:
 * storing it as received saves re-serialising 3 KB per notification. undefined otherwise.
 */
function bodyText(line: string, prefix: string, suffix: string): string | undefined {
  if (!line.startsWith(prefix) || !line.endsWith(suffix)) return undefined;
  return line.slice(prefix.length, line.length - suffix.length);
}

function envelopeBodyText(line: string, value: Record<string, unknown>): string | undefined {
  const keys = Object.keys(value);
  if (keys[keys.length - 1] !== 'body') return undefined;
  let prefix = '{';
  for (const k of keys.slice(0, -1)) {
    if (typeof value[k] !== 'string') return undefined;
    prefix += `${JSON.stringify(k)}:${JSON.stringify(value[k])},`;
  }
  return bodyText(line, `${prefix}"body":`, '}');
}

export function parseLine(text: string, line: number, defaults: LineDefaults): IngestItem {
  const base = {deployment: defaults.deployment, exchange: defaults.exchange, routingKey: '', line, text};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {...base, error: `not JSON: ${(error as Error).message}`};
  }
  if (Array.isArray(value)) {
    if (value.length !== 2 || typeof value[0] !== 'string') {
      return {...base, error: 'a JSON array line must be [routing_key, body]'};
    }
    const inner = opened(value[1], () => bodyText(text, `[${JSON.stringify(value[0])},`, ']'));
    if ('error' in inner) return {...base, routingKey: value[0], error: inner.error};
    return {...base, text: inner.text, routingKey: value[0], body: inner.body};
  }
  if (!isObject(value)) return {...base, error: 'line is neither a JSON object nor a [routing_key, body] pair'};
  if ('body' in value && !('event_type' in value)) {
    const {deployment, exchange, routing_key: routingKey, body} = value;
    if (deployment !== undefined && (typeof deployment !== 'string' || deployment === '')) {
      return {...base, error: 'envelope deployment must be a non-empty string'};
    }
    if (exchange !== undefined && (typeof exchange !== 'string' || exchange === '')) {
      return {...base, error: 'envelope exchange must be a non-empty string'};
    }
    if (routingKey !== undefined && typeof routingKey !== 'string') {
      return {...base, error: 'envelope routing_key must be a string'};
    }
    const where = {
      deployment: deployment ?? defaults.deployment,
      exchange: exchange ?? defaults.exchange,
    };
    const inner = opened(body, () => envelopeBodyText(text, value));
    if ('error' in inner) return {...base, ...where, routingKey: routingKey ?? '', error: inner.error};
    return {...base, ...where, text: inner.text, body: inner.body, routingKey: routingKey ?? defaultRoutingKey(inner.body)};
  }
  // A bare body keeps its text: the raw row stores it as received, without re-serialising.
  const inner = opened(value, () => text);
  if ('error' in inner) return {...base, error: inner.error};
  return {...base, text: inner.text, routingKey: defaultRoutingKey(inner.body), body: inner.body};
}

const NEWLINE = 0x0a;
const RETURN = 0x0d;

/**
 * The lines of a chunk of JSON Lines as byte ranges, numbered from `firstLine`. Lines end at \n,
 * a \r before it is dropped (`stop` keeps it); a last line without \n counts too.
 */
export function* lineRanges(buf: Buffer, firstLine: number): Generator<{start: number; end: number; stop: number; no: number}> {
  let no = firstLine;
  for (let start = 0; start < buf.length; no++) {
    let end = buf.indexOf(NEWLINE, start);
    const next = end < 0 ? buf.length : end + 1;
    if (end < 0) end = buf.length;
    const stop = end;
    if (end > start && buf[end - 1] === RETURN) end--;
    yield {start, end, stop, no};
    start = next;
  }
}

/** The non-blank lines of a chunk of JSON Lines (see lineRanges). Invalid UTF-8 decodes to U+FFFD. */
export function splitLines(bytes: Uint8Array, firstLine: number): {line: string; no: number}[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lines: {line: string; no: number}[] = [];
  for (const {start, end, no} of lineRanges(buf, firstLine)) {
    const line = buf.toString('utf8', start, end);
    if (line.trim() !== '') lines.push({line, no});
  }
  return lines;
}
