/**
 * One capture through the pipeline: reader -> decoder -> loop detector + TCP impact, in one streaming pass.
 * Only a frame at a time is held (the reader's chunk, one reused DecodedPacket); findings are bounded.
 */
import { readCaptureFile } from '../capture/open';
import type { CaptureProblem, CaptureSummary, Frame } from '../capture/types';
import { createDecodedPacket, decodeFrame } from '../decode/decoder';
import type { CaptureImpact } from '../detect/impact';
import { LoopDetector } from '../detect/loops';
import type { LoopDetectionSettings } from '../model/analysis';
import type { LoopEpisode } from '../model/loops';
import type { CaptureInputSummary, InputProblem } from '../model/report';
import { isoFromSecNsec, microsFromSecNsec } from '../model/time';
import { secondStageFor, type SecondStageThreading } from './secondStage';

export interface CaptureRunOptions {
  signal?: AbortSignal;
  /** Bytes of this file read so far. */
  onBytes?: (bytesRead: number) => void;
  stallThresholdMs: number;
  loopDetection?: LoopDetectionSettings;
  /** Whether ladder context and TCP impact are measured in a second thread (see secondStage.ts); default 'auto'. */
  secondThread?: SecondStageThreading;
}

export interface CaptureRunResult {
  summary: CaptureInputSummary;
  /** This capture's episodes, in start order, ids not yet assigned. */
  episodes: LoopEpisode[];
  impact: CaptureImpact;
  icmpTimeExceeded: number;
}

export async function analyzeCapture(path: string, format: string, sizeBytes: number, opts: CaptureRunOptions): Promise<CaptureRunResult> {
  const detector = new LoopDetector(path, opts.loopDetection ?? {});
  const stage = secondStageFor(path, format, sizeBytes, opts.stallThresholdMs, opts.secondThread ?? 'auto');
  const pkt = createDecodedPacket();
  // Frames without a timestamp (pcapng Simple Packet Blocks) take the last known time.
  let timeUs = 0;
  const onFrame = (f: Frame): void => {
    if (f.hasTime) timeUs = microsFromSecNsec(f.timeSec, f.timeNsec);
    decodeFrame(f.data, f.linkType, pkt);
    const kind = detector.observe(f, timeUs, pkt, f.data);
    stage.frame(f, timeUs, pkt, kind);
  };
  let summary: CaptureSummary | null = null;
  const problems: InputProblem[] = [];
  try {
    summary = await readCaptureFile(path, onFrame, {
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (done) => opts.onBytes?.(done),
      beforeRead: () => stage.beforeRead(),
      ...(stage.follower ? { follower: stage.follower } : {}),
    });
    for (const p of summary.problems) problems.push(problemOf(p));
  } catch (e) {
    if (opts.signal?.aborted || (e instanceof Error && e.name === 'AbortError')) {
      stage.dispose();
      throw e;
    }
    // The reader rejects only when the file cannot be opened at all.
    problems.push({ severity: 'error', message: e instanceof Error ? e.message : String(e), fatal: true });
  }
  let episodes: LoopEpisode[];
  let measured: Awaited<ReturnType<typeof stage.finish>>;
  try {
    episodes = detector.finish();
    measured = await stage.finish(episodes);
  } catch (e) {
    stage.dispose();
    throw e;
  }
  problems.push(...measured.problems);
  return {
    summary: {
      kind: 'capture',
      path,
      format,
      sizeBytes,
      packets: summary?.packets ?? 0,
      linkTypes: [...new Set((summary?.interfaces ?? []).map((i) => i.linkType))].sort((a, b) => a - b),
      firstTime: isoOrNull(summary?.firstTime),
      lastTime: isoOrNull(summary?.lastTime),
      problems,
    },
    episodes,
    impact: measured.impact,
    icmpTimeExceeded: detector.timeExceededTotal,
  };
}

/**
 * The Report's instants run from 1970 to 2255 (four-digit years, microseconds exact in a number); a damaged or
 * synthetic timestamp outside that is reported as unknown rather than as a malformed or thrown date.
 */
const MAX_REPORT_SEC = Math.floor(Number.MAX_SAFE_INTEGER / 1e6);

function isoOrNull(t: { sec: number; nsec: number } | null | undefined): string | null {
  return t && t.sec >= 0 && t.sec <= MAX_REPORT_SEC ? isoFromSecNsec(t.sec, t.nsec) : null;
}

function problemOf(p: CaptureProblem): InputProblem {
  return { severity: p.fatal ? 'error' : 'warning', message: p.reason, byteOffset: p.byteOffset, fatal: p.fatal };
}
