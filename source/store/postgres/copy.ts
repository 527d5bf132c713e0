// Rows into a table with COPY … FROM STDIN in its text format: the engine's fastest way in.
import {Readable} from 'node:stream';
import {pipeline} from 'node:stream/promises';
import type {TxSql} from './connect.js';

/** Text-format escapes: backslash, and the three characters that end a field or a row. */
function escapeText(s: string): string {
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}

function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (v instanceof Uint8Array) return `\\\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  // A NUL cannot be stored in PostgreSQL text; SQLite keeps it. Rare enough to replace.
  return escapeText(String(v).replace(/\u0000/g, '\uFFFD'));
}

/** Up to this many bytes of COPY text are handed to the connection at a time. */
const CHUNK_BYTES = 1 << 20;

export async function copyRows(tx: TxSql, table: string, columns: readonly string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const quoted = columns.map((c) => `"${c}"`).join(', ');
  const sink = await tx.unsafe(`COPY ${table} (${quoted}) FROM STDIN`).writable();
  function* chunks(): Generator<string> {
    let out = '';
    for (const row of rows) {
      out += row.map(field).join('\t') + '\n';
      if (out.length >= CHUNK_BYTES) {
        yield out;
        out = '';
      }
    }
    if (out) yield out;
  }
  await pipeline(Readable.from(chunks()), sink);
}
