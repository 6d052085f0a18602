/**
 * A parser whose every call is also told to a mirror, in order, so that another parser (in another thread, over the
 * same bytes in shared memory) can make the same calls and deliver the same frames without reading the file.
 * The reader's window decides what to parse and when; the mirror only records it.
 */
import type { FormatParser } from './context';

/** What the reader's parser was asked, call by call. `bytes` is always one of the buffers the reader allocated. */
export interface ParserMirror {
  parsing(bytes: Uint8Array, start: number, end: number, fileOffset: number): void;
  discarding(n: number): void;
  finishing(bytes: Uint8Array, start: number, end: number, fileOffset: number): void;
}

export class MirroredParser implements FormatParser {
  constructor(private readonly inner: FormatParser, private readonly mirror: ParserMirror) {}

  get need(): number {
    return this.inner.need;
  }

  get stopped(): boolean {
    return this.inner.stopped;
  }

  get discardable(): number {
    return this.inner.discardable ?? 0;
  }

  discard(n: number): void {
    this.mirror.discarding(n);
    this.inner.discard?.(n);
  }

  parse(bytes: Uint8Array, view: DataView, start: number, end: number, fileOffset: number): number {
    this.mirror.parsing(bytes, start, end, fileOffset);
    return this.inner.parse(bytes, view, start, end, fileOffset);
  }

  finish(bytes: Uint8Array, view: DataView, start: number, end: number, fileOffset: number): void {
    this.mirror.finishing(bytes, start, end, fileOffset);
    this.inner.finish(bytes, view, start, end, fileOffset);
  }
}
