// POST /ingest/'s batches stored on the serving thread, by the server's own pipeline: for a
// database only that connection sees (in memory). A file is written from a writer thread
// instead (writer-thread.ts, issue #18).
import type {Pipeline} from '../../pipeline.js';
import type {BatchSink} from '../../stream.js';

export function inProcess(pipeline: Pipeline): BatchSink {
  return {
    ahead: 0,
    submit: async (chunk, defaults) => pipeline.ingestChunk(chunk, defaults),
    close: async () => undefined,
  };
}
