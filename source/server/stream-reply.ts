// Sending a StreamBody (source/server/context.ts). Its parts are gathered until they pass
// STREAM_AFTER bytes: an answer that ends first is sent whole with its Content-Length, as every
// other answer (most watch polls and searches are small). A larger one goes out chunked as its
// parts are made, each written only once the client has taken the last (backpressure), so the
// server holds one part of it, not the whole answer. A client that goes away stops the parts
// (the generator's finally releases what it holds). The text is kept for the response cache
// only while it stays within `keepUpTo` bytes.
import type {ServerResponse} from 'node:http';
import {once} from 'node:events';
import {JSON_TYPE, sendBody} from './respond.js';

/** Bytes gathered before an answer is streamed instead of sent whole. */
const STREAM_AFTER = 64 * 1024;

/** Sends the parts; resolves to the whole text when it was kept (for the cache), else undefined. */
export async function sendStream(res: ServerResponse, parts: AsyncIterable<string>, keepUpTo: number): Promise<string | undefined> {
  const iterator = parts[Symbol.asyncIterator]();
  const held: string[] = [];
  let bytes = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done) {
      const text = held.join('');
      sendBody(res, 200, text);
      return text;
    }
    held.push(next.value);
    bytes += Buffer.byteLength(next.value);
    if (bytes > STREAM_AFTER) break;
  }
  // From here the status is sent: a failure can only cut the answer short (app.ts fail()).
  res.writeHead(200, {'Content-Type': JSON_TYPE, 'X-Content-Type-Options': 'nosniff'});
  if (res.req.method === 'HEAD') {
    await iterator.return?.();
    res.end();
    return undefined;
  }
  let kept: string[] | undefined = bytes <= keepUpTo ? held.slice() : undefined;
  let pending = held.join('');
  held.length = 0;
  try {
    for (;;) {
      if (res.destroyed) return undefined;
      if (!res.write(pending) && !await drained(res)) return undefined;
      const next = await iterator.next();
      if (next.done) break;
      pending = next.value;
      bytes += Buffer.byteLength(pending);
      if (kept && bytes <= keepUpTo) kept.push(pending);
      else kept = undefined;
    }
  } finally {
    // Stops the parts early (client gone, a write failed); a no-op once they ended.
    await iterator.return?.();
  }
  res.end();
  return kept?.join('');
}

/** Whether the client took what was written (true) or went away first (false). */
async function drained(res: ServerResponse): Promise<boolean> {
  const stop = new AbortController();
  try {
    return await Promise.race([once(res, 'drain', {signal: stop.signal}).then(() => true),
      once(res, 'close', {signal: stop.signal}).then(() => false)]);
  } finally {
    stop.abort();
  }
}
