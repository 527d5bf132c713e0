// The README's console key table is the keymap's (source/console/keymap.ts is the only place a
// key is named): it is rebuilt here from the keymap and must match, so the two cannot drift.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {keyLabel, keymap, type Scope} from '../../source/console/keymap.js';

const where: [Scope, string][] = [
  ['global', 'anywhere'],
  ['list', 'lists'],
  ['watch', 'watch'],
  ['event', 'event rows'],
  ['show', 'raw event'],
  ['search', 'search'],
  ['form', 'search form'],
  ['report', 'report'],
  ['summary', 'summary'],
  ['input', 'typing (`/`, `:`, `h`)'],
];

export function keyTable(): string {
  const rows = ['| keys | where | action |', '|---|---|---|'];
  for (const [scope, label] of where) {
    for (const b of keymap.filter((x) => x.scope === scope)) {
      rows.push(`| ${b.keys.map((k) => `\`${keyLabel(k)}\``).join(' ')} | ${label} | ${b.help} |`);
    }
  }
  return rows.join('\n');
}

test("the README's console key table is the keymap's", () => {
  assert.equal(where.length, new Set(keymap.map((b) => b.scope)).size + (keymap.some((b) => b.scope === 'show') ? 0 : 1), 'every scope has a label');
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const from = readme.indexOf('| keys | where | action |');
  const to = readme.indexOf('\n\n', from);
  assert.equal(readme.slice(from, to), keyTable());
});
