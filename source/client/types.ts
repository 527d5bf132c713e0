// Shapes of the stacky API's answers (docs/api.md §2).
export type Value = string | number | boolean | null;
export type Row = Value[];
/** A stacky table: the header row first, then data rows; uuid/search answer [] when empty. */
export type Table = Row[];

/** A watch row's cells: seven, then host, tenant and request id when asked with `extra=1` (Stacky's own). */
export type WatchCells = [number, string, string, string, string, string, string, string?, string?, string?];

/** /stacky/watch/<dep>/: column widths, 7-cell rows (10 with `extra`), and `now` to send back as `since`. */
export type WatchReply = [number[], WatchCells[], string];

/** /stacky/show/<id>/: key/value table, pretty JSON text, and the related instance or image id. */
export type ShowReply = [Table, string, string | null];

/** /stacky/report/<id>/: the stored report JSON verbatim (a list with a metadata object first, for summary reports). */
export type ReportReply = unknown;

export type StackyService = 'nova' | 'glance' | 'generic';

export interface Paging {
  limit?: number;
  offset?: number;
}

export interface TimeRange {
  /** Decimal epoch seconds, sent as when_min/when_max. */
  whenMin?: string;
  whenMax?: string;
}

/** POST /ingest/'s 200 reply: the lists may be cut at the server's bound, the counts beside them are exact. */
export interface IngestReply {
  stored: number;
  duplicates: number;
  rejected: {line: number; error: string}[];
  warnings: string[];
  rejected_count?: number;
  warnings_count?: number;
}

/** What an upload stopped part-way had committed (the Stored, Duplicates, Rejected columns of its error table). */
export interface IngestCounts {
  stored: number;
  duplicates: number;
  rejected: number;
}
