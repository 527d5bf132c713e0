// The store's row and query shapes, shared by both engines and by the server (source/store/api.ts).
import type {Cell, Micros, Service} from '../core/types.js';

export const RAW_TABLE: Record<Service, string> = {
  nova: 'stacktach_rawdata',
  glance: 'stacktach_glancerawdata',
  generic: 'stacktach_genericrawdata',
};

/** Columns each service's result row shows after id, flag, when, deployment, event, host. */
export const TAIL_COLUMNS: Record<Service, string[]> = {
  nova: ['state', 'old_state', 'old_task'],
  glance: ['status'],
  generic: ['instance', 'request_id'],
};

/** The column holding each service's "instance id" (docs/api.md §1.7). */
export const INSTANCE_COLUMN: Record<Service, string> = {nova: 'instance', glance: 'uuid', generic: 'instance'};

/** Searchable columns per raw table (docs/api.md §2.11), with their SQL type; `resource` is Stacky's own. */
export const SEARCH_COLUMNS: Record<Service, Record<string, 'text' | 'int' | 'when' | 'json'>> = {
  nova: {
    id: 'int', tenant: 'text', json: 'json', routing_key: 'text', state: 'text', old_state: 'text',
    old_task: 'text', task: 'text', image_type: 'int', when: 'when', publisher: 'text', event: 'text',
    service: 'text', host: 'text', instance: 'text', request_id: 'text', deployment: 'int', deployment_id: 'int',
    resource: 'text',
  },
  glance: {
    id: 'int', owner: 'text', json: 'json', routing_key: 'text', when: 'when', publisher: 'text', event: 'text',
    service: 'text', host: 'text', instance: 'text', request_id: 'text', uuid: 'text', status: 'text',
    image_type: 'int', deployment: 'int', deployment_id: 'int',
  },
  generic: {
    id: 'int', tenant: 'text', json: 'json', routing_key: 'text', when: 'when', publisher: 'text', event: 'text',
    service: 'text', host: 'text', instance: 'text', request_id: 'text', message_id: 'text', deployment: 'int',
    deployment_id: 'int', resource: 'text',
  },
};

export interface RawRow {
  id: number;
  routing_key: string | null;
  when: Micros;
  deployment: string | null;
  event: Cell;
  host: Cell;
  tail: Cell[];
}

export interface ShowRow {
  id: number;
  when: Micros;
  deployment: string | null;
  routing_key: Cell;
  publisher: Cell;
  state: Cell;
  event: Cell;
  service: Cell;
  host: Cell;
  instance: Cell;
  request_id: Cell;
  json: string;
}

export interface WatchRow {
  id: number;
  routing_key: string | null;
  when: Micros;
  deployment: string | null;
  event: Cell;
  instance: Cell;
  /** Watch's extra cells (docs/api.md §2.10, `extra=1`). */
  host: Cell;
  tenant: Cell;
  request_id: Cell;
}

/** Lookups the server may ask for (Django's names); values are already validated and typed. */
export type Lookup = 'exact' | 'iexact' | 'contains' | 'icontains' | 'startswith' | 'istartswith' | 'endswith'
  | 'iendswith' | 'gt' | 'gte' | 'lt' | 'lte' | 'isnull' | 'isnotnull';

/** One filter: a searchable column (or deployment__name), a lookup, and its value. */
export interface Filter {
  field: string;
  lookup: Lookup;
  value: string | number | null;
}

export interface RawQuery {
  service: Service;
  filters: Filter[];
  /** Inclusive bounds on when, µs. */
  whenMin?: Micros | null;
  whenMax?: Micros | null;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface UuidTiming {
  name: string;
  start_raw_id: number | null;
  end_raw_id: number | null;
  diff: Micros | null;
}

export interface KpiRow {
  event: Cell;
  duration: Micros;
  instance: Cell;
  deployment: string | null;
  tenant: Cell;
}

export interface ReportRow {
  id: number;
  period_start: Micros;
  period_end: Micros;
  created: Micros;
  name: string;
  version: number;
}

export interface ReportFilter {
  id?: number;
  name?: string;
  /** Exclusive bounds on created, as the original's `created` day filter. */
  createdAfter?: Micros;
  createdBefore?: Micros;
  periodStart?: Micros;
  periodEnd?: Micros;
}

export interface LaunchRow { instance: Cell; launched_at: Micros | null; instance_type_id: Cell; instance_flavor_id: Cell }
export interface DeleteRow { instance: Cell; launched_at: Micros | null; deleted_at: Micros | null }
export interface ExistsUsageRow extends DeleteRow {
  instance_type_id: Cell; instance_flavor_id: Cell; message_id: Cell; status: Cell;
}

export type UsageKind = 'launches' | 'deletes' | 'exists';

export interface QuarantineRow {
  id: number;
  received: number;
  source: string;
  deployment: string | null;
  exchange: string | null;
  routing_key: string | null;
  line: number | null;
  error: string;
  raw: Buffer | null;
}

export interface RequestPair {
  request_id: Cell;
  instance: Cell;
}

export interface NewReport {
  periodStart: Micros;
  periodEnd: Micros;
  created: Micros;
  name: string;
  version: number;
  json: string;
}
