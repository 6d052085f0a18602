/** Chains, patterns and hypotheses, as the Report carries them. Produced by core/correlate. */
import type { EpochMicros, IsoInstant } from './time';

/** Where a link's evidence lives: a log line or capture frames. */
export type Evidence =
  | { kind: 'log'; file: string; line: number; eventId: string; text: string }
  | { kind: 'capture'; file: string; firstFrame: number; lastFrame: number; loopId?: string; text: string };

export type ChainStepKind =
  | 'restart'
  | 'peer-down'
  | 'loop'
  | 'timeouts'
  | 'stalls'
  | 'peer-up'
  | 'loop-end';

export interface ChainStep {
  kind: ChainStepKind;
  time: IsoInstant;
  timeUs: EpochMicros;
  /** Lag from the previous step, ms (0 for the first). */
  lagMs: number;
  summary: string;
  evidence: Evidence[];
}

export interface Chain {
  id: string;
  /** Who restarted / whose session dropped: e.g. "kube-router on node-3 (10.0.3.2)". */
  subject: string;
  steps: ChainStep[];
  start: IsoInstant;
  end: IsoInstant;
  /** The paragraph a person reads. */
  summary: string;
  patternId?: string;
}

export interface LagStats {
  from: ChainStepKind;
  to: ChainStepKind;
  lagsMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export interface ChainPattern {
  id: string;
  /** The step kinds in order, e.g. ["restart","peer-down","loop","timeouts"]. */
  shape: ChainStepKind[];
  occurrences: number;
  chainIds: string[];
  lags: LagStats[];
  /** Permutation test: chance of an alignment this tight at random; null when too few occurrences to test. */
  pValue: number | null;
  significant: boolean;
  summary: string;
}

export type Verdict = 'supported' | 'rejected' | 'inconclusive';

export interface Hypothesis {
  id: 'routing-loop-after-bgp-loss' | 'cpu-throttling' | 'packet-loss-without-loop' | 'application' | string;
  title: string;
  verdict: Verdict;
  /** 0..1, for ranking within the verdict. */
  score: number;
  reasoning: string;
  evidence: Evidence[];
}
