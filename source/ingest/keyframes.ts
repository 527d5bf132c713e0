// Which earlier row each new raw row is deflated against: the first stored notification about
// the same instance (or request, or event and publisher). A bounded LRU, so memory stays flat.
import type {Notification} from '../core/types.js';
import type {Keyframe} from '../store/json-codec.js';

export class KeyframeCache {
  private readonly map = new Map<string, Keyframe>();

  constructor(private readonly capacity = 8192) {}

  static keyOf(n: Notification): string {
    if (n.instance) return `${n.kind}|i|${n.instance}`;
    if (n.requestId) return `${n.kind}|r|${n.requestId}`;
    return `${n.kind}|e|${n.event}|${n.publisher}`;
  }

  get(key: string): Keyframe | undefined {
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }

  set(key: string, keyframe: Keyframe): void {
    this.map.set(key, keyframe);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }

  /** After a rollback the cached rows may not exist: forget them all. */
  clear(): void {
    this.map.clear();
  }
}
