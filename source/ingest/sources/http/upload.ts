// A POST /ingest/ body into the store: read under the upload's bounds (size, silence, total
// time) and handed to the one stream path (../../stream.ts), so its lines are cut, checked and
// batched as a file's are. What the server answers (status, error table, log line) is
// source/server/ingest-handler.ts's; this says how the upload ended and what was stored.
import type {Readable} from 'node:stream';
import type {LineDefaults} from '../jsonl/line.js';
import {IDLE_MS, ingestStream, UPLOAD_BATCH, type BatchSink} from '../../stream.js';
import type {Tally} from '../../tally.js';

/** The bounds of one upload, named as the server's limits (source/server/limits.ts). */
export interface UploadBounds {
  bodyBytes: number;
  lineBytes: number;
  quarantineLineBytes: number;
  rejectedLines: number;
  bodyIdleMs: number;
  bodyMs: number;
}

/**
 * How an upload ended: read to its end; stopped at a bound (the body's size, its silence, its
 * total time, the rejected lines); a store failure (`error`); or the client went away.
 */
export type UploadEnd =
  | {kind: 'done'}
  | {kind: 'too-large' | 'idle' | 'slow' | 'rejected'}
  | {kind: 'failed'; error: unknown}
  | {kind: 'gone'};

export interface UploadOutcome {
  end: UploadEnd;
  /** Body bytes read. */
  received: number;
  /** The client went away (also when storing failed after it did). */
  gone: boolean;
}

class Stop extends Error {
  constructor(readonly kind: 'too-large' | 'idle' | 'slow' | 'rejected') {
    super(kind);
  }
}

class Gone extends Error {}

/**
 * Pulls the body chunk by chunk (paused between reads, so a slow store holds the client back).
 * Its listeners come off at release(): the server can then drain the rest itself.
 */
class Body implements AsyncIterable<Buffer> {
  received = 0;
  gone = false;
  private readonly chunks: Buffer[] = [];
  private ended = false;
  private failed = false;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly deadline: number;

  private readonly onData = (c: Buffer) => {
    this.chunks.push(c);
    this.req.pause();
    this.wake?.();
  };

  private readonly onEnd = () => {
    this.ended = true;
    this.wake?.();
  };

  private readonly onGone = () => {
    if (this.ended) return;
    this.failed = true;
    this.wake?.();
  };

  constructor(private readonly req: Readable, private readonly bounds: UploadBounds) {
    this.deadline = Date.now() + bounds.bodyMs;
    req.on('data', this.onData);
    req.on('end', this.onEnd);
    req.on('error', this.onGone);
    req.on('close', this.onGone);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      const chunk = await this.next();
      if (chunk === null) return;
      this.received += chunk.length;
      if (this.received > this.bounds.bodyBytes) throw new Stop('too-large');
      yield chunk;
    }
  }

  private async next(): Promise<Buffer | null> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk) {
        if (this.chunks.length === 0) this.req.resume();
        return chunk;
      }
      if (this.ended) return null;
      if (this.failed) {
        this.gone = true;
        throw new Gone('the client went away');
      }
      const left = this.deadline - Date.now();
      const late = await new Promise<boolean>((resolve) => {
        this.wake = () => resolve(false);
        // The read may have been asked for before a batch was stored on this thread: data that
        // arrived meanwhile is taken in (one turn of I/O) before the client counts as silent.
        this.timer = setTimeout(() => setImmediate(resolve, true), Math.max(0, Math.min(this.bounds.bodyIdleMs, left)));
      });
      clearTimeout(this.timer);
      this.wake = undefined;
      if (late) throw new Stop(left <= this.bounds.bodyIdleMs ? 'slow' : 'idle');
    }
  }

  release(): void {
    clearTimeout(this.timer);
    this.req.off('data', this.onData);
    this.req.off('end', this.onEnd);
    this.req.off('error', this.onGone);
    this.req.off('close', this.onGone);
  }
}

/**
 * Stores the body's lines into `tally`, batch by batch; only whole lines count. Never throws:
 * every way an upload ends is an outcome, with the tally exact for it.
 */
export async function ingestUpload(req: Readable, sink: BatchSink, defaults: LineDefaults, bounds: UploadBounds,
  tally: Tally): Promise<UploadOutcome> {
  const body = new Body(req, bounds);
  const chunkBounds = {...UPLOAD_BATCH, maxLine: bounds.lineBytes, keepOfLong: bounds.quarantineLineBytes, idleMs: IDLE_MS};
  let end: UploadEnd = {kind: 'done'};
  try {
    await ingestStream(body, sink, {defaults, bounds: chunkBounds, tally, onBatch: (t) => {
      // Quarantining junk costs ~30 µs a line: a body of nothing else is stopped, not ground through.
      if (t.rejectedCount >= bounds.rejectedLines) throw new Stop('rejected');
    }});
  } catch (error) {
    end = error instanceof Stop ? {kind: error.kind} : error instanceof Gone ? {kind: 'gone'} : {kind: 'failed', error};
  } finally {
    body.release();
  }
  return {end, received: body.received, gone: body.gone};
}
