// The RabbitMQ worker: every (deployment, exchange) consumer feeds one serial batcher, which
// stores a batch in one pipeline transaction and only then acks it. Nothing is acked before it is
// committed, so a crash at any point loses nothing: the broker redelivers, and redelivered
// messages are recognised by message_id.
import {isUtf8} from 'node:buffer';
import type {QuarantineEntry, Writer} from '../../../store/types.js';
import {Pipeline, type RowOutcome, type RowStatus} from '../../pipeline.js';
import {laneCount, ParallelIngest} from '../../parallel.js';
import {packItems, Preparer, rejection, type Prepared} from '../../prepare.js';
import type {IngestItem} from '../../item.js';
import {consumerPlan, type WorkerConfig} from './config.js';
import {AmqpConsumer, defaultConsumerOptions, type Delivery, type Session} from './consumer.js';

export type WorkerLog = (line: string) => void;

export interface WorkerOptions {
  /** Unacked deliveries per queue consumer (basic.qos). Default 10 000: two batches of one busy queue. */
  prefetch?: number;
  /** A batch is stored once it holds this many messages... Default 5000 (measured best of 2,500, 5,000, 10,000). */
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
  /** How often the queues' depth is looked up, ms; 0 turns it off. Default 15 000. */
  depthMs?: number;
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
  /** Messages waiting per "deployment/exchange", as last looked up (every depthMs). */
  depths(): Map<string, number>;
}

function emptyStats(): DeploymentStats {
  return {received: 0, stored: 0, duplicates: 0, quarantined: 0};
}

/** What the messages of one batch came to: counts per deployment, quarantined messages, warnings. */
class DeliveryTally {
  readonly counts = new Map<string, DeploymentStats>();
  readonly rejected: {delivery: Delivery; error: string}[] = [];
  readonly warnings: {deployment: string; warning: string}[] = [];

  add(delivery: Delivery, status: RowStatus, detail?: string): void {
    const deployment = deploymentOf(delivery);
    const s = statsOf(this.counts, deployment);
    s.received++;
    if (status === 'stored') s.stored++;
    else if (status === 'duplicate') s.duplicates++;
    else s.quarantined++;
    if (status === 'rejected') this.rejected.push({delivery, error: detail ?? 'not a notification'});
    else if (detail !== undefined) this.warnings.push({deployment, warning: detail});
  }

  merge(other: DeliveryTally): void {
    for (const [deployment, t] of other.counts) addStats(statsOf(this.counts, deployment), t);
    this.rejected.push(...other.rejected);
    this.warnings.push(...other.warnings);
  }
}

function statsOf(map: Map<string, DeploymentStats>, deployment: string): DeploymentStats {
  let s = map.get(deployment);
  if (!s) map.set(deployment, (s = emptyStats()));
  return s;
}

function addStats(into: DeploymentStats, from: DeploymentStats): void {
  into.received += from.received;
  into.stored += from.stored;
  into.duplicates += from.duplicates;
  into.quarantined += from.quarantined;
}

/** Stores prepared rows with one store call (one transaction) and tallies them per delivery. */
async function storeTallied(deliveries: Delivery[], rows: Prepared[],
  store: (rows: Prepared[], onRow: RowOutcome) => Promise<unknown>): Promise<DeliveryTally> {
  const tally = new DeliveryTally();
  await store(rows, (i, status, warning) => tally.add(deliveries[i]!, status, status === 'rejected' ? rejection(rows[i]!) : warning));
  return tally;
}

const NOT_UTF8 = 'body is not valid UTF-8';
/** Every item names its deployment and exchange; these are never used. */
const NO_DEFAULTS = {deployment: '', exchange: ''};

/**
 * Collects deliveries from every consumer and stores them in batches, in delivery order. Batches
 * are parsed and deflated on the ParallelIngest lanes' threads, in turn, while the previous one is
 * written; the writes and acks run strictly one batch after another. A batch is one transaction
 * and one store: the pipeline reports every row's outcome, and the counts per deployment come
 * from those.
 */
class Batcher {
  private pending: Delivery[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** flushMs passed since the oldest pending delivery arrived. */
  private due = false;
  /** Batches cut and not yet stored. */
  private inFlight = 0;
  /** Preparing threads, used in turn (see laneCount); each batch is stored by the lane that prepared it. */
  private lanes: ParallelIngest[];
  private turn = 0;
  private chain: Promise<void> = Promise.resolve();
  private rejectionsLogged = 0;
  private rejectionsSuppressed = 0;
  private closed = false;

  constructor(
    /** Lanes and salvage attempts store through forks of it; quarantined bodies go through it. */
    private readonly writer: Writer,
    private readonly counters: Map<string, DeploymentStats>,
    private readonly log: WorkerLog,
    private readonly batchSize: number,
    private readonly flushMs: number,
    private readonly source: string,
  ) {
    this.lanes = this.newLanes();
  }

  push(delivery: Delivery): void {
    // After close, a straggler stays unacked and the broker requeues it with its connection.
    if (this.closed) return;
    this.pending.push(delivery);
    if (this.pending.length >= this.batchSize) this.cut();
    else if (!this.timer && !this.due) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.due = true;
        this.cutIfIdle();
      }, this.flushMs);
    }
  }

  /**
   * A batch that waited flushMs is cut only while at most one other is in flight (being stored
   * while this one is prepared). Under load, batches so grow towards batchSize instead of being
   * cut every flushMs: a commit costs much the same for 100 rows as for 500.
   */
  private cutIfIdle(): void {
    if (this.due && this.inFlight <= 1) this.cut();
  }

  /** Everything delivered so far: stored, acked. */
  async drain(): Promise<void> {
    this.cut();
    await this.chain;
  }

  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
    await Promise.all(this.lanes.map((l) => l.close()));
  }

  /** Ends the current batch: sends it to be prepared, and queues its store after the previous. */
  private cut(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.due = false;
    if (this.pending.length === 0) return;
    this.inFlight++;
    const batch = this.pending;
    this.pending = [];
    const text = batch.filter((d) => isUtf8(d.body));
    const binary = text.length === batch.length ? [] : batch.filter((d) => !isUtf8(d.body));
    const parallel = this.lanes[this.turn++ % this.lanes.length]!;
    const prepared = text.length > 0
      ? parallel.prepare(packItems(text.map((d) => ({item: headerOf(d), body: d.body}))), NO_DEFAULTS)
      : Promise.resolve([]);
    this.chain = this.chain.then(async () => {
      let rows: Prepared[] | null;
      try {
        rows = await prepared;
      } catch (error) {
        // A lane closed because its connections were dropped (renew after a refused batch):
        // its messages come again, so there is nothing to say about each queued batch.
        if (batch.some((d) => d.session.alive)) {
          this.log(`worker: preparing a batch failed (${(error as Error).message}); storing it on the main thread`);
        }
        rows = null;
      }
      try {
        await this.store(batch, text, binary, parallel, rows);
      } finally {
        this.inFlight--;
        this.cutIfIdle();
      }
    });
  }

  /** Stores, then (the commit awaited) acks. */
  private async store(batch: Delivery[], text: Delivery[], binary: Delivery[], parallel: ParallelIngest, rows: Prepared[] | null): Promise<void> {
    // Deliveries from a connection that has since gone will come again on the next one.
    const keep = text.map((d) => d.session.alive);
    const liveText = text.filter((_, i) => keep[i]);
    const liveRows = rows?.filter((_, i) => keep[i]) ?? null;
    const current = this.lanes.includes(parallel);
    if (rows && current && liveText.length < text.length) parallel.skip(rows.filter((_, i) => !keep[i]));
    const liveBinary = binary.filter((d) => d.session.alive);
    if (liveText.length === 0 && liveBinary.length === 0) return;

    let tally: DeliveryTally | null = null;
    if (liveRows && current) {
      try {
        tally = await storeTallied(liveText, liveRows, (r, onRow) => parallel.store(r, onRow));
      } catch (error) {
        this.renew();
        if (this.writer.unavailable(error)) {
          this.fatal([...liveText, ...liveBinary], error as Error);
          return;
        }
        this.log(`worker: storing a batch of ${liveText.length} failed (${(error as Error).message}); trying again`);
      }
    }
    tally ??= await this.salvage(liveText);
    if (!tally) return;
    if (liveBinary.length > 0) {
      try {
        await this.writer.quarantine(liveBinary.map((d) => this.quarantined(d, NOT_UTF8)), Date.now() * 1000);
      } catch (error) {
        this.fatal(liveBinary, error as Error);
        return;
      }
      for (const d of liveBinary) tally.add(d, 'rejected', NOT_UTF8);
    }
    this.count(tally);

    // Ack per channel: the last message of each session acks all before it (basic.ack multiple).
    const last = new Map<Session, Delivery>();
    for (const d of batch) if (d.session.alive) last.set(d.session, d);
    for (const [session, d] of last) {
      if (!session.ackUpTo(d)) {
        this.log(`worker: ${session.consumer.label}: could not ack (connection gone); the broker will redeliver and the duplicates will be skipped`);
      }
    }
  }

  private newLanes(): ParallelIngest[] {
    return Array.from({length: laneCount()}, () => new ParallelIngest(this.writer.fork(), {source: this.source}));
  }

  /** After a failed transaction the preparer's keyframes and the pipeline's caches may name rows that are gone. */
  private renew(): void {
    const old = this.lanes;
    this.lanes = this.newLanes();
    for (const lane of old) void lane.close().catch(() => undefined);
  }

  /**
   * The batch could not be stored as a whole. Store it on this thread, then if need be one
   * message at a time, so that a message the database refuses is quarantined instead of
   * blocking the queue. If even that fails, the database itself is failing: drop the
   * connections so the broker keeps the messages, and let them reconnect.
   */
  private async salvage(deliveries: Delivery[]): Promise<DeliveryTally | null> {
    const attempt = async (group: Delivery[]): Promise<DeliveryTally> => {
      const preparer = new Preparer();
      const writer = this.writer.fork();
      try {
        const pipeline = new Pipeline(writer, {source: this.source});
        const rows = group.map((d) => preparer.prepare(itemOf(d)));
        return await storeTallied(group, rows, (r, onRow) => pipeline.store(r, onRow));
      } finally {
        await writer.close();
      }
    };
    try {
      return await attempt(deliveries);
    } catch (error) {
      // Retrying message by message would only wait out the database once per message.
      if (this.writer.unavailable(error)) {
        this.fatal(deliveries, error as Error);
        return null;
      }
      if (deliveries.length > 1) this.log(`worker: storing on the main thread failed too (${(error as Error).message}); storing one message at a time`);
    }
    const tally = new DeliveryTally();
    try {
      for (const d of deliveries) {
        try {
          tally.merge(await attempt([d]));
        } catch (one) {
          if (this.writer.unavailable(one)) throw one;
          const reason = `could not be stored: ${(one as Error).message}`;
          await this.writer.quarantine([this.quarantined(d, reason)], Date.now() * 1000);
          tally.add(d, 'rejected', reason);
        }
      }
      return tally;
    } catch (fatal) {
      this.fatal(deliveries, fatal as Error);
      return null;
    }
  }

  private fatal(deliveries: Delivery[], error: Error): void {
    const sessions = new Set(deliveries.map((d) => d.session));
    this.log(`worker: the database refuses writes (${error.message}); dropping ${sessions.size} connection(s) so the broker keeps the messages`);
    for (const s of sessions) s.abandon(`database error: ${error.message}`);
  }

  private quarantined(d: Delivery, error: string): QuarantineEntry {
    return {source: this.source, deployment: deploymentOf(d), exchange: d.session.consumer.topics.exchange,
      routingKey: d.routingKey, line: null, error, raw: d.body};
  }

  private count(tally: DeliveryTally): void {
    for (const [deployment, t] of tally.counts) addStats(statsOf(this.counters, deployment), t);
    for (const {deployment, warning} of tally.warnings) this.log(`worker: ${deployment}: ${warning}`);
    for (const {delivery, error} of tally.rejected) {
      if (this.rejectionsLogged < 20) {
        this.rejectionsLogged++;
        this.log(`worker: ${delivery.session.consumer.label}: message with routing key ${delivery.routingKey} quarantined: ${error}`);
      } else {
        this.rejectionsSuppressed++;
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

function headerOf(d: Delivery): Omit<IngestItem, 'text' | 'body'> {
  return {
    deployment: deploymentOf(d),
    exchange: d.session.consumer.topics.exchange,
    routingKey: d.routingKey,
  };
}

function itemOf(d: Delivery): IngestItem {
  return {...headerOf(d), text: d.body.toString('utf8')};
}

/**
 * Starts one consumer per enabled (deployment, exchange) and resolves after each has made its
 * first connection attempt. A broker that is down is retried with backoff, never fatal.
 */
export async function startWorker(config: WorkerConfig, writer: Writer, log: WorkerLog, options: WorkerOptions = {}): Promise<WorkerHandle> {
  const counters = new Map<string, DeploymentStats>();
  const plan = consumerPlan(config);
  // Like start_workers.py: the Deployment rows exist as soon as the worker starts.
  const enabled = config.deployments.filter((d) => d.enabled).map((d) => d.name);
  await writer.addDeployments(enabled);
  for (const name of enabled) counters.set(name, emptyStats());

  const batcher = new Batcher(writer, counters, log, options.batchSize ?? 5000, options.flushMs ?? 20, options.source ?? 'amqp');
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

  // Queue depth (the lag /healthz and /metrics report), looked up now and then.
  const depths = new Map<string, number>();
  const lookDepths = async () => {
    for (const c of consumers) {
      const n = await c.depth();
      if (n === null) depths.delete(c.label);
      else depths.set(c.label, n);
    }
  };
  const depthMs = options.depthMs ?? 15_000;
  const depthTimer = depthMs > 0 ? setInterval(() => void lookDepths(), depthMs) : null;
  depthTimer?.unref();
  if (depthMs > 0) void lookDepths();

  let stopped: Promise<void> | null = null;
  const handle: WorkerHandle = {
    stop() {
      stopped ??= (async () => {
        if (progressTimer) clearInterval(progressTimer);
        if (depthTimer) clearInterval(depthTimer);
        // basic.cancel first: nothing new arrives; what did arrive is stored and acked.
        await Promise.all(consumers.map((c) => c.cancel()));
        await batcher.drain();
        await Promise.all(consumers.map((c) => c.close()));
        await batcher.close();
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
    depths: () => new Map(depths),
  };
  return handle;
}
