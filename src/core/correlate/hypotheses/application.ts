/** The application itself: slow responses and timeouts with no network symptom (loop, stall, BGP change) around them. */
import type { Hypothesis } from '../../model/correlation';
import { eventEvidence } from '../evidence';
import { isBgpChange } from '../eventKinds';
import { WINDOWS } from '../options';
import { lowerBound, overlaps } from '../time';
import { hypothesis, isCaptured, loopsIn, stallsIn, windowText, type HypothesisContext } from './context';
import type { SymptomWindow } from '../windows';

const ID = 'application';
const TITLE = 'The application itself';

/** `bgpTimes`: instants of BGP session changes, ascending. */
function networkSymptom(ctx: HypothesisContext, w: SymptomWindow, bgpTimes: number[]): boolean {
  if (loopsIn(ctx, w).length || stallsIn(ctx, w).length) return true;
  if (ctx.linked.some((c) => overlaps(w, { start: c.windowStart, end: c.windowEnd }))) return true;
  const i = lowerBound(bgpTimes, w.start - WINDOWS.networkLeadUs);
  return i < bgpTimes.length && bgpTimes[i]! <= w.end;
}

export function applicationHypothesis(ctx: HypothesisContext): Hypothesis {
  const n = ctx.windows.length;
  if (!n) return hypothesis(ID, TITLE, 'inconclusive', 0, 'no timeouts or slow responses given', []);
  const bgpTimes = ctx.events
    .filter(isBgpChange)
    .map((e) => e.timeUs)
    .sort((a, b) => a - b);
  const quiet = ctx.windows.filter((w) => !networkSymptom(ctx, w, bgpTimes));
  if (!quiet.length) {
    return hypothesis(ID, TITLE, 'rejected', 0, `every one of the ${windowText(n)} coincides with a network symptom (loop, TCP stall or BGP change)`, []);
  }
  const seen = quiet.filter((w) => isCaptured(ctx, w));
  const evidence = quiet.map((w) => eventEvidence(w.events[0]!));
  if (seen.length * 2 >= n) {
    return hypothesis(
      ID,
      TITLE,
      'supported',
      0.5 + (0.5 * seen.length) / n,
      `${windowText(seen.length, n)} show no network symptom although the captures cover them`,
      evidence,
    );
  }
  const unseen = quiet.length - seen.length;
  return hypothesis(
    ID,
    TITLE,
    'inconclusive',
    (0.5 * quiet.length) / n,
    `${windowText(quiet.length, n)} show no network symptom` + (unseen ? ` (${unseen} of them not captured, so the network cannot be cleared)` : ''),
    evidence,
  );
}
