// A small, fast, seeded PRNG (mulberry32) and the random helpers the demo generator needs.
// mulberry32 walks a Weyl sequence with period 2^32, so uuids built from consecutive outputs
// do not repeat within any realistic corpus.

const HEX: readonly string[] = Array.from({length: 256}, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(n: number): string {
  return HEX[n >>> 24]! + HEX[(n >>> 16) & 0xff]! + HEX[(n >>> 8) & 0xff]! + HEX[n & 0xff]!;
}

export class Rng {
  private state: number;

  constructor(seed: number) {
    // Spread small seeds so that seed 1 and seed 2 start far apart.
    this.state = (Math.imul(Math.floor(seed) | 0, 0x9e3779b1) ^ 0x5bd1e995) | 0;
  }

  /** A uniform unsigned 32-bit integer. */
  u32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi]. */
  intIn(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** A duration in integer microseconds, uniform between lo and hi seconds. */
  secs(lo: number, hi: number): number {
    return Math.round((lo + this.float() * (hi - lo)) * 1e6);
  }

  /** Exponentially distributed with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  /** A random (version 4) uuid, lower-case hex. */
  uuid(): string {
    const a = this.u32();
    const b = this.u32();
    const c = this.u32();
    const d = this.u32();
    return (
      hex8(a) + '-' + HEX[b >>> 24]! + HEX[(b >>> 16) & 0xff]! + '-' +
      HEX[0x40 | ((b >>> 8) & 0x0f)]! + HEX[b & 0xff]! + '-' +
      HEX[0x80 | ((c >>> 24) & 0x3f)]! + HEX[(c >>> 16) & 0xff]! + '-' +
      HEX[(c >>> 8) & 0xff]! + HEX[c & 0xff]! + hex8(d)
    );
  }

  /** n lower-case hex digits (n a multiple of 8). */
  hex(n: number): string {
    let out = '';
    for (let i = 0; i < n; i += 8) out += hex8(this.u32());
    return out;
  }

  /** n characters of the URL-safe base64 alphabet. */
  b64(n: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[this.u32() & 63];
    return out;
  }

  /** Index into cumulative weights (ascending, last one is the total). */
  weighted(cumulative: readonly number[]): number {
    const x = this.float() * cumulative[cumulative.length - 1]!;
    let i = 0;
    while (x >= cumulative[i]!) i++;
    return i;
  }
}

/** Running sums of weights, for Rng.weighted. */
export function cumulate(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

/** Freeze an object graph, so shared noise cannot be changed by one consumer for all. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
