// The one pipeline every way in goes through: parse, store the raw row, derive the rest.
// A batch is one transaction; a bad notification is quarantined and never stops the batch.
import type {Db} from '../store/database.js';
import {RawWriter} from '../store/raw-writer.js';
import {DerivedWriter} from '../store/derived-writer.js';
import {UsageWriter} from '../store/usage-writer.js';
import {encodeJson} from '../store/json-codec.js';
import {parseNotification, serviceFor} from '../core/notification.js';
import type {Notification} from '../core/types.js';
import {aggregateLifecycle} from './lifecycle.js';
import {aggregateUsage} from './usage.js';
import {aggregateGlanceUsage} from './glance-usage.js';
import {emptyResult, type IngestItem, type IngestResult} from './item.js';
import {KeyframeCache} from './keyframes.js';

export interface PipelineOptions {
  /** Names where quarantined input came from: a file name, 'http', 'amqp', 'demo'. */
  source: string;
  /** Clock for quarantine timestamps, µs; injectable for tests. */
  nowMicros?: () => number;
}

export class Pipeline {
  private readonly raw: RawWriter;
  private readonly derived: DerivedWriter;
  private readonly usage: UsageWriter;
  private readonly keyframes = new KeyframeCache();
  private readonly batch: (items: IngestItem[], result: IngestResult) => void;

  constructor(private readonly db: Db, private readonly options: PipelineOptions) {
    this.raw = new RawWriter(db);
    this.derived = new DerivedWriter(db);
    this.usage = new UsageWriter(db);
    this.batch = db.transaction((items: IngestItem[], result: IngestResult) => {
      for (const item of items) this.one(item, result);
    });
  }

  /** Stores a batch in one transaction. Throws only when the database itself fails. */
  ingest(items: IngestItem[]): IngestResult {
    const result = emptyResult();
    try {
      this.batch(items, result);
    } catch (error) {
      this.raw.forgetCaches();
      this.keyframes.clear();
      throw error;
    }
    return result;
  }

  /** Keeps input that never became a notification (e.g. a line that is not JSON at all). */
  quarantine(item: Omit<IngestItem, 'body'> & {text: string}, error: string): void {
    this.raw.quarantine({
      source: this.options.source, deployment: item.deployment, exchange: item.exchange,
      routingKey: item.routingKey, line: item.line ?? null, error, raw: item.text,
    }, this.now());
  }

  private now(): number {
    return this.options.nowMicros ? this.options.nowMicros() : Date.now() * 1000;
  }

  private one(item: IngestItem, result: IngestResult): void {
    const line = item.line ?? result.stored + result.duplicates + result.rejected.length + 1;
    let body = item.body;
    let notification: Notification;
    try {
      if (item.error !== undefined) throw new Error(item.error);
      if (body === undefined) body = JSON.parse(item.text ?? '');
      notification = parseNotification(serviceFor(item.exchange), body);
    } catch (error) {
      const reason = error instanceof SyntaxError ? `not JSON: ${error.message}` : (error as Error).message;
      this.quarantine({...item, line, text: item.text ?? safeStringify(body)}, reason);
      result.rejected.push({line, error: reason});
      return;
    }

    const text = item.text !== undefined
      ? `[${JSON.stringify(item.routingKey)}, ${item.text}]`
      : JSON.stringify([item.routingKey, body]);
    const deploymentId = this.raw.deploymentId(item.deployment);
    const key = KeyframeCache.keyOf(notification);
    const keyframe = this.keyframes.get(key);
    const jsonZ = encodeJson(text, keyframe);
    let rawId: number | null;
    if (notification.kind === 'nova') rawId = this.raw.insertNova(deploymentId, item.routingKey, jsonZ, notification);
    else if (notification.kind === 'glance') rawId = this.raw.insertGlance(deploymentId, item.routingKey, jsonZ, notification);
    else rawId = this.raw.insertGeneric(deploymentId, item.routingKey, jsonZ, notification);
    if (rawId === null) {
      result.duplicates++;
      return;
    }
    result.stored++;
    if (!keyframe) this.keyframes.set(key, {id: rawId, text});

    // Derived work after the raw row, as StackTach does after its ack: a failure here keeps
    // the raw row and is reported as a warning.
    try {
      let warning: string | undefined;
      if (notification.kind === 'nova') {
        aggregateLifecycle(this.derived, rawId, notification);
        warning = aggregateUsage(this.usage, rawId, notification);
      } else if (notification.kind === 'glance') {
        warning = aggregateGlanceUsage(this.usage, rawId, notification);
      }
      if (warning) result.warnings.push(`line ${line}: ${warning}`);
    } catch (error) {
      result.warnings.push(`line ${line}: derived tables: ${(error as Error).message}`);
    }
  }
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
