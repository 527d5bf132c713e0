// The live tail behind the watch pane: polls /stacky/watch/<dep>/ and sends the returned `now`
// back as the next `since`, so windows are contiguous (no gaps, no duplicates). Failures keep
// `since` and retry with backoff, so the tail resumes where it stopped after a server restart.
import {RingBuffer} from './ring-buffer.js';
import {backoffMs, describeError, type ConsoleSource} from './data-source.js';
import type {StackyService} from '../client/types.js';

export interface WatchRow {
  id: number;
  error: boolean;
  date: string;
  time: string;
  deployment: string;
  event: string;
  /** '' when the event has no instance (the server sends '-'). */
  uuid: string;
  /** Asked for with `extra=1` (docs/api.md §2.10); '' from a server that does not send them. */
  host: string;
  tenant: string;
  requestId: string;
}

export type TailStatus =
  | {kind: 'connecting'; message: string}
  | {kind: 'live'; message: string}
  | {kind: 'unreachable' | 'error'; message: string; retryAt: number; attempt: number};

export interface TailOptions {
  deployment: string;
  service: StackyService;
  eventName?: string;
  pollMs: number;
  capacity?: number;
  now?: () => number;
  baseBackoffMs?: number;
}

const rateWindowMs = 10_000;

/** How far back the sparklines reach (five minutes). */
const historySeconds = 300;

interface Bucket {
  n: number;
  errors: number;
}

/** Counts rows in second `sec` of a history and forgets seconds older than five minutes. */
function add(history: Map<number, Bucket>, sec: number, n: number, errors: number): void {
  const b = history.get(sec) ?? {n: 0, errors: 0};
  b.n += n;
  b.errors += errors;
  history.set(sec, b);
  forget(history, sec);
}

function forget(history: Map<number, Bucket>, sec: number): void {
  for (const k of history.keys()) if (k <= sec - historySeconds) history.delete(k);
}

export class WatchTail {
  readonly buffer: RingBuffer<WatchRow>;
  deployment: string;
  service: StackyService;
  eventName: string;
  since: string | undefined;
  depId: number | undefined;
  status: TailStatus = {kind: 'connecting', message: 'connecting…'};
  /** Bumps on every change; the app re-renders from it. */
  version = 0;
  polls = 0;
  private readonly pollMs: number;
  private readonly now: () => number;
  private readonly baseBackoffMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private generation = 0;
  private attempt = 0;
  private lastIds = new Set<number>();
  private lastSuccessAt: number | undefined;
  /** When the last poll answered (ms), undefined before the first. */
  get lastAnswerAt(): number | undefined {
    return this.lastSuccessAt;
  }
  private samples: {at: number; n: number; dt: number}[] = [];
  /** Rows and error rows per second over the last `historySeconds`, for the sparklines. */
  private history = new Map<number, Bucket>();
  /** The same, per deployment (`:watch all` draws one sparkline each). */
  private byDeployment = new Map<string, Map<number, Bucket>>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly source: ConsoleSource, options: TailOptions) {
    this.buffer = new RingBuffer<WatchRow>(options.capacity ?? 5000);
    this.deployment = options.deployment;
    this.service = options.service;
    this.eventName = options.eventName ?? '';
    this.pollMs = options.pollMs;
    this.now = options.now ?? Date.now;
    this.baseBackoffMs = options.baseBackoffMs ?? 1000;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Change what is watched: the buffer restarts empty and the tail polls at once. */
  configure(change: {deployment?: string; service?: StackyService; eventName?: string}): void {
    if (change.deployment !== undefined && change.deployment !== this.deployment) {
      this.deployment = change.deployment;
      this.depId = undefined;
    }
    if (change.service !== undefined) this.service = change.service;
    if (change.eventName !== undefined) this.eventName = change.eventName;
    this.buffer.clear();
    this.since = undefined;
    this.lastIds.clear();
    this.samples = [];
    this.history.clear();
    this.byDeployment.clear();
    this.lastSuccessAt = undefined;
    this.attempt = 0;
    this.status = {kind: 'connecting', message: 'connecting…'};
    this.generation++;
    this.emit();
    if (this.running) this.schedule(0);
  }

  /** Poll now instead of waiting for the timer or the backoff. */
  retryNow(): void {
    if (this.running) this.schedule(0);
  }

  /** Events per second over the last ten seconds. */
  rate(): number {
    const cutoff = this.now() - rateWindowMs;
    let n = 0;
    let dt = 0;
    for (const s of this.samples) {
      if (s.at < cutoff) continue;
      n += s.n;
      dt += s.dt;
    }
    if (this.lastSuccessAt !== undefined) dt += Math.max(0, this.now() - this.lastSuccessAt - this.pollMs);
    return dt > 0 ? (n * 1000) / dt : 0;
  }

  private record(at: number, n: number, errors: number, perDeployment: ReadonlyMap<string, Bucket>): void {
    const sec = Math.floor(at / 1000);
    add(this.history, sec, n, errors);
    for (const [dep, b] of perDeployment) {
      const h = this.byDeployment.get(dep) ?? new Map<number, Bucket>();
      add(h, sec, b.n, b.errors);
      this.byDeployment.set(dep, h);
    }
    for (const [dep, h] of this.byDeployment) {
      forget(h, sec);
      if (h.size === 0) this.byDeployment.delete(dep);
    }
  }

  /** Deployments with rows in the last five minutes, busiest first (the per-deployment sparklines). */
  deploymentsSeen(): string[] {
    const now = Math.floor(this.now() / 1000);
    const total = (h: Map<number, Bucket>) => {
      let n = 0;
      for (const [s, b] of h) if (s > now - historySeconds) n += b.n;
      return n;
    };
    return [...this.byDeployment].map(([dep, h]) => ({dep, n: total(h)})).filter((d) => d.n > 0).sort((a, b) => b.n - a.n || a.dep.localeCompare(b.dep)).map((d) => d.dep);
  }

  /**
   * Rows (or error rows) per second for the last `buckets` buckets of `secondsPerBucket`,
   * oldest first. A poll's rows count in the second it answered.
   */
  rates(buckets: number, secondsPerBucket: number, errors = false, deployment?: string): number[] {
    const now = Math.floor(this.now() / 1000);
    const history = deployment === undefined ? this.history : (this.byDeployment.get(deployment) ?? new Map<number, Bucket>());
    const out: number[] = [];
    for (let b = buckets - 1; b >= 0; b--) {
      let sum = 0;
      for (let s = 0; s < secondsPerBucket; s++) {
        const h = history.get(now - b * secondsPerBucket - s);
        if (h) sum += errors ? h.errors : h.n;
      }
      out.push(sum / secondsPerBucket);
    }
    return out;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    const gen = this.generation;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll(gen);
    }, ms);
  }

  private emit(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  private async resolveDeployment(): Promise<number> {
    const d = this.deployment.trim();
    if (d === '' || d.toLowerCase() === 'all') return 0;
    if (/^\d+$/.test(d)) return Number(d);
    const table = await this.source.deployments();
    const hit = table.slice(1).find((row) => String(row[1]) === d) ?? table.slice(1).find((row) => String(row[1]).toLowerCase() === d.toLowerCase());
    if (!hit) throw new Error(`unknown deployment '${d}' (not in /stacky/deployments/ yet)`);
    return Number(hit[0]);
  }

  private async poll(gen: number): Promise<void> {
    if (!this.running || gen !== this.generation) return;
    try {
      if (this.depId === undefined) this.depId = await this.resolveDeployment();
      if (gen !== this.generation) return;
      const reply = await this.source.watch(this.depId, {
        service: this.service,
        eventName: this.eventName || undefined,
        since: this.since,
        extra: true,
      });
      if (gen !== this.generation || !this.running) return;
      if (!Array.isArray(reply) || !Array.isArray(reply[1])) throw new Error('unexpected watch reply');
      const at = this.now();
      const ids = new Set<number>();
      let n = 0;
      let errors = 0;
      const perDeployment = new Map<string, Bucket>();
      for (const r of reply[1]) {
        const id = Number(r[0]);
        ids.add(id);
        if (this.lastIds.has(id)) continue;
        this.buffer.push({
          id,
          error: r[1] === 'E',
          date: String(r[2] ?? ''),
          time: String(r[3] ?? ''),
          deployment: String(r[4] ?? ''),
          event: String(r[5] ?? ''),
          uuid: r[6] && r[6] !== '-' ? String(r[6]) : '',
          host: String(r[7] ?? ''),
          tenant: String(r[8] ?? ''),
          requestId: String(r[9] ?? ''),
        });
        n++;
        if (r[1] === 'E') errors++;
        const dep = perDeployment.get(String(r[4] ?? '')) ?? {n: 0, errors: 0};
        dep.n++;
        if (r[1] === 'E') dep.errors++;
        perDeployment.set(String(r[4] ?? ''), dep);
      }
      this.lastIds = ids;
      this.record(at, n, errors, perDeployment);
      if (this.lastSuccessAt !== undefined) this.samples.push({at, n, dt: at - this.lastSuccessAt});
      this.samples = this.samples.filter((s) => s.at >= at - rateWindowMs);
      this.lastSuccessAt = at;
      if (reply[2] !== undefined && reply[2] !== null) this.since = String(reply[2]);
      this.attempt = 0;
      this.polls++;
      this.status = {kind: 'live', message: 'live'};
      this.emit();
      this.schedule(this.pollMs);
    } catch (error) {
      if (gen !== this.generation || !this.running) return;
      this.attempt++;
      const delay = backoffMs(this.attempt, this.baseBackoffMs);
      const problem = describeError(error);
      this.status = {
        kind: problem.kind === 'unreachable' ? 'unreachable' : 'error',
        message: problem.message,
        retryAt: this.now() + delay,
        attempt: this.attempt,
      };
      this.emit();
      this.schedule(delay);
    }
  }
}
