// Answers for read-only URLs, kept until the database changes. Operators' consoles poll the
// same views over and over; a quiet database answers them from memory. Any commit, from this
// process or another, changes the data version and so empties the cache's validity at once.

export class ResponseCache {
  private readonly entries = new Map<string, {version: string; body: string}>();
  private bytes = 0;

  constructor(private readonly version: () => string, private readonly maxBytes = 32 * 1024 * 1024) {}

  get(key: string): string | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.version !== this.version()) {
      this.drop(key, hit.body);
      return undefined;
    }
    // Most recently used last, so eviction takes the oldest.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.body;
  }

  set(key: string, body: string): void {
    const old = this.entries.get(key);
    if (old) this.drop(key, old.body);
    if (body.length > this.maxBytes / 16) return;
    this.entries.set(key, {version: this.version(), body});
    this.bytes += body.length;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(k, e.body);
    }
  }

  private drop(key: string, body: string): void {
    this.entries.delete(key);
    this.bytes -= body.length;
  }
}
