// Answers for read-only URLs, kept until the database changes. Operators' consoles poll the
// same views over and over; a quiet database answers them from memory. Any commit, from this
// process or another, changes the data version and so empties the cache's validity at once.
// Bounded by entries and by bytes, where an entry costs its URL, its body and a fixed overhead:
// an empty body under a long unique URL still counts (see test/server/hostile.test.ts).

/** What a Map entry and its record cost besides the two strings, roughly. */
export const ENTRY_OVERHEAD = 96;

export class ResponseCache {
  private readonly entries = new Map<string, {version: string; body: string}>();
  private bytes = 0;

  constructor(private readonly maxBytes = 32 * 1024 * 1024, private readonly maxEntries = 10_000) {}

  /** Entries and bytes held now. */
  get size(): {entries: number; bytes: number} {
    return {entries: this.entries.size, bytes: this.bytes};
  }

  /** The body kept for `key`, unless the data version has moved on from the one it was built at. */
  get(key: string, version: string): string | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.version !== version) {
      this.drop(key, hit.body);
      return undefined;
    }
    // Most recently used last, so eviction takes the oldest.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.body;
  }

  /**
   * `version`: the data version read before the body was built. Read after, a commit meanwhile
   * would file the older body under the newer version.
   */
  set(key: string, body: string, version: string): void {
    const old = this.entries.get(key);
    if (old) this.drop(key, old.body);
    if (cost(key, body) > this.maxBytes / 16) return;
    this.entries.set(key, {version, body});
    this.bytes += cost(key, body);
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes && this.entries.size <= this.maxEntries) break;
      this.drop(k, e.body);
    }
  }

  private drop(key: string, body: string): void {
    this.entries.delete(key);
    this.bytes -= cost(key, body);
  }
}

function cost(key: string, body: string): number {
  return key.length + body.length + ENTRY_OVERHEAD;
}
