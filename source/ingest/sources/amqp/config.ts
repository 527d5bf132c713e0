// StackTach's worker config (worker/config.py, etc/sample_stacktach_worker_config.json), read
// unchanged: {"deployments": [...], "workers": {...}}. Defaults apply only to absent keys, as
// the original's dict.get does. Unknown keys are ignored with a warning; wrong types are errors.
// Besides StackTach's {"topics": {exchange: [{queue, routing_key}]}}, a deployment may name what a
// stock cloud publishes: "exchanges" and "topics" as lists of names (see example.ts), each
// topic bound for every priority on a queue of Stacky's own. Whole-line // comments are allowed.
import {readFileSync} from 'node:fs';

export interface TopicBinding {
  /** Queue name, declared and consumed. */
  queue: string;
  /** Binding key from the exchange to the queue. */
  routingKey: string;
}

export interface ExchangeTopics {
  /** The AMQP exchange; nova and glance also pick the parser. */
  exchange: string;
  bindings: TopicBinding[];
}

export interface DeploymentConfig {
  name: string;
  enabled: boolean;
  host: string;
  port: number;
  userid: string;
  password: string;
  virtualHost: string;
  /** Durable flag of the exchange and of every queue, as the original uses it for both. */
  durableQueue: boolean;
  queueArguments: Record<string, unknown>;
  /** Read for compatibility; Stacky always reconnects with backoff instead of exiting. */
  exitOnException: boolean;
  /** In file order: one consumer per entry. */
  topics: ExchangeTopics[];
}

export interface WorkerConfig {
  deployments: DeploymentConfig[];
  /** workers.process_timeout, seconds (default 600); read for compatibility, unused. */
  processTimeout: number;
}

export interface LoadedWorkerConfig {
  config: WorkerConfig;
  /** One line per ignored key or questionable value; the caller logs them. */
  warnings: string[];
}

export class WorkerConfigError extends Error {}

/** Where StackTach looks when no file is given: STACKTACH_DEPLOYMENTS_FILE, else ./stacktach_worker_config.json. */
export function defaultWorkerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.STACKTACH_DEPLOYMENTS_FILE || 'stacktach_worker_config.json';
}

export function loadWorkerConfig(path: string): LoadedWorkerConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new WorkerConfigError(`cannot read worker config ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(withoutComments(text));
  } catch (error) {
    throw new WorkerConfigError(`worker config ${path} is not JSON: ${(error as Error).message}`);
  }
  return parseWorkerConfig(value);
}

/** Whole-line // comments become blank lines, so JSON.parse's positions still match the file. */
function withoutComments(text: string): string {
  return text.replace(/^[ \t]*\/\/.*$/gm, '');
}

/** Control exchanges of the services a stock cloud runs (oslo.messaging's control_exchange per service). */
export const DEFAULT_EXCHANGES: readonly string[] = ['nova', 'cinder', 'neutron', 'glance', 'keystone', 'heat'];
export const DEFAULT_QUEUE_PREFIX = 'stacky';

/**
 * A queue of Stacky's own per deployment, exchange and topic, bound to `<topic>.*`: never
 * `notifications.info` itself, which ceilometer and other listeners consume from (a shared queue
 * would split the messages between them).
 */
export function stockBinding(prefix: string, deployment: string, exchange: string, topic: string): TopicBinding {
  return {queue: `${prefix}.${deployment}.${exchange}.${topic}`, routingKey: `${topic}.*`};
}

const TOP_KEYS = new Set(['deployments', 'workers']);
const WORKERS_KEYS = new Set(['process_timeout']);
const DEPLOYMENT_KEYS = new Set([
  'name', 'enabled', 'rabbit_host', 'rabbit_port', 'rabbit_userid', 'rabbit_password', 'rabbit_virtual_host',
  'durable_queue', 'queue_arguments', 'exit_on_exception', 'topics',
  // In the original's sample file but never read by its code; accepted silently.
  'queue_name',
  // Stacky's: a stock cloud's exchanges (with "topics" as a list of topic names), queue names' prefix.
  'exchanges', 'queue_prefix',
]);
const TOPIC_KEYS = new Set(['queue', 'routing_key']);

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? `the string ${JSON.stringify(v)}` : `${typeof v} ${JSON.stringify(v)}`;
}

export function parseWorkerConfig(value: unknown): LoadedWorkerConfig {
  const warnings: string[] = [];
  const fail = (where: string, message: string): never => {
    throw new WorkerConfigError(`worker config: ${where}: ${message}`);
  };
  const unknownKeys = (obj: Obj, known: Set<string>, where: string) => {
    for (const key of Object.keys(obj)) {
      if (!known.has(key)) warnings.push(`worker config: ${where}${where ? '.' : ''}${key}: unknown key, ignored`);
    }
  };

  if (!isObject(value)) fail('top level', `expected an object with "deployments", got ${describe(value)}`);
  const top = value as Obj;
  unknownKeys(top, TOP_KEYS, '');
  if (!('deployments' in top)) fail('deployments', 'missing (a list of deployments)');
  if (!Array.isArray(top.deployments)) fail('deployments', `expected a list, got ${describe(top.deployments)}`);

  let processTimeout = 600;
  if (top.workers !== undefined) {
    if (!isObject(top.workers)) fail('workers', `expected an object, got ${describe(top.workers)}`);
    const workers = top.workers as Obj;
    unknownKeys(workers, WORKERS_KEYS, 'workers');
    if (workers.process_timeout !== undefined) {
      const t = workers.process_timeout;
      if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0) fail('workers.process_timeout', `expected a positive number of seconds, got ${describe(t)}`);
      processTimeout = t as number;
    }
  }

  const names = new Set<string>();
  const deployments = (top.deployments as unknown[]).map((entry, i): DeploymentConfig => {
    const where = `deployments[${i}]`;
    if (!isObject(entry)) return fail(where, `expected an object, got ${describe(entry)}`);
    const at = (key: string) => `${where}.${key}`;
    const str = (key: string, dflt: string): string => {
      const v = entry[key];
      if (v === undefined) return dflt;
      if (typeof v !== 'string') return fail(at(key), `expected a string, got ${describe(v)}`);
      return v;
    };
    const bool = (key: string, dflt: boolean): boolean => {
      const v = entry[key];
      if (v === undefined) return dflt;
      if (typeof v !== 'boolean') return fail(at(key), `expected true or false, got ${describe(v)}`);
      return v;
    };

    if (entry.name === undefined) fail(at('name'), 'missing (every deployment needs a name)');
    const name = str('name', '');
    if (name.trim() === '') fail(at('name'), 'must not be empty');
    const label = `${where} (${name})`;
    unknownKeys(entry, DEPLOYMENT_KEYS, where);
    if (names.has(name)) warnings.push(`worker config: ${label}: a second deployment named "${name}"; both are consumed into the same deployment`);
    names.add(name);

    let port = 5672;
    if (entry.rabbit_port !== undefined) {
      const p = entry.rabbit_port;
      const n = typeof p === 'string' && /^\d+$/.test(p.trim()) ? Number(p) : p;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) fail(at('rabbit_port'), `expected a port number, got ${describe(p)}`);
      port = n as number;
    }

    let queueArguments: Obj = {};
    if (entry.queue_arguments !== undefined && entry.queue_arguments !== null) {
      if (!isObject(entry.queue_arguments)) fail(at('queue_arguments'), `expected an object, got ${describe(entry.queue_arguments)}`);
      queueArguments = entry.queue_arguments as Obj;
    }

    const topics: ExchangeTopics[] = [];
    const nameList = (key: string): string[] => {
      const v = entry[key];
      if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || x === '' || /[\s*#]/.test(x))) {
        return fail(at(key), `expected a list of names (no spaces, * or #), got ${describe(v)}`);
      }
      return v as string[];
    };
    if (Array.isArray(entry.topics)) {
      const prefix = str('queue_prefix', DEFAULT_QUEUE_PREFIX);
      const exchanges = entry.exchanges === undefined ? DEFAULT_EXCHANGES : nameList('exchanges');
      const topicNames = nameList('topics');
      for (const exchange of exchanges) {
        topics.push({exchange, bindings: topicNames.map((t) => stockBinding(prefix, name, exchange, t))});
      }
    } else if (entry.exchanges !== undefined || entry.queue_prefix !== undefined) {
      fail(at(entry.exchanges !== undefined ? 'exchanges' : 'queue_prefix'), 'goes with "topics" as a list of topic names, e.g. ["notifications"]');
    } else if (entry.topics !== undefined) {
      if (!isObject(entry.topics)) fail(at('topics'), `expected a list of topic names or an object mapping exchange names to lists of {queue, routing_key}, got ${describe(entry.topics)}`);
      for (const [exchange, list] of Object.entries(entry.topics as Obj)) {
        const tw = `${at('topics')}.${exchange}`;
        if (exchange === '') fail(at('topics'), 'an exchange name must not be empty');
        if (!Array.isArray(list)) fail(tw, `expected a list of {queue, routing_key}, got ${describe(list)}`);
        const bindings = (list as unknown[]).map((t, j): TopicBinding => {
          const ew = `${tw}[${j}]`;
          if (!isObject(t)) {
            return fail(ew, `expected an object {"queue": ..., "routing_key": ...}, got ${describe(t)}`);
          }
          unknownKeys(t, TOPIC_KEYS, ew);
          if (typeof t.queue !== 'string' || t.queue === '') fail(`${ew}.queue`, `expected a queue name, got ${describe(t.queue)}`);
          if (typeof t.routing_key !== 'string') fail(`${ew}.routing_key`, `expected a routing key, got ${describe(t.routing_key)}`);
          return {queue: t.queue as string, routingKey: t.routing_key as string};
        });
        if (bindings.length === 0) warnings.push(`worker config: ${tw}: no queues listed; the exchange is declared but nothing is consumed`);
        topics.push({exchange, bindings});
      }
    }

    const deployment: DeploymentConfig = {
      name,
      enabled: entry.enabled === undefined ? true : entry.enabled !== false,
      host: str('rabbit_host', 'localhost'),
      port,
      userid: str('rabbit_userid', 'rabbit'),
      password: str('rabbit_password', 'rabbit'),
      virtualHost: str('rabbit_virtual_host', '/'),
      durableQueue: bool('durable_queue', true),
      queueArguments,
      exitOnException: bool('exit_on_exception', false),
      topics,
    };
    if (deployment.enabled && topics.length === 0) warnings.push(`worker config: ${label}: no topics; nothing to consume`);
    return deployment;
  });

  return {config: {deployments, processTimeout}, warnings};
}

/** The consumers the worker runs: one per enabled deployment and exchange, in file order. */
export function consumerPlan(config: WorkerConfig): {deployment: DeploymentConfig; topics: ExchangeTopics}[] {
  return config.deployments
    .filter((d) => d.enabled)
    .flatMap((deployment) => deployment.topics.map((topics) => ({deployment, topics})));
}
