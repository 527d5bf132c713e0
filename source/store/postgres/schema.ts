// The PostgreSQL schema: the same tables and columns as SQLite's (source/store/sqlite/schema.ts),
// with the raw tables partitioned by day of notification time so that retention drops whole
// partitions. Text compares and sorts bytewise (COLLATE "C"), as SQLite does, so both engines
// order every answer alike whatever the database's locale.

// 2: stacky_keyframes (retention keeps there the keyframes of dropped partitions that kept rows need).
export const PG_SCHEMA_VERSION = 2;

/** One day of µs: each raw table has a partition a day, created when a row of that day arrives. */
export const PARTITION_US = 86_400_000_000;

const T = 'text COLLATE "C"';

/** The three raw tables, their partitioned parents and columns (in COPY order, id first). */
export const RAW_COLUMNS = {
  stacktach_rawdata: ['id', 'deployment_id', 'tenant', 'json_z', 'routing_key', 'state', 'old_state', 'old_task', 'task',
    'image_type', 'when', 'publisher', 'event', 'service', 'host', 'instance', 'request_id', 'message_key', 'resource'],
  stacktach_glancerawdata: ['id', 'deployment_id', 'owner', 'json_z', 'routing_key', 'when', 'publisher', 'event', 'service',
    'host', 'instance', 'request_id', 'uuid', 'status', 'image_type', 'message_key'],
  stacktach_genericrawdata: ['id', 'deployment_id', 'tenant', 'json_z', 'routing_key', 'when', 'publisher', 'event',
    'service', 'host', 'instance', 'request_id', 'message_id', 'message_key', 'resource'],
} as const;

export type RawTable = keyof typeof RAW_COLUMNS;
export const RAW_TABLES = Object.keys(RAW_COLUMNS) as RawTable[];

const INT_COLUMNS = new Set(['id', 'deployment_id', 'image_type', 'when', 'message_key']);

function rawTableSql(table: RawTable): string {
  const cols = RAW_COLUMNS[table].map((c) => {
    if (c === 'json_z') return 'json_z bytea NOT NULL';
    if (c === 'id') return 'id bigint NOT NULL';
    if (c === 'deployment_id') return 'deployment_id integer NOT NULL';
    if (c === 'when') return '"when" bigint NOT NULL';
    if (c === 'image_type') return 'image_type integer DEFAULT 0';
    if (INT_COLUMNS.has(c)) return `${c} bigint`;
    return `${c} ${T}`;
  });
  return `CREATE TABLE IF NOT EXISTS ${table} (${cols.join(', ')}) PARTITION BY RANGE ("when");
CREATE SEQUENCE IF NOT EXISTS ${table}_id_seq;`;
}

/** Tables whose content the API answers from: a change to any moves stacky_version. */
const VERSIONED_TABLES = ['stacktach_deployment', ...RAW_TABLES, 'stacktach_rawdataimagemeta', 'stacky_names', 'stacktach_lifecycle',
  'stacktach_timing', 'stacktach_requesttracker', 'stacktach_instanceusage', 'stacktach_instancedeletes', 'stacktach_instanceexists',
  'stacktach_imageusage', 'stacktach_imagedeletes', 'stacktach_imageexists', 'stacktach_jsonreport', 'stacky_quarantine'];

export const schemaSql = `
CREATE TABLE IF NOT EXISTS stacky_meta (key text PRIMARY KEY, value text);
-- Bumped by every committed write: the response cache's version on every API node.
CREATE TABLE IF NOT EXISTS stacky_version (one integer PRIMARY KEY CHECK (one = 1), n bigint NOT NULL);
INSERT INTO stacky_version VALUES (1, 0) ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS stacktach_deployment (id serial PRIMARY KEY, name ${T} NOT NULL UNIQUE);

${RAW_TABLES.map(rawTableSql).join('\n')}
CREATE INDEX IF NOT EXISTS raw_id ON stacktach_rawdata (id);
CREATE INDEX IF NOT EXISTS raw_when ON stacktach_rawdata ("when", id);
CREATE INDEX IF NOT EXISTS raw_instance ON stacktach_rawdata (instance, "when");
CREATE INDEX IF NOT EXISTS raw_request ON stacktach_rawdata (request_id, "when");
CREATE INDEX IF NOT EXISTS raw_deployment ON stacktach_rawdata (deployment_id, "when");
CREATE INDEX IF NOT EXISTS raw_event ON stacktach_rawdata (event, "when");
CREATE INDEX IF NOT EXISTS raw_host ON stacktach_rawdata (host, "when");
CREATE INDEX IF NOT EXISTS raw_tenant ON stacktach_rawdata (tenant, "when");
CREATE INDEX IF NOT EXISTS raw_resource ON stacktach_rawdata (resource, "when") WHERE resource IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS raw_message_when ON stacktach_rawdata ("when", message_key);

CREATE TABLE IF NOT EXISTS stacktach_rawdataimagemeta (
  raw_id bigint PRIMARY KEY, os_architecture ${T}, os_distro ${T}, os_version ${T}, rax_options ${T});

CREATE INDEX IF NOT EXISTS glance_id ON stacktach_glancerawdata (id);
CREATE INDEX IF NOT EXISTS glance_when ON stacktach_glancerawdata ("when", id);
CREATE INDEX IF NOT EXISTS glance_uuid ON stacktach_glancerawdata (uuid, "when");
CREATE INDEX IF NOT EXISTS glance_deployment ON stacktach_glancerawdata (deployment_id, "when");
CREATE UNIQUE INDEX IF NOT EXISTS glance_message_when ON stacktach_glancerawdata ("when", message_key);

CREATE INDEX IF NOT EXISTS generic_id ON stacktach_genericrawdata (id);
CREATE INDEX IF NOT EXISTS generic_when ON stacktach_genericrawdata ("when", id);
CREATE INDEX IF NOT EXISTS generic_instance ON stacktach_genericrawdata (instance, "when");
CREATE INDEX IF NOT EXISTS generic_resource ON stacktach_genericrawdata (resource, "when") WHERE resource IS NOT NULL;
CREATE INDEX IF NOT EXISTS generic_deployment ON stacktach_genericrawdata (deployment_id, "when");
CREATE UNIQUE INDEX IF NOT EXISTS generic_message_when ON stacktach_genericrawdata ("when", message_key);

CREATE TABLE IF NOT EXISTS stacky_names (
  tbl ${T} NOT NULL, kind ${T} NOT NULL, is_null integer NOT NULL, name ${T} NOT NULL,
  PRIMARY KEY (tbl, kind, is_null, name));

CREATE TABLE IF NOT EXISTS stacktach_lifecycle (
  id bigserial PRIMARY KEY, instance ${T}, last_state ${T}, last_task_state ${T}, last_raw_id bigint);
CREATE INDEX IF NOT EXISTS lifecycle_instance ON stacktach_lifecycle (instance);

CREATE TABLE IF NOT EXISTS stacktach_timing (
  id bigserial PRIMARY KEY, name ${T} NOT NULL, lifecycle_id bigint NOT NULL, start_raw_id bigint,
  end_raw_id bigint, start_when bigint, end_when bigint, diff bigint);
CREATE INDEX IF NOT EXISTS timing_lifecycle ON stacktach_timing (lifecycle_id, name);
CREATE INDEX IF NOT EXISTS timing_name_diff ON stacktach_timing (name, diff, id);
CREATE INDEX IF NOT EXISTS timing_name ON stacktach_timing (name, id);

CREATE TABLE IF NOT EXISTS stacktach_requesttracker (
  id bigserial PRIMARY KEY, request_id ${T} NOT NULL, lifecycle_id bigint NOT NULL,
  last_timing_id bigint, start bigint NOT NULL, duration bigint NOT NULL DEFAULT 0,
  completed integer NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS tracker_request ON stacktach_requesttracker (request_id);
CREATE INDEX IF NOT EXISTS tracker_start ON stacktach_requesttracker (start);

CREATE TABLE IF NOT EXISTS stacktach_instanceusage (
  id bigserial PRIMARY KEY, instance ${T}, launched_at bigint, request_id ${T}, instance_type_id ${T},
  instance_flavor_id ${T}, tenant ${T}, os_architecture ${T}, os_distro ${T}, os_version ${T},
  rax_options ${T});
CREATE INDEX IF NOT EXISTS usage_instance ON stacktach_instanceusage (instance, id);

CREATE TABLE IF NOT EXISTS stacktach_instancedeletes (
  id bigserial PRIMARY KEY, instance ${T}, launched_at bigint, deleted_at bigint, raw_id bigint);
CREATE INDEX IF NOT EXISTS deletes_instance ON stacktach_instancedeletes (instance, id);

CREATE TABLE IF NOT EXISTS stacktach_instanceexists (
  id bigserial PRIMARY KEY, instance ${T}, launched_at bigint, deleted_at bigint,
  audit_period_beginning bigint, audit_period_ending bigint, message_id ${T},
  instance_type_id ${T}, status ${T} NOT NULL DEFAULT 'pending', fail_reason ${T}, raw_id bigint,
  usage_id bigint, delete_id bigint, send_status integer DEFAULT 0, tenant ${T},
  os_architecture ${T}, os_distro ${T}, os_version ${T}, rax_options ${T},
  bandwidth_public_out bigint DEFAULT 0, instance_flavor_id ${T}, event_id ${T});
CREATE INDEX IF NOT EXISTS exists_instance ON stacktach_instanceexists (instance, id);

CREATE TABLE IF NOT EXISTS stacktach_imageusage (
  id bigserial PRIMARY KEY, uuid ${T} NOT NULL, created_at bigint NOT NULL, owner ${T},
  size bigint NOT NULL, last_raw_id bigint);
CREATE INDEX IF NOT EXISTS imageusage_uuid ON stacktach_imageusage (uuid, id);

CREATE TABLE IF NOT EXISTS stacktach_imagedeletes (
  id bigserial PRIMARY KEY, uuid ${T} NOT NULL, deleted_at bigint, raw_id bigint);
CREATE INDEX IF NOT EXISTS imagedeletes_uuid ON stacktach_imagedeletes (uuid, id);

CREATE TABLE IF NOT EXISTS stacktach_imageexists (
  id bigserial PRIMARY KEY, uuid ${T}, created_at bigint, deleted_at bigint,
  audit_period_beginning bigint, audit_period_ending bigint, status ${T} NOT NULL DEFAULT 'pending',
  fail_reason ${T}, raw_id bigint NOT NULL, usage_id bigint, delete_id bigint,
  send_status integer DEFAULT 0, owner ${T}, size bigint, message_id ${T}, event_id ${T});
CREATE INDEX IF NOT EXISTS imageexists_uuid ON stacktach_imageexists (uuid);

CREATE TABLE IF NOT EXISTS stacktach_jsonreport (
  id bigserial PRIMARY KEY, period_start bigint NOT NULL, period_end bigint NOT NULL,
  created bigint NOT NULL, name ${T} NOT NULL, version integer NOT NULL DEFAULT 1, json text NOT NULL);
CREATE INDEX IF NOT EXISTS report_created ON stacktach_jsonreport (created);
CREATE INDEX IF NOT EXISTS report_period ON stacktach_jsonreport (name, period_start);

CREATE TABLE IF NOT EXISTS stacky_id_marks (
  ts bigint PRIMARY KEY, nova bigint NOT NULL, glance bigint NOT NULL, generic bigint NOT NULL);

-- Keyframes whose partition retention dropped while a kept row still refers to them
-- (source/store/postgres/retention.ts); every decode falls back to them (keyframes.ts).
CREATE TABLE IF NOT EXISTS stacky_keyframes (
  tbl ${T} NOT NULL, id bigint NOT NULL, json_z bytea NOT NULL, PRIMARY KEY (tbl, id));

CREATE TABLE IF NOT EXISTS stacky_quarantine (
  id bigserial PRIMARY KEY, received bigint NOT NULL, source ${T} NOT NULL, deployment ${T},
  exchange ${T}, routing_key ${T}, line bigint, error ${T} NOT NULL, raw bytea);

-- Any change to what the API answers from moves the version, whoever makes it (a writer, a
-- retention pass, an operator's DELETE): every API node's response cache sees it on its next request.
CREATE OR REPLACE FUNCTION stacky_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE stacky_version SET n = n + 1 WHERE one = 1;
  RETURN NULL;
END $$;
${VERSIONED_TABLES.map((t) => `DROP TRIGGER IF EXISTS stacky_version ON ${t};
CREATE TRIGGER stacky_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${t}
  FOR EACH STATEMENT EXECUTE FUNCTION stacky_bump_version();`).join('\n')}
`;

/** The partition of `table` holding `day` (a day number since the epoch, may be negative). */
export function partitionSql(table: RawTable, day: number): string {
  const name = partitionName(table, day);
  const from = day * PARTITION_US;
  return `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF ${table} FOR VALUES FROM (${from}) TO (${from + PARTITION_US})`;
}

export const dayOf = (whenUs: number): number => Math.floor(whenUs / PARTITION_US);

/** The name of the partition of `table` holding `day`. */
export const partitionName = (table: RawTable, day: number): string => `${table}_d${day < 0 ? `m${-day}` : day}`;

/** The day a partition of `table` holds, from its name (partitionName), or null for another name. */
export function partitionDay(table: RawTable, name: string): number | null {
  const m = /^_d(m?)(\d+)$/.exec(name.slice(table.length));
  if (!name.startsWith(table) || !m) return null;
  return m[1] ? -Number(m[2]) : Number(m[2]);
}
