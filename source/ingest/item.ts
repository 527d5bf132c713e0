// What every way in (JSON Lines, POST /ingest/, RabbitMQ, the demo) hands to the pipeline.

export interface IngestItem {
  deployment: string;
  /** The AMQP exchange: nova and glance pick their parsers, anything else is generic. */
  exchange: string;
  routingKey: string;
  /** The parsed notification body; when absent, `text` is parsed. */
  body?: unknown;
  /** The body as received (JSON text); kept whole in quarantine when it cannot be parsed. */
  text?: string;
  /** 1-based line number in the source, for error reports. */
  line?: number;
  /** The bytes received, for quarantine, when they are not valid UTF-8 (or were cut short). */
  raw?: Uint8Array;
  /** Set when the source already knows the line is unusable: it is quarantined with this reason. */
  error?: string;
}

export interface Rejection {
  line: number;
  error: string;
}

export interface IngestResult {
  stored: number;
  /** Redelivered messages (same message_id) recognised and skipped. */
  duplicates: number;
  rejected: Rejection[];
  /** Derived-table failures after the raw row was stored (the raw row is kept). */
  warnings: string[];
}

export function emptyResult(): IngestResult {
  return {stored: 0, duplicates: 0, rejected: [], warnings: []};
}
