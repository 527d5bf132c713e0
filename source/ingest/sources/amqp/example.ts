// `stacky worker --example-config`: a worker config for a current cloud, with comments that
// config.ts strips before parsing (test/ingest/sources/amqp/config.test.ts parses this very text).
export const EXAMPLE_CONFIG = `// Stacky worker config for a current OpenStack cloud (stacky worker --config FILE).
// One entry per deployment (region or cell); each gets its own connection.
{"deployments": [
  {
    "name": "region-1",
    "rabbit_host": "rabbit.region-1.example.org",
    "rabbit_port": 5672,
    "rabbit_userid": "stacky",
    "rabbit_password": "change-me",
    "rabbit_virtual_host": "/",
    // Match [oslo_messaging_rabbit] amqp_durable_queues of the services (OpenStack's default is
    // false): the exchanges are declared with this flag, and a mismatch is refused by the broker.
    "durable_queue": false,
    // The services' control exchanges ([DEFAULT] control_exchange; these are their defaults).
    "exchanges": ["nova", "cinder", "neutron", "glance", "keystone", "heat"],
    // [oslo_messaging_notifications] topics, plus nova's [notifications]
    // versioned_notifications_topics. Each is bound for every priority (notifications.*).
    "topics": ["notifications", "versioned_notifications"],
    // Queues are named <queue_prefix>.<deployment>.<exchange>.<topic>, e.g.
    // stacky.region-1.nova.notifications: never notifications.info itself, which ceilometer reads.
    "queue_prefix": "stacky"
  }
]}
`;
