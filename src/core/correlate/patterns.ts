/**
 * Repeating chains -> patterns: chains with the same causal backbone (restart, peer down, loop) are grouped;
 * per-occurrence lags between the steps every occurrence has, their spread, the order, and a permutation test.
 * One chain alone is never a pattern.
 */
import type { Chain, ChainPattern, ChainStepKind, LagStats } from '../model/correlation';
import type { LogEvent } from '../model/events';
import type { LoopEpisode } from '../model/loops';
import { isPeerDown } from './eventKinds';
import { WINDOWS } from './options';
import type { RestartOccurrence } from './restarts';
import { alignmentTest } from './significance';
import { describePattern } from './summary';
import type { Interval } from './time';
import type { LinkedChain } from './chains';
import { identity, maxOf, median, minOf } from './numbers';

const BACKBONE: readonly ChainStepKind[] = ['restart', 'peer-down', 'loop'];

function timeOf(chain: Chain, kind: ChainStepKind): number {
  return chain.steps.find((s) => s.kind === kind)!.timeUs;
}

/** Kinds every chain has, ordered by their median offset from the restart (ties: causal order). */
function commonShape(chains: Chain[]): ChainStepKind[] {
  const kinds = chains
    .map((c) => new Set(c.steps.map((s) => s.kind)))
    .reduce((a, b) => new Set([...a].filter((k) => b.has(k))));
  const offset = (k: ChainStepKind) => median(chains.map((c) => timeOf(c, k) - timeOf(c, 'restart')));
  const causal: ChainStepKind[] = ['restart', 'peer-down', 'loop', 'stalls', 'timeouts', 'loop-end', 'peer-up'];
  return [...kinds].sort((a, b) => offset(a) - offset(b) || causal.indexOf(a) - causal.indexOf(b));
}

function lagStats(chains: Chain[], shape: ChainStepKind[]): LagStats[] {
  const out: LagStats[] = [];
  for (let i = 1; i < shape.length; i++) {
    const from = shape[i - 1]!;
    const to = shape[i]!;
    const lagsMs = chains.map((c) => (timeOf(c, to) - timeOf(c, from)) / 1000);
    const minMs = minOf(lagsMs, identity);
    const maxMs = maxOf(lagsMs, identity);
    out.push({ from, to, lagsMs, medianMs: median(lagsMs), minMs, maxMs, spreadMs: maxMs - minMs });
  }
  return out;
}

/**
 * "Each time in the same order": the causal backbone (restart, peer down, loop) came in the same time order every
 * time. Symptoms are left out: requests sent a fraction of a millisecond before the loop began are caught by it,
 * so the first failed request and the loop start swap places by chance; likewise stalls, loop end and peer up.
 */
function sameOrder(chains: Chain[], shape: ChainStepKind[]): boolean {
  const causal: ChainStepKind[] = shape.filter((k) => BACKBONE.includes(k));
  const order = (c: Chain) =>
    c.steps
      .filter((s) => causal.includes(s.kind))
      .map((s) => s.kind)
      .join('>');
  const first = order(chains[0]!);
  return chains.every((c) => order(c) === first);
}

export interface PatternInputs {
  chains: Chain[];
  linked: LinkedChain[];
  occurrences: RestartOccurrence[];
  events: readonly LogEvent[];
  loops: readonly LoopEpisode[];
  /** Where loops could have been seen (captures' spans). */
  captureCoverage: Interval[];
  /** Where log events could have been seen (the logs' span). */
  logCoverage: Interval[];
  seed: number;
  permutations: number;
}

export function findPatterns(inp: PatternInputs): ChainPattern[] {
  const groups = new Map<string, number[]>();
  inp.chains.forEach((c, i) => {
    const key = BACKBONE.filter((k) => c.steps.some((s) => s.kind === k)).join('>');
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  const patterns: ChainPattern[] = [];
  for (const [key, idx] of groups) {
    if (idx.length < 2) continue;
    const chains = idx.map((i) => inp.chains[i]!);
    const shape = commonShape(chains);
    const keys = new Set(idx.map((i) => inp.linked[i]!.subjectKey));
    // Every restart of these subjects, linked or not: a restart that led nowhere counts against the alignment.
    const linkedAt = new Map(inp.linked.map((c) => [c.occurrence, c.restartUs]));
    const restarts = inp.occurrences.filter((o) => keys.has(o.key)).map((o) => linkedAt.get(o) ?? o.timeUs);
    const byLoops = key.includes('loop');
    const effects = byLoops ? inp.loops.map((l) => l.startUs) : inp.events.filter(isPeerDown).map((e) => e.timeUs);
    const coverage = byLoops && inp.captureCoverage.length ? inp.captureCoverage : inp.logCoverage;
    const test = alignmentTest(restarts, effects, coverage, {
      seed: inp.seed,
      permutations: inp.permutations,
      capUs: WINDOWS.significanceCapUs,
      toleranceUs: WINDOWS.preciseToleranceUs,
    });
    const pValue = test ? test.pValue : null;
    const pattern: ChainPattern = {
      id: `pattern-${patterns.length + 1}`,
      shape,
      occurrences: chains.length,
      chainIds: chains.map((c) => c.id),
      lags: lagStats(chains, shape),
      pValue,
      significant: pValue !== null && pValue < WINDOWS.significanceLevel,
      summary: '',
      sameOrder: sameOrder(chains, shape),
      subjects: [...new Set(chains.map((c) => c.subject))],
      test: test
        ? `${test.permutations} placements of the ${test.restarts} restarts at random over the ${byLoops ? 'captured' : 'logged'} time ` +
          `(seed ${inp.seed}); statistic: sum of log(lag + 10 ms) from each restart to the next ${byLoops ? 'loop' : 'peer down'}, ` +
          `lags capped at ${WINDOWS.significanceCapUs / 1e6} s`
        : 'not tested: fewer than two restarts inside the time covered by the data',
    };
    for (const c of chains) c.patternId = pattern.id;
    pattern.summary = describePattern(pattern);
    patterns.push(pattern);
  }
  return patterns;
}
