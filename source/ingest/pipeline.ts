// The one pipeline every way in goes through: parse, store the raw row, derive the rest.
// A batch is one write of the store's Writer (source/store/types.ts), one transaction; a bad
// notification is quarantined and never stops the batch.
import type {Notification} from '../core/types.js';
import {aggregateLifecycle} from './lifecycle.js';
import {aggregateUsage} from './usage.js';
import {legacyEventOf} from '../core/nova-versioned.js';
import {aggregateGlanceUsage} from './glance-usage.js';
import {emptyResult, type IngestItem, type IngestResult} from './item.js';
import {isStorable, Preparer, rejection, type LinesChunk, type Prepared} from './prepare.js';
import {parseLine, type LineDefaults} from './sources/jsonl/line.js';
import type {BatchOutcome, Derive, DerivedTables, QuarantineRow, RejectedRow, RowStatus, StoreRow, Writer} from '../store/types.js';

export type {RowStatus} from '../store/types.js';

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
 * The derived tables of one stored raw (docs/ingest.md §3.3–3.8), run by the store inside the
 * batch's transaction. Usage is keyed on legacy event names: a versioned instance event counts
 * as its legacy twin.
 */
export const derive: Derive = (tables: DerivedTables, rawId: number, n: Notification) => {
  if (n.kind === 'nova') {
    aggregateLifecycle(tables.derived, rawId, n);
    return aggregateUsage(tables.usage, rawId, n.event.startsWith('instance.') ? {...n, event: legacyEventOf(n.event)} : n);
  }
  if (n.kind === 'glance') return aggregateGlanceUsage(tables.usage, rawId, n);
  return undefined;
};

export class Pipeline {
  private readonly preparer: Preparer;
  private readonly nowUs: () => number;

  /** `writer` serves this pipeline's preparer alone (or, for ParallelIngest, its worker's). */
  constructor(private readonly writer: Writer, private readonly options: PipelineOptions) {
    this.nowUs = options.nowMicros ?? (() => Date.now() * 1000);
    const nowUs = this.nowUs;
    this.preparer = new Preparer(() => nowUs() / 1000);
  }

  /**
   * Quarantined input through today's parser (after an upgrade that learned a new shape), in one
   * transaction: what now stores leaves the quarantine, what does not stays with its new reason.
   */
  async replay(entries: QuarantineRow[]): Promise<ReplayResult> {
    const prepared = entries.map((entry) => this.preparer.prepare(replayItem(entry)));
    let outcome: BatchOutcome;
    try {
      outcome = await this.writer.replay(entries.map((entry, i) => ({id: entry.id, row: this.storeRow(prepared[i]!)})), derive);
    } catch (error) {
      this.reset();
      throw error;
    }
    const result: ReplayResult = {...emptyResult(), stayed: 0};
    prepared.forEach((p, i) => {
      // A rejection stays quarantined; it is not counted as rejected input.
      if (outcome.statuses[i] === 'rejected') result.stayed++;
      else this.count(p, outcome, i, result);
    });
    return result;
  }

  /** Stores a batch in one transaction. Rejects only when the database itself fails. */
  ingest(items: IngestItem[]): Promise<IngestResult> {
    return this.store(items.map((item) => this.preparer.prepare(item)));
  }

  /** Prepares and stores a chunk of JSON Lines (ingestStream's batch) in one transaction on this thread. */
  ingestChunk(chunk: LinesChunk, defaults: LineDefaults): Promise<IngestResult> {
    return this.store(this.preparer.prepareChunk(chunk, defaults));
  }

  /**
   * Stores rows prepared by this pipeline's own preparer or, for ParallelIngest, by a single
   * worker's preparer (never both: keyframe sequence numbers are per preparer). `onRow` hears
   * what became of each row once the batch committed, for counts by source (the RabbitMQ
   * worker's per-deployment figures).
   */
  async store(rows: Prepared[], onRow?: RowOutcome): Promise<IngestResult> {
    let outcome: BatchOutcome;
    try {
      outcome = await this.writer.write(rows.map((p) => this.storeRow(p)), derive, this.nowUs());
    } catch (error) {
      this.reset();
      throw error;
    }
    const result = emptyResult();
    const observe = this.options.observe;
    for (let i = 0; i < rows.length; i++) {
      const warning = this.count(rows[i]!, outcome, i, result);
      onRow?.(i, outcome.statuses[i]!, warning);
    }
    if (observe) for (let i = 0; i < rows.length; i++) observe(rows[i]!, outcome.statuses[i]!);
    return result;
  }

  /**
   * Rows prepared but not to be stored (their delivery's connection is gone; the broker will send
   * them again). A keyframe among them is remembered by its own blob, so that rows compressed
   * against it are re-encoded instead of failing the batch.
   */
  skip(rows: Prepared[]): void {
    this.writer.skip(rows.filter(isStorable).map((p) => this.storeRow(p) as StoreRow));
  }

  /** Keeps input that never became a notification (e.g. a line that is not JSON at all). */
  quarantine(item: Omit<IngestItem, 'body'> & {text: string}, error: string): Promise<void> {
    return this.writer.quarantine([this.rejected(item, error)], this.nowUs());
  }

  /** After a failed transaction the stored rows behind the cached keyframes may be gone. */
  private reset(): void {
    this.writer.reset();
    this.preparer.reset();
  }

  private storeRow(p: Prepared): StoreRow | RejectedRow {
    if (!isStorable(p)) return this.rejected({...p, line: p.line ?? undefined, text: p.text ?? ''}, rejection(p));
    return {kind: 'row', line: p.line, deployment: p.deployment, exchange: p.exchange, routingKey: p.routingKey, seq: p.seq,
      notification: p.notification, jsonZ: p.jsonZ, refSeq: p.refSeq, messageKey: p.messageKey};
  }

  private rejected(item: Omit<IngestItem, 'body'> & {text: string}, error: string): RejectedRow {
    return {
      kind: 'rejected', source: this.options.source, deployment: item.deployment, exchange: item.exchange,
      routingKey: item.routingKey, line: item.line ?? null, error,
      raw: item.raw ? Buffer.from(item.raw.buffer, item.raw.byteOffset, item.raw.byteLength) : item.text,
    };
  }

  /** Adds row `i`'s outcome to `result`; returns its warning as reported ("line N: " first where it has a line). */
  private count(p: Prepared, outcome: BatchOutcome, i: number, result: IngestResult): string | undefined {
    const status = outcome.statuses[i];
    if (status === 'rejected') {
      result.rejected.push({line: p.line ?? p.seq, error: rejection(p)});
      return undefined;
    }
    if (status === 'duplicate') {
      result.duplicates++;
      return undefined;
    }
    result.stored++;
    const warning = outcome.warnings[i];
    if (warning === undefined) return undefined;
    const reported = p.line === null ? warning : `line ${p.line}: ${warning}`;
    result.warnings.push(reported);
    return reported;
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
