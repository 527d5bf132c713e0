// How deeply a parsed JSON value nests. Writers (JSON.stringify, pyDumps) recurse, so a body
// nested thousands deep could be stored and then never shown again; ingest refuses it instead.

/** True when `value` has arrays/objects nested more than `max` deep (a scalar is 0, [] is 1). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  // Iterative, so the check itself cannot overflow the stack it protects.
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) if (typeof c === 'object' && c !== null) stack.push([c, depth + 1]);
  }
  return false;
}

/** The reason a too-deep body is quarantined with. */
export function tooDeepReason(max: number): string {
  return `JSON nested more than ${max} levels deep`;
}
