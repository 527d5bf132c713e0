// One JSON Lines line → one pipeline item. Three forms are accepted (see README):
// [routing_key, body], a bare notification body, or an envelope with deployment/exchange/body.
import type {IngestItem} from './item.js';

export interface LineDefaults {
  deployment: string;
  exchange: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The routing key StackTach would have seen for a bare body: errors go to monitor.error. */
export function defaultRoutingKey(body: unknown): string {
  return isObject(body) && body.priority === 'ERROR' ? 'monitor.error' : 'monitor.info';
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
    return {...base, text: undefined, routingKey: value[0], body: value[1]};
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
    return {
      ...base, text: undefined, body,
      deployment: deployment ?? defaults.deployment,
      exchange: exchange ?? defaults.exchange,
      routingKey: routingKey ?? defaultRoutingKey(body),
    };
  }
  // A bare body keeps its text: the raw row stores it as received, without re-serialising.
  return {...base, routingKey: defaultRoutingKey(value), body: value};
}
