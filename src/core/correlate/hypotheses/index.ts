/** The hypotheses for the symptom, judged and ranked: supported first, then inconclusive, then rejected; by score within. */
import type { Hypothesis, Verdict } from '../../model/correlation';
import { applicationHypothesis } from './application';
import type { HypothesisContext } from './context';
import { cpuThrottlingHypothesis } from './cpuThrottling';
import { packetLossHypothesis } from './packetLoss';
import { routingLoopHypothesis } from './routingLoop';

export type { HypothesisContext } from './context';

const RANK: Record<Verdict, number> = { supported: 0, inconclusive: 1, rejected: 2 };

export function judgeHypotheses(ctx: HypothesisContext): Hypothesis[] {
  const all = [routingLoopHypothesis(ctx), cpuThrottlingHypothesis(ctx), packetLossHypothesis(ctx), applicationHypothesis(ctx)];
  return all.sort((a, b) => RANK[a.verdict] - RANK[b.verdict] || b.score - a.score);
}
