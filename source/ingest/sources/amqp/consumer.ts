// One consumer per (deployment, exchange), with its own connection, as StackTach ran one child
// process per pair. It declares the topology exactly as the original did, consumes with manual
// acks under a prefetch window, hands every delivery to a sink, and reconnects with backoff.
import * as amqp from 'amqplib';
import type {Channel, ChannelModel, ConsumeMessage} from 'amqplib';
import type {DeploymentConfig, ExchangeTopics} from './config.js';

export type ConsumerState = 'connecting' | 'consuming' | 'waiting' | 'stopped';

/**
 * One connection's lifetime. Deliveries carry the session they came from: delivery tags mean
 * something only on their own channel, so a message is acked through its session or not at all.
 */
export class Session {
  alive = true;
  /** Some message was acked on it: the database took writes while it lasted. */
  acked = false;
  /** The worker dropped it (abandon) because the database refused a batch. */
  abandoned = false;
  constructor(readonly consumer: AmqpConsumer, readonly channel: Channel, readonly connection: ChannelModel) {}

  /** Acks every message up to and including this one. False when the channel is gone. */
  ackUpTo(delivery: Delivery): boolean {
    if (!this.alive) return false;
    try {
      this.channel.ack({fields: {deliveryTag: delivery.tag}} as ConsumeMessage, true);
      this.acked = true;
      return true;
    } catch {
      return false;
    }
  }

  /** Drops the connection: the broker requeues what is unacked and the consumer reconnects. */
  abandon(reason: string): void {
    this.abandoned = true;
    this.consumer.connectionProblem(this, reason);
  }

  /** @internal */
  async close(): Promise<void> {
    this.alive = false;
    await this.connection.close().catch(() => undefined);
  }
}

/**
 * What the worker keeps of a message until it is acked. Not amqplib's message object: with
 * thousands unacked, holding those (fields, properties, headers) made every young-generation
 * collection copy them, then promote them.
 */
export interface Delivery {
  session: Session;
  /** The delivery tag, meaningful on its session's channel only. */
  tag: number;
  /** The routing key the message was published with (StackTach keys on it, not on the queue). */
  routingKey: string;
  body: Buffer;
}

export interface ConsumerOptions {
  /** basic.qos per consumer: unacked deliveries the broker may push ahead. */
  prefetch: number;
  /** First reconnect delay, ms; doubles per failed attempt up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export const defaultConsumerOptions: ConsumerOptions = {prefetch: 10_000, initialDelayMs: 1000, maxDelayMs: 30_000};

export function brokerUrl(d: DeploymentConfig): string {
  const vhost = d.virtualHost === '/' ? '' : encodeURIComponent(d.virtualHost);
  return `amqp://${encodeURIComponent(d.userid)}@${d.host}:${d.port}/${vhost}`;
}

/** The connection name shown by `rabbitmqctl list_connections client_properties` and the management UI. */
export function connectionName(deployment: string, exchange: string): string {
  return `stacky worker ${deployment}/${exchange}`;
}

export class AmqpConsumer {
  state: ConsumerState = 'connecting';
  /** Successful connections so far; 2 or more means it has reconnected. */
  connections = 0;
  readonly label: string;
  private session: Session | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private lost: ((reason: string) => void) | null = null;
  private loopDone: Promise<void> | null = null;
  private firstAttempt: Promise<void>;
  private firstAttemptDone!: () => void;
  private consumerTags: string[] = [];
  private queues: string[] = [];

  constructor(
    readonly deployment: DeploymentConfig,
    readonly topics: ExchangeTopics,
    private readonly sink: (delivery: Delivery) => void,
    private readonly log: (line: string) => void,
    private readonly options: ConsumerOptions = defaultConsumerOptions,
  ) {
    this.label = `${deployment.name}/${topics.exchange}`;
    this.firstAttempt = new Promise((resolve) => (this.firstAttemptDone = resolve));
  }

  /**
   * Messages ready in this consumer's queues, or null while it is not consuming. Asked on a
   * channel of its own, so a failed look-up never closes the channel deliveries are acked on.
   */
  async depth(): Promise<number | null> {
    const session = this.session;
    if (!session || this.state !== 'consuming') return null;
    let channel: Channel | undefined;
    try {
      channel = await session.connection.createChannel();
      channel.on('error', () => undefined);
      let n = 0;
      for (const q of this.queues) n += (await channel.checkQueue(q)).messageCount;
      return n;
    } catch {
      return null;
    } finally {
      await channel?.close().catch(() => undefined);
    }
  }

  /** Starts the connect loop; resolves after the first attempt, whether it worked or not. */
  start(): Promise<void> {
    this.loopDone ??= this.loop();
    return this.firstAttempt;
  }

  /** Stops the deliveries (basic.cancel) but keeps the channel open for the final acks. */
  async cancel(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    const session = this.session;
    if (!session?.alive) return;
    const tags = this.consumerTags;
    this.consumerTags = [];
    await Promise.all(tags.map((tag) => session.channel.cancel(tag).catch(() => undefined)));
  }

  /** Closes the connection and ends the loop. Call cancel() and ack first for a clean stop. */
  async close(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    const session = this.session;
    this.session = null;
    if (session) {
      session.alive = false;
      await session.close();
    }
    this.lost?.('stopped');
    // A connect in progress to an unreachable host may hang until the TCP timeout: don't wait for it.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loopDone, new Promise((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
    this.state = 'stopped';
  }

  /** @internal Called when a session cannot go on (DB failure, channel closed, consumer cancelled). */
  connectionProblem(session: Session, reason: string): void {
    if (!session.alive) return;
    session.alive = false;
    if (this.session === session) this.lost?.(reason);
    void session.close();
  }

  private async loop(): Promise<void> {
    // Retries since the last time it was consuming: 1 s, 2 s, 4 s ... up to maxDelayMs. A session
    // the worker dropped because the database refused its first batch does not count as
    // consuming: while the database is away the delay grows instead of the broker redelivering
    // a prefetch window every second (issue #16).
    let retry = 0;
    while (!this.stopping) {
      this.state = 'connecting';
      try {
        const {lost, session} = await this.connectOnce();
        this.firstAttemptDone();
        const reason = await lost;
        if (!session.abandoned || session.acked) retry = 0;
        if (this.stopping) break;
        this.log(`worker: ${this.label}: connection lost: ${reason}`);
      } catch (error) {
        this.firstAttemptDone();
        if (this.stopping) break;
        this.log(`worker: ${this.label}: cannot consume from ${brokerUrl(this.deployment)}: ${(error as Error).message}`);
      }
      retry++;
      const delay = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** (retry - 1));
      this.state = 'waiting';
      this.log(`worker: ${this.label}: reconnecting in ${(delay / 1000).toFixed(1)} s (retry ${retry})`);
      await this.sleep(delay);
    }
    this.state = 'stopped';
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  /** Connects, declares, consumes. `lost` settles with a reason when the session ends. */
  private async connectOnce(): Promise<{lost: Promise<string>; session: Session}> {
    const d = this.deployment;
    const {exchange, bindings} = this.topics;
    const connection = await amqp.connect(
      {protocol: 'amqp', hostname: d.host, port: d.port, username: d.userid, password: d.password, vhost: d.virtualHost},
      {clientProperties: {connection_name: connectionName(d.name, exchange)}},
    );
    let session: Session | null = null;
    let settle: (reason: string) => void = () => undefined;
    const lost = new Promise<string>((resolve) => (settle = resolve));
    let lastError = '';
    connection.on('error', (error: Error) => {
      lastError = error.message;
    });
    connection.on('close', (error?: Error) => {
      if (session) session.alive = false;
      settle(error?.message ?? (lastError || 'connection closed'));
    });
    try {
      const channel = await connection.createChannel();
      session = new Session(this, channel, connection);
      const current = session;
      channel.on('error', (error: Error) => {
        lastError = error.message;
      });
      // A channel closed on its own (e.g. a refused declare) ends the session. When the whole
      // connection is going, its close event comes next and names the real reason.
      channel.on('close', () => setImmediate(() => this.connectionProblem(current, lastError || 'channel closed')));
      // StackTach (kombu): topic exchange, durable = durable_queue, auto_delete false; one queue per
      // topic entry with durable = durable_queue, auto_delete false, exclusive false and the
      // configured arguments, bound with its routing key. Redeclared on every (re)connect.
      await channel.assertExchange(exchange, 'topic', {durable: d.durableQueue, autoDelete: false});
      for (const b of bindings) {
        await channel.assertQueue(b.queue, {durable: d.durableQueue, autoDelete: false, exclusive: false, arguments: d.queueArguments});
        await channel.bindQueue(b.queue, exchange, b.routingKey);
      }
      await channel.prefetch(this.options.prefetch);
      if (this.stopping) throw new Error('stopping');
      const tags: string[] = [];
      for (const b of bindings) {
        const reply = await channel.consume(b.queue, (msg) => {
          if (msg === null) {
            // The broker cancelled us (e.g. the queue was deleted): reconnect, which redeclares it.
            this.connectionProblem(current, `consumer of queue ${b.queue} cancelled by the broker`);
            return;
          }
          this.sink({session: current, tag: msg.fields.deliveryTag, routingKey: msg.fields.routingKey, body: msg.content});
        }, {noAck: false});
        tags.push(reply.consumerTag);
      }
      this.consumerTags = tags;
      this.queues = bindings.map((b) => b.queue);
      this.session = session;
      this.lost = (reason) => settle(reason);
      this.state = 'consuming';
      this.connections++;
      const queues = bindings.map((b) => `${b.queue} (${b.routingKey})`).join(', ') || 'no queues';
      this.log(`worker: ${this.label}: consuming from ${brokerUrl(d)} exchange ${exchange}: ${queues}`);
      // Wrapped: an async function returning a bare promise would wait for it.
      return {lost, session};
    } catch (error) {
      if (session) session.alive = false;
      await connection.close().catch(() => undefined);
      throw new Error(lastError || (error as Error).message, {cause: error});
    }
  }
}
