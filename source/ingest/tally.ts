// The result of one ingest run, merged batch by batch: exact counts, and the lists of
// rejections and warnings cut at a bound (a server lists at most so many in a reply).
import type {IngestResult, Rejection} from './item.js';

/** A result as a reply carries it: the lists may be cut, the counts beside them are exact. */
export interface CountedResult extends IngestResult {
  rejected_count?: number;
  warnings_count?: number;
}

export class Tally {
  stored = 0;
  duplicates = 0;
  rejectedCount = 0;
  warningsCount = 0;
  readonly rejected: Rejection[] = [];
  readonly warnings: string[] = [];

  /** `listed`: most rejections (and warnings) kept in the lists; the counts go on. */
  constructor(private readonly listed = Infinity) {}

  add(r: CountedResult): void {
    this.stored += r.stored;
    this.duplicates += r.duplicates;
    this.rejectedCount += Math.max(r.rejected_count ?? 0, r.rejected.length);
    this.warningsCount += Math.max(r.warnings_count ?? 0, r.warnings.length);
    for (const x of r.rejected) if (this.rejected.length < this.listed) this.rejected.push(x);
    for (const w of r.warnings) if (this.warnings.length < this.listed) this.warnings.push(w);
  }

  /** The lists and counts; `rejected_count`/`warnings_count` only when a list was cut. */
  result(): CountedResult {
    const r: CountedResult = {stored: this.stored, duplicates: this.duplicates, rejected: [...this.rejected],
      warnings: [...this.warnings]};
    if (this.rejectedCount > this.rejected.length) r.rejected_count = this.rejectedCount;
    if (this.warningsCount > this.warnings.length) r.warnings_count = this.warningsCount;
    return r;
  }

  summary(): string {
    return `stored ${this.stored}, duplicates ${this.duplicates}, rejected ${this.rejectedCount}`;
  }
}
