// Cuts a request body into lines as its chunks arrive: each byte is looked at once (a native
// memchr for the newline), so a line of any length costs its length, not its length squared.
// A line longer than the bound is not assembled: its first bytes are kept for quarantine and
// the rest only counted. Lines are decoded as strict UTF-8: invalid bytes are kept as they came.

export interface SplitLine {
  /** 1-based line number. */
  no: number;
  /** The line's text, without \n or a \r before it; absent when `error` says why. */
  text?: string;
  /** Bytes for quarantine, when the line is rejected here. */
  bytes?: Uint8Array;
  error?: string;
  /** Bytes the line had. */
  size: number;
}

const NEWLINE = 0x0a;
const RETURN = 0x0d;
const utf8 = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true});

export class LineSplitter {
  private parts: Buffer[] = [];
  /** Bytes of the current line so far (all of them, kept or not). */
  private size = 0;
  /** Bytes of the current line held in `parts`. */
  private kept = 0;
  private no = 0;

  constructor(private readonly maxLine: number, private readonly keepOfLong: number) {}

  push(chunk: Buffer, take: (line: SplitLine) => void): void {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      this.add(chunk.subarray(start, nl));
      this.finish(take);
      start = nl + 1;
    }
    if (start < chunk.length) this.add(chunk.subarray(start));
  }

  /** The last line, when the body does not end with a newline. */
  end(take: (line: SplitLine) => void): void {
    if (this.size > 0) this.finish(take);
  }

  private add(piece: Buffer): void {
    if (piece.length === 0) return;
    const room = Math.max(0, (this.size > this.maxLine ? this.keepOfLong : this.maxLine + 1) - this.kept);
    if (room > 0) {
      const part = piece.length <= room ? piece : piece.subarray(0, room);
      this.parts.push(part);
      this.kept += part.length;
    }
    this.size += piece.length;
    // Past the bound, only the first bytes stay (copied off the chunk, which can then go).
    if (this.size > this.maxLine && this.kept > this.keepOfLong) {
      this.parts = [Buffer.from(Buffer.concat(this.parts).subarray(0, this.keepOfLong))];
      this.kept = this.keepOfLong;
    }
  }

  private finish(take: (line: SplitLine) => void): void {
    this.no++;
    let bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    const size = this.size;
    this.parts = [];
    this.size = 0;
    this.kept = 0;
    if (size > this.maxLine) {
      take({no: this.no, size, bytes: Buffer.from(bytes),
        error: `line of ${size} bytes is longer than the limit of ${this.maxLine}; its first ${bytes.length} bytes are kept`});
      return;
    }
    if (bytes.length > 0 && bytes[bytes.length - 1] === RETURN) bytes = bytes.subarray(0, bytes.length - 1);
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      take({no: this.no, size, bytes: Buffer.from(bytes), error: 'not valid UTF-8; the bytes received are kept'});
      return;
    }
    if (text.trim() === '') return;
    take({no: this.no, size, text});
  }
}
