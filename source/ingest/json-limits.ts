// Bounds applied to every notification on every way in (files, POST, RabbitMQ), on whichever
// thread prepares it. Set in the environment so the preparing worker threads see it too.
import {nestedDeeperThan, tooDeepReason} from '../core/json-depth.js';

/** STACKY_MAX_JSON_DEPTH: the deepest nesting of a body that is stored (default 100). */
export const MAX_JSON_DEPTH = positive(process.env.STACKY_MAX_JSON_DEPTH) ?? 100;

function positive(text: string | undefined): number | undefined {
  const n = Number(text);
  return text !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** Throws (so the row is quarantined with the reason) when the body nests too deep. */
export function checkDepth(body: unknown): void {
  if (nestedDeeperThan(body, MAX_JSON_DEPTH)) throw new Error(tooDeepReason(MAX_JSON_DEPTH));
}
