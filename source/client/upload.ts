// POST /ingest/ from a stream (StackyClient.ingest): the body is streamed, never held. The server
// may answer before the body is all sent (a bound, a full disk): the client then stops sending,
// ends the request and reads the answer, which the server keeps the connection open for; an
// error writing after an answer arrived (EPIPE, a reset) is not the outcome, the answer is.
import {request as httpRequest, type IncomingMessage} from 'node:http';
import {request as httpsRequest} from 'node:https';
import type {Readable} from 'node:stream';
import {StackyHttpError, StackyIngestError, StackyUnreachableError, htmlErrorMessage} from './errors.js';
import type {Credentials} from './credentials.js';
import type {IngestCounts, IngestReply} from './types.js';

export interface UploadTarget {
  baseUrl: string;
  credentials: Credentials;
  deployment: string;
  exchange: string;
}

/** The message and counts of an upload's error table: [["Error", "Message", "Stored", "Duplicates", "Rejected"], [...]]. */
function tableOf(body: unknown): {reason: string; counts?: IngestCounts} | undefined {
  if (!Array.isArray(body) || body.length !== 2 || !Array.isArray(body[0]) || !Array.isArray(body[1])) return undefined;
  const [head, row] = body as unknown[][];
  const at = (name: string) => {
    const i = head!.indexOf(name);
    return i < 0 || typeof row![i] !== 'number' ? undefined : (row![i] as number);
  };
  const reason = String(row![1]);
  const stored = at('Stored');
  if (stored === undefined) return {reason};
  return {reason, counts: {stored, duplicates: at('Duplicates') ?? 0, rejected: at('Rejected') ?? 0}};
}

function outcome(status: number, text: string): IngestReply {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new StackyHttpError(status, htmlErrorMessage(text) ?? `server answered ${status} with a body that is not JSON`, text);
  }
  if (status !== 200) {
    const table = tableOf(body);
    throw new StackyIngestError(status, table?.reason ?? text.slice(0, 500), table?.counts, body);
  }
  const r = body as Partial<IngestReply>;
  return {...r, stored: r.stored ?? 0, duplicates: r.duplicates ?? 0, rejected: r.rejected ?? [], warnings: r.warnings ?? []};
}

export function upload(body: Readable, to: UploadTarget): Promise<IngestReply> {
  const target = new URL(`${to.baseUrl}/ingest/`);
  target.searchParams.set('deployment', to.deployment);
  target.searchParams.set('exchange', to.exchange);
  const {token, ca} = to.credentials;
  const headers: Record<string, string> = {'Content-Type': 'application/x-ndjson', ...(token ? {Authorization: `Bearer ${token}`} : {})};
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<IngestReply>((resolve, reject) => {
    let answered = false;
    const req = request(target, {method: 'POST', headers, agent: false, ...(ca ? {ca} : {})}, (res: IncomingMessage) => {
      answered = true;
      // An early answer: nothing more is sent; the rest of the body is not read.
      if (!body.readableEnded) {
        body.unpipe(req);
        body.destroy();
        req.end();
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(outcome(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
        } catch (error) {
          reject(error as Error);
        }
      });
      res.on('error', (e) => reject(new StackyUnreachableError(to.baseUrl, e.message)));
    });
    req.on('error', (e) => {
      // Writing failed because the server answered and stopped reading: its answer is the outcome.
      if (!answered) reject(new StackyUnreachableError(to.baseUrl, e.message));
    });
    // Writes still buffered when the answer came may fail on the socket after the request let go
    // of it (EPIPE): by then the answer is the outcome, and the connection is not reused.
    req.on('socket', (socket) => socket.on('error', () => undefined));
    body.on('error', (e) => {
      req.destroy();
      reject(e);
    });
    body.pipe(req);
  });
}
