// POST /ingest/?deployment=NAME&exchange=nova: JSON Lines in, {"stored", "rejected"} out.
// The body goes the way a file does (source/ingest/sources/http/upload.ts): stored in batches as
// it streams in, so a large upload never sits in memory. Every bound of limits.ts holds: body and
// line sizes, the rejections listed, an idle body. Whatever stops an upload part-way (a bound, a
// full disk, the client going away, silence), what was committed before is reported exactly:
// in an error table's extra columns, or in the log.
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {BatchSink} from '../ingest/stream.js';
import {Tally} from '../ingest/tally.js';
import {ingestUpload, type UploadEnd} from '../ingest/sources/http/upload.js';
import {badRequest, errorTable, HttpError, STORE_RETRY_AFTER_S} from './http-error.js';
import {isStoreUnavailable} from '../store/errors.js';
import type {Query} from './params.js';
import type {ServerLimits} from './limits.js';
import {JSON_TYPE, sendJson} from './respond.js';

/** After an early answer the rest of the body is read and dropped up to this much, so the client reads the answer. */
const DRAIN_BYTES = 16 * 1024 * 1024;

export function ingestDefaults(q: Query): {deployment: string; exchange: string} {
  const deployment = q.get('deployment') ?? 'default';
  const exchange = q.get('exchange') ?? 'nova';
  if (deployment === '') throw badRequest('deployment must not be empty.');
  if (exchange === '') throw badRequest('exchange must not be empty.');
  return {deployment, exchange};
}

/** The counts so far, as extra columns of an error table. */
function counts(tally: Tally): Record<string, number> {
  return {Stored: tally.stored, Duplicates: tally.duplicates, Rejected: tally.rejectedCount};
}

/** A database failure while storing: a full disk is the client's to know about (507). */
function storeFailure(error: unknown, tally: Tally): HttpError {
  const code = String((error as {code?: unknown})?.code ?? '');
  const full = code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR') || /ENOSPC|disk is full/i.test(String(error));
  const message = `${full ? 'The disk is full' : 'The database failed'} (${(error as Error)?.message ?? String(error)}); ` +
    `nothing after the lines counted here was stored: ${tally.summary()}.`;
  return new HttpError(full ? 507 : 503, full ? 'Insufficient Storage' : 'Service Unavailable', message, counts(tally),
    isStoreUnavailable(error) ? {'Retry-After': String(STORE_RETRY_AFTER_S)} : {});
}

/** The error table of an upload stopped part-way. */
function stopped(end: Exclude<UploadEnd, {kind: 'done' | 'gone'}>, limits: ServerLimits, tally: Tally): HttpError {
  switch (end.kind) {
    case 'too-large':
      return tooLarge(limits, tally);
    case 'idle':
    case 'slow': {
      const why = end.kind === 'slow' ? `The upload took longer than ${limits.bodyMs} ms`
        : `No part of the body arrived for ${limits.bodyIdleMs} ms`;
      return new HttpError(408, 'Request Timeout', `${why}; it was cut: ${tally.summary()}.`, counts(tally));
    }
    case 'rejected':
      return new HttpError(400, 'Bad Request', `${tally.rejectedCount} lines were rejected, the most one upload may have ` +
        `(the limit is ${limits.rejectedLines}); the rest of the body was not read: ${tally.summary()}.`, counts(tally));
    case 'failed':
      return storeFailure(end.error, tally);
  }
}

export async function handleIngest(req: IncomingMessage, res: ServerResponse, sink: BatchSink, q: Query,
  limits: ServerLimits, log: (line: string) => void): Promise<void> {
  const defaults = ingestDefaults(q);
  const tally = new Tally(limits.replyRejections);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limits.bodyBytes) {
    answerEarly(req, res, tooLarge(limits, tally));
    return;
  }
  const {end, received, gone} = await ingestUpload(req, sink, defaults, limits, tally);
  if (gone) {
    // The client went away: nobody to answer, so the log says what was kept. Only lines
    // that arrived whole before it left were stored.
    const from = `stacky: POST /ingest/ from ${req.socket.remoteAddress}`;
    log(end.kind === 'failed' ? `${from}: ${storeFailure(end.error, tally).message}`
      : `${from} ended by the client after ${received} bytes: ${tally.summary()}`);
    return;
  }
  if (end.kind !== 'done' && end.kind !== 'gone') {
    answerEarly(req, res, stopped(end, limits, tally));
    return;
  }
  // The reply: the original's four keys, and the exact counts when a list was cut.
  const body = JSON.stringify(tally.result());
  res.writeHead(200, {'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body), 'X-Content-Type-Options': 'nosniff'});
  res.end(body);
}

function tooLarge(limits: ServerLimits, tally: Tally): HttpError {
  return new HttpError(413, 'Request Entity Too Large',
    `The body is larger than ${limits.bodyBytes} bytes; lines past that were not read: ${tally.summary()}. ` +
    'Split the upload.', counts(tally));
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
