// The one pipeline every way in goes through: parse, store the raw row, derive the rest.
// A batch is one unit of work of the store (source/store/unit-of-work.ts), one transaction; a
// bad notification is quarantined and never stops the batch.
import type {Db} from '../store/sqlite/database.js';
import {RawWriter} from '../store/raw-writer.js';
import {DerivedWriter} from '../store/derived-writer.js';
import {UsageWriter} from '../store/usage-writer.js';
import {unitOfWork} from '../store/unit-of-work.js';
import {decodeJson, encodeJson, setReference} from '../store/json-codec.js';
import {aggregateLifecycle} from './lifecycle.js';
import {aggregateUsage} from './usage.js';
import {legacyEventOf} from '../core/nova-versioned.js';
import {aggregateGlanceUsage} from './glance-usage.js';
import {emptyResult, type IngestItem, type IngestResult} from './item.js';
import {isStorable, Preparer, rejection, type LinesChunk, type Prepared} from './prepare.js';
import {parseLine, type LineDefaults} from './sources/jsonl/line.js';
import type {QuarantineRow} from '../store/types.js';

export type RowStatus = 'stored' | 'duplicate' | 'rejected';

/** What became of one stored row, in input order; `warning` is a derived-table problem. */
export type RowOutcome = (index: number, status: RowStatus, warning?: string) => void;

export interface PipelineOptions {
  /** Names where quarantined input came from: a file name, 'http', 'amqp', 'demo'. */
  source: string;
  /** Clock for quarantine timestamps, µs; injectable for tests. */
  nowMicros?: () => number;
  /** Hears each row's outcome after its batch committed (the server's metrics). */
  observe?: (row: {deployment: string; exchange: string}, status: RowStatus) => void;
}

/**
 * Keyframe sequence number → stored row id or, when the keyframe was not stored (a redelivery),
 * its own standalone blob, from which rows compressed against it are re-encoded. Bounded and
 * most-recent-kept: a keyframe a preparer still uses is among its cache's 8,192 most recent, so
 * it is found here while the rows in flight (at most three batches of 10,000) stay under 57,000.
 */
type KeyframeEntry = number | Uint8Array;

class KeyframeIds {
  private readonly map = new Map<number, KeyframeEntry>();

  constructor(private readonly capacity = 65536) {}

  get(seq: number): KeyframeEntry | undefined {
    const id = this.map.get(seq);
    if (id !== undefined) {
      this.map.delete(seq);
      this.map.set(seq, id);
    }
    return id;
  }

  set(seq: number, id: KeyframeEntry): void {
    this.map.set(seq, id);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as number);
  }

  clear(): void {
    this.map.clear();
  }
}

const ID_MARK_EVERY_US = 60_000_000;

export class Pipeline {
  private readonly raw: RawWriter;
  private readonly derived: DerivedWriter;
  private readonly usage: UsageWriter;
  private readonly preparer: Preparer;
  private lastMark = -Infinity;
  private readonly keyframeIds = new KeyframeIds();
  private readonly batch: (rows: Prepared[], result: IngestResult, onRow?: RowOutcome) => void;
  private readonly replayBatch: (entries: QuarantineRow[], result: ReplayResult) => void;

  constructor(db: Db, private readonly options: PipelineOptions) {
    this.raw = new RawWriter(db);
    this.derived = new DerivedWriter(db);
    this.usage = new UsageWriter(db);
    const nowUs = options.nowMicros ?? (() => Date.now() * 1000);
    this.preparer = new Preparer(() => nowUs() / 1000);
    this.batch = unitOfWork(db, (rows: Prepared[], result: IngestResult, onRow?: RowOutcome) => {
      // Which ids existed when, for retention (source/store/sqlite/retention.ts), once a minute at most.
      const now = nowUs();
      if (Math.abs(now - this.lastMark) >= ID_MARK_EVERY_US) {
        this.raw.markIds(now);
        this.lastMark = now;
      }
      for (let i = 0; i < rows.length; i++) {
        const status = this.one(rows[i]!, result);
        if (!onRow) continue;
        // A warned row was stored; its warning is the last one pushed.
        if (status === 'warned') onRow(i, 'stored', result.warnings[result.warnings.length - 1]);
        else onRow(i, status);
      }
    });
    this.replayBatch = unitOfWork(db, (entries: QuarantineRow[], result: ReplayResult) => {
      for (const entry of entries) {
        const p = this.preparer.prepare(replayItem(entry));
        if (!isStorable(p)) {
          // Still not a notification: it stays, with today's reason.
          this.raw.requarantine(entry.id, rejection(p));
          result.stayed++;
          continue;
        }
        this.one(p, result);
        this.raw.unquarantine(entry.id);
      }
    });
  }

  /**
   * Quarantined input through today's parser (after an upgrade that learned a new shape), in one
   * transaction: what now stores leaves the quarantine, what does not stays with its new reason.
   */
  replay(entries: QuarantineRow[]): ReplayResult {
    const result: ReplayResult = {...emptyResult(), stayed: 0};
    try {
      this.replayBatch(entries, result);
    } catch (error) {
      this.raw.forgetCaches();
      this.keyframeIds.clear();
      this.preparer.reset();
      throw error;
    }
    return result;
  }

  /** Stores a batch in one transaction. Throws only when the database itself fails. */
  ingest(items: IngestItem[]): IngestResult {
    return this.store(items.map((item) => this.preparer.prepare(item)));
  }

  /** Prepares and stores a chunk of JSON Lines (ingestStream's batch) in one transaction on this thread. */
  ingestChunk(chunk: LinesChunk, defaults: LineDefaults): IngestResult {
    return this.store(this.preparer.prepareChunk(chunk, defaults));
  }

  /**
   * Stores rows prepared by this pipeline's own preparer or, for ParallelIngest, by a single
   * worker's preparer (never both: keyframe sequence numbers are per preparer). `onRow` hears
   * what became of each row, for counts by source (the RabbitMQ worker's per-deployment figures).
   */
  store(rows: Prepared[], onRow?: RowOutcome): IngestResult {
    const result = emptyResult();
    const observe = this.options.observe;
    const statuses: RowStatus[] = [];
    const heard: RowOutcome | undefined = observe ? (i, status, warning) => {
      statuses[i] = status;
      onRow?.(i, status, warning);
    } : onRow;
    try {
      this.batch(rows, result, heard);
    } catch (error) {
      this.raw.forgetCaches();
      this.keyframeIds.clear();
      this.preparer.reset();
      throw error;
    }
    if (observe) for (let i = 0; i < rows.length; i++) if (statuses[i]) observe(rows[i]!, statuses[i]!);
    return result;
  }

  /**
   * Rows prepared but not to be stored (their delivery's connection is gone; the broker will send
   * them again). A keyframe among them is remembered by its own blob, so that rows compressed
   * against it are re-encoded instead of failing the batch.
   */
  skip(rows: Prepared[]): void {
    for (const p of rows) if (isStorable(p) && p.refSeq === undefined) this.keyframeIds.set(p.seq, p.jsonZ);
  }

  /** Keeps input that never became a notification (e.g. a line that is not JSON at all). */
  quarantine(item: Omit<IngestItem, 'body'> & {text: string}, error: string): void {
    this.raw.quarantine({
      source: this.options.source, deployment: item.deployment, exchange: item.exchange,
      routingKey: item.routingKey, line: item.line ?? null, error,
      raw: item.raw ? Buffer.from(item.raw.buffer, item.raw.byteOffset, item.raw.byteLength) : item.text,
    }, this.options.nowMicros ? this.options.nowMicros() : Date.now() * 1000);
  }

  private one(p: Prepared, result: IngestResult): RowStatus | 'warned' {
    if (!isStorable(p)) {
      const error = rejection(p);
      this.quarantine({...p, line: p.line ?? undefined, text: p.text ?? ''}, error);
      result.rejected.push({line: p.line ?? p.seq, error});
      return 'rejected';
    }
    const n = p.notification;
    let jsonZ = p.jsonZ;
    if (p.refSeq !== undefined) {
      const ref = this.keyframeIds.get(p.refSeq);
      // Unknown only after a rolled-back batch, whose rows must be prepared again.
      if (ref === undefined) throw new Error(`keyframe ${p.refSeq} of a prepared row is unknown`);
      if (typeof ref === 'number') setReference(jsonZ, ref);
      // The keyframe was a duplicate and is not stored: this row stands alone instead.
      else jsonZ = encodeJson(decodeJson(jsonZ, () => ref));
    }
    const deploymentId = this.raw.deploymentId(p.deployment);
    const blob = Buffer.from(jsonZ.buffer, jsonZ.byteOffset, jsonZ.byteLength);
    let rawId: number | null;
    const key = p.messageKey ?? null;
    if (n.kind === 'nova') rawId = this.raw.insertNova(deploymentId, p.routingKey, blob, n, key);
    else if (n.kind === 'glance') rawId = this.raw.insertGlance(deploymentId, p.routingKey, blob, n, key);
    else rawId = this.raw.insertGeneric(deploymentId, p.routingKey, blob, n, key);
    if (p.refSeq === undefined) this.keyframeIds.set(p.seq, rawId ?? jsonZ);
    if (rawId === null) {
      result.duplicates++;
      return 'duplicate';
    }
    result.stored++;

    // Derived work after the raw row, as StackTach does after its ack: a failure here keeps
    // the raw row and is reported as a warning.
    try {
      let warning: string | undefined;
      if (n.kind === 'nova') {
        aggregateLifecycle(this.derived, rawId, n);
        // Usage is keyed on legacy event names; a versioned instance event counts as its legacy twin.
        warning = aggregateUsage(this.usage, rawId, n.event.startsWith('instance.') ? {...n, event: legacyEventOf(n.event)} : n);
      } else if (n.kind === 'glance') {
        warning = aggregateGlanceUsage(this.usage, rawId, n);
      }
      if (!warning) return 'stored';
      result.warnings.push(p.line === null ? warning : `line ${p.line}: ${warning}`);
    } catch (error) {
      result.warnings.push(`${p.line === null ? '' : `line ${p.line}: `}derived tables: ${(error as Error).message}`);
    }
    return 'warned';
  }
}

export interface ReplayResult extends IngestResult {
  /** Entries that still do not parse; they stay quarantined. */
  stayed: number;
}

/**
 * A quarantined entry as its source handed it in: a line of JSON Lines (a file, stdin, POST) is
 * read again in any of its forms; a message body (RabbitMQ, the demo) is a body. The routing key
 * the entry was received with wins over a line's default.
 */
function replayItem(entry: QuarantineRow): IngestItem {
  const text = entry.raw ? entry.raw.toString('utf8') : '';
  const defaults = {deployment: entry.deployment ?? 'default', exchange: entry.exchange ?? 'nova'};
  if (entry.line === null) return {...defaults, routingKey: entry.routing_key ?? '', text};
  const item = parseLine(text, entry.line, defaults);
  return entry.routing_key ? {...item, routingKey: entry.routing_key} : item;
}
