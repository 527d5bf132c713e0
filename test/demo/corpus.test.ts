import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {demoStream, writeCorpus} from '../../source/demo/corpus.js';
import {DemoGenerator} from '../../source/demo/generator.js';
import {isoTime, pyTime, strTime} from '../../source/demo/time.js';

test('demoStream yields the generator output, count items', () => {
  const generator = new DemoGenerator({seed: 5, rate: 50});
  const streamed = [...demoStream(500, {seed: 5, rate: 50})];
  assert.equal(streamed.length, 500);
  for (const e of streamed) assert.deepEqual(e, generator.next());
  assert.equal([...demoStream(0)].length, 0);
});

test('writeCorpus writes one JSON.stringify(envelope) per line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'stacky-demo-'));
  try {
    const path = join(dir, 'corpus.jsonl');
    await writeCorpus(path, 3000, {seed: 9});
    const text = await readFile(path, 'utf8');
    assert.ok(text.endsWith('\n'), 'text.endsWith(\'\\n\')');
    const lines = text.slice(0, -1).split('\n');
    assert.equal(lines.length, 3000);
    let i = 0;
    for (const e of demoStream(3000, {seed: 9})) assert.equal(lines[i++], JSON.stringify(e));

    const empty = join(dir, 'empty.jsonl');
    await writeCorpus(empty, 0);
    assert.equal(await readFile(empty, 'utf8'), '');
  } finally {
    await rm(dir, {recursive: true, force: true});
  }
});

test('writeCorpus rejects when the file cannot be written', async () => {
  await assert.rejects(writeCorpus(join(tmpdir(), 'no-such-dir-stacky', 'x', 'corpus.jsonl'), 10), /ENOENT/);
});

test('demo timestamps print like Python', () => {
  const t = Date.UTC(2013, 5, 20, 17, 31, 57) * 1000;
  assert.equal(pyTime(t + 939614), '2013-06-20 17:31:57.939614');
  assert.equal(pyTime(t), '2013-06-20 17:31:57');
  assert.equal(pyTime(t + 5), '2013-06-20 17:31:57.000005');
  assert.equal(isoTime(t + 123000), '2013-06-20T17:31:57.123000');
  assert.equal(isoTime(t), '2013-06-20T17:31:57');
  assert.equal(strTime(t), '2013-06-20T17:31:57.000000');
  assert.equal(pyTime(Date.UTC(2026, 0, 1) * 1000 - 1), '2025-12-31 23:59:59.999999');
});
