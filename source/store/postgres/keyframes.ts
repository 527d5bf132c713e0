// Keyframe lookups for decoding raw JSON on PostgreSQL: a row compressed against a keyframe names
// it by id (source/store/json-codec.ts); the keyframe is in the same raw table or, once retention
// dropped its partition while a kept row still needed it, in stacky_keyframes (retention.ts).
import {query, type Queryable} from './connect.js';

/** The stored blobs of keyframes `ids` of raw table `table`, by id (missing ones absent). */
export async function loadKeyframes(on: Queryable, table: string, ids: readonly number[]): Promise<Map<number, Buffer>> {
  const found = new Map<number, Buffer>();
  if (ids.length === 0) return found;
  const rows = await query<{id: number; json_z: Buffer}>(on, `SELECT id, json_z FROM ${table} WHERE id = ANY($1::bigint[])
    UNION ALL SELECT id, json_z FROM stacky_keyframes WHERE tbl = $2 AND id = ANY($1::bigint[])`, [[...ids], table]);
  for (const r of rows) found.set(r.id, r.json_z);
  return found;
}
