// The watch pane's rows: a window over a snapshot of the tail's ring buffer (references only),
// frozen at the pause point and narrowed by the `/` filter (only matching sequence numbers).
import type {Column} from './columns.js';
import type {RingBuffer} from './ring-buffer.js';
import type {WatchRow} from './tail.js';
import {matches} from './text.js';
import type {Line} from './views.js';
import type {StackyService} from '../client/types.js';
import {ageText, rowTime} from './views/inflight.js';

export const watchColumns: Column[] = [
  {title: '?', min: 1, max: 1, priority: 1},
  {title: 'Date', min: 10, max: 10, priority: 6},
  {title: 'Time', min: 12, max: 15, priority: 3, cut: true},
  {title: '#', min: 6, max: 10, priority: 5, align: 'right'},
  {title: 'Deployment', min: 15, max: 20, priority: 2},
  {title: 'Event', min: 30, max: 36, priority: 1},
  {title: 'UUID', min: 13, max: 36, priority: 4},
  // As width allows, once the columns above are whole (columns.ts `extra`); ←/→ reach them too.
  {title: 'Host', min: 10, max: 24, priority: 7, extra: true},
  {title: 'Tenant', min: 12, max: 32, priority: 8, extra: true},
  {title: 'Request id', min: 40, max: 40, priority: 9, extra: true},
];

export function watchSearchText(r: WatchRow): string {
  return `${r.id} ${r.error ? 'E' : ''} ${r.date} ${r.time} ${r.deployment} ${r.event} ${r.uuid} ${r.host} ${r.tenant} ${r.requestId}`;
}

/** What WatchRows reads: a copy of the ring buffer taken for a render, or the one kept at the pause. */
export interface RowStore {
  readonly firstSeq: number;
  readonly lastSeq: number;
  bySeq(seq: number): WatchRow | undefined;
}

/**
 * The ring buffer's rows at one moment, copied out (references) so they stay put however fast
 * new rows push old ones out: for each render, and kept while the tail is paused.
 */
export class Snapshot implements RowStore {
  private readonly rows: WatchRow[];
  readonly firstSeq: number;
  readonly lastSeq: number;
  constructor(buffer: RingBuffer<WatchRow>) {
    this.rows = buffer.toArray();
    this.firstSeq = buffer.firstSeq;
    this.lastSeq = buffer.lastSeq;
  }
  bySeq(seq: number): WatchRow | undefined {
    return this.rows[seq - this.firstSeq];
  }
}

export class WatchRows {
  /** Sequence numbers of the visible rows, when filtered; otherwise a contiguous range. */
  private readonly seqs: number[] | undefined;
  readonly first: number;
  readonly length: number;
  readonly hidden: number;

  constructor(
    private readonly buffer: RowStore,
    /** Last sequence number shown (the pause point), or undefined to show everything. */
    readonly until: number | undefined,
    readonly filter: string,
    private readonly service: StackyService,
    /** `t`: times as ages from this moment (ms) instead of UTC clock times. */
    private readonly relativeTo?: number,
  ) {
    this.first = buffer.firstSeq;
    const last = until === undefined ? buffer.lastSeq : Math.min(until, buffer.lastSeq);
    const total = Math.max(0, last - this.first + 1);
    if (filter === '') {
      this.seqs = undefined;
      this.length = total;
      this.hidden = 0;
    } else {
      const out: number[] = [];
      for (let s = this.first; s <= last; s++) if (matches(watchSearchText(buffer.bySeq(s)!), filter)) out.push(s);
      this.seqs = out;
      this.length = out.length;
      this.hidden = total - out.length;
    }
  }

  seqAt(index: number): number | undefined {
    if (index < 0 || index >= this.length) return undefined;
    return this.seqs ? this.seqs[index] : this.first + index;
  }

  row(index: number): WatchRow | undefined {
    const s = this.seqAt(index);
    return s === undefined ? undefined : this.buffer.bySeq(s);
  }

  /** Index of `seq`, or of the first visible row after it; length - 1 when past the end. */
  indexOf(seq: number): number {
    if (this.length === 0) return 0;
    if (!this.seqs) return Math.max(0, Math.min(this.length - 1, seq - this.first));
    let lo = 0;
    let hi = this.seqs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.seqs[mid]! < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  line(index: number): Line | undefined {
    const r = this.row(index);
    if (!r) return undefined;
    return {
      kind: 'data',
      cells: [r.error ? 'E' : ' ', r.date, this.relativeTo === undefined ? r.time : `${ageText(this.relativeTo - rowTime(r))} ago`, r.id, r.deployment, r.event, r.uuid || '-', r.host, r.tenant, r.requestId],
      table: 0,
      error: r.error,
      tone: r.error ? 'error' : undefined,
      search: watchSearchText(r),
      target: {eventId: r.id, service: this.service, uuid: r.uuid || undefined, requestId: r.requestId || undefined},
    };
  }
}
