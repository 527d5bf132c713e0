// Rows compressed against a keyframe (source/ingest/prepare.ts) name it by its sequence number;
// the stored blob names it by its row id. Engine-neutral: every engine's writer resolves them so.
import {decodeJson, encodeJson, setReference} from './json-codec.js';
import type {StoreRow} from './types.js';

/**
 * Keyframe sequence number → stored row id or, when the keyframe was not stored (a redelivery),
 * its own standalone blob, from which rows compressed against it are re-encoded. Bounded and
 * most-recent-kept: a keyframe a preparer still uses is among its cache's 8,192 most recent, so
 * it is found here while the rows in flight (at most three batches of 10,000) stay under 57,000.
 */
type KeyframeEntry = number | Uint8Array;

export class KeyframeIds {
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

  /** The blob to store for `row`: its keyframe's placeholder filled in, or re-encoded standalone. */
  resolve(row: StoreRow): Uint8Array {
    let jsonZ = row.jsonZ;
    if (row.refSeq === undefined) return jsonZ;
    const ref = this.get(row.refSeq);
    // Unknown only after a rolled-back batch, whose rows must be prepared again.
    if (ref === undefined) throw new Error(`keyframe ${row.refSeq} of a prepared row is unknown`);
    if (typeof ref === 'number') setReference(jsonZ, ref);
    // The keyframe was a duplicate and is not stored: this row stands alone instead.
    else jsonZ = encodeJson(decodeJson(jsonZ, () => ref));
    return jsonZ;
  }

  /** After `row` was stored as `rawId` (null: a duplicate, not stored), as a keyframe if it is one. */
  stored(row: StoreRow, rawId: number | null, jsonZ: Uint8Array): void {
    if (row.refSeq === undefined) this.set(row.seq, rawId ?? jsonZ);
  }

  /** Rows not stored: a keyframe among them is remembered by its own blob. */
  skip(rows: StoreRow[]): void {
    for (const row of rows) if (row.refSeq === undefined) this.set(row.seq, row.jsonZ);
  }
}
