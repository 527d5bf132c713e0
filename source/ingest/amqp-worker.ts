// The RabbitMQ worker: every (deployment, exchange) consumer feeds one serial batcher, which
// stores a batch in one pipeline transaction and only then acks it. Nothing is acked before it is
// committed, so a crash at any point loses nothing: the broker redelivers, and redelivered
// messages are recognised by message_id.
import {isUtf8} from 'node:buffer';
import type {Db} from '../store/database.js';
import {RawWriter} from '../store/raw-writer.js';
import {Pipeline} from './pipeline.js';
import type {IngestItem} from './item.js';
import {consumerPlan, type WorkerConfig} from './amqp-config.js';
import {AmqpConsumer, defaultConsumerOptions, type Delivery, type Session} from './amqp-consumer.js';

export type WorkerLog = (line: string) => void;

export interface WorkerOptions {
  /** Unacked deliveries per queue consumer (basic.qos). Default 2000. */
  prefetch?: number;
  /** A batch is stored once it holds this many messages... Default 500. */
  batchSize?: number;
  /** ...or this many ms after its first message arrived. Default 20. */
  flushMs?: number;
  /** Progress line interval on the log, ms; 0 turns it off. Default 10 000. */
  progressMs?: number;
  /** First reconnect delay, ms (doubles per failed attempt). Default 1000. */
  reconnectMs?: number;
  /** Longest reconnect delay, ms. Default 30 000. */
  maxReconnectMs?: number;
  /** Quarantine source name. Default 'amqp'. */
  source?: string;
}

export interface DeploymentStats {
  /** Messages taken off the broker and committed (stored + duplicates + quarantined). */
  received: number;
  stored: number;
  duplicates: number;
  quarantined: number;
}

export interface WorkerHandle {
  /** Stops consuming, stores and acks what was delivered, closes the connections. */
  stop(): Promise<void>;
  /** Resolves once every consumer is consuming (after reconnects too); rejects after timeoutMs. */
  ready(timeoutMs?: number): Promise<void>;
  /** Counters per deployment name. */
  stats(): Map<string, DeploymentStats>;
  /** Consumer state per "deployment/exchange". */
  states(): Map<string, {state: string; connections: number}>;
}

function emptyStats(): DeploymentStats {
  return {received: 0, stored: 0, duplicates: 0, quarantined: 0};
}

/** What one run of deliveries came to. */
interface Outcome {
  deployment: string;
  received: number;
  stored: number;
  duplicates: number;
  rejected: {delivery: Delivery; error: string}[];
  warnings: string[];
}

const NOT_UTF8 = 'body is not valid UTF-8';

/**
 * Collects deliveries from every consumer and stores them in batches, in delivery order. A batch
 * is one transaction; inside it, each run of consecutive messages of one deployment is one
 * pipeline.ingest call (a savepoint), so the counts per deployment are exact.
 */
class Batcher {
  private pending: Delivery[] = [];
  private timer: NodeJS.Timeout | null = null;
  private pipeline: Pipeline;
  private readonly rawWriter: RawWriter;
  private readonly storeBatch: (runs: Delivery[][]) => Outcome[];
  private rejectionsLogged = 0;
  private rejectionsSuppressed = 0;

  constructor(
    private readonly db: Db,
    private readonly counters: Map<string, DeploymentStats>,
    private readonly log: WorkerLog,
    private readonly batchSize: number,
    private readonly flushMs: number,
    private readonly source: string,
  ) {
    this.pipeline = new Pipeline(db, {source});
    this.rawWriter = new RawWriter(db);
    this.storeBatch = db.transaction((runs: Delivery[][]) => runs.map((run) => this.storeRun(run)));
  }

  push(delivery: Delivery): void {
    this.pending.push(delivery);
    if (this.pending.length >= this.batchSize) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  /** Stores and acks everything pending. Synchronous: no delivery can interleave. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    // A delivery from a connection that has since gone will come again on the next one.
    const batch = this.pending.filter((d) => d.session.alive);
    this.pending = [];
    if (batch.length === 0) return;

    let outcomes: Outcome[];
    try {
      outcomes = this.storeBatch(runsOf(batch));
    } catch (error) {
      // Rolled back: the pipeline's caches may name rows that no longer exist; start afresh.
      this.pipeline = new Pipeline(this.db, {source: this.source});
      const salvaged = this.salvage(batch, error as Error);
      if (!salvaged) return;
      outcomes = salvaged;
    }
    this.count(outcomes);

    // Ack per channel: the last message of each session acks all before it (basic.ack multiple).
    const last = new Map<Session, Delivery>();
    for (const d of batch) last.set(d.session, d);
    for (const [session, d] of last) {
      if (!session.ackUpTo(d.msg)) {
        this.log(`worker: ${session.consumer.label}: could not ack (connection gone); the broker will redeliver and the duplicates will be skipped`);
      }
    }
  }

  private storeRun(run: Delivery[]): Outcome {
    const first = run[0]!;
    const outcome: Outcome = {deployment: deploymentOf(first), received: run.length, stored: 0, duplicates: 0, rejected: [], warnings: []};
    if (!isUtf8(first.msg.content)) {
      for (const d of run) {
        this.quarantineBytes(d, NOT_UTF8);
        outcome.rejected.push({delivery: d, error: NOT_UTF8});
      }
      return outcome;
    }
    const r = this.pipeline.ingest(run.map(itemOf));
    outcome.stored = r.stored;
    outcome.duplicates = r.duplicates;
    outcome.warnings = r.warnings;
    // Items carry no line number, so the pipeline numbers them 1.. in this call.
    for (const rej of r.rejected) outcome.rejected.push({delivery: run[rej.line - 1] ?? first, error: rej.error});
    return outcome;
  }

  private quarantineBytes(d: Delivery, error: string): void {
    this.rawWriter.quarantine({
      source: this.source, deployment: deploymentOf(d), exchange: d.session.consumer.topics.exchange,
      routingKey: d.msg.fields.routingKey, line: null, error, raw: d.msg.content,
    }, Date.now() * 1000);
  }

  /**
   * The batch transaction failed. Store the messages one by one, so that a message the database
   * refuses is quarantined instead of blocking the queue. If even that fails, the database
   * itself is failing: drop the connections so the broker requeues, and let them reconnect.
   */
  private salvage(batch: Delivery[], error: Error): Outcome[] | null {
    this.log(`worker: storing a batch of ${batch.length} failed (${error.message}); retrying one message at a time`);
    const outcomes: Outcome[] = [];
    try {
      for (const d of batch) {
        try {
          outcomes.push(this.storeBatch([[d]])[0]!);
        } catch (one) {
          this.pipeline = new Pipeline(this.db, {source: this.source});
          const reason = `could not be stored: ${(one as Error).message}`;
          this.quarantineBytes(d, reason);
          outcomes.push({deployment: deploymentOf(d), received: 1, stored: 0, duplicates: 0, rejected: [{delivery: d, error: reason}], warnings: []});
        }
      }
      return outcomes;
    } catch (fatal) {
      const sessions = new Set(batch.map((d) => d.session));
      const message = (fatal as Error).message;
      this.log(`worker: the database refuses writes (${message}); dropping ${sessions.size} connection(s) so the broker keeps the messages`);
      for (const s of sessions) s.abandon(`database error: ${message}`);
      return null;
    }
  }

  private count(outcomes: Outcome[]): void {
    for (const o of outcomes) {
      let s = this.counters.get(o.deployment);
      if (!s) this.counters.set(o.deployment, (s = emptyStats()));
      s.received += o.received;
      s.stored += o.stored;
      s.duplicates += o.duplicates;
      s.quarantined += o.rejected.length;
      for (const w of o.warnings) this.log(`worker: ${o.deployment}: ${w}`);
      for (const {delivery, error} of o.rejected) {
        if (this.rejectionsLogged < 20) {
          this.rejectionsLogged++;
          this.log(`worker: ${delivery.session.consumer.label}: message with routing key ${delivery.msg.fields.routingKey} quarantined: ${error}`);
        } else {
          this.rejectionsSuppressed++;
        }
      }
    }
  }

  /** How many rejections went unlogged since the last call; re-arms the per-interval log. */
  resetRejectionLog(): number {
    const n = this.rejectionsSuppressed;
    this.rejectionsLogged = 0;
    this.rejectionsSuppressed = 0;
    return n;
  }
}

function deploymentOf(d: Delivery): string {
  return d.session.consumer.deployment.name;
}

function itemOf(d: Delivery): IngestItem {
  return {
    deployment: deploymentOf(d),
    exchange: d.session.consumer.topics.exchange,
    // StackTach keys on the delivery's routing key (what it was published with), not the queue.
    routingKey: d.msg.fields.routingKey,
    text: d.msg.content.toString('utf8'),
  };
}

/** Consecutive deliveries of one consumer and encoding; order is kept across runs. */
function runsOf(batch: Delivery[]): Delivery[][] {
  const runs: Delivery[][] = [];
  let current: Delivery[] = [];
  let key = '';
  for (const d of batch) {
    const k = `${d.session.consumer.label}\u0000${isUtf8(d.msg.content) ? 't' : 'b'}`;
    if (k !== key && current.length > 0) {
      runs.push(current);
      current = [];
    }
    key = k;
    current.push(d);
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

/**
 * Starts one consumer per enabled (deployment, exchange) and resolves after each has made its
 * first connection attempt. A broker that is down is retried with backoff, never fatal.
 */
export async function startWorker(config: WorkerConfig, db: Db, log: WorkerLog, options: WorkerOptions = {}): Promise<WorkerHandle> {
  const counters = new Map<string, DeploymentStats>();
  const plan = consumerPlan(config);
  // Like start_workers.py: the Deployment rows exist as soon as the worker starts.
  const deploymentRows = new RawWriter(db);
  for (const d of config.deployments) {
    if (!d.enabled) continue;
    deploymentRows.deploymentId(d.name);
    counters.set(d.name, emptyStats());
  }

  const batcher = new Batcher(db, counters, log, options.batchSize ?? 500, options.flushMs ?? 20, options.source ?? 'amqp');
  const consumerOptions = {
    prefetch: options.prefetch ?? defaultConsumerOptions.prefetch,
    initialDelayMs: options.reconnectMs ?? defaultConsumerOptions.initialDelayMs,
    maxDelayMs: options.maxReconnectMs ?? defaultConsumerOptions.maxDelayMs,
  };
  const consumers = plan.map(({deployment, topics}) =>
    new AmqpConsumer(deployment, topics, (d) => batcher.push(d), log, consumerOptions));
  if (consumers.length === 0) log('worker: no enabled deployment has topics; nothing to consume');

  // Progress: per deployment, received/stored/duplicates/quarantined and the rate since last time.
  const progressMs = options.progressMs ?? 10_000;
  let lastTime = Date.now();
  let last = new Map<string, number>();
  const progress = (final = false) => {
    const now = Date.now();
    const seconds = Math.max(0.001, (now - lastTime) / 1000);
    const next = new Map<string, number>();
    for (const [name, s] of counters) {
      const delta = s.received - (last.get(name) ?? 0);
      next.set(name, s.received);
      const exchanges = consumers.filter((c) => c.deployment.name === name)
        .map((c) => `${c.topics.exchange} ${c.state}`).join(', ');
      log(`worker: ${final ? 'stopped: ' : ''}${name}: ${s.received} received (+${delta}, ${(delta / seconds).toFixed(1)}/s), ` +
        `${s.stored} stored, ${s.duplicates} duplicates, ${s.quarantined} quarantined [${exchanges}]`);
    }
    const suppressed = batcher.resetRejectionLog();
    if (suppressed > 0) log(`worker: ${suppressed} more quarantined messages not listed one by one`);
    last = next;
    lastTime = now;
  };
  const progressTimer = progressMs > 0 ? setInterval(() => progress(), progressMs) : null;
  progressTimer?.unref();

  await Promise.all(consumers.map((c) => c.start()));

  let stopped: Promise<void> | null = null;
  const handle: WorkerHandle = {
    stop() {
      stopped ??= (async () => {
        if (progressTimer) clearInterval(progressTimer);
        // basic.cancel first: nothing new arrives; what did arrive is stored and acked.
        await Promise.all(consumers.map((c) => c.cancel()));
        batcher.flush();
        await Promise.all(consumers.map((c) => c.close()));
        if (progressMs > 0) progress(true);
      })();
      return stopped;
    },
    async ready(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!consumers.every((c) => c.state === 'consuming')) {
        if (Date.now() > deadline) {
          const waiting = consumers.filter((c) => c.state !== 'consuming').map((c) => `${c.label} ${c.state}`);
          throw new Error(`worker not consuming after ${timeoutMs} ms: ${waiting.join(', ')}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    stats: () => new Map([...counters].map(([k, v]) => [k, {...v}])),
    states: () => new Map(consumers.map((c) => [c.label, {state: c.state, connections: c.connections}])),
  };
  return handle;
}
