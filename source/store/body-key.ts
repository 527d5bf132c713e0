// The message_key of a notification without message_id: 64 bits of the MD5 of what is stored
// (routing key and body, as received), so ingesting the same line again is recognised as a
// duplicate instead of stored twice. Two byte-identical bodies are one notification; the raw
// tables' unique index is ("when", message_key), and a body's when is part of its bytes.
import {hash} from 'node:crypto';
import type {MessageKey} from './message-key.js';

export function bodyKey(stored: Uint8Array): MessageKey {
  // A prefix keeps these keys apart from messageKey's hashes of message ids.
  return hash('md5', Buffer.concat([Buffer.from('body\u0000'), stored]), 'buffer').readBigInt64LE(0);
}
