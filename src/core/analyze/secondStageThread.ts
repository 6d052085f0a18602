/**
 * The second stage of a capture analysed on two threads (see secondStage.ts), in its own thread: takes the frame
 * records from the ring in order, runs the loop tracker and the TCP impact tracker on them as the one-thread run
 * does, writes each verdict beside its record (the decoding thread's ladder context reads it), and once the
 * decoding thread has closed the ring and sent what its front half learnt, returns the episodes and the capture's
 * impact.
 */
import { parentPort } from 'node:worker_threads';
import { ImpactTracker, type CaptureImpact } from '../detect/impact';
import { LoopTracker } from '../detect/loops';
import type { FrontState } from '../detect/sightingFront';
import type { LoopDetectionSettings } from '../model/analysis';
import type { LoopEpisode } from '../model/loops';
import { FactConsumer, type FactRingBuffers } from './factRing';

export interface SecondStageJob {
  kind: 'second-stage';
  path: string;
  stallThresholdMs: number;
  loopDetection: LoopDetectionSettings;
  ring: FactRingBuffers;
}

/** Sent by the decoding thread once it has closed the ring. */
export interface SecondStageFinish {
  front: FrontState;
}

export type SecondStageReply =
  | { ok: true; episodes: LoopEpisode[]; impact: CaptureImpact; frames: number }
  | { ok: false; message: string };

export async function runSecondStage(job: SecondStageJob): Promise<void> {
  const port = parentPort!;
  const finish = new Promise<SecondStageFinish>((resolve) => port.once('message', resolve));
  const consumer = new FactConsumer(job.ring);
  // However this thread ends, the decoding thread must not wait for it any longer.
  process.once('exit', () => consumer.gone());
  const tracker = new LoopTracker(job.path, job.loopDetection);
  const impact = new ImpactTracker(job.path, { stallThresholdMs: job.stallThresholdMs });
  const facts = consumer.facts;
  const kinds = consumer.kinds;
  let reply: SecondStageReply;
  try {
    let n = 0;
    for (let slot = consumer.slotOf(0); slot >= 0; slot = consumer.slotOf(++n)) {
      const kind = tracker.observe(facts, slot);
      kinds[slot] = kind;
      impact.observe(facts, slot, kind);
    }
    consumer.finished(n);
    const { front } = await finish;
    const episodes = tracker.finish(front);
    reply = { ok: true, episodes, impact: impact.finish(episodes), frames: n };
  } catch (e) {
    consumer.gone();
    reply = { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
}
