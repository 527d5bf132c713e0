// Which earlier row each new raw row is compressed against: the first stored notification about
// the same instance (or request, or event and publisher). A bounded LRU, so memory stays flat.
import type {Notification} from '../core/types.js';
import {KEYFRAME_MAX_AGE_MS} from '../store/sqlite/retention.js';

export interface CachedKeyframe<Id> {
  id: Id;
  /** The row's stored JSON text as UTF-8. */
  bytes: Uint8Array;
}


export class KeyframeCache<Id = number> {
  private readonly map = new Map<string, CachedKeyframe<Id> & {at: number}>();

  constructor(private readonly capacity = 8192, private readonly now: () => number = Date.now) {}

  static keyOf(n: Notification): string {
    if (n.instance) return `${n.kind}|i|${n.instance}`;
    if (n.requestId) return `${n.kind}|r|${n.requestId}`;
    return `${n.kind}|e|${n.event}|${n.publisher}`;
  }

  get(key: string): CachedKeyframe<Id> | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    this.map.delete(key);
    if (this.now() - hit.at > KEYFRAME_MAX_AGE_MS) return undefined;
    this.map.set(key, hit);
    return hit;
  }

  set(key: string, keyframe: CachedKeyframe<Id>): void {
    this.map.set(key, {...keyframe, at: this.now()});
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }

  /** After a rollback the cached rows may not exist: forget them all. */
  clear(): void {
    this.map.clear();
  }
}
