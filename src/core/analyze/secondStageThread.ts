/**
 * The second stage of a capture analysed on two threads (see secondStage.ts), in its own thread: reads and
 * decodes the same capture again, takes each frame's SightingKind from the detector's thread (waiting for it frame
 * by frame) and feeds the ladder context and the TCP impact tracker as the one-thread run does. At the end it
 * takes the episodes and returns what it fills in of them, and the capture's impact.
 */
import { parentPort } from 'node:worker_threads';
import { readCaptureFile } from '../capture/open';
import { createDecodedPacket, decodeFrame } from '../decode/decoder';
import { ImpactTracker, type CaptureImpact } from '../detect/impact';
import { LadderContext } from '../detect/ladderContext';
import { SightingKind } from '../detect/loops';
import { microsFromSecNsec } from '../model/time';
import { KindFollower, type KindRingBuffers } from './kindRing';
import type { StageEpisode, StageEpisodeResult } from './secondStage';

export interface SecondStageJob {
  kind: 'second-stage';
  path: string;
  stallThresholdMs: number;
  ring: KindRingBuffers;
}

/** Sent by the detector's thread once it has closed the ring. */
export interface SecondStageFinish {
  episodes: StageEpisode[];
}

export type SecondStageReply =
  | { ok: true; impact: CaptureImpact; episodes: StageEpisodeResult[]; frames: number }
  | { ok: false; message: string };

export async function runSecondStage(job: SecondStageJob): Promise<void> {
  const port = parentPort!;
  const finish = new Promise<SecondStageFinish>((resolve) => port.once('message', resolve));
  const follower = new KindFollower(job.ring);
  const impact = new ImpactTracker(job.path, { stallThresholdMs: job.stallThresholdMs });
  const context = new LadderContext();
  const pkt = createDecodedPacket();
  const stop = new AbortController();
  let frames = 0;
  let timeUs = 0;
  let reply: SecondStageReply;
  try {
    await readCaptureFile(job.path, (f) => {
      // The same rule as the detector's thread: frames without a timestamp take the last known time.
      if (f.hasTime) timeUs = microsFromSecNsec(f.timeSec, f.timeNsec);
      const kind = follower.kindOf(frames) as SightingKind | -1;
      if (kind === -1) {
        // The file grew between the two reads: the detector's thread saw fewer frames, which are the analysis.
        stop.abort();
        return;
      }
      frames++;
      // Both consumers ignore capture duplicates; the impact tracker also ignores replicas (see secondStage.ts).
      if (kind === SightingKind.Duplicate) return;
      decodeFrame(f.data, f.linkType, pkt);
      context.observe(timeUs, pkt, f.data, kind);
      if (kind !== SightingKind.Replica) impact.observe(f.number, timeUs, pkt, f.data);
    }, { signal: stop.signal }).catch((e: unknown) => {
      if (!stop.signal.aborted) throw e;
    });
    const { episodes } = await finish;
    context.attach(episodes);
    const measured = impact.finish(episodes);
    reply = {
      ok: true, impact: measured, frames,
      episodes: episodes.map((e) => ({ impact: e.impact, background: e.background, icmpMarks: e.icmpMarks })),
    };
  } catch (e) {
    reply = { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
}
