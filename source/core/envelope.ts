// oslo.messaging's message format 2.0 (the `messagingv2` notification driver): the AMQP body is
// {"oslo.version": "2.0", "oslo.message": "<the notification as JSON text>"}. A body carrying
// both keys is an envelope, as oslo.messaging's own deserialiser decides; other keys beside them
// are ignored there and here. See docs/notifications.md.
import {isObject} from './python.js';

export const VERSION_KEY = 'oslo.version';
export const MESSAGE_KEY = 'oslo.message';

export class EnvelopeError extends Error {
  override name = 'EnvelopeError';
}

/** What an envelope held: the notification, parsed, and its JSON text as the sender wrote it. */
export interface Unwrapped {
  body: unknown;
  /** The inner JSON text; undefined when the value was not an envelope. */
  text?: string;
}

/** True when a value has either envelope key: a body meant as an envelope, well-formed or not. */
export function looksEnveloped(value: unknown): value is Record<string, unknown> {
  return isObject(value) && (Object.hasOwn(value, VERSION_KEY) || Object.hasOwn(value, MESSAGE_KEY));
}

/** Major version 2, any minor (oslo.messaging accepts a newer minor of the same major). */
const COMPATIBLE = /^2(\.\d+){0,2}$/;

/**
 * The notification inside an envelope; a value that is not an envelope comes back as it was.
 * Throws EnvelopeError, whose message names the envelope, when it cannot be opened.
 */
export function unwrapEnvelope(value: unknown): Unwrapped {
  if (!looksEnveloped(value)) return {body: value};
  const version = value[VERSION_KEY];
  const message = value[MESSAGE_KEY];
  if (!Object.hasOwn(value, VERSION_KEY)) throw new EnvelopeError('oslo.messaging envelope without oslo.version');
  if (!Object.hasOwn(value, MESSAGE_KEY)) throw new EnvelopeError('oslo.messaging envelope without oslo.message');
  if (typeof version !== 'string' || !COMPATIBLE.test(version)) {
    throw new EnvelopeError(`oslo.messaging envelope version ${JSON.stringify(version)} is not 2.x`);
  }
  if (typeof message !== 'string') throw new EnvelopeError('oslo.messaging envelope: oslo.message is not a string of JSON');
  let body: unknown;
  try {
    body = JSON.parse(message);
  } catch (error) {
    throw new EnvelopeError(`oslo.messaging envelope: oslo.message is not JSON: ${(error as Error).message}`);
  }
  // oslo.messaging never nests envelopes; one inside another is a sender's bug, not a notification.
  if (looksEnveloped(body)) throw new EnvelopeError('oslo.messaging envelope inside an envelope');
  return {body, text: message};
}
