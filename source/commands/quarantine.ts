// stacky quarantine: list the lines and messages that could not be stored, newest first; with
// --replay, run them through today's parser and keep only those that still do not store.
import {openStore, openWriter} from '../store/open.js';
import type {Store} from '../store/api.js';
import type {Writer} from '../store/types.js';
import {whenString} from '../core/time.js';
import {terminalSafe} from '../core/terminal-text.js';
import {dbLocation} from './paths.js';
import {UsageError} from './args.js';
import {command} from './spec.js';
import {quarantineSpec} from './specs/quarantine.js';

/** Entries replayed per transaction: bounded memory, and a reader never waits long. */
const REPLAY_PAGE = 1000;

async function replay(store: Store, writer: Writer, ids: number[] | undefined, json: boolean): Promise<number> {
  const {Pipeline} = await import('../ingest/pipeline.js');
  const pipeline = new Pipeline(writer, {source: 'replay'});
  const total = {replayed: 0, stored: 0, duplicates: 0, stayed: 0, warnings: [] as string[]};
  for (let after = 0; ;) {
    const page = await store.quarantine.page(after, REPLAY_PAGE, ids);
    if (page.length === 0) break;
    const r = await pipeline.replay(page);
    total.replayed += page.length;
    total.stored += r.stored;
    total.duplicates += r.duplicates;
    total.stayed += r.stayed;
    total.warnings.push(...r.warnings);
    after = page[page.length - 1]!.id;
  }
  if (ids !== undefined && total.replayed < ids.length) {
    total.warnings.push(`${ids.length - total.replayed} of the ids given are not in the quarantine`);
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(total)}\n`);
  } else {
    process.stdout.write(`replayed ${total.replayed}: ${total.stored} stored, ${total.duplicates} already stored, ` +
      `${total.stayed} stayed quarantined\n`);
    for (const w of total.warnings) process.stdout.write(`warning: ${w}\n`);
  }
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  return command(quarantineSpec, argv, async ({values, given}) => {
    if (values.id !== undefined && !values.replay) throw new UsageError('--id goes with --replay');
    if (values.replay && given.has('limit')) throw new UsageError('--limit is for listing; --replay takes --id');
    const ids = values.id;
    const {limit} = values;
    const path = dbLocation(values);
    const store = await openStore(path);
    try {
      if (values.replay) {
        const writer = await openWriter(path);
        try {
          return await replay(store, writer, ids, values.json);
        } finally {
          await writer.close();
        }
      }
      const rows = (await store.quarantine.list(limit)).map((r) => ({...r, raw: r.raw ? r.raw.toString('utf8') : null}));
      if (values.json) {
        process.stdout.write(`${JSON.stringify(rows)}\n`);
        return 0;
      }
      process.stdout.write(`${await store.quarantine.count()} quarantined\n`);
      for (const r of rows) {
        const where = [r.source, r.line === null ? null : `line ${r.line}`, r.deployment, r.exchange, r.routing_key]
          .filter((x) => x !== null && x !== '').join(' ');
        // Quarantined text is hostile by definition: shown terminal-safe (core/terminal-text.ts).
        process.stdout.write(terminalSafe(`#${r.id} ${whenString(r.received)} ${where}\n  error: ${r.error}\n`));
        const raw = (r.raw ?? '').replace(/[ \t\n]+/g, ' ');
        process.stdout.write(`  raw: ${terminalSafe(raw.length > 200 ? `${raw.slice(0, 200)}…` : raw, true)}\n`);
      }
      return 0;
    } finally {
      await store.close();
    }
  });
}
