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

/** How a step was tied to the chain's subject (strongest first). `time` = by time alone, within a bounded window. */
export type LinkBasis = 'address' | 'name' | 'prefix' | 'time';

/** The numbers behind a step, for the summary sentence and the UI (all optional: only what the step has). */
export interface ChainStepFacts {
  /** peer-down / peer-up: the peer address (or name) as the other side logged it. */
  peer?: string;
  /** peer-down / peer-up: the host that logged it, when known. */
  observer?: string;
  /** loop: destination prefixes of the linked episode(s). */
  prefixes?: string[];
  /** loop: total duration of the linked episode(s), ms. */
  durationMs?: number;
  /** loop: distinct packets caught in the loop(s). */
  loopedPackets?: number;
  /** loop: hop count (TTL step). */
  ttlStep?: number;
  /** loop: ids of the linked episodes (more than one when the detector split it). */
  loopIds?: string[];
  /** loop: the routers on the loop, by name when the logs tell it, else by address. */
  routers?: string[];
  /** timeouts: requests that timed out / responses that were slow in the chain's window. */
  requests?: number;
  slowResponses?: number;
  /** timeouts: requests that failed outright (connection refused/reset, host unreachable). */
  failedRequests?: number;
  /** stalls: TCP stalls in the window and the longest, ms. */
  stalls?: number;
  longestStallMs?: number;
  /** stalls: of which never answered before the capture ended or the client gave up. */
  unansweredStalls?: number;
}

export interface ChainStep {
  kind: ChainStepKind;
  time: IsoInstant;
  timeUs: EpochMicros;
  /** Lag from the previous step, ms (0 for the first). Steps are in time order, so lags are >= 0. */
  lagMs: number;
  summary: string;
  evidence: Evidence[];
  /** How the instant was obtained when no line states it exactly (e.g. a restart seen late by the kubelet). */
  timeNote?: string;
  /** How this step was tied to the subject (absent for the restart itself). */
  linkedBy?: LinkBasis;
  /** Why, in words: e.g. "peer 10.0.23.2 is node-1's address (stated in kube-router.log:12)". */
  linkNote?: string;
  facts?: ChainStepFacts;
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
  /** Addresses the subject was known by, and how (e.g. "stated in events", "inferred: its peer went down after each restart"). */
  subjectAddresses?: string[];
  subjectAddressSource?: string;
}

export interface LagStats {
  from: ChainStepKind;
  to: ChainStepKind;
  lagsMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** maxMs - minMs. */
  spreadMs?: number;
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
  /** true when every occurrence went through `shape` in the same time order. */
  sameOrder?: boolean;
  /** Who restarted, one entry per distinct subject. */
  subjects?: string[];
  /** How pValue was computed (statistic, null model, permutations, seed), in words. */
  test?: string;
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
