// stacky ingest: JSON Lines from files or stdin, straight into a database or to a server.
import {createReadStream} from 'node:fs';
import type {Readable} from 'node:stream';
import {openDatabase} from '../store/database.js';
import {ingestJsonl} from '../ingest/sources/jsonl/files.js';
import {Tally, type CountedResult} from '../ingest/tally.js';
import {defaultDbPath} from './paths.js';
import {guarded, parse, UsageError} from './args.js';
import {StackyClient} from '../client/client.js';
import {redactUrl} from '../client/redact.js';
import {StackyIngestError} from '../client/errors.js';
import type {IngestReply} from '../client/types.js';
import {loadSettings} from './settings.js';
import {credentialsOf} from './credentials.js';
import {terminalSafe} from '../core/terminal-text.js';

const HELP = `Usage: stacky ingest [--db PATH | --url URL] [--deployment NAME] [--exchange nova|glance|generic] [FILE ... | -]

Reads notifications as JSON Lines (a bare body, [routing_key, body], or an envelope
{"deployment","exchange","routing_key","body"}) and stores them. Bad lines are quarantined
(see stacky quarantine) and reported with their line number; the others are still stored.
  --db PATH          write straight to this SQLite file (default: $STACKY_DB or the data dir)
  --url URL          post to a running server's /ingest/ instead
  --deployment NAME  deployment for lines that do not name one (default: default)
  --exchange NAME    exchange for lines that do not name one (default: nova)
Exit status: 0 all stored, 1 some lines rejected, 2 usage error.

Example: stacky ingest --db stacky.db --deployment region-1 notifications.jsonl
`;

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
  return guarded('ingest', async () => {
    const {values, positionals} = parse(argv, {
      db: {type: 'string'}, url: {type: 'string'}, deployment: {type: 'string'}, exchange: {type: 'string'},
      help: {type: 'boolean', short: 'h'},
    }, true);
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (values.db && values.url) throw new UsageError('give --db or --url, not both');
    const deployment = values.deployment ?? 'default';
    const exchange = values.exchange ?? 'nova';
    if (deployment === '' || exchange === '') throw new UsageError('--deployment and --exchange must not be empty');
    const files = positionals.length > 0 ? positionals : ['-'];
    const total = new Tally();
    // A bulk load keeps a larger page cache: random index inserts are its cost past a million rows.
    const db = values.url ? undefined : openDatabase(values.db ?? defaultDbPath(), {cacheMiB: 512});
    try {
      for (const file of files) {
        const name = file === '-' ? 'stdin' : file;
        let r: CountedResult;
        let progress = {stored: 0, duplicates: 0, rejected: 0};
        try {
          r = db
            ? await ingestJsonl(open(file), db, name, {deployment, exchange}, (t) => {
              progress = {stored: t.stored, duplicates: t.duplicates, rejected: t.rejectedCount};
            })
            : await post(values.url!, file, deployment, exchange);
        } catch (error) {
          // Say exactly what was committed before the failure, this file's and the earlier ones'.
          const partial = error instanceof StackyIngestError ? error.counts : db ? progress : undefined;
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
      db?.close();
    }
    process.stdout.write(`${total.summary()}\n`);
    return total.rejectedCount > 0 ? 1 : 0;
  });
}
