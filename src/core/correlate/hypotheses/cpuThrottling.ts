/**
 * CPU throttling: do throttling samples (cgroup cpu.stat deltas, Prometheus throttled-periods series) rise inside
 * the timeout windows compared with outside them? Each series (file + pod/container) is judged on its own, as a
 * rate per second of its own unit, because series in different units cannot be added.
 */
import type { Hypothesis } from '../../model/correlation';
import type { LogEvent } from '../../model/events';
import { eventEvidence } from '../evidence';
import { weight } from '../eventKinds';
import { mergeIntervals, overlapLength, type Interval } from '../time';
import { hypothesis, windowText, type HypothesisContext } from './context';

const ID = 'cpu-throttling';
const TITLE = 'CPU throttling';
/** Inside rate at least this many times the outside rate: a rise. At most RISE_NONE times: no rise. */
const RISE = 2;
const RISE_NONE = 1.25;

interface SeriesVerdict {
  name: string;
  unit: string;
  inRate: number;
  outRate: number;
  inSamples: number;
  outSamples: number;
  rise: 'rise' | 'none' | 'slight' | 'uncovered';
  inside: LogEvent[];
}

function value(e: LogEvent): number {
  return e.throttledPeriods ?? e.throttledMs ?? weight(e);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1]! : 0;
}

function judgeSeries(name: string, samples: LogEvent[], windows: Interval[]): SeriesVerdict {
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
  const base = { name, unit, inRate, outRate, inSamples: inside.length, outSamples: samples.length - inside.length, inside };
  if (inTime <= 0 || outTime <= 0 || inside.length === 0) return { ...base, rise: 'uncovered' };
  if (inRate > 0 && inRate >= RISE * outRate) return { ...base, rise: 'rise' };
  if (inRate <= RISE_NONE * outRate) return { ...base, rise: 'none' };
  return { ...base, rise: 'slight' };
}

function rates(v: SeriesVerdict): string {
  const f = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(2));
  return `${v.name}: ${f(v.inRate)} ${v.unit}/s inside vs ${f(v.outRate)}/s outside, ${v.inSamples} samples inside, ${v.outSamples} outside`;
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
  const verdicts = [...bySeries].map(([name, list]) => judgeSeries(name, list.sort((a, b) => a.timeUs - b.timeUs), ctx.windows));
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
  if (covering.every((v) => v.rise === 'none')) {
    return hypothesis(
      ID,
      TITLE,
      'rejected',
      0,
      `throttled periods show no rise in those windows (${covering.map(rates).join('; ')})`,
      covering.flatMap((v) => v.inside).map(eventEvidence),
    );
  }
  return hypothesis(ID, TITLE, 'inconclusive', 0.2, `throttling rises slightly in the ${windowText(n)}, not clearly (${covering.map(rates).join('; ')})`, covering.flatMap((v) => v.inside).map(eventEvidence));
}
