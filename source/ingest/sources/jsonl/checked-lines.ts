// The lines of a chunk of JSON Lines, with lines that are not valid UTF-8 kept as bytes: they
// are quarantined as received instead of with U+FFFD in place of what came (issue #13). Lines
// cut at the line-size bound (line-chunks.ts) are quarantined likewise, with their first bytes.
import {isUtf8} from 'node:buffer';
import {lineRanges, splitLines, type LineDefaults} from './line.js';
import type {LinesChunk, Work} from '../../prepare.js';

export function checkedLines({bytes, firstLine, cut}: LinesChunk, defaults: LineDefaults): Work[] {
  // Almost every chunk is valid as a whole and has no cut line: one native check, then the usual split.
  if (!cut?.length && isUtf8(bytes)) return splitLines(bytes, firstLine);
  const reasons = new Map(cut?.map((c) => [c.no, c.error]));
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const work: Work[] = [];
  const kept = (raw: Buffer, no: number, error: string): Work =>
    ({item: {...defaults, routingKey: '', line: no, text: '', raw: new Uint8Array(raw), error}});
  for (const {start, end, stop, no} of lineRanges(buf, firstLine)) {
    const reason = reasons.get(no);
    if (reason !== undefined) {
      work.push(kept(buf.subarray(start, stop), no, reason));
      continue;
    }
    const line = buf.subarray(start, end);
    if (isUtf8(line)) {
      const text = line.toString('utf8');
      if (text.trim() !== '') work.push({line: text, no});
    } else {
      work.push(kept(line, no, 'not valid UTF-8; the bytes received are kept'));
    }
  }
  return work;
}
