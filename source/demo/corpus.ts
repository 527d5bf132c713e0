// Demo corpora: a bounded stream of envelopes, and a JSON Lines file writer with backpressure.

import {createWriteStream, type WriteStream} from 'node:fs';
import {once} from 'node:events';
import {DemoGenerator} from './generator.js';
import type {DemoOptions, Envelope} from './types.js';

/** The first `count` envelopes of a DemoGenerator built from `options`. */
export function* demoStream(count: number, options?: DemoOptions): Generator<Envelope, void, undefined> {
  const generator = new DemoGenerator(options);
  for (let i = 0; i < count; i++) yield generator.next();
}

const CHUNK_LINES = 256;

/** Wait until the stream drains, or closes after an error. */
function drainOrClose(out: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/** Write `count` envelopes as JSON Lines (`JSON.stringify(envelope)` per line) to `path`. */
export async function writeCorpus(path: string, count: number, options?: DemoOptions): Promise<void> {
  const generator = new DemoGenerator(options);
  const out = createWriteStream(path, {encoding: 'utf8', highWaterMark: 1 << 20});
  let failure: unknown = null;
  const onError = (err: unknown) => {
    failure ??= err;
  };
  out.on('error', onError);
  try {
    let written = 0;
    while (written < count && failure === null) {
      const n = Math.min(CHUNK_LINES, count - written);
      let chunk = '';
      for (let i = 0; i < n; i++) chunk += JSON.stringify(generator.next()) + '\n';
      written += n;
      if (!out.write(chunk)) await drainOrClose(out);
    }
    if (failure === null) {
      out.end();
      await once(out, 'finish');
    }
  } finally {
    if (!out.destroyed && failure !== null) out.destroy();
  }
  if (failure !== null) throw failure;
}
