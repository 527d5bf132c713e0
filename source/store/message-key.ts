// The raw tables' message_key: 64 bits of the message id's MD5, so that redeliveries are found
// through a small unique integer index instead of one on 36-character strings. Pure: the
// preparing worker threads compute it, off the writing thread.
import {hash} from 'node:crypto';
import type {Cell} from '../core/types.js';

export type MessageKey = bigint | null;

export function messageKey(messageId: Cell): MessageKey {
  if (messageId === null || messageId === '') return null;
  return hash('md5', String(messageId), 'buffer').readBigInt64LE(0);
}
