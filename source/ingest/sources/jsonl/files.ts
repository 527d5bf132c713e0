// JSON Lines from a file or stdin into the store, through the one stream path (../../stream.ts):
// worker threads prepare the next batches while this thread stores the current one.
import {createReadStream} from 'node:fs';
import type {Writer} from '../../../store/types.js';
import type {LineDefaults} from './line.js';
import {laneSink} from '../../parallel.js';
import {FILE_BATCH, IDLE_MS, ingestStream} from '../../stream.js';
import {Tally, type CountedResult} from '../../tally.js';

/**
 * Stores a stream of JSON Lines; `onBatch` hears the running tally after each commit (what was
 * stored before a failure is the last it heard). `source` names the quarantine's source.
 */
export async function ingestJsonl(input: AsyncIterable<Buffer | string>, writer: Writer, source: string, defaults: LineDefaults,
  onBatch?: (tally: Tally) => void): Promise<CountedResult> {
  const tally = new Tally();
  const sink = laneSink(writer, {source});
  try {
    await ingestStream(input, sink, {defaults, bounds: {...FILE_BATCH, idleMs: IDLE_MS}, tally, onBatch});
  } finally {
    await sink.close();
  }
  return tally.result();
}

export async function ingestFile(path: string, writer: Writer, source: string, defaults: LineDefaults,
  onBatch?: (tally: Tally) => void): Promise<CountedResult> {
  const input = createReadStream(path, {highWaterMark: 1 << 20});
  try {
    return await ingestJsonl(input, writer, source, defaults, onBatch);
  } finally {
    input.destroy();
  }
}
