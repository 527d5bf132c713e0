// The CPU half of the pipeline: JSON parsing, notification fields, and compressing the raw JSON.
// It does no I/O, so it can run on a worker thread while the main thread writes to the store.
import {parseNotification, serviceFor} from '../core/notification.js';
import {unwrapEnvelope} from '../core/envelope.js';
import type {Notification} from '../core/types.js';
import {encodeJson} from '../store/json-codec.js';
import {messageKey, type MessageKey} from '../store/message-key.js';
import {KeyframeCache} from './keyframes.js';
import {checkDepth} from './json-limits.js';
import {checkedLines} from './sources/jsonl/checked-lines.js';
import {bodyKey} from '../store/body-key.js';
import {parseLine, type LineDefaults} from './sources/jsonl/line.js';
import type {IngestItem} from './item.js';

/** One input, ready to store: either a row (notification + compressed JSON) or a rejection. */
export interface Prepared {
  /** The source line (JSON Lines, POST bodies); null for messages from RabbitMQ or the demo. */
  line: number | null;
  deployment: string;
  exchange: string;
  routingKey: string;
  /** Sequence number of this input within its preparer; keyframes are referred to by it. */
  seq: number;
  /** The raw input, for rejected rows (kept whole in quarantine). */
  text?: string;
  /** Bytes to quarantine instead of `text` (invalid UTF-8 kept as received). */
  raw?: Uint8Array;
  notification?: Notification;
  /** messageKey(notification.messageId), else bodyKey (store/body-key.ts), for the raw table's redelivery index. */
  messageKey?: MessageKey;
  jsonZ?: Uint8Array;
  /** The sequence number of the keyframe jsonZ was compressed against (its header holds a placeholder). */
  refSeq?: number;
  error?: string;
}

/** A prepared row the pipeline stores; any other is quarantined, with `rejection(row)` as the reason. */
export function isStorable(row: Prepared): row is Prepared & {notification: Notification; jsonZ: Uint8Array} {
  return row.error === undefined && row.notification !== undefined && row.jsonZ !== undefined;
}

export const rejection = (row: Prepared): string => row.error ?? 'not a notification';

/** What a worker is given: a JSON Lines line, or an item from another source. */
export type Work = {line: string; no: number} | {item: IngestItem};

/** Whole JSON Lines as UTF-8 bytes, the first numbered `firstLine`: split on the worker, not the writer. */
export interface LinesChunk {
  bytes: Uint8Array;
  firstLine: number;
  /** Lines cut at the line-size bound: their bytes are only the first ones, quarantined with `error`. */
  cut?: {no: number; error: string}[];
}

type ItemHeader = Omit<IngestItem, 'text' | 'body'>;

/**
 * Message bodies (RabbitMQ) packed into one buffer, so the writing thread neither decodes them
 * nor clones strings to the worker. Body i is bytes[ends[i-1] ?? 0, ends[i]); its deployment,
 * exchange and routing key are headers[headerOf[i]] (a batch has only a handful of distinct ones).
 */
export interface PackedItems {
  bytes: Uint8Array;
  ends: Uint32Array;
  headers: ItemHeader[];
  headerOf: Uint16Array;
}

/** Packs UTF-8 bodies with their deployment, exchange and routing key. */
export function packItems(bodies: {item: ItemHeader; body: Uint8Array}[]): PackedItems {
  let size = 0;
  for (const b of bodies) size += b.body.length;
  const bytes = new Uint8Array(size);
  const ends = new Uint32Array(bodies.length);
  const headers: ItemHeader[] = [];
  const headerOf = new Uint16Array(bodies.length);
  const known = new Map<string, number>();
  let at = 0;
  bodies.forEach((b, i) => {
    bytes.set(b.body, at);
    at += b.body.length;
    ends[i] = at;
    const {deployment, exchange, routingKey} = b.item;
    const key = `${deployment}\n${exchange}\n${routingKey}`;
    let h = known.get(key);
    if (h === undefined) {
      // More distinct headers than a Uint16 holds would need a pathological batch; fail loudly.
      if (headers.length === 0xffff) throw new Error('too many distinct deployment/exchange/routing keys in one batch');
      known.set(key, (h = headers.push({deployment, exchange, routingKey}) - 1));
    }
    headerOf[i] = h;
  });
  return {bytes, ends, headers, headerOf};
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** The stored raw JSON of a notification: `[routing key, body]`, as StackTach keeps it. */
export function rawText(routingKey: string, body: unknown, bodyText: string | undefined): string {
  // A body that arrived as text is stored as it came, without re-serialising.
  return bodyText !== undefined ? `[${JSON.stringify(routingKey)}, ${bodyText}]` : JSON.stringify([routingKey, body]);
}

export class Preparer {
  private seq = 0;
  private readonly keyframes: KeyframeCache<number>;

  /** `nowMs` ages the keyframes (see KEYFRAME_MAX_AGE_MS); the pipeline passes its own clock. */
  constructor(nowMs: () => number = Date.now) {
    this.keyframes = new KeyframeCache<number>(8192, nowMs);
  }

  prepareWork(work: Work, defaults: LineDefaults): Prepared {
    return 'line' in work ? this.prepare(parseLine(work.line, work.no, defaults)) : this.prepare(work.item);
  }

  prepareChunk(chunk: LinesChunk, defaults: LineDefaults): Prepared[] {
    return checkedLines(chunk, defaults).map((w) => this.prepareWork(w, defaults));
  }

  preparePacked(packed: PackedItems): Prepared[] {
    const buf = Buffer.from(packed.bytes.buffer, packed.bytes.byteOffset, packed.bytes.byteLength);
    return Array.from(packed.headerOf, (h, i) =>
      this.prepare({...packed.headers[h]!, text: buf.toString('utf8', i === 0 ? 0 : packed.ends[i - 1], packed.ends[i])}));
  }

  prepare(item: IngestItem): Prepared {
    const seq = ++this.seq;
    const base = {line: item.line ?? null, deployment: item.deployment, exchange: item.exchange,
      routingKey: item.routingKey, seq};
    let body = item.body;
    let bodyText = item.text;
    let notification: Notification;
    try {
      if (item.error !== undefined) throw new Error(item.error);
      if (body === undefined) body = JSON.parse(item.text ?? '');
      // The stored raw JSON is the notification itself, not oslo.messaging's envelope around it.
      const inner = unwrapEnvelope(body);
      if (inner.text !== undefined) ({body, text: bodyText} = inner);
      checkDepth(body);
      notification = parseNotification(serviceFor(item.exchange), body);
    } catch (error) {
      const reason = error instanceof SyntaxError ? `not JSON: ${error.message}` : (error as Error).message;
      // Quarantine keeps what the source handed in, envelope and all.
      return {...base, text: item.text ?? safeStringify(item.body ?? body), raw: item.raw, error: reason};
    }
    const text = rawText(item.routingKey, body, bodyText);
    const key = KeyframeCache.keyOf(notification);
    const bytes = Buffer.from(text, 'utf8');
    const parsed = {...base, notification, messageKey: messageKey(notification.messageId) ?? bodyKey(item.deployment, bytes)};
    const keyframe = this.keyframes.get(key);
    if (keyframe) return {...parsed, jsonZ: encodeJson(bytes, {id: 0, text: keyframe.bytes}), refSeq: keyframe.id};
    // Kept as bytes: encoded once, and off the JS heap the collector walks.
    this.keyframes.set(key, {id: seq, bytes});
    return {...parsed, jsonZ: encodeJson(bytes)};
  }

  /** After a failed transaction the stored rows behind the cached keyframes may be gone. */
  reset(): void {
    this.keyframes.clear();
  }
}
