// POST /ingest/?deployment=NAME&exchange=nova: JSON Lines in, {"stored", "rejected"} out.
// Lines are stored in batches as the body streams in, so a large upload never sits in memory.
// Every bound of limits.ts holds here: body and line sizes, the rejections listed, an idle body.
// Whatever stops an upload part-way (a bound, a full disk, the client going away, silence), what
// was committed before is reported exactly: in an error table's extra columns, or in the log.
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {LineStore} from '../ingest/sources/http/ingest-lines.js';
import {badRequest, errorTable, HttpError} from './http-error.js';
import type {Query} from './params.js';
import type {ServerLimits} from './limits.js';
import {JSON_TYPE, sendJson} from './respond.js';
import {LineSplitter, type SplitLine} from '../ingest/sources/http/line-splitter.js';

const BATCH = 2000;
/** A batch is also stored once its lines hold this many bytes, so long lines never pile up. */
const BATCH_BYTES = 8 * 1024 * 1024;
/** After an early answer the rest of the body is read and dropped up to this much, so the client reads the answer. */
const DRAIN_BYTES = 16 * 1024 * 1024;

export function ingestDefaults(q: Query): {deployment: string; exchange: string} {
  const deployment = q.get('deployment') ?? 'default';
  const exchange = q.get('exchange') ?? 'nova';
  if (deployment === '') throw badRequest('deployment must not be empty.');
  if (exchange === '') throw badRequest('exchange must not be empty.');
  return {deployment, exchange};
}

/** Counts of one upload, with its lists of rejections and warnings cut at a bound. */
class Tally {
  stored = 0;
  duplicates = 0;
  rejectedCount = 0;
  warningsCount = 0;
  readonly rejected: {line: number; error: string}[] = [];
  readonly warnings: string[] = [];

  constructor(private readonly listed: number) {}

  add(r: {stored: number; duplicates: number; rejected: {line: number; error: string}[]; warnings: string[]}): void {
    this.stored += r.stored;
    this.duplicates += r.duplicates;
    this.rejectedCount += r.rejected.length;
    this.warningsCount += r.warnings.length;
    for (const x of r.rejected) if (this.rejected.length < this.listed) this.rejected.push(x);
    for (const w of r.warnings) if (this.warnings.length < this.listed) this.warnings.push(w);
  }

  /** The counts so far, as extra columns of an error table. */
  counts(): Record<string, number> {
    return {Stored: this.stored, Duplicates: this.duplicates, Rejected: this.rejectedCount};
  }

  /** The reply: the original's four keys, and the exact counts when a list was cut. */
  reply(): Record<string, unknown> {
    const body: Record<string, unknown> = {stored: this.stored, duplicates: this.duplicates, rejected: this.rejected,
      warnings: this.warnings};
    if (this.rejectedCount > this.rejected.length) body.rejected_count = this.rejectedCount;
    if (this.warningsCount > this.warnings.length) body.warnings_count = this.warningsCount;
    return body;
  }

  summary(): string {
    return `stored ${this.stored}, duplicates ${this.duplicates}, rejected ${this.rejectedCount}`;
  }
}

/** A database failure while storing: a full disk is the client's to know about (507). */
function storeFailure(error: unknown, tally: Tally): HttpError {
  const code = String((error as {code?: unknown})?.code ?? '');
  const full = code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR') || /ENOSPC|disk is full/i.test(String(error));
  const message = `${full ? 'The disk is full' : 'The database failed'} (${(error as Error)?.message ?? String(error)}); ` +
    `nothing after the lines counted here was stored: ${tally.summary()}.`;
  return new HttpError(full ? 507 : 503, full ? 'Insufficient Storage' : 'Service Unavailable', message, tally.counts());
}

export async function handleIngest(req: IncomingMessage, res: ServerResponse, store: LineStore, q: Query,
  limits: ServerLimits, log: (line: string) => void): Promise<void> {
  const defaults = ingestDefaults(q);
  const tally = new Tally(limits.replyRejections);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limits.bodyBytes) {
    answerEarly(req, res, tooLarge(limits, tally));
    return;
  }
  // Lines are split as chunks arrive; full batches wait in `ready` and are stored (off the event
  // loop when `store` is a writer thread, source/ingest/sources/http/writer-thread.ts) before the next chunk is read.
  let pending: SplitLine[] = [];
  let pendingBytes = 0;
  const ready: SplitLine[][] = [];
  const cut = () => {
    if (pending.length > 0) ready.push(pending);
    pending = [];
    pendingBytes = 0;
  };
  const storeReady = async () => {
    while (ready.length > 0) {
      const batch = ready.shift()!;
      let r;
      try {
        r = await store.ingest(batch, defaults);
      } catch (error) {
        throw storeFailure(error, tally);
      }
      tally.add(r);
      // Quarantining junk costs ~30 µs a line: a body of nothing else is stopped, not ground through.
      if (tally.rejectedCount >= limits.rejectedLines) {
        throw new HttpError(400, 'Bad Request', `${tally.rejectedCount} lines were rejected, the most one upload may have ` +
          `(the limit is ${limits.rejectedLines}); the rest of the body was not read: ${tally.summary()}.`, tally.counts());
      }
    }
  };
  const flush = async () => {
    cut();
    await storeReady();
  };
  const take = (l: SplitLine) => {
    pending.push(l);
    pendingBytes += l.size;
    if (pending.length >= BATCH || pendingBytes >= BATCH_BYTES) cut();
  };
  const lines = new LineSplitter(limits.lineBytes, limits.quarantineLineBytes);
  let received = 0;
  let idle: NodeJS.Timeout | undefined;
  const deadline = Date.now() + limits.bodyMs;
  const reads = (req as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const left = deadline - Date.now();
      const wait = Math.max(0, Math.min(limits.bodyIdleMs, left));
      const next = await Promise.race([reads.next(),
        new Promise<'late'>((resolve) => (idle = setTimeout(resolve, wait, 'late' as const)))]);
      clearTimeout(idle);
      if (next === 'late') {
        // The partial line at the cut is dropped: only whole lines count.
        await flush();
        const why = left <= limits.bodyIdleMs ? `The upload took longer than ${limits.bodyMs} ms`
          : `No part of the body arrived for ${limits.bodyIdleMs} ms`;
        answerEarly(req, res, new HttpError(408, 'Request Timeout', `${why}; it was cut: ${tally.summary()}.`, tally.counts()));
        return;
      }
      if (next.done) break;
      const chunk = next.value;
      received += chunk.length;
      if (received > limits.bodyBytes) {
        await flush();
        answerEarly(req, res, tooLarge(limits, tally));
        return;
      }
      lines.push(chunk, take);
      await storeReady();
    }
    lines.end(take);
    await flush();
  } catch (error) {
    if (error instanceof HttpError) {
      answerEarly(req, res, error);
      return;
    }
    if (req.destroyed || (error as {code?: string})?.code === 'ECONNRESET' || (error as Error)?.message === 'aborted') {
      // The client went away: nobody to answer, so the log says what was kept. Only lines
      // that arrived whole before it left were stored (flushed with the batch above or here).
      try {
        await flush();
      } catch (failure) {
        log(`stacky: POST /ingest/ from ${req.socket.remoteAddress}: ${(failure as Error).message}`);
        return;
      }
      log(`stacky: POST /ingest/ from ${req.socket.remoteAddress} ended by the client after ${received} bytes: ${tally.summary()}`);
      return;
    }
    throw error;
  } finally {
    clearTimeout(idle);
  }
  const body = JSON.stringify(tally.reply());
  res.writeHead(200, {'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body), 'X-Content-Type-Options': 'nosniff'});
  res.end(body);
}

function tooLarge(limits: ServerLimits, tally: Tally): HttpError {
  return new HttpError(413, 'Request Entity Too Large',
    `The body is larger than ${limits.bodyBytes} bytes; lines past that were not read: ${tally.summary()}. ` +
    'Split the upload.', tally.counts());
}

/**
 * Answers before the body has been read to its end. Closing at once while the client still sends
 * would make its side reset the connection and drop the unread answer (EPIPE instead of the
 * counts), so the connection is kept open and the rest of the body read and dropped, up to a
 * bound; a client that sends on past that bound is cut off. A silent client (408) is not waited for.
 */
function answerEarly(req: IncomingMessage, res: ServerResponse, error: HttpError): void {
  const sending = error.status !== 408 && !req.complete && !req.destroyed;
  if (!res.headersSent) sendJson(res, error.status, errorTable(error), sending ? error.headers : {...error.headers, Connection: 'close'});
  if (!sending) return;
  let drained = 0;
  req.on('data', (c: Buffer) => {
    drained += c.length;
    if (drained > DRAIN_BYTES) req.destroy();
  });
  req.on('error', () => {});
  req.resume();
}
