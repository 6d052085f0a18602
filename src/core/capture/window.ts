import type { FormatParser } from './context';
import { MAX_WINDOW_BYTES } from './limits';

/**
 * The reusable buffer between a byte source and a parser. Sources write into `writable()` and `commit()` what
 * they wrote; the parser consumes whole records and the remainder (at most one unfinished record) moves to the
 * front. The buffer grows only when a single record is larger than it, up to MAX_WINDOW_BYTES, which the
 * parsers guarantee by checking every length field before asking for that many bytes.
 */
export class ParserWindow {
  private buf: Uint8Array;
  private view: DataView;
  private start = 0;
  private end = 0;
  /** File offset of buf[start]; a double, exact far beyond 4 GB. */
  private offset: number;

  /** `startOffset`: file offset of the first byte pushed (0 for a whole file; tests use it to check 64-bit arithmetic). */
  constructor(private readonly parser: FormatParser, initialCapacity: number, startOffset = 0) {
    this.offset = startOffset;
    this.buf = new Uint8Array(Math.max(16, Math.min(initialCapacity, MAX_WINDOW_BYTES)));
    this.view = viewOf(this.buf);
  }

  /** The buffer being parsed (writable() may move bytes inside it). */
  get buffer(): Uint8Array {
    return this.buf;
  }

  get stopped(): boolean {
    return this.parser.stopped;
  }

  /** File offset up to which bytes have been handed in. */
  get received(): number {
    return this.offset + (this.end - this.start);
  }

  /**
   * Free space to write the next bytes into: at least 1 byte, and enough for the record the parser waits for.
   * `remaining` (bytes the source still has, when known) keeps a length field that promises more than the file
   * holds from growing the buffer for nothing.
   */
  writable(remaining = Infinity): { buffer: Uint8Array; offset: number; length: number } {
    const pending = this.end - this.start;
    const want = Math.min(Math.max(this.parser.need, pending + 1), pending + Math.max(1, remaining));
    if (want > this.buf.length) {
      const grown = new Uint8Array(Math.min(Math.max(want, this.buf.length * 2), MAX_WINDOW_BYTES));
      grown.set(this.buf.subarray(this.start, this.end));
      this.buf = grown;
      this.view = viewOf(grown);
    } else if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
    }
    this.start = 0;
    this.end = pending;
    return { buffer: this.buf, offset: this.end, length: this.buf.length - this.end };
  }

  /**
   * Passes over up to `max` bytes the parser does not need (a skipped block's body) without their being read;
   * returns how many. Only when nothing is pending, so the skipped bytes are exactly the next ones in the file.
   */
  skipAhead(max: number): number {
    const n = Math.min(this.parser.discardable ?? 0, max);
    if (n <= 0 || this.end !== this.start) return 0;
    this.parser.discard?.(n);
    this.offset += n;
    return n;
  }

  /** Body bytes of a block the parser is passing over (it needs none of them). */
  get discardable(): number {
    return this.parser.discardable ?? 0;
  }

  /**
   * For reading ahead: `next` holds, from index `at` on, the bytes that follow those received so far (read while
   * the parser worked on this buffer). The pending bytes (at most one unfinished record) move in front of them and
   * `next` becomes the window's buffer; the previous buffer is returned, free for the next read. Returns null, and
   * changes nothing, when the pending bytes do not fit in front of `at` (a record larger than that headroom).
   * Follow with `commit(n)` for the n bytes at `at`.
   */
  adopt(next: Uint8Array, at: number): Uint8Array | null {
    const pending = this.end - this.start;
    if (pending > at) return null;
    next.set(this.buf.subarray(this.start, this.end), at - pending);
    const previous = this.buf;
    this.buf = next;
    this.view = viewOf(next);
    this.start = at - pending;
    this.end = at;
    return previous;
  }

  /** `n` bytes were written at the offset `writable()` gave: parse what is complete. */
  commit(n: number): void {
    this.end += n;
    const next = this.parser.parse(this.buf, this.view, this.start, this.end, this.offset);
    this.offset += next - this.start;
    this.start = next;
  }

  /** Copies `chunk` in (for sources that produce their own buffers: gzip, tests). Stops early once the parser has. */
  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length && !this.parser.stopped) {
      const w = this.writable();
      const n = Math.min(w.length, chunk.length - at);
      w.buffer.set(chunk.subarray(at, at + n), w.offset);
      this.commit(n);
      at += n;
    }
  }

  /** The input has ended: let the parser report whatever was left unfinished. */
  close(): void {
    if (!this.parser.stopped) this.parser.finish(this.buf, this.view, this.start, this.end, this.offset);
  }
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
