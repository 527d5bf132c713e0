// The live demo's pace: hands out the generator's notifications as a clock reaches their
// timestamps. The clock is passed in (the feeder passes the wall clock), so the pace is tested
// on simulated time.
import type {DemoGenerator, Envelope} from './generator.js';

export class DemoPacer {
  private pending: Envelope | undefined;

  /** maxBatch bounds one call, so that a feeder far behind catches up over several batches. */
  constructor(private readonly generator: DemoGenerator, private readonly maxBatch: number) {}

  /**
   * Every notification timestamped at or before nowMicros not handed out yet, oldest first, at
   * most maxBatch of them (the rest come with the next call). Catches up after any gap: what
   * the clock passed while the caller was busy comes at once.
   */
  until(nowMicros: number): Envelope[] {
    const batch: Envelope[] = [];
    while (batch.length < this.maxBatch) {
      const next = this.pending ?? this.generator.next();
      if (this.generator.nowMicros() > nowMicros) {
        this.pending = next; // not due yet: kept for the call that reaches its time
        break;
      }
      this.pending = undefined;
      batch.push(next);
    }
    return batch;
  }
}
