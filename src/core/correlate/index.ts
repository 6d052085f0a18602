/**
 * The correlator: log events and loop findings -> causal chains (restart -> peer down -> loop -> timeouts -> peer up
 * and loop end), repeating patterns with a permutation test, and judged hypotheses for the timeouts.
 * Pure and deterministic for a given seed; no I/O. See docs/correlation.md.
 */
import type { Chain, ChainPattern, Hypothesis } from '../model/correlation';
import type { LogEvent } from '../model/events';
import type { Impact, LoopEpisode } from '../model/loops';
import type { InputSummary } from '../model/report';
import { linkChains } from './chains';
import { toChains } from './chainSteps';
import { judgeHypotheses } from './hypotheses/index';
import { DEFAULT_PERMUTATIONS, DEFAULT_SEED, type CorrelateOptions } from './options';
import { findPatterns } from './patterns';
import { mergeIntervals, microsFromIso, type Interval } from './time';

export type { CorrelateOptions } from './options';
export { describeChain, describePattern, describeHypothesis, terminalSummary } from './summary';

export interface CorrelateInput {
  loops: LoopEpisode[];
  events: LogEvent[];
  impact: Impact;
  inputs: InputSummary[];
}

export interface CorrelateResult {
  chains: Chain[];
  patterns: ChainPattern[];
  hypotheses: Hypothesis[];
}

function captureCoverage(inputs: InputSummary[]): Interval[] {
  const spans: Interval[] = [];
  for (const i of inputs) {
    if (i.kind !== 'capture') continue;
    const start = microsFromIso(i.firstTime);
    const end = microsFromIso(i.lastTime);
    if (start !== null && end !== null && end >= start) spans.push({ start, end });
  }
  return mergeIntervals(spans);
}

function logCoverage(events: readonly LogEvent[]): Interval[] {
  return events.length ? [{ start: events[0]!.timeUs, end: events[events.length - 1]!.timeUs }] : [];
}

export function correlate(input: CorrelateInput, opts: CorrelateOptions = {}): CorrelateResult {
  const events = [...input.events].sort((a, b) => a.timeUs - b.timeUs);
  const loops = [...input.loops].sort((a, b) => a.startUs - b.startUs);
  const coverage = captureCoverage(input.inputs);
  // Loops given without capture summaries (a caller that only ran the detector): their own span is what was seen.
  const captured =
    coverage.length || !loops.length
      ? coverage
      : [{ start: Math.min(loops[0]!.startUs, events[0]?.timeUs ?? Infinity), end: Math.max(loops[loops.length - 1]!.endUs, events[events.length - 1]?.timeUs ?? -Infinity) }];
  const seed = opts.seed ?? DEFAULT_SEED;
  const permutations = opts.permutations ?? DEFAULT_PERMUTATIONS;
  const { linked, occurrences, book, windows } = linkChains(events, loops, input.impact);
  const chains = toChains(linked, book);
  const patterns = findPatterns({
    chains,
    linked,
    occurrences,
    events,
    loops,
    captureCoverage: captured,
    logCoverage: logCoverage(events),
    seed,
    permutations,
  });
  const hypotheses = judgeHypotheses({
    seed,
    permutations,
    windows,
    chains,
    linked,
    patterns,
    events,
    loops,
    impact: input.impact,
    captureCoverage: captured,
    hasCaptures: input.inputs.some((i) => i.kind === 'capture') || loops.length > 0,
  });
  return { chains, patterns, hypotheses };
}
