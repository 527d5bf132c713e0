// Prepared statements of a connection, by SQL text, and how a LIMIT goes into that text.

/**
 * A LIMIT as a literal, not a bound parameter: SQLite plans an ORDER BY … LIMIT with the
 * limit's value, so a statement whose LIMIT is bound is prepared again on every run (measured:
 * 14 µs of a 62 µs /stacky/uuid/ query on the bench database). Offsets are not planned with.
 */
export function limitSql(limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`LIMIT must be a whole number >= 0, got ${limit}`);
  return String(limit);
}

/** Statements kept per connection: SQL texts differ by filter, service and limit, so they are bounded. */
const MAX_STATEMENTS = 256;

/** Prepared statements by SQL text, the least recently used dropped past `max`. */
export class Statements<S> {
  private readonly kept = new Map<string, S>();

  constructor(private readonly prepare: (sql: string) => S, private readonly max = MAX_STATEMENTS) {}

  get(sql: string): S {
    let s = this.kept.get(sql);
    if (s === undefined) {
      s = this.prepare(sql);
      if (this.kept.size >= this.max) this.kept.delete(this.kept.keys().next().value!);
    } else {
      this.kept.delete(sql);
    }
    this.kept.set(sql, s);
    return s;
  }

  get size(): number {
    return this.kept.size;
  }
}
