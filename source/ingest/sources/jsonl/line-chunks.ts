// Cuts a byte stream of JSON Lines (a file, stdin, a POST body) into chunks of whole lines, one
// chunk a batch. Only newlines are looked for here (a native memchr); decoding and splitting
// happen where the chunk is prepared, so the thread that cuts spends its time elsewhere.
import type {LinesChunk} from '../../prepare.js';

const NEWLINE = 0x0a;
const NL = Buffer.from([NEWLINE]);

export interface ChunkBounds {
  /** Lines in one chunk at most. */
  lines: number;
  /** Bytes in one chunk: once its whole lines hold this many, it goes out. */
  bytes: number;
  /**
   * Bytes in one line (not counting its \n). A longer line is not assembled: its first
   * `keepOfLong` bytes go on as that line, marked cut (quarantined as they came), and the rest
   * is only counted, so a line of any length costs its length and no more memory.
   */
  maxLine: number;
  keepOfLong: number;
  /** When the input pauses this long (a live tail), the whole lines so far go out. */
  idleMs: number;
}

/** Whole lines waiting to become a chunk, and the partial line after them. */
class LineCutter {
  private parts: Buffer[] = [];
  private bytes = 0;
  /** Pending bytes up to and including the last newline counted. */
  private wholeBytes = 0;
  lines = 0;
  private firstLine = 1;
  /** Bytes of the current line so far, all of them, kept or not. */
  private lineSize = 0;
  /** The current line passed maxLine: only its first keepOfLong bytes are pending. */
  private long = false;
  /** Bytes of the long line kept. */
  private kept = 0;
  private cut: {no: number; error: string}[] = [];

  constructor(private readonly bounds: ChunkBounds) {}

  /** Adds a read; returns the chunks it completed (whole lines, in order). */
  add(buf: Buffer): LinesChunk[] {
    const out: LinesChunk[] = [];
    // buf[run, ...) is not pending yet: whole lines are pushed as one piece, not line by line.
    let run = 0;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(NEWLINE, start);
      const end = nl < 0 ? buf.length : nl;
      if (this.long) {
        this.keepMore(buf.subarray(start, end));
        run = end;
      } else if (this.lineSize + end - start > this.bounds.maxLine) {
        this.push(buf.subarray(run, start));
        this.becomeLong(buf.subarray(start, end));
        run = end;
      }
      this.lineSize += end - start;
      if (nl < 0) break;
      if (this.long) {
        this.push(NL);
        run = nl + 1;
        this.endLong();
      }
      this.lines++;
      this.wholeBytes = this.bytes + (nl + 1 - run);
      this.lineSize = 0;
      start = nl + 1;
      if (this.lines >= this.bounds.lines || this.wholeBytes >= this.bounds.bytes) {
        this.push(buf.subarray(run, start));
        run = start;
        out.push(this.take());
      }
    }
    if (!this.long) this.push(buf.subarray(run));
    return out;
  }

  /** The whole lines so far, or nothing. */
  whole(): LinesChunk | undefined {
    return this.lines > 0 ? this.take() : undefined;
  }

  /** At the end of the input: everything, a last line without \n included. */
  rest(): LinesChunk | undefined {
    if (this.lineSize > 0 || this.long) {
      if (this.long) this.endLong();
      this.lines++;
      this.wholeBytes = this.bytes;
    }
    return this.whole();
  }

  private push(b: Buffer): void {
    if (b.length === 0) return;
    this.parts.push(b);
    this.bytes += b.length;
  }

  /** `piece` makes the current line too long: from now on only its first keepOfLong bytes stay. */
  private becomeLong(piece: Buffer): void {
    this.long = true;
    this.kept = this.lineSize;
    const over = this.kept - this.bounds.keepOfLong;
    if (over > 0) {
      this.drop(over);
      this.kept -= over;
    }
    this.keepMore(piece);
  }

  /** Keeps the start of `piece` while the long line has fewer than keepOfLong bytes kept (copied: the read can go). */
  private keepMore(piece: Buffer): void {
    const n = Math.min(piece.length, this.bounds.keepOfLong - this.kept);
    if (n <= 0) return;
    this.push(Buffer.from(piece.subarray(0, n)));
    this.kept += n;
  }

  /** Drops the last n pending bytes (the tail of the current line). */
  private drop(n: number): void {
    this.bytes -= n;
    while (n > 0) {
      const last = this.parts[this.parts.length - 1]!;
      if (last.length <= n) {
        this.parts.pop();
        n -= last.length;
      } else {
        this.parts[this.parts.length - 1] = Buffer.from(last.subarray(0, last.length - n));
        n = 0;
      }
    }
  }

  private endLong(): void {
    this.cut.push({no: this.firstLine + this.lines,
      error: `line of ${this.lineSize} bytes is longer than the limit of ${this.bounds.maxLine}; its first ${this.kept} bytes are kept`});
    this.long = false;
    this.kept = 0;
  }

  /** The whole lines so far, copied once into a buffer of their own (it is transferred to a thread). */
  private take(): LinesChunk {
    const size = this.wholeBytes;
    const chunk: LinesChunk = {bytes: new Uint8Array(size), firstLine: this.firstLine};
    let copied = 0;
    while (copied < size) {
      const part = this.parts[0]!;
      const n = Math.min(part.length, size - copied);
      chunk.bytes.set(n === part.length ? part : part.subarray(0, n), copied);
      copied += n;
      if (n === part.length) this.parts.shift();
      else this.parts[0] = part.subarray(n);
    }
    this.bytes -= size;
    this.wholeBytes = 0;
    this.firstLine += this.lines;
    this.lines = 0;
    const last = this.firstLine;
    if (this.cut.length > 0) {
      chunk.cut = this.cut.filter((c) => c.no < last);
      this.cut = this.cut.filter((c) => c.no >= last);
    }
    return chunk;
  }
}

/**
 * The chunks of a byte stream. When reading fails (a client gone, a bound of the source), the
 * whole lines read before go out first, then the error is thrown: what arrived whole is stored.
 */
export async function* lineChunks(input: AsyncIterable<Buffer | string>, bounds: ChunkBounds): AsyncGenerator<LinesChunk> {
  const cutter = new LineCutter(bounds);
  const reads = input[Symbol.asyncIterator]();
  const read = () => {
    const next = reads.next();
    // Awaited below, or abandoned with the stream: its failure is never unhandled.
    next.catch(() => undefined);
    return next;
  };
  let next = read();
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    let got: IteratorResult<Buffer | string> | 'idle';
    try {
      // The idle timer runs only while whole lines wait to go out.
      got = cutter.lines === 0 ? await next
        : await Promise.race([next, new Promise<'idle'>((resolve) => (timer = setTimeout(resolve, bounds.idleMs, 'idle')))]);
    } catch (error) {
      const whole = cutter.whole();
      if (whole) yield whole;
      throw error;
    } finally {
      clearTimeout(timer);
    }
    if (got === 'idle') {
      yield cutter.whole()!;
      continue;
    }
    if (got.done) break;
    next = read();
    yield* cutter.add(typeof got.value === 'string' ? Buffer.from(got.value, 'utf8') : got.value);
  }
  const rest = cutter.rest();
  if (rest) yield rest;
}
