// GET /metrics: Prometheus text format through prom-client, one registry per server (tests run
// several in one process). Counters of what ingest stored, latency histograms of ingest and
// queries, the consumers' state and queue depth, the database's size and oldest notification,
// and the process's own metrics.
import {Counter, Gauge, Histogram, Registry, collectDefaultMetrics} from 'prom-client';
import type {Store} from '../store/api.js';

export interface ConsumerView {
  /** "deployment/exchange" → state ('consuming', 'connecting', 'waiting', …). */
  states(): Map<string, {state: string}>;
  /** Per deployment: received, stored, duplicates, quarantined so far. */
  stats(): Map<string, {stored: number; duplicates: number; quarantined: number}>;
  /** Messages waiting in each consumer's queues, when known. */
  depths?(): Map<string, number>;
}

/** The store's size and oldest notification (source/store/api.ts). */
export type StoreView = Pick<Store, 'stats'>;

export type Outcome = 'stored' | 'duplicate' | 'quarantined';

const CONSUMER_STATES = ['consuming', 'connecting', 'waiting', 'stopped'];

export class StackyMetrics {
  readonly registry = new Registry();
  private readonly notifications: Counter<'deployment' | 'exchange' | 'outcome'>;
  private readonly requests: Histogram<'kind' | 'status'>;
  readonly refused: Counter<'reason'>;
  readonly inFlight: Gauge;
  private consumers: ConsumerView | undefined;
  private readonly workerSeen = new Map<string, number>();

  constructor(store: StoreView) {
    const registers = [this.registry];
    collectDefaultMetrics({register: this.registry});
    this.notifications = new Counter({name: 'stacky_notifications_total', registers,
      help: 'Notifications ingest took in, by deployment, exchange and outcome (stored, duplicate, quarantined).',
      labelNames: ['deployment', 'exchange', 'outcome']});
    this.requests = new Histogram({name: 'stacky_http_request_duration_seconds', registers,
      help: 'Time to answer HTTP requests, by kind (ingest, query, watch, health, metrics) and status.',
      labelNames: ['kind', 'status'], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10]});
    this.refused = new Counter({name: 'stacky_http_refused_total', registers,
      help: 'Requests refused before they were handled, by reason.', labelNames: ['reason']});
    this.inFlight = new Gauge({name: 'stacky_http_requests_in_flight', registers, help: 'Requests being answered now.'});
    const consumers = () => this.consumers;
    new Gauge({name: 'stacky_database_bytes', registers, help: 'Size of the database file and its write-ahead log.',
      async collect() {
        this.set((await store.stats()).bytes);
      }});
    new Gauge({name: 'stacky_database_free_bytes', registers, help: 'Bytes inside the database file free for reuse.',
      async collect() {
        this.set((await store.stats()).freeBytes);
      }});
    new Gauge({name: 'stacky_oldest_notification_timestamp_seconds', registers,
      help: 'Timestamp of the oldest notification kept (0 when there is none).',
      async collect() {
        const us = (await store.stats()).oldest;
        this.set(us === null ? 0 : us / 1e6);
      }});
    new Gauge({name: 'stacky_consumer_up', registers, labelNames: ['consumer', 'state'],
      help: 'RabbitMQ consumers, 1 for the state each is in.',
      collect() {
        this.reset();
        for (const [consumer, {state}] of consumers()?.states() ?? []) {
          for (const s of new Set([...CONSUMER_STATES, state])) this.set({consumer, state: s}, s === state ? 1 : 0);
        }
      }});
    new Gauge({name: 'stacky_consumer_queue_depth', registers, labelNames: ['consumer'],
      help: 'Messages waiting in the broker for each consumer, as last looked up.',
      collect() {
        this.reset();
        for (const [consumer, n] of consumers()?.depths?.() ?? []) this.set({consumer}, n);
      }});
  }

  /** Called by the pipeline for every row it stored, skipped or quarantined. */
  count(deployment: string, exchange: string, outcome: Outcome, n = 1): void {
    this.notifications.inc({deployment, exchange, outcome}, n);
  }

  watchConsumers(view: ConsumerView): void {
    this.consumers = view;
  }

  /** Starts timing one request; the returned function records it with its status. */
  time(kind: string): (status: number) => void {
    const end = this.requests.startTimer({kind});
    return (status) => void end({status: String(status)});
  }

  async text(): Promise<string> {
    this.syncWorker();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private syncWorker(): void {
    for (const [deployment, s] of this.consumers?.stats() ?? []) {
      for (const [outcome, n] of [['stored', s.stored], ['duplicate', s.duplicates], ['quarantined', s.quarantined]] as const) {
        const key = `${deployment}\u0000${outcome}`;
        const delta = n - (this.workerSeen.get(key) ?? 0);
        if (delta > 0) this.count(deployment, 'amqp', outcome, delta);
        this.workerSeen.set(key, n);
      }
    }
  }
}
