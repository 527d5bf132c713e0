// Shared tails for watch/<dep> (issue #18): a room of operators polls the same deployment once a
// second, each from the `now` of its last reply. One in-memory tail of recent rows per
// (service, deployment, event) answers them all: built on the first poll, brought up to date
// once per commit (rows above the highest id seen, RawReads.watchAfterId in source/store/api.ts),
// each row's JSON text made once. A cursor older than the tail falls through to the database. The
// store answers asynchronously: a tail's refreshes run one at a time, and it changes only between them.
// Bounded by limits.watchTailRows rows per tail and limits.watchTails tails (source/server/limits.ts).
import type {Store} from '../store/api.js';
import type {WatchRow} from '../store/types.js';
import type {Micros, Service} from '../core/types.js';
import {watchDateTime} from '../core/time.js';
import {errorFlag} from '../core/notification.js';
import {pyDumps} from '../core/pyjson.js';

/** A position in watch order: rows sort by `when`, then id. */
export interface Cursor {
  when: Micros;
  id: number;
}

/** One row as watch lists it, and its JSON text. */
export interface TailRow {
  when: Micros;
  id: number;
  text: string;
  /** The extra cells (host, tenant, request id) as JSON list items, for `extra=1`. */
  extra: string;
}

export function watchRowText(r: WatchRow): string {
  const [date, time] = watchDateTime(r.when);
  return pyDumps([r.id, errorFlag(r.routing_key), date, time, r.deployment ?? '', r.event ?? '',
    r.instance === null || r.instance === '' ? '-' : r.instance]);
}

/** Watch's extra cells for `extra=1` (docs/api.md §2.10): host, tenant, request id, as list items. */
export function watchRowExtra(r: WatchRow): string {
  return pyDumps([r.host ?? '', r.tenant ?? '', r.request_id ?? '']).slice(1, -1);
}

/** A watch row as the reply lists it: its seven cells, and the extra three when asked. */
export function tailRow(r: WatchRow): TailRow {
  return {when: r.when, id: r.id, text: watchRowText(r), extra: watchRowExtra(r)};
}

/** The row's text in a reply, with the extra cells when `extra` is asked for. */
export function replyRowText(r: TailRow, extra: boolean): string {
  return extra ? `${r.text.slice(0, -1)}, ${r.extra}]` : r.text;
}

function after(a: Cursor, b: Cursor): boolean {
  return a.when > b.when || (a.when === b.when && a.id > b.id);
}

class Tail {
  /** Oldest first; holds every row of the watch after `floor`. */
  rows: TailRow[] = [];
  floor: Cursor = {when: -Infinity, id: 0};
  maxId = 0;
  version = '';

  constructor(private readonly store: Store, private readonly service: Service, private readonly deploymentId: number,
    private readonly eventName: string | null, private readonly maxRows: number) {}

  /** The `until` at which the tail last counted its rows in the database. */
  private checked = NaN;
  /** The refresh running now, which the next one waits for. */
  private busy: Promise<unknown> = Promise.resolve();

  /**
   * Brings the tail to `version`; says whether it was updated by id or built anew. Rows deleted
   * under the tail (retention) are looked for once per second of `until`, not at every commit:
   * counting walks the whole tail in an index, several times the cost of the update itself,
   * and a commit comes every ~100 ms under a live feed. A deleted row can so stay in replies
   * until the next second's first poll, which rebuilds the tail. `version` is read before the
   * store is: rows newer than it may come in, and the next version brings no row twice (by id).
   */
  refresh(version: string, until: Micros): Promise<'updates' | 'builds' | undefined> {
    const run = this.busy.then(() => this.refreshNow(version, until));
    this.busy = run.catch(() => undefined);
    return run;
  }

  private async refreshNow(version: string, until: Micros): Promise<'updates' | 'builds' | undefined> {
    if (version === this.version) return undefined;
    const raw = this.store.raw;
    if (this.version !== '' && (until === this.checked
      || await raw.watchHeld(this.service, this.deploymentId, this.eventName, this.maxId, this.floor) === this.rows.length)) {
      this.checked = until;
      const added = await raw.watchAfterId(this.service, this.deploymentId, this.eventName, this.maxId, this.maxRows + 1);
      if (added.rows.length <= this.maxRows) {
        this.merge(added.rows);
        this.maxId = Math.max(this.maxId, added.maxId);
        this.version = version;
        return 'updates';
      }
    }
    // First build, rows gone from under the tail, or more new rows than a tail holds: the newest
    // rows, and the floor below them.
    const newest = await raw.watchNewest(this.service, this.deploymentId, this.eventName, this.maxRows + 1);
    const kept = newest.rows.slice(0, this.maxRows).reverse();
    const below = newest.rows[this.maxRows];
    this.floor = below ? {when: below.when, id: below.id} : {when: -Infinity, id: 0};
    this.rows = kept.map(tailRow);
    this.maxId = newest.maxId;
    this.version = version;
    this.checked = until;
    return 'builds';
  }

  private merge(added: WatchRow[]): void {
    const fresh = added.filter((r) => after(r, this.floor))
      .map(tailRow)
      .sort((a, b) => a.when - b.when || a.id - b.id);
    if (fresh.length === 0) return;
    const last = this.rows[this.rows.length - 1];
    if (!last || after(fresh[0]!, last)) {
      for (const r of fresh) this.rows.push(r);
    } else {
      // Late rows (a `when` behind the newest): a two-way merge keeps the order.
      const merged: TailRow[] = [];
      let i = 0;
      let j = 0;
      while (i < this.rows.length || j < fresh.length) {
        const a = this.rows[i];
        const b = fresh[j];
        if (b === undefined || (a !== undefined && after(b, a))) merged.push(this.rows[i++]!);
        else merged.push(fresh[j++]!);
      }
      this.rows = merged;
    }
    const over = this.rows.length - this.maxRows;
    if (over > 0) {
      const cut = this.rows[over - 1]!;
      this.floor = {when: cut.when, id: cut.id};
      this.rows = this.rows.slice(over);
    }
  }

  /** Rows after `since` with `when` <= until, at most `limit`; undefined when `since` is older than the tail. */
  read(since: Cursor, until: Micros, limit: number): TailRow[] | undefined {
    if (after(this.floor, since)) return undefined;
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (after(this.rows[mid]!, since)) hi = mid;
      else lo = mid + 1;
    }
    const out: TailRow[] = [];
    for (let i = lo; i < this.rows.length && out.length < limit; i++) {
      const r = this.rows[i]!;
      if (r.when > until) break;
      out.push(r);
    }
    return out;
  }
}

export class WatchTails {
  private readonly tails = new Map<string, Tail>();
  private readonly widths = new Map<string, {version: string; width: number}>();
  /** What the tails did, for tests and diagnostics: full builds, per-commit updates, reads answered, reads sent to the database. */
  readonly counts = {builds: 0, updates: 0, hits: 0, fallbacks: 0};

  constructor(private readonly store: Store, private readonly version: () => Promise<string>,
    private readonly maxRows: number, private readonly maxTails: number) {}

  /** Rows of a watch after `since` up to `until`, at most `limit`, from the shared tail; undefined sends the caller to the database. */
  async read(service: Service, deploymentId: number, eventName: string | null, since: Cursor, until: Micros,
    limit: number): Promise<TailRow[] | undefined> {
    const key = `${service}\0${deploymentId}\0${eventName ?? ''}`;
    let tail = this.tails.get(key);
    if (tail) {
      this.tails.delete(key);
    } else {
      tail = new Tail(this.store, service, deploymentId, eventName, this.maxRows);
      if (this.tails.size >= this.maxTails) this.tails.delete(this.tails.keys().next().value as string);
    }
    this.tails.set(key, tail); // most recently used last
    const how = await tail.refresh(await this.version(), until);
    if (how) this.counts[how]++;
    const rows = tail.read(since, until, limit);
    this.counts[rows ? 'hits' : 'fallbacks']++;
    return rows;
  }

  /** The event column's width (watch.ts), looked up once per data version. */
  async width(service: Service, compute: () => Promise<number>): Promise<number> {
    const v = await this.version();
    const w = this.widths.get(service);
    if (w?.version === v) return w.width;
    const width = await compute();
    this.widths.set(service, {version: v, width});
    return width;
  }
}
