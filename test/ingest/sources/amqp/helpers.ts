// Shared by the RabbitMQ tests: the real broker on 127.0.0.1:5672 (guest/guest), a throwaway
// vhost per test (so exchanges can be called nova and glance, as the parsers need, without
// touching anyone else's), publishing with confirms, and polling helpers. Never a mock.
import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as amqp from 'amqplib';

/** STACKY_TEST_AMQP_PORT points the tests elsewhere (e.g. at a closed port, to see the skip). */
export const BROKER = {host: '127.0.0.1', port: Number(process.env.STACKY_TEST_AMQP_PORT ?? 5672), user: 'guest', password: 'guest'};

export function brokerUrl(vhost = '/'): string {
  const v = vhost === '/' ? '' : encodeURIComponent(vhost);
  return `amqp://${BROKER.user}:${BROKER.password}@${BROKER.host}:${BROKER.port}/${v}`;
}

/**
 * false when the broker answers. Otherwise a skip message, or a thrown error when
 * STACKY_REQUIRE_AMQP is set (CI must not silently skip).
 */
export async function brokerSkip(): Promise<false | string> {
  try {
    const c = await amqp.connect(brokerUrl());
    await c.close();
    return false;
  } catch (error) {
    const why = `no RabbitMQ at ${BROKER.host}:${BROKER.port} (${(error as Error).message})`;
    if (process.env.STACKY_REQUIRE_AMQP) throw new Error(`${why}, and STACKY_REQUIRE_AMQP is set`, {cause: error});
    return `${why}; start it with: rabbitmq-server -detached; rabbitmqctl await_startup`;
  }
}

export function rabbitmqctl(...args: string[]): string {
  return execFileSync('rabbitmqctl', args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000});
}

/**
 * The broker-side ids (pids, as close_connection wants them) of this vhost's worker connections,
 * recognised by their connection_name "stacky worker <deployment>/<exchange>".
 */
export function workerConnectionPids(vhost: string): {pid: string; connectionName: string}[] {
  const props = JSON.parse(rabbitmqctl('list_connections', '--formatter', 'json', '-q', 'name', 'vhost', 'client_properties')) as
    {name: string; vhost: string; client_properties: [string, string, unknown][]}[];
  const named = new Map(props.filter((c) => c.vhost === vhost)
    .map((c) => [c.name, String(c.client_properties.find((x) => x[0] === 'connection_name')?.[2] ?? '')]));
  // The table format prints pids as <rabbit@host.N.N.N>, which close_connection accepts.
  return rabbitmqctl('list_connections', '-q', '--no-table-headers', 'name', 'pid').split('\n')
    .map((line) => line.split('\t'))
    .filter(([name, pid]) => name && pid && named.get(name)?.startsWith('stacky worker'))
    .map(([name, pid]) => ({pid: pid!.trim(), connectionName: named.get(name!)!}));
}

export function uid(): string {
  return randomBytes(4).toString('hex');
}

export interface TestBroker {
  id: string;
  vhost: string;
  url: string;
  dispose(): Promise<void>;
}

/** A fresh vhost `stacky-test-<id>` that guest may use; dispose() deletes it with everything in it. */
export async function testVhost(): Promise<TestBroker> {
  const id = uid();
  const vhost = `stacky-test-${id}`;
  rabbitmqctl('add_vhost', vhost);
  rabbitmqctl('set_permissions', '-p', vhost, BROKER.user, '.*', '.*', '.*');
  return {
    id, vhost, url: brokerUrl(vhost),
    async dispose() {
      try {
        rabbitmqctl('delete_vhost', vhost);
      } catch {
        // already gone
      }
    },
  };
}

export interface DeploymentSpec {
  name: string;
  /** Another vhost than the config's (a deployment on its own broker). */
  vhost?: string;
  topics: Record<string, {queue: string; routing_key: string}[]>;
  durable_queue?: boolean;
  queue_arguments?: Record<string, unknown>;
}

/** A worker config in StackTach's format, pointed at the local broker and a vhost. */
export function workerConfig(vhost: string, deployments: DeploymentSpec[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    deployments: deployments.map((d) => ({
      name: d.name,
      durable_queue: d.durable_queue ?? false,
      rabbit_host: BROKER.host,
      rabbit_port: BROKER.port,
      rabbit_userid: BROKER.user,
      rabbit_password: BROKER.password,
      rabbit_virtual_host: d.vhost ?? vhost,
      exit_on_exception: false,
      queue_name: 'stacktach',
      ...(d.queue_arguments ? {queue_arguments: d.queue_arguments} : {}),
      topics: d.topics,
    })),
    ...extra,
  };
}

/** The usual nova + glance layout of one deployment, queue names prefixed with the test id. */
export function novaGlanceTopics(id: string): DeploymentSpec['topics'] {
  return {
    nova: [
      {queue: `${id}.monitor.info`, routing_key: 'monitor.info'},
      {queue: `${id}.monitor.error`, routing_key: 'monitor.error'},
    ],
    glance: [
      {queue: `${id}.stacktach_monitor_glance.info`, routing_key: 'monitor_glance.info'},
      {queue: `${id}.stacktach_monitor_glance.error`, routing_key: 'monitor_glance.error'},
    ],
  };
}

export interface Publisher {
  publish(exchange: string, routingKey: string, body: unknown | Buffer): void;
  /** Waits until the broker confirmed everything published so far. */
  confirm(): Promise<void>;
  close(): Promise<void>;
}

export async function publisher(url: string): Promise<Publisher> {
  const connection = await amqp.connect(url);
  const channel = await connection.createConfirmChannel();
  return {
    publish(exchange, routingKey, body) {
      const content = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
      channel.publish(exchange, routingKey, content, {contentType: 'application/json', contentEncoding: 'utf-8'});
    },
    async confirm() {
      await channel.waitForConfirms();
    },
    async close() {
      await channel.waitForConfirms().catch(() => undefined);
      await connection.close();
    },
  };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function tempDir(): {dir: string; dispose(): void} {
  const dir = mkdtempSync(join(tmpdir(), 'stacky-amqp-'));
  return {dir, dispose: () => rmSync(dir, {recursive: true, force: true})};
}

let counter = 0;

/**
 * A minimal valid nova notification with a unique message_id, and a request id made from it
 * (`req-<message_id>`) so that a test can find its row: the raw tables keep only a hash of
 * the message_id.
 */
export function novaNotification(overrides: Record<string, unknown> = {}, payload: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  const messageId = `${uid()}-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  return {
    message_id: messageId,
    event_type: 'compute.instance.update',
    publisher_id: 'compute.c-0001.example.com',
    priority: 'INFO',
    timestamp: '2014-01-14 15:39:22.574829',
    _context_request_id: `req-${messageId}`,
    _context_project_id: 'tenant-1',
    payload: {
      instance_id: 'a9c0b3c2-1a2b-4c5d-8e9f-0a1b2c3d4e5f',
      tenant_id: 'tenant-1',
      state: 'active',
      old_state: 'building',
      old_task_state: 'spawning',
      new_task_state: null,
      image_meta: {},
      ...payload,
    },
    ...overrides,
  };
}
