// The lines of a chunk of JSON Lines, with lines that are not valid UTF-8 kept as bytes: they
// are quarantined as received instead of with U+FFFD in place of what came (issue #13).
import {isUtf8} from 'node:buffer';
import {lineRanges, splitLines, type LineDefaults} from './line.js';
import type {Work} from '../../prepare.js';

export function checkedLines(bytes: Uint8Array, firstLine: number, defaults: LineDefaults): Work[] {
  // Almost every chunk is valid as a whole: one native check, then the usual split.
  if (isUtf8(bytes)) return splitLines(bytes, firstLine);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const work: Work[] = [];
  for (const {start, end, no} of lineRanges(buf, firstLine)) {
    const line = buf.subarray(start, end);
    if (isUtf8(line)) {
      const text = line.toString('utf8');
      if (text.trim() !== '') work.push({line: text, no});
    } else {
      work.push({item: {...defaults, routingKey: '', line: no, text: '', raw: new Uint8Array(line),
        error: 'not valid UTF-8; the bytes received are kept'}});
    }
  }
  return work;
}
