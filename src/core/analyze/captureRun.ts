/**
 * One capture through the pipeline: reader -> decoder -> loop detector + TCP impact, in one streaming pass.
 * Only a frame at a time is held (the reader's chunk, one reused DecodedPacket); findings are bounded.
 */
import { readCaptureFile } from '../capture/open';
import type { CaptureProblem, CaptureSummary, Frame } from '../capture/types';
import { createDecodedPacket, decodeFrame } from '../decode/decoder';
import type { CaptureImpact } from '../detect/impact';
import type { LoopDetectionSettings } from '../model/analysis';
import type { LoopEpisode } from '../model/loops';
import type { CaptureInputSummary, InputProblem } from '../model/report';
import { isoFromSecNsec, microsFromSecNsec } from '../model/time';
import { captureStagesFor, type SecondStageThreading, type StagesOutcome, type StartSecondStage } from './secondStage';

export interface CaptureRunOptions {
  signal?: AbortSignal;
  /** Bytes of this file read so far. */
  onBytes?: (bytesRead: number) => void;
  stallThresholdMs: number;
  loopDetection?: LoopDetectionSettings;
  /** Whether loop tracking, ladder context and TCP impact run in a second thread (see secondStage.ts); default 'auto'. */
  secondThread?: SecondStageThreading;
  /** How that thread is started (tests). */
  startSecondStage?: StartSecondStage;
  /** Records the ring to that thread holds (tests: a small ring makes the decoding thread wait for room). */
  ringSlots?: number;
}

export interface CaptureRunResult {
  summary: CaptureInputSummary;
  /** This capture's episodes, in start order, ids not yet assigned. */
  episodes: LoopEpisode[];
  impact: CaptureImpact;
  icmpTimeExceeded: number;
}

export async function analyzeCapture(path: string, format: string, sizeBytes: number, opts: CaptureRunOptions): Promise<CaptureRunResult> {
  const stages = captureStagesFor(path, format, sizeBytes,
    { stallThresholdMs: opts.stallThresholdMs, loopDetection: opts.loopDetection ?? {}, ...(opts.ringSlots ? { ringSlots: opts.ringSlots } : {}) },
    opts.secondThread ?? 'auto', opts.startSecondStage);
  const pkt = createDecodedPacket();
  // Frames without a timestamp (pcapng Simple Packet Blocks) take the last known time.
  let timeUs = 0;
  const onFrame = (f: Frame): void => {
    if (f.hasTime) timeUs = microsFromSecNsec(f.timeSec, f.timeNsec);
    decodeFrame(f.bytes, f.linkType, pkt, f.start, f.start + f.capLen);
    stages.frame(f, timeUs, pkt);
  };
  let summary: CaptureSummary | null = null;
  const problems: InputProblem[] = [];
  try {
    summary = await readCaptureFile(path, onFrame, {
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (done) => opts.onBytes?.(done),
      beforeRead: () => stages.beforeRead(),
    });
    for (const p of summary.problems) problems.push(problemOf(p));
  } catch (e) {
    if (opts.signal?.aborted || (e instanceof Error && e.name === 'AbortError')) {
      stages.dispose();
      throw e;
    }
    // The reader rejects only when the file cannot be opened at all.
    problems.push({ severity: 'error', message: e instanceof Error ? e.message : String(e), fatal: true });
  }
  let outcome: StagesOutcome;
  try {
    outcome = await stages.finish();
  } catch (e) {
    stages.dispose();
    throw e;
  }
  if (!outcome.ok) {
    // The second thread failed: the findings it held are lost, so the capture is analysed again in this thread
    // (its progress is not reported again: the file was read to its end once already).
    stages.dispose();
    const { onBytes: _reported, ...rest } = opts;
    const again = await analyzeCapture(path, format, sizeBytes, { ...rest, secondThread: 'off' });
    again.summary.problems.unshift({
      severity: 'warning', fatal: false,
      message: `the analysis thread failed (${outcome.reason}); the capture was analysed again in one thread`,
    });
    return again;
  }
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
    episodes: outcome.episodes,
    impact: outcome.impact,
    icmpTimeExceeded: outcome.icmpTimeExceeded,
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
