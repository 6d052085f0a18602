/**
 * CPU throttling: do throttling samples (cgroup cpu.stat deltas, Prometheus throttled-periods series) rise inside
 * the timeout windows compared with outside them? Each series (file + pod/container) is judged on its own, as a
 * rate per second of its own unit, because series in different units cannot be added.
 */
import type { Hypothesis } from '../../model/correlation';
import type { LogEvent } from '../../model/events';
import { eventEvidence } from '../evidence';
import { weight } from '../eventKinds';
import { WINDOWS } from '../options';
import { seededRandom } from '../random';
import { mergeIntervals, overlapLength, type Interval } from '../time';
import { windowShiftTest } from './shiftTest';
import { hypothesis, windowText, type HypothesisContext } from './context';
import { median } from '../numbers';

const ID = 'cpu-throttling';
const TITLE = 'CPU throttling';
/** Inside rate at least this many times the outside rate: a rise. At most RISE_NONE times: no rise. */
const RISE = 2;
const RISE_NONE = 1.25;
/**
 * A cause must be there every time: throttling explains the timeouts only if it rises in at least this share of
 * the windows, and cannot explain them if it rises in fewer than FEW_WINDOWS of them (bursts unrelated to the
 * timeouts land in some windows by chance and lift the overall rate).
 */
const MOST_WINDOWS = 0.75;
const FEW_WINDOWS = 0.5;
const SIGNIFICANT = WINDOWS.significanceLevel;

interface SeriesVerdict {
  name: string;
  unit: string;
  inRate: number;
  outRate: number;
  inSamples: number;
  outSamples: number;
  rise: 'rise' | 'none' | 'few' | 'slight' | 'uncovered';
  /** Windows the series covers, and those in which it rises on its own. */
  windowsCovered: number;
  windowsRising: number;
  /** Window-shift test (shiftTest.ts), when the series rises: chance that windows at a random offset catch as much. */
  pShift?: number;
  inside: LogEvent[];
}

function value(e: LogEvent): number {
  return e.throttledPeriods ?? e.throttledMs ?? weight(e);
}

function judgeSeries(name: string, samples: LogEvent[], windows: Interval[], random: () => number, permutations: number): SeriesVerdict {
  const unit = samples.some((e) => e.throttledPeriods !== undefined)
    ? 'throttled periods'
    : samples.some((e) => e.throttledMs !== undefined)
      ? 'throttled ms'
      : 'throttling events';
  const times = samples.map((e) => e.timeUs);
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  // A sample tells about the interval that ends at its timestamp; widen windows by one interval to catch it.
  const interval = gaps.length ? median(gaps) : 0;
  const expanded = mergeIntervals(windows.map((w) => ({ start: w.start, end: w.end + interval })));
  const span: Interval = { start: times[0]! - interval, end: times[times.length - 1]! };
  const inTime = overlapLength(span, expanded);
  const outTime = span.end - span.start - inTime;
  let inSum = 0;
  let outSum = 0;
  const inside: LogEvent[] = [];
  for (const e of samples) {
    if (expanded.some((w) => e.timeUs >= w.start && e.timeUs <= w.end)) {
      inSum += value(e);
      inside.push(e);
    } else outSum += value(e);
  }
  const inRate = inTime > 0 ? inSum / (inTime / 1e6) : 0;
  const outRate = outTime > 0 ? outSum / (outTime / 1e6) : 0;
  // Window by window: does the series rise in each one on its own?
  let windowsCovered = 0;
  let windowsRising = 0;
  for (const w of windows) {
    const wide = { start: Math.max(w.start, span.start), end: Math.min(w.end + interval, span.end) };
    if (wide.end <= wide.start) continue;
    windowsCovered++;
    let sum = 0;
    for (const e of samples) if (e.timeUs >= wide.start && e.timeUs <= wide.end) sum += value(e);
    const rate = sum / ((wide.end - wide.start) / 1e6);
    if (rate > 0 && rate >= RISE * outRate) windowsRising++;
  }
  const base = { name, unit, inRate, outRate, inSamples: inside.length, outSamples: samples.length - inside.length, windowsCovered, windowsRising, inside };
  if (inTime <= 0 || outTime <= 0 || inside.length === 0) return { ...base, rise: 'uncovered' };
  if (inRate <= RISE_NONE * outRate) return { ...base, rise: 'none' };
  if (windowsRising < FEW_WINDOWS * windowsCovered) return { ...base, rise: 'few' };
  if (inRate > 0 && inRate >= RISE * outRate && windowsRising >= MOST_WINDOWS * windowsCovered) {
    const clipped = expanded.map((w) => ({ start: Math.max(w.start, span.start), end: Math.min(w.end, span.end) })).filter((w) => w.end > w.start);
    const pShift = windowShiftTest(times, samples.map(value), span, clipped, random, permutations);
    return { ...base, pShift, rise: pShift < SIGNIFICANT ? 'rise' : 'slight' };
  }
  return { ...base, rise: 'slight' };
}

function rates(v: SeriesVerdict): string {
  const f = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(2));
  return (
    `${v.name}: ${f(v.inRate)} ${v.unit}/s inside vs ${f(v.outRate)}/s outside, ${v.inSamples} samples inside, ` +
    `${v.outSamples} outside, a rise in ${v.windowsRising} of ${v.windowsCovered} windows` +
    (v.pShift !== undefined ? `, windows at random offsets catch as much with p = ${v.pShift.toFixed(3)}` : '')
  );
}

export function cpuThrottlingHypothesis(ctx: HypothesisContext): Hypothesis {
  const samples = ctx.events.filter((e) => e.kind === 'cpu-throttled');
  if (!samples.length) return hypothesis(ID, TITLE, 'inconclusive', 0, 'no throttling data given (cgroup cpu.stat or Prometheus throttling series)', []);
  if (!ctx.windows.length) return hypothesis(ID, TITLE, 'inconclusive', 0, 'no timeouts or slow responses given to compare the throttling with', []);
  const bySeries = new Map<string, LogEvent[]>();
  for (const e of samples) {
    const key = `${e.source.file}${e.pod ?? e.container ?? e.host ? ` (${e.pod ?? e.container ?? e.host})` : ''}`;
    const list = bySeries.get(key);
    if (list) list.push(e);
    else bySeries.set(key, [e]);
  }
  const random = seededRandom(ctx.seed);
  const verdicts = [...bySeries].map(([name, list]) =>
    judgeSeries(name, list.sort((a, b) => a.timeUs - b.timeUs), ctx.windows, random, ctx.permutations),
  );
  const covering = verdicts.filter((v) => v.rise !== 'uncovered');
  const n = ctx.windows.length;
  const rising = covering.filter((v) => v.rise === 'rise');
  if (rising.length) {
    const top = rising.sort((a, b) => b.inRate / (b.outRate || 1e-9) - a.inRate / (a.outRate || 1e-9))[0]!;
    const ratio = top.outRate > 0 ? Math.min(1, (top.inRate / top.outRate) / 10) : 1;
    return hypothesis(ID, TITLE, 'supported', 0.5 + 0.5 * ratio, `throttling rises in the ${windowText(n)} (${rising.map(rates).join('; ')})`, top.inside.map(eventEvidence));
  }
  if (!covering.length) {
    return hypothesis(ID, TITLE, 'inconclusive', 0, `the throttling data given does not cover the ${windowText(n)} (and the time around them)`, []);
  }
  if (covering.every((v) => v.rise === 'none' || v.rise === 'few')) {
    const why = covering.every((v) => v.rise === 'none')
      ? 'throttled periods show no rise in those windows'
      : 'throttling rises in too few of the windows to explain the others';
    return hypothesis(ID, TITLE, 'rejected', 0, `${why} (${covering.map(rates).join('; ')})`, covering.flatMap((v) => v.inside).map(eventEvidence));
  }
  return hypothesis(ID, TITLE, 'inconclusive', 0.2, `throttling rises slightly in the ${windowText(n)}, not clearly (${covering.map(rates).join('; ')})`, covering.flatMap((v) => v.inside).map(eventEvidence));
}
