/**
 * The second stage's work itself, the same whichever thread does it (secondStage.ts): the ladder context and the
 * TCP impact of one capture, fed each frame with the detector's verdict.
 */
import type { FrameFacts } from '../detect/frameFacts';
import { ImpactTracker, type CaptureImpact, type EpisodeWindow } from '../detect/impact';
import { LadderContext, type ContextEpisode } from '../detect/ladderContext';
import { SightingKind } from '../detect/loops';

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
    if (kind === SightingKind.Duplicate) return;
    this.context.observe(facts, slot, kind);
    // A looped packet seen ten times is one packet, not nine retransmissions.
    if (kind !== SightingKind.Replica) this.impact.observe(facts, slot);
  }

  /** Every frame was seen: fills in the episodes' ladder context and impact, returns the capture's impact. */
  finish(episodes: StageEpisode[]): CaptureImpact {
    this.context.attach(episodes);
    return this.impact.finish(episodes);
  }
}
