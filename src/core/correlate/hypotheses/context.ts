/** What every hypothesis looks at, and the questions they share ("was this window captured?", "any loop in it?"). */
import type { Chain, ChainPattern, Hypothesis, Verdict } from '../../model/correlation';
import type { LogEvent } from '../../model/events';
import type { Impact, LoopEpisode, TcpStall } from '../../model/loops';
import type { LinkedChain } from '../chains';
import { overlapLength, overlaps, type Interval } from '../time';
import type { SymptomWindow } from '../windows';

export interface HypothesisContext {
  /** Where requests timed out or were slow; empty when the logs given hold no such lines. */
  windows: SymptomWindow[];
  chains: Chain[];
  linked: LinkedChain[];
  patterns: ChainPattern[];
  events: readonly LogEvent[];
  loops: readonly LoopEpisode[];
  impact: Impact;
  /** Merged spans of the captures given. */
  captureCoverage: Interval[];
  hasCaptures: boolean;
  /** For the permutation tests (seeded: the same input gives the same verdicts). */
  seed: number;
  permutations: number;
}

/** A window counts as captured when captures cover at least half of it (an instant: when it is inside one). */
export function isCaptured(ctx: HypothesisContext, w: Interval): boolean {
  const len = w.end - w.start;
  if (len <= 0) return ctx.captureCoverage.some((c) => w.start >= c.start && w.start <= c.end);
  return overlapLength(w, ctx.captureCoverage) * 2 >= len;
}

export function loopsIn(ctx: HypothesisContext, w: Interval): LoopEpisode[] {
  return ctx.loops.filter((l) => overlaps({ start: l.startUs, end: l.endUs }, w));
}

export function stallInterval(s: TcpStall): Interval {
  return { start: s.startUs, end: s.startUs + s.durationMs * 1000 };
}

export function stallsIn(ctx: HypothesisContext, w: Interval): TcpStall[] {
  return ctx.impact.stalls.filter((s) => overlaps(stallInterval(s), w));
}

/**
 * ICMP time-exceeded messages the captures hold beyond those of the loops found: TTLs ran out on a path that was
 * not captured (a capture on the client's link sees the core's time-exceeded replies, not the loop itself).
 */
export function timeExceededElsewhere(ctx: HypothesisContext): number {
  let inLoops = 0;
  for (const l of ctx.loops) inLoops += l.icmpTimeExceeded;
  return Math.max(0, ctx.impact.icmpTimeExceeded - inLoops);
}

/** The words for it, when there are any ("" when none). */
export function timeExceededElsewhereText(ctx: HypothesisContext): string {
  const n = timeExceededElsewhere(ctx);
  return n > 0 ? `the captures hold ${n} ICMP time-exceeded messages no captured loop accounts for: TTLs ran out on a path that was not captured` : '';
}

export function windowText(n: number, of?: number): string {
  const base = of === undefined ? `${n}` : `${n} of ${of}`;
  return `${base} timeout window${(of ?? n) === 1 ? '' : 's'}`;
}

export function hypothesis(
  id: Hypothesis['id'],
  title: string,
  verdict: Verdict,
  score: number,
  reasoning: string,
  evidence: Hypothesis['evidence'],
): Hypothesis {
  return { id, title, verdict, score: Math.max(0, Math.min(1, score)), reasoning, evidence: evidence.slice(0, 20) };
}
