/** Test helper: read a capture from memory and keep copies of what the reader hands out (it reuses one Frame). */
import { readCaptureBytes } from '../../../src/core/capture/open';
import type { CaptureProblem, CaptureSummary, Frame } from '../../../src/core/capture/types';

export type FrameCopy = Omit<Frame, 'data'> & { data: Buffer };

export function copyFrame(f: Frame): FrameCopy {
  return { ...f, data: Buffer.from(f.data) };
}

export function readBytes(bytes: Uint8Array, name = 'mem.cap'): { frames: FrameCopy[]; summary: CaptureSummary; fatal: CaptureProblem[]; warnings: CaptureProblem[] } {
  const frames: FrameCopy[] = [];
  const summary = readCaptureBytes(bytes, name, (f) => frames.push(copyFrame(f)));
  return {
    frames, summary,
    fatal: summary.problems.filter((p) => p.fatal),
    warnings: summary.problems.filter((p) => !p.fatal),
  };
}

/** n bytes 0, 1, 2, ... (mod 256): recognisable packet data. */
export function bytesSeq(n: number, from = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);
}
