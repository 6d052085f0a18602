/**
 * How likely is it that effects (loops, peer downs) follow restarts this closely by chance?
 * Statistic: the sum over restarts of log(lag to the next effect + 10 ms), each lag capped (a restart with nothing
 * after it scores the cap). The logarithm rewards tight alignment and keeps one restart that led nowhere (a
 * graceful restart without a loop) from drowning the others, as it would in a plain sum. Null model: the same number of restarts placed uniformly at random over the time the effects
 * could have been seen (captures' spans for loops, the logs' span for peer downs), effects kept where they were.
 * p = (1 + #{shuffled sum <= observed sum}) / (1 + permutations), never 0.
 */
import { seededRandom } from './random';
import { lowerBound, mergeIntervals, type Interval } from './time';

export interface AlignmentTest {
  pValue: number;
  /** Restarts tested (those inside the covered time). */
  restarts: number;
  /** The statistic for the real restarts (sum of log lags). */
  observed: number;
  permutations: number;
}

/** Keeps log() finite for an effect at the restart's instant, and treats lags below it as equally tight. */
const LAG_FLOOR_US = 10_000;

function lagSum(restarts: ArrayLike<number>, effects: number[], toleranceUs: number, capUs: number): number {
  let sum = 0;
  for (let i = 0; i < restarts.length; i++) {
    const r = restarts[i]!;
    const j = lowerBound(effects, r - toleranceUs);
    const lag = j < effects.length ? Math.min(Math.max(0, effects[j]! - r), capUs) : capUs;
    sum += Math.log(lag + LAG_FLOOR_US);
  }
  return sum;
}

export function alignmentTest(
  restartTimes: number[],
  effectTimes: number[],
  coverage: Interval[],
  opts: { seed: number; permutations: number; capUs: number; toleranceUs: number },
): AlignmentTest | null {
  // A restart shortly before a capture starts may still show its loop in it: extend each span back by the cap.
  const spans = mergeIntervals(coverage.map((c) => ({ start: c.start - opts.capUs, end: c.end })).filter((c) => c.end > c.start));
  const inside = restartTimes.filter((t) => spans.some((s) => t >= s.start && t <= s.end));
  if (inside.length < 2 || effectTimes.length === 0 || opts.permutations < 1) return null;
  const effects = [...effectTimes].sort((a, b) => a - b);
  const observed = lagSum(inside, effects, opts.toleranceUs, opts.capUs);
  const total = spans.reduce((s, c) => s + (c.end - c.start), 0);
  const random = seededRandom(opts.seed);
  const shuffled = new Float64Array(inside.length);
  let asGood = 0;
  for (let p = 0; p < opts.permutations; p++) {
    for (let i = 0; i < shuffled.length; i++) {
      let u = random() * total;
      let k = 0;
      while (k < spans.length - 1 && u > spans[k]!.end - spans[k]!.start) {
        u -= spans[k]!.end - spans[k]!.start;
        k++;
      }
      shuffled[i] = spans[k]!.start + u;
    }
    if (lagSum(shuffled, effects, opts.toleranceUs, opts.capUs) <= observed) asGood++;
  }
  return { pValue: (1 + asGood) / (1 + opts.permutations), restarts: inside.length, observed, permutations: opts.permutations };
}
