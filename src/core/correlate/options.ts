/**
 * The correlator's windows and thresholds, in one place so docs/correlation.md can cite them.
 * Times are µs. Each value says why it has that size.
 */
import { US_PER_MS, US_PER_S } from './time';

export interface CorrelateOptions {
  /** Seed of the permutation test's PRNG: the same input and seed give the same p-values. */
  seed?: number;
  /** Shuffles per permutation test (default 1000: p-values down to ~0.001). */
  permutations?: number;
}

export const DEFAULT_SEED = 0x1ce1e5;
export const DEFAULT_PERMUTATIONS = 1000;

export const WINDOWS = {
  /** Restart lines of one subject closer than this are one restart (kill, stop, start, "Started container"...). */
  restartClusterGapUs: 10 * US_PER_S,
  /**
   * Peer down after a restart, when the peer is identified (address or name): a killed speaker's TCP session
   * closes at once, but a hung one is only noticed at hold-timer expiry (GoBGP 90 s, FRR 180 s by default).
   */
  peerDownIdentifiedUs: 180 * US_PER_S,
  /** Peer down after a restart linked by time alone: measured 0.1-1 s in the lab; 10 s leaves room for slow logs. */
  peerDownByTimeUs: 10 * US_PER_S,
  /** A peer down may be logged before a restart whose stop was not logged (only a "started" line): up to this. */
  peerDownBeforeStartOnlyUs: 30 * US_PER_S,
  /** Loop after the peer down when its destinations are in the subject's prefixes: FIB convergence can be slow. */
  loopIdentifiedUs: 60 * US_PER_S,
  /** Loop after the peer down (or restart) by time alone: a withdrawn route loops within a second or two. */
  loopByTimeUs: 10 * US_PER_S,
  /** Episodes of one loop split by the detector (a short quiet gap) are joined when this close. */
  loopJoinGapUs: 1 * US_PER_S,
  /** How long after the peer down its peer-up may come (a crash-looping pod can stay down for minutes). */
  peerUpUs: 600 * US_PER_S,
  /** Tolerance for instants written with a fraction of a second (clock skew between hosts). */
  preciseToleranceUs: 200 * US_PER_MS,
  /** Symptom events (timeouts, slow responses) closer than this form one symptom window. */
  symptomGapUs: 2 * US_PER_S,
  /** Network events (BGP changes) this long before a symptom window still count as its network symptom. */
  networkLeadUs: 30 * US_PER_S,
  /** The permutation test's cap on a restart's lag to the next effect: beyond it, "no effect". */
  significanceCapUs: 30 * US_PER_S,
  /** p below this, with at least two occurrences, is called significant. */
  significanceLevel: 0.05,
} as const;

/** Evidence lists longer than this are cut (the summary still counts everything). */
export const MAX_EVIDENCE_PER_STEP = 50;
