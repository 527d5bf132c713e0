// A fixed-capacity FIFO: pushing past capacity drops the oldest item, so memory stays flat.
// Items are addressed by a sequence number that only grows; seq - firstSeq is the index.

export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private head = 0; // index of the oldest item
  private count = 0;
  /** Sequence number of the next item pushed. */
  private next = 0;
  /** Items pushed in total, including the dropped ones. */
  get pushed(): number {
    return this.next;
  }
  get dropped(): number {
    return this.next - this.count;
  }

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Sequence number of the oldest item held (== lastSeq + 1 when empty). */
  get firstSeq(): number {
    return this.next - this.count;
  }

  get lastSeq(): number {
    return this.next - 1;
  }

  push(item: T): number {
    const slot = (this.head + this.count) % this.capacity;
    this.items[slot] = item;
    if (this.count < this.capacity) this.count++;
    else this.head = (this.head + 1) % this.capacity;
    return this.next++;
  }

  /** The i-th oldest item held (0 = oldest). */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.items[(this.head + index) % this.capacity];
  }

  /** The item with this sequence number, if still held. */
  bySeq(seq: number): T | undefined {
    return this.at(seq - this.firstSeq);
  }

  clear(): void {
    this.items.fill(undefined);
    this.head = 0;
    this.count = 0;
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.at(i)!);
    return out;
  }
}
