// One GET over node:http or node:https, the body kept as text (show/<missing> answers an empty
// 200). No HTTP library: importing one cost more than the whole start-up budget of a print
// command (README, Development).
import {request as httpRequest, Agent as HttpAgent} from 'node:http';
import {request as httpsRequest, Agent as HttpsAgent} from 'node:https';
import type {Credentials} from './credentials.js';

export interface Reply {
  status: number;
  text: string;
}

/** Why no answer came: the socket's error code (ECONNREFUSED, …), ETIMEDOUT or ABORTED. */
export class TransportError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/** Connections kept open between a console's polls; one pool per client. */
export function agentFor(url: string, credentials: Credentials): HttpAgent | HttpsAgent {
  return url.startsWith('https:') ? new HttpsAgent({keepAlive: true, ...(credentials.ca ? {ca: credentials.ca} : {})})
    : new HttpAgent({keepAlive: true});
}

/** GETs `url`; rejects with a TransportError when there is no whole answer within `timeoutMs`. */
export function getText(url: URL, options: {agent: HttpAgent | HttpsAgent; token?: string; timeoutMs: number; signal?: AbortSignal}): Promise<Reply> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new TransportError('ABORTED'));
    const headers: Record<string, string> = {Accept: 'application/json'};
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    let failure: TransportError | undefined;
    const fail = (code: string) => {
      failure ??= new TransportError(code);
      req.destroy();
    };
    const req = send(url, {headers, agent: options.agent}, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        settle();
        resolve({status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8')});
      });
      res.on('error', () => undefined);
      res.on('aborted', () => fail('ECONNRESET'));
    });
    // The whole answer within the timeout, not just the first byte.
    const timer = setTimeout(() => fail('ETIMEDOUT'), options.timeoutMs);
    const onAbort = () => fail('ABORTED');
    options.signal?.addEventListener('abort', onAbort, {once: true});
    const settle = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    req.on('error', (error: NodeJS.ErrnoException) => {
      settle();
      reject(failure ?? new TransportError(error.code ?? error.message));
    });
    req.on('close', () => {
      if (failure) {
        settle();
        reject(failure);
      }
    });
    req.end();
  });
}
