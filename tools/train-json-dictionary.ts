// npm run train-dictionary: trains codec 4's zstd dictionary (source/store/json-dictionary.ts) on
// a seeded demo corpus, stored as the pipeline stores it, with the zstd CLI (`zstd --train`).
// Run it only with a new codec id: rows written with a dictionary need that exact dictionary.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execFileSync} from 'node:child_process';
import {demoStream} from '../source/demo/corpus.js';
import {parseLine} from '../source/ingest/sources/jsonl/line.js';
import {rawText} from '../source/ingest/prepare.js';
import {unwrapEnvelope} from '../source/core/envelope.js';

// A seed other than the bench's (1), so that the bench measures notifications it was not trained on.
const SEED = 7;
const SAMPLES = 20_000;
const SIZE = 32 * 1024;
const DICT_ID = 4;
const out = new URL('../source/store/json-dictionary.ts', import.meta.url);

const dir = mkdtempSync(join(tmpdir(), 'stacky-dictionary-'));
try {
  let i = 0;
  for (const envelope of demoStream(SAMPLES, {seed: SEED})) {
    // Each sample is a raw row's text as a JSON Lines ingest stores it.
    const item = parseLine(JSON.stringify(envelope), ++i, {deployment: 'default', exchange: 'nova'});
    const inner = unwrapEnvelope(item.body);
    const text = rawText(item.routingKey, inner.text !== undefined ? inner.body : item.body, inner.text ?? item.text);
    writeFileSync(join(dir, `${String(i).padStart(6, '0')}.json`), text);
  }
  const dict = join(dir, 'dictionary');
  execFileSync('zstd', ['--train', '-q', '-r', dir, `--maxdict=${SIZE}`, `--dictID=${DICT_ID}`, '-o', dict], {stdio: 'inherit'});
  const base64 = readFileSync(dict).toString('base64');
  const lines = base64.match(/.{1,100}/g) ?? [];
  writeFileSync(out, '// Codec 4\'s zstd dictionary (zstd-keyframe-4), trained by tools/train-json-dictionary.ts on\n' +
    `// ${SAMPLES.toLocaleString('en-US')} demo notifications (seed ${SEED}). Generated: never edit it, and never regenerate it\n` +
    '// for codec 4: stored rows inflate only with the exact dictionary they were compressed with.\n' +
    'export const ZSTD_DICTIONARY = Buffer.from([\n' + lines.map((l) => `  '${l}',\n`).join('') + "].join(''), 'base64');\n");
  process.stdout.write(`wrote ${out.pathname} (${readFileSync(dict).length} B dictionary)\n`);
} finally {
  rmSync(dir, {recursive: true, force: true});
}
