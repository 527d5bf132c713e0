// The lines of a chunk of JSON Lines, with lines that are not valid UTF-8 kept as bytes: they
// are quarantined as received instead of with U+FFFD in place of what came (issue #13).
import {isUtf8} from 'node:buffer';
import {splitLines, type LineDefaults} from './jsonl.js';
import type {Work} from './prepare.js';

const NEWLINE = 0x0a;
const RETURN = 0x0d;

export function checkedLines(bytes: Uint8Array, firstLine: number, defaults: LineDefaults): Work[] {
  // Almost every chunk is valid as a whole: one native check, then the usual split.
  if (isUtf8(bytes)) return splitLines(bytes, firstLine);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const work: Work[] = [];
  let no = firstLine;
  for (let start = 0; start < buf.length; no++) {
    let end = buf.indexOf(NEWLINE, start);
    const next = end < 0 ? buf.length : end + 1;
    if (end < 0) end = buf.length;
    if (end > start && buf[end - 1] === RETURN) end--;
    const line = buf.subarray(start, end);
    if (isUtf8(line)) {
      const text = line.toString('utf8');
      if (text.trim() !== '') work.push({line: text, no});
    } else {
      work.push({item: {...defaults, routingKey: '', line: no, text: '', raw: new Uint8Array(line),
        error: 'not valid UTF-8; the bytes received are kept'}});
    }
    start = next;
  }
  return work;
}
