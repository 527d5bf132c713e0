// StackTach's worker config format, including the original's sample file, read unchanged.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {
  consumerPlan, defaultWorkerConfigPath, loadWorkerConfig, parseWorkerConfig, WorkerConfigError,
} from '../../../../source/ingest/sources/amqp/config.js';
import {tempDir} from './helpers.js';

const SAMPLE = fileURLToPath(new URL('../../../fixtures/stacktach_worker_config.json', import.meta.url));

test('the original sample file loads unchanged, with no warnings', () => {
  const {config, warnings} = loadWorkerConfig(SAMPLE);
  assert.deepEqual(warnings, []);
  assert.equal(config.processTimeout, 600);
  assert.deepEqual(config.deployments.map((d) => d.name), ['east_coast.prod.global', 'east_coast.prod.cell1']);
  const [global, cell1] = config.deployments;
  assert.deepEqual(global, {
    name: 'east_coast.prod.global', enabled: true, host: '10.0.0.1', port: 5672, userid: 'rabbit', password: 'rabbit',
    virtualHost: '/', durableQueue: false, queueArguments: {}, exitOnException: true,
    topics: [
      {exchange: 'nova', bindings: [
        {queue: 'monitor.info', routingKey: 'monitor.info'},
        {queue: 'monitor.error', routingKey: 'monitor.error'},
      ]},
      {exchange: 'glance', bindings: [
        {queue: 'stacktach_monitor_glance.info', routingKey: 'monitor_glance.info'},
        {queue: 'stacktach_monitor_glance.error', routingKey: 'monitor_glance.error'},
      ]},
    ],
  });
  assert.equal(cell1!.host, '10.0.1.1');
  assert.equal(cell1!.exitOnException, false);
  assert.deepEqual(cell1!.topics.map((t) => t.exchange), ['nova']);
  // Three consumers, as start_workers.py starts three children for this file.
  assert.deepEqual(consumerPlan(config).map((c) => `${c.deployment.name}/${c.topics.exchange}`),
    ['east_coast.prod.global/nova', 'east_coast.prod.global/glance', 'east_coast.prod.cell1/nova']);
});

test('absent keys take the original defaults; durable_queue defaults to true', () => {
  const {config, warnings} = parseWorkerConfig({deployments: [{name: 'd'}]});
  assert.deepEqual(warnings, ['worker config: deployments[0] (d): no topics; nothing to consume']);
  assert.deepEqual(config.deployments[0], {
    name: 'd', enabled: true, host: 'localhost', port: 5672, userid: 'rabbit', password: 'rabbit', virtualHost: '/',
    durableQueue: true, queueArguments: {}, exitOnException: false, topics: [],
  });
});

test('unknown keys are ignored with a warning naming them; queue_name is a known leftover', () => {
  const {config, warnings} = parseWorkerConfig({
    deployments: [{
      name: 'd', queue_name: 'stacktach', rabbit_heartbeat: 30,
      topics: {nova: [{queue: 'q', routing_key: 'monitor.info', exclusive: true}]},
    }],
    workers: {process_timeout: 120, pool: 4},
    logging: {level: 'debug'},
  });
  assert.deepEqual(warnings.sort(), [
    'worker config: deployments[0].rabbit_heartbeat: unknown key, ignored',
    'worker config: deployments[0].topics.nova[0].exclusive: unknown key, ignored',
    'worker config: logging: unknown key, ignored',
    'worker config: workers.pool: unknown key, ignored',
  ]);
  assert.equal(config.processTimeout, 120);
  assert.deepEqual(config.deployments[0]!.topics, [{exchange: 'nova', bindings: [{queue: 'q', routingKey: 'monitor.info'}]}]);
});

test('enabled: false leaves a deployment out of the consumers', () => {
  const {config} = parseWorkerConfig({deployments: [
    {name: 'on', topics: {nova: [{queue: 'q', routing_key: 'k'}]}},
    {name: 'off', enabled: false, topics: {nova: [{queue: 'q', routing_key: 'k'}]}},
  ]});
  assert.deepEqual(consumerPlan(config).map((c) => c.deployment.name), ['on']);
});

test('queue_arguments, other exchanges and a numeric-string port are accepted', () => {
  const {config} = parseWorkerConfig({deployments: [{
    name: 'd', rabbit_port: '5673', queue_arguments: {'x-ha-policy': 'all'},
    topics: {neutron: [{queue: 'n', routing_key: 'notifications.info'}]},
  }]});
  assert.equal(config.deployments[0]!.port, 5673);
  assert.deepEqual(config.deployments[0]!.queueArguments, {'x-ha-policy': 'all'});
  assert.equal(config.deployments[0]!.topics[0]!.exchange, 'neutron');
});

test('wrong shapes are errors that say where', () => {
  const cases: [unknown, RegExp][] = [
    [[], /top level: expected an object/],
    [{}, /deployments: missing/],
    [{deployments: {}}, /deployments: expected a list/],
    [{deployments: [{}]}, /deployments\[0\]\.name: missing/],
    [{deployments: [{name: ''}]}, /deployments\[0\]\.name: must not be empty/],
    [{deployments: [{name: 'd', rabbit_port: 'x'}]}, /deployments\[0\]\.rabbit_port: expected a port number/],
    [{deployments: [{name: 'd', durable_queue: 'false'}]}, /deployments\[0\]\.durable_queue: expected true or false/],
    [{deployments: [{name: 'd', topics: 'nova'}]}, /deployments\[0\]\.topics: expected a list of topic names or an object/],
    // The older list-of-routing-keys form: the last StackTach would crash on it too.
    [{deployments: [{name: 'd', topics: {nova: ['monitor.info']}}]}, /topics\.nova\[0\]: expected an object \{"queue"/],
    [{deployments: [{name: 'd', topics: {nova: [{routing_key: 'k'}]}}]}, /topics\.nova\[0\]\.queue: expected a queue name/],
    [{deployments: [{name: 'd', queue_arguments: []}]}, /queue_arguments: expected an object/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => parseWorkerConfig(value), (e: unknown) => e instanceof WorkerConfigError && message.test(e.message), JSON.stringify(value));
  }
});

test('loadWorkerConfig reports unreadable and non-JSON files', () => {
  const t = tempDir();
  try {
    const bad = join(t.dir, 'bad.json');
    writeFileSync(bad, '{"deployments": [');
    assert.throws(() => loadWorkerConfig(bad), /is not JSON/);
    assert.throws(() => loadWorkerConfig(join(t.dir, 'missing.json')), /cannot read worker config/);
  } finally {
    t.dispose();
  }
});

test('the default path is STACKTACH_DEPLOYMENTS_FILE, else ./stacktach_worker_config.json', () => {
  assert.equal(defaultWorkerConfigPath({}), 'stacktach_worker_config.json');
  assert.equal(defaultWorkerConfigPath({STACKTACH_DEPLOYMENTS_FILE: '/etc/st.json'}), '/etc/st.json');
});

test('a stock-cloud config: every exchange bound <topic>.* on queues of Stacky\'s own', () => {
  const {config, warnings} = parseWorkerConfig({deployments: [{
    name: 'region-1', exchanges: ['nova', 'cinder'], topics: ['notifications', 'versioned_notifications'],
  }, {name: 'region-2', topics: ['notifications'], queue_prefix: 'ops'}]});
  assert.deepEqual(warnings, []);
  assert.deepEqual(config.deployments[0]!.topics, [
    {exchange: 'nova', bindings: [
      {queue: 'stacky.region-1.nova.notifications', routingKey: 'notifications.*'},
      {queue: 'stacky.region-1.nova.versioned_notifications', routingKey: 'versioned_notifications.*'},
    ]},
    {exchange: 'cinder', bindings: [
      {queue: 'stacky.region-1.cinder.notifications', routingKey: 'notifications.*'},
      {queue: 'stacky.region-1.cinder.versioned_notifications', routingKey: 'versioned_notifications.*'},
    ]},
  ]);
  // Without "exchanges", the control exchanges of the usual services.
  assert.deepEqual(config.deployments[1]!.topics.map((t) => [t.exchange, t.bindings[0]!.queue]), [
    ['nova', 'ops.region-2.nova.notifications'], ['cinder', 'ops.region-2.cinder.notifications'],
    ['neutron', 'ops.region-2.neutron.notifications'], ['glance', 'ops.region-2.glance.notifications'],
    ['keystone', 'ops.region-2.keystone.notifications'], ['heat', 'ops.region-2.heat.notifications'],
  ]);
});

test('stock-cloud keys are checked: names only, and only with a list of topics', () => {
  const refused = (deployment: Record<string, unknown>, message: string) => assert.throws(
    () => parseWorkerConfig({deployments: [{name: 'r', ...deployment}]}),
    (e: Error) => e instanceof WorkerConfigError && e.message === message, message);
  refused({topics: ['notifications.*']},
    'worker config: deployments[0].topics: expected a list of names (no spaces, * or #), got an array');
  refused({topics: []}, 'worker config: deployments[0].topics: expected a list of names (no spaces, * or #), got an array');
  refused({topics: ['notifications'], exchanges: 'nova'},
    'worker config: deployments[0].exchanges: expected a list of names (no spaces, * or #), got the string "nova"');
  refused({exchanges: ['nova'], topics: {nova: []}},
    'worker config: deployments[0].exchanges: goes with "topics" as a list of topic names, e.g. ["notifications"]');
});

test('--example-config prints a commented config that loads as it is', async () => {
  const {EXAMPLE_CONFIG} = await import('../../../../source/ingest/sources/amqp/example.js');
  const tmp = tempDir();
  try {
    const file = join(tmp.dir, 'example.json');
    writeFileSync(file, EXAMPLE_CONFIG);
    const {config, warnings} = loadWorkerConfig(file);
    assert.deepEqual(warnings, []);
    const [d] = config.deployments;
    assert.equal(d!.durableQueue, false);
    assert.deepEqual(d!.topics.map((t) => t.exchange), ['nova', 'cinder', 'neutron', 'glance', 'keystone', 'heat']);
    assert.deepEqual(d!.topics[0]!.bindings.map((b) => b.queue),
      ['stacky.region-1.nova.notifications', 'stacky.region-1.nova.versioned_notifications']);
  } finally {
    tmp.dispose();
  }
});
