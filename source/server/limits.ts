// Every bound the server keeps, with its default. `stacky serve --limit NAME=VALUE` sets one;
// the README's Limits table lists them with the answer a client gets past each.

export interface ServerLimits {
  /** Response cache: most entries kept. */
  cacheEntries: number;
  /** Response cache: most bytes kept, URLs (keys) and bodies counted, plus a per-entry overhead. */
  cacheBytes: number;
  /** POST /ingest/: most bytes in one body; past it 413 with the counts stored so far. */
  bodyBytes: number;
  /** POST /ingest/: most bytes in one line; a longer line is rejected (quarantined cut short). */
  lineBytes: number;
  /** POST /ingest/: most bytes of an over-long line kept in quarantine. */
  quarantineLineBytes: number;
  /** POST /ingest/: most rejections (and warnings) listed in one reply; the counts stay exact. */
  replyRejections: number;
  /** POST /ingest/: most rejected lines in one body; past it the upload stops (400 with the counts). */
  rejectedLines: number;
  /** POST /ingest/: milliseconds without a byte of body before the upload is cut (408 with counts). */
  bodyIdleMs: number;
  /** POST /ingest/: milliseconds an upload may take in all (408 with counts); Node's own request timeout is off. */
  bodyMs: number;
  /** watch: most rows in one reply. */
  watchRows: number;
  /** watch: most rows one shared tail holds (source/server/watch-tail.ts); older windows are read from the database. */
  watchTailRows: number;
  /** watch: most shared tails kept (one per service, deployment and event_name polled), least recently used dropped. */
  watchTails: number;
  /** search on json / json__*: milliseconds before it is abandoned (503). */
  jsonSearchMs: number;
  /** search on json / json__*: how many may run at once (more answer 503). */
  jsonSearches: number;
}

/** How often node looks for requests past their header or request timeout (its default is 30 s). */
export const CONNECTIONS_CHECK_MS = 1000;

export const DEFAULT_LIMITS: Readonly<ServerLimits> = Object.freeze({
  cacheEntries: 10_000,
  cacheBytes: 32 * 1024 * 1024,
  bodyBytes: 1024 * 1024 * 1024,
  lineBytes: 4 * 1024 * 1024,
  quarantineLineBytes: 64 * 1024,
  replyRejections: 1000,
  rejectedLines: 100_000,
  bodyIdleMs: 60_000,
  bodyMs: 3_600_000,
  watchRows: 5000,
  watchTailRows: 20_000,
  watchTails: 8,
  jsonSearchMs: 10_000,
  jsonSearches: 2,
});

/** Flag names (kebab-case) of the limits, as `--limit NAME=VALUE` takes them. */
export const LIMIT_FLAGS: Readonly<Record<string, keyof ServerLimits>> = Object.freeze({
  'cache-entries': 'cacheEntries',
  'cache-bytes': 'cacheBytes',
  'body-bytes': 'bodyBytes',
  'line-bytes': 'lineBytes',
  'quarantine-line-bytes': 'quarantineLineBytes',
  'reply-rejections': 'replyRejections',
  'rejected-lines': 'rejectedLines',
  'body-idle-ms': 'bodyIdleMs',
  'body-ms': 'bodyMs',
  'watch-rows': 'watchRows',
  'watch-tail-rows': 'watchTailRows',
  'watch-tails': 'watchTails',
  'json-search-ms': 'jsonSearchMs',
  'json-searches': 'jsonSearches',
});

const UNITS: Record<string, number> = {'': 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3};

/** Parses `NAME=VALUE` settings (sizes may end in KiB, MiB, GiB) over the defaults; throws with a usage message. */
export function parseLimits(settings: readonly string[]): ServerLimits {
  const limits: ServerLimits = {...DEFAULT_LIMITS};
  for (const setting of settings) {
    const eq = setting.indexOf('=');
    const name = eq < 0 ? setting : setting.slice(0, eq);
    const key = LIMIT_FLAGS[name];
    if (!key) throw new Error(`unknown limit '${name}' (limits: ${Object.keys(LIMIT_FLAGS).join(', ')})`);
    const m = /^(\d+)\s*([a-z]*)$/i.exec(eq < 0 ? '' : setting.slice(eq + 1).trim());
    const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
    if (!m || unit === undefined || Number(m[1]) * unit < 1 || !Number.isSafeInteger(Number(m[1]) * unit)) {
      throw new Error(`--limit ${name} takes a whole number >= 1 (sizes may end in KiB, MiB or GiB), got '${setting}'`);
    }
    limits[key] = Number(m[1]) * unit;
  }
  return limits;
}
