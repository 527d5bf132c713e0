// The message_key of a notification without message_id: 64 bits of the MD5 of its deployment
// and what is stored (routing key and body, as received), so ingesting the same line again is
// recognised as a duplicate instead of stored twice. Byte-identical bodies of one deployment
// are one notification; the raw tables' unique index is ("when", message_key), and a body's
// when is part of its bytes. The same body from two deployments is two notifications.
import {hash} from 'node:crypto';
import type {MessageKey} from './message-key.js';

export function bodyKey(deployment: string, stored: Uint8Array): MessageKey {
  // The prefix keeps these keys apart from messageKey's hashes of message ids.
  const head = Buffer.from(`body\u0000${deployment}\u0000`, 'utf8');
  return hash('md5', Buffer.concat([head, stored]), 'buffer').readBigInt64LE(0);
}
