// stacky ingest: JSON Lines from files or stdin, straight into a database or to a server.
import {createReadStream, readFileSync} from 'node:fs';
import type {Readable} from 'node:stream';
import {openDatabase} from '../store/database.js';
import {ingestStream, addResult} from '../ingest/jsonl-reader.js';
import {emptyResult, type IngestResult} from '../ingest/item.js';
import {defaultDbPath} from './paths.js';
import {guarded, parse, UsageError} from './args.js';

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

async function post(url: string, file: string, deployment: string, exchange: string): Promise<IngestResult> {
  const target = new URL('/ingest/', url);
  target.searchParams.set('deployment', deployment);
  target.searchParams.set('exchange', exchange);
  const {request} = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  // A server with --auth-file wants an ingest (or admin) token; an https one may need a CA.
  const token = process.env.STACKY_TOKEN;
  const ca = process.env.STACKY_CA ? readFileSync(process.env.STACKY_CA) : undefined;
  const headers: Record<string, string> = {'Content-Type': 'application/x-ndjson', ...(token ? {Authorization: `Bearer ${token}`} : {})};
  return new Promise<IngestResult>((resolve, reject) => {
    const req = request(target, {method: 'POST', headers, ...(ca ? {ca} : {})}, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        try {
          const parsed = JSON.parse(body) as unknown;
          if (res.statusCode !== 200) {
            const msg = Array.isArray(parsed) ? String((parsed as unknown[][])[1]?.[1]) : body;
            reject(new Error(`server answered ${res.statusCode}: ${msg}`));
            return;
          }
          resolve({...emptyResult(), ...(parsed as Partial<IngestResult>)});
        } catch {
          reject(new Error(`server answered ${res.statusCode} with a body that is not JSON`));
        }
      });
    });
    req.on('error', (e) => reject(new Error(`cannot reach ${url}: ${e.message}`)));
    open(file).on('error', reject).pipe(req);
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
    const total = emptyResult();
    // A bulk load keeps a larger page cache: random index inserts are its cost past a million rows.
    const db = values.url ? undefined : openDatabase(values.db ?? defaultDbPath(), {cacheMiB: 512});
    try {
      for (const file of files) {
        const name = file === '-' ? 'stdin' : file;
        let r: IngestResult;
        try {
          r = db
            ? await ingestStream(open(file), db, name, {deployment, exchange})
            : await post(values.url!, file, deployment, exchange);
        } catch (error) {
          process.stderr.write(`stacky ingest: ${name}: ${(error as Error).message}\n`);
          return 1;
        }
        for (const rej of r.rejected) process.stderr.write(`${name}:${rej.line}: rejected: ${rej.error}\n`);
        for (const w of r.warnings) process.stderr.write(`${name}: warning: ${w}\n`);
        addResult(total, r);
      }
    } finally {
      db?.close();
    }
    process.stdout.write(`stored ${total.stored}, duplicates ${total.duplicates}, rejected ${total.rejected.length}\n`);
    return total.rejected.length > 0 ? 1 : 0;
  });
}
