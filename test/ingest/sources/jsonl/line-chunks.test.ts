// Cutting JSON Lines into chunks on the writing thread and splitting them on the workers: every
// line once, numbered as an editor would, whatever the read sizes; lines over the line-size
// bound cut short; invalid UTF-8 kept as bytes. Files, stdin and POST bodies share all of it.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {lineChunks, type ChunkBounds} from '../../../../source/ingest/sources/jsonl/line-chunks.js';
import {splitLines} from '../../../../source/ingest/sources/jsonl/line.js';
import {checkedLines} from '../../../../source/ingest/sources/jsonl/checked-lines.js';
import {packItems, Preparer} from '../../../../source/ingest/prepare.js';

async function* reads(text: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const all = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let at = 0; at < all.length; at += size) yield all.subarray(at, at + size);
}

const bounds = (lines: number, more: Partial<ChunkBounds> = {}): ChunkBounds =>
  ({lines, bytes: Infinity, maxLine: Infinity, keepOfLong: 0, idleMs: 200, ...more});

async function chunks(text: string | Buffer, size: number, perChunk: number) {
  const out: {firstLine: number; lines: {line: string; no: number}[]}[] = [];
  for await (const c of lineChunks(reads(text, size), bounds(perChunk))) out.push({firstLine: c.firstLine, lines: splitLines(c.bytes, c.firstLine)});
  return out;
}

describe('splitLines', () => {
  it('numbers lines from the first, drops blank ones and the \\r of \\r\\n, keeps a last line without \\n', () => {
    const bytes = Buffer.from('{"a":1}\r\n\n   \n{"b":"é"}\n{"c":3}', 'utf8');
    assert.deepEqual(splitLines(bytes, 7), [{line: '{"a":1}', no: 7}, {line: '{"b":"é"}', no: 10}, {line: '{"c":3}', no: 11}]);
  });

  it('decodes invalid UTF-8 as U+FFFD rather than failing', () => {
    assert.deepEqual(splitLines(Buffer.from([0x7b, 0xff, 0x7d, 0x0a]), 1), [{line: '{\uFFFD}', no: 1}]);
  });
});

describe('lineChunks', () => {
  const text = Array.from({length: 10}, (_, i) => `{"n":${i + 1},"s":"ünïcödé ${'x'.repeat(i * 7)}"}`).join('\n') + '\n';

  for (const size of [1, 3, 17, 64, 1 << 20]) {
    it(`reads of ${size} bytes: chunks of whole lines, numbered across chunks`, async () => {
      const got = await chunks(text, size, 4);
      assert.deepEqual(got.map((c) => [c.firstLine, c.lines.map((l) => l.no)]), [[1, [1, 2, 3, 4]], [5, [5, 6, 7, 8]], [9, [9, 10]]]);
      assert.deepEqual(got.flatMap((c) => c.lines.map((l) => l.line)), text.trimEnd().split('\n'));
    });
  }

  it('blank lines count for numbering; a last line without \\n is kept; empty input gives nothing', async () => {
    const got = await chunks('{"a":1}\n\n\n{"b":2}\n{"c":3}', 5, 2);
    assert.deepEqual(got.map((c) => c.lines), [[{line: '{"a":1}', no: 1}], [{line: '{"b":2}', no: 4}],
      [{line: '{"c":3}', no: 5}]]);
    assert.deepEqual(await chunks('', 5, 2), []);
  });

  it('each chunk owns its buffer (it is transferred to a worker)', async () => {
    for await (const c of lineChunks(reads(text, 8), bounds(3))) {
      assert.equal(c.bytes.byteOffset, 0);
      assert.equal(c.bytes.byteLength, c.bytes.buffer.byteLength);
    }
  });
});

describe('lineChunks with the bounds of a POST body', () => {
  /** Lines as checkedLines gives them, from reads of the given pieces, with a line bound of 100 keeping 4 bytes. */
  const split = async (pieces: (string | Buffer)[], more: Partial<ChunkBounds> = {}) => {
    async function* given(): AsyncGenerator<Buffer> {
      for (const p of pieces) yield Buffer.isBuffer(p) ? p : Buffer.from(p);
    }
    const out = [];
    for await (const c of lineChunks(given(), bounds(1000, {maxLine: 100, keepOfLong: 4, ...more}))) {
      for (const w of checkedLines(c, {deployment: 'd', exchange: 'nova'})) {
        out.push('line' in w ? {no: w.no, text: w.line} : {no: w.item.line, error: w.item.error, bytes: Buffer.from(w.item.raw!).toString('latin1')});
      }
    }
    return out;
  };

  it('joins lines across reads, drops \\r before \\n and blank lines, keeps numbering', async () => {
    assert.deepEqual(await split(['ab', 'c\r\n\n  \nd', 'e']), [{no: 1, text: 'abc'}, {no: 4, text: 'de'}]);
  });

  it('keeps only the first bytes of a line over the bound, whichever read it ends in', async () => {
    const error = 'line of 120 bytes is longer than the limit of 100; its first 4 bytes are kept';
    assert.deepEqual(await split(['x'.repeat(60), 'y'.repeat(60), '\nok\n']), [{no: 1, error, bytes: 'xxxx'}, {no: 2, text: 'ok'}]);
    assert.deepEqual(await split([`ok\n${'z'.repeat(120)}\nok2`]), [{no: 1, text: 'ok'}, {no: 2, error, bytes: 'zzzz'}, {no: 3, text: 'ok2'}]);
    assert.deepEqual(await split(['a'.repeat(50), 'b'.repeat(70)]), [{no: 1, error, bytes: 'aaaa'}]);
    assert.deepEqual(await split(['a'.repeat(2), 'b'.repeat(200), '\n'], {keepOfLong: 150}),
      [{no: 1, error: 'line of 202 bytes is longer than the limit of 100; its first 150 bytes are kept', bytes: `aa${'b'.repeat(148)}`}]);
  });

  it('a UTF-8 character split between reads is one character; invalid bytes are kept as they came', async () => {
    const snow = Buffer.from('☃\n');
    assert.deepEqual(await split([snow.subarray(0, 1), snow.subarray(1)]), [{no: 1, text: '☃'}]);
    assert.deepEqual(await split([Buffer.from([0x61, 0xff, 0x0a])]), [{no: 1, error: 'not valid UTF-8; the bytes received are kept', bytes: 'a\xff'}]);
  });

  it('a chunk goes out once its whole lines hold the byte bound', async () => {
    const sizes = [];
    async function* given(): AsyncGenerator<Buffer> {
      yield Buffer.from('aaaa\nbbbb\ncccc\ndddd\ne');
    }
    for await (const c of lineChunks(given(), bounds(1000, {bytes: 10}))) sizes.push([c.firstLine, c.bytes.length]);
    assert.deepEqual(sizes, [[1, 10], [3, 10], [5, 1]]);
  });

  it('when reading fails, the whole lines read before go out, then the error', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"a":1}\n{"b":2}\n{"par');
      throw new Error('gone');
    }
    const got: string[] = [];
    await assert.rejects(async () => {
      for await (const c of lineChunks(failing(), bounds(1000))) got.push(...splitLines(c.bytes, c.firstLine).map((l) => l.line));
    }, /gone/);
    assert.deepEqual(got, ['{"a":1}', '{"b":2}']);
  });
});

describe('lineChunks on a live stream', () => {
  it('sends the whole lines so far when the input pauses, keeping a partial line for later', {timeout: 10_000}, async () => {
    let resumed = false;
    let sent!: () => void;
    const firstSent = new Promise<void>((resolve) => (sent = resolve));
    async function* live(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"a":1}\n{"b":2}\n{"pa');
      // The input stays paused until the lines so far went out: only the idle bound can send them.
      await firstSent;
      resumed = true;
      yield Buffer.from('rt":3}\n{"d":4}\n');
    }
    const got: {lines: {line: string; no: number}[]; resumed: boolean}[] = [];
    for await (const c of lineChunks(live(), bounds(1000, {idleMs: 50}))) {
      got.push({lines: splitLines(c.bytes, c.firstLine), resumed});
      sent();
    }
    // The first lines went out during the pause (idle after 50 ms), not after it.
    assert.deepEqual(got, [
      {lines: [{line: '{"a":1}', no: 1}, {line: '{"b":2}', no: 2}], resumed: false},
      {lines: [{line: '{"part":3}', no: 3}, {line: '{"d":4}', no: 4}], resumed: true}]);
  });
});

describe('packed RabbitMQ bodies', () => {
  it('are unpacked on the preparing side with their deployment, exchange and routing key', () => {
    const bodies = ['{"event_type":"a.b","publisher_id":"compute.h1","timestamp":"2014-01-01 00:00:00"}', 'not json', '{"é":1}'];
    const header = (i: number) => ({deployment: `d${i}`, exchange: i === 1 ? 'glance' : 'nova', routingKey: `monitor.${i}`});
    const packed = packItems(bodies.map((b, i) => ({item: header(i), body: Buffer.from(b, 'utf8')})));
    const rows = new Preparer().preparePacked(packed);
    assert.deepEqual(rows.map((r) => [r.deployment, r.exchange, r.routingKey, r.error ?? null]), [
      ['d0', 'nova', 'monitor.0', null],
      ['d1', 'glance', 'monitor.1', 'not JSON: Unexpected token \'o\', "not json" is not valid JSON'],
      ['d2', 'nova', 'monitor.2', 'missing publisher_id'],
    ]);
    assert.equal(rows[1]!.text, 'not json');
    assert.equal(rows[2]!.text, '{"é":1}');
  });

  it('carry each distinct deployment, exchange and routing key once', () => {
    const item = (deployment: string, routingKey: string) => ({item: {deployment, exchange: 'nova', routingKey}, body: Buffer.from('{}')});
    const packed = packItems([item('a', 'monitor.info'), item('b', 'monitor.info'), item('a', 'monitor.info'), item('a', 'monitor.error')]);
    assert.deepEqual(packed.headers, [{deployment: 'a', exchange: 'nova', routingKey: 'monitor.info'},
      {deployment: 'b', exchange: 'nova', routingKey: 'monitor.info'}, {deployment: 'a', exchange: 'nova', routingKey: 'monitor.error'}]);
    assert.deepEqual([...packed.headerOf], [0, 1, 0, 2]);
    assert.deepEqual([...packed.ends], [2, 4, 6, 8]);
    assert.deepEqual(new Preparer().preparePacked(packed).map((r) => `${r.deployment} ${r.routingKey}`),
      ['a monitor.info', 'b monitor.info', 'a monitor.info', 'a monitor.error']);
  });
});
