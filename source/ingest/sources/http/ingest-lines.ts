// Where POST /ingest/ stores its batches of lines (ingest-handler.ts): the serving process's own
// pipeline (tests, in-memory databases), or a writer thread with its own connection that parses
// and stores them off the event loop (writer-thread.ts, issue #18).
import type {Pipeline} from '../../pipeline.js';
import {parseLine} from '../jsonl/line.js';
import type {IngestItem, IngestResult} from '../../item.js';
import type {SplitLine} from './line-splitter.js';

export interface IngestDefaults {
  deployment: string;
  exchange: string;
}

export interface LineStore {
  /** Parses and stores one batch, one transaction; rejects with the database's error. */
  ingest(lines: SplitLine[], defaults: IngestDefaults): Promise<IngestResult>;
  close(): Promise<void>;
}

/** The pipeline's items for a batch of lines; a line the splitter refused is quarantined as it came. */
export function itemsOf(lines: SplitLine[], defaults: IngestDefaults): IngestItem[] {
  return lines.map((l) => (l.error !== undefined
    ? {...defaults, routingKey: '', line: l.no, text: '', raw: l.bytes, error: l.error}
    : parseLine(l.text!, l.no, defaults)));
}

/** Stores on the calling thread. */
export function inProcess(pipeline: Pipeline): LineStore {
  return {
    ingest: async (lines, defaults) => pipeline.ingest(itemsOf(lines, defaults)),
    close: async () => undefined,
  };
}
