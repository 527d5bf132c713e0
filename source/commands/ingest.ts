// stacky ingest: JSON Lines from files or stdin, straight into a database or to a server.
import {createReadStream} from 'node:fs';
import type {Readable} from 'node:stream';
import {openWriter} from '../store/open.js';
import {ingestJsonl} from '../ingest/sources/jsonl/files.js';
import {Tally, type CountedResult} from '../ingest/tally.js';
import {dbLocation} from './paths.js';
import {UsageError} from './args.js';
import {command} from './spec.js';
import {ingestSpec} from './specs/ingest.js';
import {StackyClient} from '../client/client.js';
import {redactUrl} from '../client/redact.js';
import {StackyIngestError} from '../client/errors.js';
import type {IngestReply} from '../client/types.js';
import {loadSettings} from './settings.js';
import {credentialsOf} from './credentials.js';
import {terminalSafe} from '../core/terminal-text.js';

function open(file: string): Readable {
  return file === '-' ? process.stdin : createReadStream(file, {highWaterMark: 1 << 20});
}

/** Posts through the client, with the token and CA every client command uses (flags, STACKY_TOKEN, STACKY_CA, config). */
async function post(url: string, file: string, deployment: string, exchange: string): Promise<IngestReply> {
  let settings;
  try {
    settings = loadSettings({url});
  } catch (error) {
    throw new Error(redactUrl((error as Error).message), {cause: error});
  }
  const client = new StackyClient({url, credentials: credentialsOf(settings)});
  return client.ingest(open(file), {deployment, exchange});
}

export async function run(argv: string[]): Promise<number> {
  return command(ingestSpec, argv, async ({values, positionals}) => {
    if (values.db && values.url) throw new UsageError('give --db or --url, not both');
    const {deployment, exchange} = values;
    if (deployment === '' || exchange === '') throw new UsageError('--deployment and --exchange must not be empty');
    const files = positionals.length > 0 ? positionals : ['-'];
    const total = new Tally();
    // A bulk load keeps a larger page cache: random index inserts are its cost past a million rows.
    const writer = values.url ? undefined : await openWriter(dbLocation(values), {cacheMiB: 512});
    try {
      for (const file of files) {
        const name = file === '-' ? 'stdin' : file;
        let r: CountedResult;
        let progress = {stored: 0, duplicates: 0, rejected: 0};
        try {
          r = writer
            ? await ingestJsonl(open(file), writer, name, {deployment, exchange}, (t) => {
              progress = {stored: t.stored, duplicates: t.duplicates, rejected: t.rejectedCount};
            })
            : await post(values.url!, file, deployment, exchange);
        } catch (error) {
          // Say exactly what was committed before the failure, this file's and the earlier ones'.
          const partial = error instanceof StackyIngestError ? error.counts : writer ? progress : undefined;
          const before = partial === undefined ? 'what was stored of this file is unknown'
            : `stored ${total.stored + partial.stored}, duplicates ${total.duplicates + partial.duplicates}, ` +
              `rejected ${total.rejectedCount + partial.rejected} before the failure`;
          process.stderr.write(`stacky ingest: ${name}: ${terminalSafe((error as Error).message)}; ${before}\n`);
          return 1;
        }
        for (const rej of r.rejected) process.stderr.write(`${name}:${rej.line}: rejected: ${terminalSafe(rej.error)}\n`);
        for (const w of r.warnings) process.stderr.write(`${name}: warning: ${terminalSafe(w)}\n`);
        // The server lists a bounded number of rejections; the count it sends is exact.
        const more = r.rejected_count;
        if (more !== undefined && more > r.rejected.length) {
          process.stderr.write(`${name}: ${more - r.rejected.length} more rejected lines not listed (see stacky quarantine)\n`);
        }
        total.add(r);
      }
    } finally {
      await writer?.close();
    }
    process.stdout.write(`${total.summary()}\n`);
    return total.rejectedCount > 0 ? 1 : 0;
  });
}
