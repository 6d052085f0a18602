/**
 * The work after the loop tracker, in one thread (secondStage.ts InThreadStages): the ladder context and the TCP
 * impact of one capture, fed each frame's record with the tracker's verdict. With two threads the same two pieces
 * run apart: the impact beside the tracker in the second thread, the ladder context in the decoding thread, on
 * each record just before its ring slot is written again (secondStage.ts ThreadStages).
 */
import type { FrameFacts } from '../detect/frameFacts';
import { ImpactTracker, type CaptureImpact, type EpisodeWindow } from '../detect/impact';
import { LadderContext, type ContextEpisode } from '../detect/ladderContext';
import type { SightingKind } from '../detect/loops';

/** What the second stage reads of an episode, and fills in. */
export type StageEpisode = EpisodeWindow & ContextEpisode;

export class StageWork {
  private readonly context = new LadderContext();
  private readonly impact: ImpactTracker;

  constructor(path: string, stallThresholdMs: number) {
    this.impact = new ImpactTracker(path, { stallThresholdMs });
  }

  /** One frame's record (frameFacts.ts) and the loop tracker's verdict on it. */
  observe(facts: FrameFacts, slot: number, kind: SightingKind): void {
    this.context.observe(facts, slot, kind);
    this.impact.observe(facts, slot, kind);
  }

  /** Every frame was seen: fills in the episodes' ladder context and impact, returns the capture's impact. */
  finish(episodes: StageEpisode[]): CaptureImpact {
    this.context.attach(episodes);
    return this.impact.finish(episodes);
  }
}
