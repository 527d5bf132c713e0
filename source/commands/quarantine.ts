// stacky quarantine: list the lines and messages that could not be stored, newest first.
import {openDatabase} from '../store/database.js';
import {countQuarantine, listQuarantine} from '../store/quarantine-reader.js';
import {whenString} from '../core/time.js';
import {terminalSafe} from '../core/terminal-text.js';
import {defaultDbPath} from './paths.js';
import {guarded, intFlag, parse} from './args.js';

const HELP = `Usage: stacky quarantine [--db PATH] [--limit N] [--json]

Lists rejected notifications with where they came from, why, and their raw text.
Example: stacky quarantine --db stacky.db --limit 20
`;

export async function run(argv: string[]): Promise<number> {
  return guarded('quarantine', async () => {
    const {values} = parse(argv, {
      db: {type: 'string'}, limit: {type: 'string'}, json: {type: 'boolean'}, help: {type: 'boolean', short: 'h'},
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const limit = intFlag('limit', values.limit, 50);
    const db = openDatabase(values.db ?? defaultDbPath());
    try {
      const rows = listQuarantine(db, limit).map((r) => ({...r, raw: r.raw ? r.raw.toString('utf8') : null}));
      if (values.json) {
        process.stdout.write(`${JSON.stringify(rows)}\n`);
        return 0;
      }
      process.stdout.write(`${countQuarantine(db)} quarantined\n`);
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
      db.close();
    }
  });
}
