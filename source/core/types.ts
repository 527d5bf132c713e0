// Shared shapes of the domain. Every time is an integer count of microseconds since the
// Unix epoch (UTC): exact where StackTach used DECIMAL(20,6), and safe below 2^53.

export type Micros = number;

/** The three raw tables; any exchange other than nova or glance is generic. */
export type Service = 'nova' | 'glance' | 'generic';

/** A scalar as stored in a text column: strings stay, numbers stay, null stays. */
export type Cell = string | number | null;

/** Fields every notification class reads (docs/ingest.md §2.1). */
export interface CommonFields {
  publisher: string;
  event: string;
  service: string;
  host: string | null;
  requestId: Cell;
  tenant: Cell;
  instance: Cell;
  /**
   * What a notification not about an instance is about: a volume, port, image, stack, or a nova
   * versioned object (aggregate, flavor, keypair, service); see core/resource.ts. null otherwise.
   */
  resource: Cell;
  messageId: Cell;
  when: Micros;
}

/** NovaNotification (docs/ingest.md §2.2). Absent keys give '' (or null where the table there says). */
export interface NovaFields extends CommonFields {
  kind: 'nova';
  state: Cell;
  oldState: Cell;
  oldTask: Cell;
  task: Cell;
  imageType: number;
  osArchitecture: Cell;
  osDistro: Cell;
  osVersion: Cell;
  raxOptions: Cell;
  instanceTypeId: Cell;
  instanceFlavorId: Cell;
  /** Raw timestamp strings from the payload; parsed only where a derived table needs them. */
  launchedAt: unknown;
  deletedAt: unknown;
  terminatedAt: unknown;
  auditPeriodBeginning: unknown;
  auditPeriodEnding: unknown;
  message: unknown;
  bandwidthPublicOut: number;
  payload: Record<string, unknown>;
}

/** GlanceNotification (docs/ingest.md §2.3). */
export interface GlanceFields extends CommonFields {
  kind: 'glance';
  status: Cell;
  uuid: Cell;
  size: Cell;
  createdAt: Micros | null;
  owner: Cell;
  imageType: number | null;
  deletedAt: Micros | null;
  payload: unknown;
}

export interface GenericFields extends CommonFields {
  kind: 'generic';
}

export type Notification = NovaFields | GlanceFields | GenericFields;
