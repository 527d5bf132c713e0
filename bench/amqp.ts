// The RabbitMQ side shared by the worker benchmarks (bench/worker.ts, bench/pg.ts): a vhost of the
// bench's own for each demo deployment (as each region has its own broker), the worker config that
// consumes them, and publishing a corpus to them with confirms.
import {execFileSync} from 'node:child_process';
import {createReadStream} from 'node:fs';
import {createInterface} from 'node:readline';
import * as amqp from 'amqplib';
import {DEFAULT_DEPLOYMENTS} from '../source/demo/types.js';

export const AMQP_HOST = process.env.STACKY_BENCH_AMQP_HOST ?? '127.0.0.1';

function ctl(...a: string[]): void {
  execFileSync('rabbitmqctl', a, {stdio: ['ignore', 'ignore', 'pipe']});
}

/** Vhosts named for this run (deployment → vhost), created now; `deleteVhosts` removes them. */
export function createVhosts(id: string): Map<string, string> {
  const vhosts = new Map(DEFAULT_DEPLOYMENTS.map((d) => [d, `stacky-bench-${id}-${d}`]));
  for (const v of vhosts.values()) {
    ctl('add_vhost', v);
    ctl('set_permissions', '-p', v, 'guest', '.*', '.*', '.*');
  }
  return vhosts;
}

export function deleteVhosts(vhosts: Map<string, string>): void {
  for (const v of vhosts.values()) {
    try {
      ctl('delete_vhost', v);
    } catch {
      // already gone
    }
  }
}

/** A worker config (the JSON `stacky worker --config` reads) consuming nova and glance from every vhost. */
export function workerConfigJson(vhosts: Map<string, string>): unknown {
  return {
    deployments: [...vhosts].map(([name, vhost]) => ({
      name, durable_queue: false, rabbit_host: AMQP_HOST, rabbit_port: 5672, rabbit_userid: 'guest', rabbit_password: 'guest',
      rabbit_virtual_host: vhost,
      topics: {
        nova: [{queue: 'monitor.info', routing_key: 'monitor.info'}, {queue: 'monitor.error', routing_key: 'monitor.error'}],
        glance: [{queue: 'stacktach_monitor_glance.info', routing_key: 'monitor_glance.info'},
          {queue: 'stacktach_monitor_glance.error', routing_key: 'monitor_glance.error'}],
      },
    })),
  };
}

/** Publishes every line of a corpus to its deployment's vhost, confirmed; returns the count. */
export async function publishCorpus(corpus: string, vhosts: Map<string, string>): Promise<number> {
  const channels = new Map<string, {connection: amqp.ChannelModel; channel: amqp.ConfirmChannel}>();
  for (const [name, vhost] of vhosts) {
    const connection = await amqp.connect({protocol: 'amqp', hostname: AMQP_HOST, port: 5672, username: 'guest', password: 'guest', vhost});
    channels.set(name, {connection, channel: await connection.createConfirmChannel()});
  }
  let published = 0;
  for await (const text of createInterface({input: createReadStream(corpus, {highWaterMark: 1 << 20}), crlfDelay: Infinity})) {
    const e = JSON.parse(text) as {deployment: string; exchange: string; routing_key: string; body: unknown};
    const {channel} = channels.get(e.deployment)!;
    const ok = channel.publish(e.exchange, e.routing_key, Buffer.from(JSON.stringify(e.body)), {contentType: 'application/json', contentEncoding: 'utf-8'});
    if (++published % 5000 === 0 || !ok) await Promise.all([...channels.values()].map((c) => c.channel.waitForConfirms()));
  }
  await Promise.all([...channels.values()].map((c) => c.channel.waitForConfirms()));
  for (const c of channels.values()) await c.connection.close();
  return published;
}
