// How deeply a parsed JSON value nests. Writers (JSON.stringify, pyDumps) recurse, so a body
// nested thousands deep could be stored and then never shown again; ingest refuses it instead.

/** True when `value` has arrays/objects nested more than `max` deep (a scalar is 0, [] is 1). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  // Iterative, so the check itself cannot overflow the stack it protects; two flat stacks
  // instead of pairs, since it runs on every notification ingested.
  const values: object[] = [];
  const depths: number[] = [];
  if (typeof value === 'object' && value !== null) {
    values.push(value);
    depths.push(1);
  }
  while (values.length > 0) {
    const v = values.pop()!;
    const depth = depths.pop()!;
    if (depth > max) return true;
    if (Array.isArray(v)) {
      for (const c of v) {
        if (typeof c === 'object' && c !== null) {
          values.push(c);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const k in v) {
        const c = (v as Record<string, unknown>)[k];
        if (typeof c === 'object' && c !== null) {
          values.push(c);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}

/** The reason a too-deep body is quarantined with. */
export function tooDeepReason(max: number): string {
  return `JSON nested more than ${max} levels deep`;
}
