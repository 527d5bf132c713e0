// POST /ingest/?deployment=NAME&exchange=nova: JSON Lines in, {"stored", "rejected"} out.
// Lines are stored in batches as the body streams in, so a large upload never sits in memory.
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {Pipeline} from '../ingest/pipeline.js';
import {parseLine} from '../ingest/jsonl.js';
import {emptyResult, type IngestItem, type IngestResult} from '../ingest/item.js';
import {badRequest} from './http-error.js';
import type {Query} from './params.js';

const BATCH = 2000;

export function ingestDefaults(q: Query): {deployment: string; exchange: string} {
  const deployment = q.get('deployment') ?? 'default';
  const exchange = q.get('exchange') ?? 'nova';
  if (deployment === '') throw badRequest('deployment must not be empty.');
  if (exchange === '') throw badRequest('exchange must not be empty.');
  return {deployment, exchange};
}

export async function handleIngest(req: IncomingMessage, res: ServerResponse, pipeline: Pipeline, q: Query): Promise<void> {
  const defaults = ingestDefaults(q);
  const total: IngestResult = emptyResult();
  let pending: IngestItem[] = [];
  let lineNo = 0;
  let rest = '';
  const flush = () => {
    if (pending.length === 0) return;
    const r = pipeline.ingest(pending);
    total.stored += r.stored;
    total.duplicates += r.duplicates;
    total.rejected.push(...r.rejected);
    total.warnings.push(...r.warnings);
    pending = [];
  };
  const take = (text: string) => {
    lineNo++;
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (line.trim() === '') return;
    pending.push(parseLine(line, lineNo, defaults));
    if (pending.length >= BATCH) flush();
  };
  req.setEncoding('utf8');
  for await (const chunk of req as AsyncIterable<string>) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) take(p);
  }
  if (rest !== '') take(rest);
  flush();
  const body = JSON.stringify({stored: total.stored, duplicates: total.duplicates, rejected: total.rejected,
    warnings: total.warnings});
  res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)});
  res.end(body);
}
