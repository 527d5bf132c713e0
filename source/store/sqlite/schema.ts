// The SQLite schema: StackTach's table and column names, times as integer microseconds.
// Raw JSON is kept deflated (json_z) because it is ~3 KB a row and dominates the file.

export const SCHEMA_VERSION = 3;

/**
 * Instance, request id and tenant are looked up by their last 8 characters, then compared whole:
 * index entries about 30 bytes shorter a row, and cheaper to insert. Readers match a value with
 * `instance_key = keyOf(?) AND instance = ?` (see KEYED_COLUMNS).
 */
const KEY_LENGTH = 8;
export const keySql = (valueSql: string): string => `substr(${valueSql}, -${KEY_LENGTH})`;
export const KEYED_COLUMNS: Readonly<Record<string, string>> = {
  instance: 'instance_key', request_id: 'request_key', tenant: 'tenant_key',
};
const keyColumns = Object.entries(KEYED_COLUMNS)
  .map(([column, key]) => `${key} TEXT GENERATED ALWAYS AS (${keySql(column)}) VIRTUAL`);

/** From schema 1: the keys are virtual columns, so adding them rewrites nothing; only indexes change. */
export const migrateFrom1Sql = `
${keyColumns.map((c) => `ALTER TABLE stacktach_rawdata ADD COLUMN ${c};`).join('\n')}
DROP INDEX IF EXISTS raw_instance;
DROP INDEX IF EXISTS raw_request;
DROP INDEX IF EXISTS raw_tenant;
DROP INDEX IF EXISTS raw_message;
DROP INDEX IF EXISTS glance_message;
DROP INDEX IF EXISTS generic_message;
`;

/** Schema 3 added `resource` (core/resource.ts) to these; older files get it by ALTER TABLE. */
export const RESOURCE_TABLES = ['stacktach_rawdata', 'stacktach_genericrawdata'] as const;

export const schemaSql = `
CREATE TABLE IF NOT EXISTS stacky_meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS stacktach_deployment (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);

CREATE TABLE IF NOT EXISTS stacktach_rawdata (
  id INTEGER PRIMARY KEY, deployment_id INTEGER NOT NULL, tenant TEXT, json_z BLOB NOT NULL,
  routing_key TEXT, state TEXT, old_state TEXT, old_task TEXT, task TEXT, image_type INTEGER DEFAULT 0,
  "when" INTEGER NOT NULL, publisher TEXT, event TEXT, service TEXT, host TEXT, instance TEXT,
  request_id TEXT, message_key INTEGER, ${keyColumns.join(', ')}, resource TEXT);
CREATE INDEX IF NOT EXISTS raw_when ON stacktach_rawdata ("when");
CREATE INDEX IF NOT EXISTS raw_instance_key ON stacktach_rawdata (instance_key, "when");
CREATE INDEX IF NOT EXISTS raw_request_key ON stacktach_rawdata (request_key, "when");
CREATE INDEX IF NOT EXISTS raw_deployment ON stacktach_rawdata (deployment_id, "when");
CREATE INDEX IF NOT EXISTS raw_event ON stacktach_rawdata (event, "when");
CREATE INDEX IF NOT EXISTS raw_host ON stacktach_rawdata (host, "when");
CREATE INDEX IF NOT EXISTS raw_tenant_key ON stacktach_rawdata (tenant_key, "when");
-- Only versioned objects that are not instances have one: a partial index stays small.
CREATE INDEX IF NOT EXISTS raw_resource ON stacktach_rawdata (resource, "when") WHERE resource IS NOT NULL;
-- message_key: 64 bits of the body's message_id hash, so redeliveries are recognised cheaply.
-- A redelivery is the same body, so it has the same "when" too: led by "when", the index grows
-- at its end like the table instead of taking inserts all over (a commit writes each page it
-- dirtied, and a hash-ordered index dirtied one page per row).
CREATE UNIQUE INDEX IF NOT EXISTS raw_message_when ON stacktach_rawdata ("when", message_key)
  WHERE message_key IS NOT NULL;

-- One row per nova raw, keyed by the raw's id (the original's separate id added nothing).
CREATE TABLE IF NOT EXISTS stacktach_rawdataimagemeta (
  raw_id INTEGER PRIMARY KEY, os_architecture TEXT, os_distro TEXT, os_version TEXT, rax_options TEXT);

CREATE TABLE IF NOT EXISTS stacktach_glancerawdata (
  id INTEGER PRIMARY KEY, deployment_id INTEGER NOT NULL, owner TEXT, json_z BLOB NOT NULL,
  routing_key TEXT, "when" INTEGER NOT NULL, publisher TEXT, event TEXT, service TEXT, host TEXT,
  instance TEXT, request_id TEXT, uuid TEXT, status TEXT, image_type INTEGER DEFAULT 0, message_key INTEGER);
CREATE INDEX IF NOT EXISTS glance_when ON stacktach_glancerawdata ("when");
CREATE INDEX IF NOT EXISTS glance_uuid ON stacktach_glancerawdata (uuid, "when");
CREATE INDEX IF NOT EXISTS glance_deployment ON stacktach_glancerawdata (deployment_id, "when");
CREATE UNIQUE INDEX IF NOT EXISTS glance_message_when ON stacktach_glancerawdata ("when", message_key)
  WHERE message_key IS NOT NULL;

CREATE TABLE IF NOT EXISTS stacktach_genericrawdata (
  id INTEGER PRIMARY KEY, deployment_id INTEGER NOT NULL, tenant TEXT, json_z BLOB NOT NULL,
  routing_key TEXT, "when" INTEGER NOT NULL, publisher TEXT, event TEXT, service TEXT, host TEXT,
  instance TEXT, request_id TEXT, message_id TEXT, message_key INTEGER, resource TEXT);
CREATE INDEX IF NOT EXISTS generic_when ON stacktach_genericrawdata ("when");
CREATE INDEX IF NOT EXISTS generic_instance ON stacktach_genericrawdata (instance, "when");
CREATE INDEX IF NOT EXISTS generic_resource ON stacktach_genericrawdata (resource, "when") WHERE resource IS NOT NULL;
CREATE INDEX IF NOT EXISTS generic_deployment ON stacktach_genericrawdata (deployment_id, "when");
CREATE UNIQUE INDEX IF NOT EXISTS generic_message_when ON stacktach_genericrawdata ("when", message_key)
  WHERE message_key IS NOT NULL;

-- Distinct event names and hosts per raw table, kept on ingest so events/hosts/summary/watch
-- never scan millions of rows.
CREATE TABLE IF NOT EXISTS stacky_names (
  tbl TEXT NOT NULL, kind TEXT NOT NULL, is_null INTEGER NOT NULL, name TEXT NOT NULL,
  PRIMARY KEY (tbl, kind, is_null, name)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS stacktach_lifecycle (
  id INTEGER PRIMARY KEY, instance TEXT, last_state TEXT, last_task_state TEXT, last_raw_id INTEGER);
CREATE INDEX IF NOT EXISTS lifecycle_instance ON stacktach_lifecycle (instance);

CREATE TABLE IF NOT EXISTS stacktach_timing (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, lifecycle_id INTEGER NOT NULL, start_raw_id INTEGER,
  end_raw_id INTEGER, start_when INTEGER, end_when INTEGER, diff INTEGER);
CREATE INDEX IF NOT EXISTS timing_lifecycle ON stacktach_timing (lifecycle_id, name);
CREATE INDEX IF NOT EXISTS timing_name_diff ON stacktach_timing (name, diff);
-- summary samples the first timings of a name in id order; (name) alone is (name, rowid).
CREATE INDEX IF NOT EXISTS timing_name ON stacktach_timing (name);

CREATE TABLE IF NOT EXISTS stacktach_requesttracker (
  id INTEGER PRIMARY KEY, request_id TEXT NOT NULL, lifecycle_id INTEGER NOT NULL,
  last_timing_id INTEGER, start INTEGER NOT NULL, duration INTEGER NOT NULL DEFAULT 0,
  completed INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS tracker_request ON stacktach_requesttracker (request_id);
CREATE INDEX IF NOT EXISTS tracker_start ON stacktach_requesttracker (start);

CREATE TABLE IF NOT EXISTS stacktach_instanceusage (
  id INTEGER PRIMARY KEY, instance TEXT, launched_at INTEGER, request_id TEXT, instance_type_id TEXT,
  instance_flavor_id TEXT, tenant TEXT, os_architecture TEXT, os_distro TEXT, os_version TEXT,
  rax_options TEXT);
CREATE INDEX IF NOT EXISTS usage_instance_request ON stacktach_instanceusage (instance, request_id);
CREATE INDEX IF NOT EXISTS usage_instance_launched ON stacktach_instanceusage (instance, launched_at);

CREATE TABLE IF NOT EXISTS stacktach_instancedeletes (
  id INTEGER PRIMARY KEY, instance TEXT, launched_at INTEGER, deleted_at INTEGER, raw_id INTEGER);
CREATE INDEX IF NOT EXISTS deletes_instance ON stacktach_instancedeletes (instance, launched_at);

CREATE TABLE IF NOT EXISTS stacktach_instanceexists (
  id INTEGER PRIMARY KEY, instance TEXT, launched_at INTEGER, deleted_at INTEGER,
  audit_period_beginning INTEGER, audit_period_ending INTEGER, message_id TEXT,
  instance_type_id TEXT, status TEXT NOT NULL DEFAULT 'pending', fail_reason TEXT, raw_id INTEGER,
  usage_id INTEGER, delete_id INTEGER, send_status INTEGER DEFAULT 0, tenant TEXT,
  os_architecture TEXT, os_distro TEXT, os_version TEXT, rax_options TEXT,
  bandwidth_public_out INTEGER DEFAULT 0, instance_flavor_id TEXT, event_id TEXT);
CREATE INDEX IF NOT EXISTS exists_instance ON stacktach_instanceexists (instance);

CREATE TABLE IF NOT EXISTS stacktach_imageusage (
  id INTEGER PRIMARY KEY, uuid TEXT NOT NULL, created_at INTEGER NOT NULL, owner TEXT,
  size INTEGER NOT NULL, last_raw_id INTEGER);
CREATE INDEX IF NOT EXISTS imageusage_uuid ON stacktach_imageusage (uuid);

CREATE TABLE IF NOT EXISTS stacktach_imagedeletes (
  id INTEGER PRIMARY KEY, uuid TEXT NOT NULL, deleted_at INTEGER, raw_id INTEGER);
CREATE INDEX IF NOT EXISTS imagedeletes_uuid ON stacktach_imagedeletes (uuid);

CREATE TABLE IF NOT EXISTS stacktach_imageexists (
  id INTEGER PRIMARY KEY, uuid TEXT, created_at INTEGER, deleted_at INTEGER,
  audit_period_beginning INTEGER, audit_period_ending INTEGER, status TEXT NOT NULL DEFAULT 'pending',
  fail_reason TEXT, raw_id INTEGER NOT NULL, usage_id INTEGER, delete_id INTEGER,
  send_status INTEGER DEFAULT 0, owner TEXT, size INTEGER, message_id TEXT, event_id TEXT);
CREATE INDEX IF NOT EXISTS imageexists_uuid ON stacktach_imageexists (uuid);

CREATE TABLE IF NOT EXISTS stacktach_jsonreport (
  id INTEGER PRIMARY KEY, period_start INTEGER NOT NULL, period_end INTEGER NOT NULL,
  created INTEGER NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1, json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS report_created ON stacktach_jsonreport (created);
CREATE INDEX IF NOT EXISTS report_period ON stacktach_jsonreport (name, period_start);

-- The highest raw ids at a time (µs), written by ingest once a minute: which rows are old enough
-- that no keyframe cache still refers to them (source/store/sqlite/retention.ts).
CREATE TABLE IF NOT EXISTS stacky_id_marks (
  ts INTEGER PRIMARY KEY, nova INTEGER NOT NULL, glance INTEGER NOT NULL, generic INTEGER NOT NULL);

-- Lines and messages that could not be parsed: kept whole, never lost, listable.
CREATE TABLE IF NOT EXISTS stacky_quarantine (
  id INTEGER PRIMARY KEY, received INTEGER NOT NULL, source TEXT NOT NULL, deployment TEXT,
  exchange TEXT, routing_key TEXT, line INTEGER, error TEXT NOT NULL, raw BLOB);
`;
