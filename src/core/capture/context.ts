import { MAX_LISTED_WARNINGS } from './limits';
import type { CaptureSummary, Frame } from './types';

/**
 * What the format parsers share: the summary being filled, the one reused `Frame`, the consumer's callback and
 * the problem list. Keeping per-packet work here (counting, first/last time) means the parsers only decode.
 */
export class ParseContext {
  readonly frame: Frame = new ReusedFrame();
  readonly summary: CaptureSummary;
  private suppressedWarnings = 0;
  private listedWarnings = 0;
  // First/last timestamps as plain numbers: no object per packet.
  private haveTime = false;
  private firstSec = 0;
  private firstNsec = 0;
  private lastSec = 0;
  private lastNsec = 0;

  constructor(readonly file: string, fileSize: number, private readonly onFrame: (f: Frame) => void) {
    this.summary = {
      file, format: null, byteOrder: null, version: null, sections: 0, interfaces: [], packets: 0,
      skippedBlocks: 0, bytesRead: 0, fileSize, firstTime: null, lastTime: null, problems: [],
    };
  }

  /** Hands the filled-in `frame` to the consumer (the parser has set every field except `number`). */
  deliver(): void {
    const f = this.frame;
    f.number = ++this.summary.packets;
    if (f.hasTime) {
      if (!this.haveTime) {
        this.haveTime = true;
        this.firstSec = f.timeSec;
        this.firstNsec = f.timeNsec;
      }
      this.lastSec = f.timeSec;
      this.lastNsec = f.timeNsec;
    }
    this.onFrame(f);
  }

  /** Reading stops here; everything delivered so far stays valid. */
  fatal(byteOffset: number, reason: string): void {
    this.summary.problems.push({ file: this.file, byteOffset, reason, fatal: true });
  }

  /** Something is wrong but reading goes on. Only the first MAX_LISTED_WARNINGS are kept, the rest counted. */
  warn(byteOffset: number, reason: string): void {
    if (this.listedWarnings >= MAX_LISTED_WARNINGS) {
      this.suppressedWarnings++;
      return;
    }
    this.listedWarnings++;
    this.summary.problems.push({ file: this.file, byteOffset, reason, fatal: false });
  }

  /** Completes the summary once the input has ended. */
  close(bytesRead: number): CaptureSummary {
    const s = this.summary;
    s.bytesRead = bytesRead;
    if (this.haveTime) {
      s.firstTime = { sec: this.firstSec, nsec: this.firstNsec };
      s.lastTime = { sec: this.lastSec, nsec: this.lastNsec };
    }
    if (this.suppressedWarnings > 0) {
      s.problems.push({
        file: this.file, byteOffset: s.problems[s.problems.length - 1]?.byteOffset ?? 0, fatal: false,
        reason: `${this.suppressedWarnings} more warnings not listed (only the first ${MAX_LISTED_WARNINGS} are kept)`,
      });
    }
    return s;
  }
}

/**
 * A format parser works on a window of the file's bytes and says how many more it needs: the reader that
 * fills the window (from a file, a gzip stream or memory) is separate, so the same parser serves all of them
 * and any chunking gives the same result.
 */
export interface FormatParser {
  /**
   * Parses every complete record/block in bytes[start, end); bytes[start] is at file offset `fileOffset`.
   * Returns the index where it stopped (the start of the first incomplete unit).
   */
  parse(bytes: Uint8Array, view: DataView, start: number, end: number, fileOffset: number): number;
  /** Bytes needed from the position `parse` returned before it can make progress. Never above MAX_WINDOW_BYTES. */
  readonly need: number;
  /** True once reading stopped for good (a fatal problem was reported). */
  readonly stopped: boolean;
  /**
   * Bytes ahead that the parser would only pass over (the body of a skipped block), so a reader that can seek may
   * skip them unread by calling `discard(n)` with n <= discardable. 0 when nothing can be skipped.
   */
  readonly discardable?: number;
  discard?(n: number): void;
  /** The input ended with bytes[start, end) unconsumed (fewer than `need`): report what was cut short, if anything. */
  finish(bytes: Uint8Array, view: DataView, start: number, end: number, fileOffset: number): void;
}

/** The one Frame a reader fills for every record; `data` is made only for a consumer that asks for it. */
class ReusedFrame implements Frame {
  number = 0;
  section = 0;
  interfaceId = 0;
  linkType = 0;
  hasTime = false;
  timeSec = 0;
  timeNsec = 0;
  origLen = 0;
  capLen = 0;
  bytes = new Uint8Array(0);
  start = 0;
  fileOffset = 0;
  /** The last view made, and where it was made from (asked again for the same frame, the same view). */
  private view: Uint8Array | null = null;
  private viewOf: Uint8Array | null = null;
  private viewStart = -1;

  get data(): Uint8Array {
    const v = this.view;
    if (v !== null && this.viewOf === this.bytes && this.viewStart === this.start && v.length === this.capLen) return v;
    this.viewOf = this.bytes;
    this.viewStart = this.start;
    return (this.view = this.bytes.subarray(this.start, this.start + this.capLen));
  }
}
