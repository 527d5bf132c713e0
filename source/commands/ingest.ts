// stacky ingest: JSON Lines from files or stdin, straight into a database or to a server.
import {createReadStream, readFileSync} from 'node:fs';
import type {Readable} from 'node:stream';
import {openDatabase} from '../store/database.js';
import {ingestJsonl} from '../ingest/sources/jsonl/files.js';
import {emptyResult} from '../ingest/item.js';
import {Tally, type CountedResult} from '../ingest/tally.js';
import {defaultDbPath} from './paths.js';
import {guarded, parse, UsageError} from './args.js';
import {redactUrl} from '../client/redact.js';
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

/** A failure part-way: what was committed before it, when known. */
class PartialFailure extends Error {
  constructor(message: string, readonly stored: {stored: number; duplicates: number; rejected: number} | undefined) {
    super(message);
  }
}

/** The counts an upload error table carries (Stored, Duplicates, Rejected columns), see server/ingest-handler.ts. */
function tableCounts(parsed: unknown): {message: string; counts?: {stored: number; duplicates: number; rejected: number}} | undefined {
  if (!Array.isArray(parsed) || parsed.length !== 2 || !Array.isArray(parsed[0]) || !Array.isArray(parsed[1])) return undefined;
  const [head, row] = parsed as unknown[][];
  const at = (name: string) => {
    const i = head!.indexOf(name);
    return i < 0 || typeof row![i] !== 'number' ? undefined : (row![i] as number);
  };
  const stored = at('Stored');
  const message = String(row![1]);
  if (stored === undefined) return {message};
  return {message, counts: {stored, duplicates: at('Duplicates') ?? 0, rejected: at('Rejected') ?? 0}};
}

async function post(url: string, file: string, deployment: string, exchange: string): Promise<CountedResult> {
  const target = new URL('/ingest/', url);
  target.searchParams.set('deployment', deployment);
  target.searchParams.set('exchange', exchange);
  const {request} = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  // A server with --auth-file wants an ingest (or admin) token; an https one may need a CA.
  const token = process.env.STACKY_TOKEN;
  const ca = process.env.STACKY_CA ? readFileSync(process.env.STACKY_CA) : undefined;
  const headers: Record<string, string> = {'Content-Type': 'application/x-ndjson', ...(token ? {Authorization: `Bearer ${token}`} : {})};
  return new Promise<CountedResult>((resolve, reject) => {
    const input = open(file);
    const req = request(target, {method: 'POST', headers, ...(ca ? {ca} : {})}, (res) => {
      // The server may answer before the whole body was sent (a bound, a full disk): stop sending.
      input.unpipe(req);
      input.destroy();
      req.end();
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body) as unknown;
        } catch {
          reject(new PartialFailure(`server answered ${res.statusCode} with a body that is not JSON`, undefined));
          return;
        }
        if (res.statusCode !== 200) {
          const table = tableCounts(parsed);
          reject(new PartialFailure(`server answered ${res.statusCode}: ${table?.message ?? body.slice(0, 500)}`, table?.counts));
          return;
        }
        const r = parsed as Partial<CountedResult>;
        resolve({...emptyResult(), ...r});
      });
    });
    req.on('error', (e) => reject(new Error(redactUrl(`cannot reach ${url}: ${e.message}`))));
    input.on('error', reject).pipe(req);
  });
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
          const partial = error instanceof PartialFailure ? error.stored : db ? progress : undefined;
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
