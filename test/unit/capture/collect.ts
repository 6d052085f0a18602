/** Test helper: read a capture from memory and keep copies of what the reader hands out (it reuses one Frame). */
import { strict as assert } from 'node:assert';
import { readCaptureBytes } from '../../../src/core/capture/open';
import type { CaptureProblem, CaptureSummary, Frame } from '../../../src/core/capture/types';

/** What a frame says, without where the reader happened to keep its bytes (`bytes`, `start`). */
export type FrameCopy = Omit<Frame, 'data' | 'bytes' | 'start'> & { data: Buffer };

export function copyFrame(f: Frame): FrameCopy {
  // The captured bytes through both ways of reaching them: the view and the buffer range hot paths decode from.
  const data = Buffer.from(f.data);
  assert.deepEqual(data, Buffer.from(f.bytes.subarray(f.start, f.start + f.capLen)));
  return {
    number: f.number, section: f.section, interfaceId: f.interfaceId, linkType: f.linkType, hasTime: f.hasTime,
    timeSec: f.timeSec, timeNsec: f.timeNsec, origLen: f.origLen, capLen: f.capLen, fileOffset: f.fileOffset, data,
  };
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
