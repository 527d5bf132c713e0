// Identifier checks (docs/api.md §1.11). Python compares str(uuid.UUID(v)) with the input, so only
// the canonical lowercase forms survive: 8-4-4-4-12 with hyphens, or 32 hex without.
const HYPHENATED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BARE = /^[0-9a-f]{32}$/;

export function isUuidLike(v: string): boolean {
  return HYPHENATED.test(v) || BARE.test(v);
}

/** One leading `req-` (lowercase) may precede the uuid. */
export function isRequestIdLike(v: string): boolean {
  return isUuidLike(v.startsWith('req-') ? v.slice(4) : v);
}
