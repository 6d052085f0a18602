/** Packet loss without a loop: TCP stalls in timeout windows while no loop runs. */
import type { Hypothesis } from '../../model/correlation';
import { stallEvidence } from '../evidence';
import { overlaps } from '../time';
import { hypothesis, isCaptured, loopsIn, stallInterval, stallsIn, timeExceededElsewhereText, windowText, type HypothesisContext } from './context';

const ID = 'packet-loss-without-loop';
const TITLE = 'Packet loss without a loop';

export function packetLossHypothesis(ctx: HypothesisContext): Hypothesis {
  if (!ctx.hasCaptures && !ctx.impact.stalls.length) return hypothesis(ID, TITLE, 'inconclusive', 0, 'no capture given: packet loss cannot be seen', []);
  const n = ctx.windows.length;
  if (!n) return hypothesis(ID, TITLE, 'inconclusive', 0, 'no timeouts or slow responses given to explain', []);
  const captured = ctx.windows.filter((w) => isCaptured(ctx, w));
  if (!captured.length) return hypothesis(ID, TITLE, 'inconclusive', 0, `the captures do not cover the ${windowText(n)}`, []);
  const lossWithoutLoop = captured
    .map((w) => ({
      w,
      stalls: loopsIn(ctx, w).length
        ? []
        : stallsIn(ctx, w).filter((s) => !s.loops.length && !ctx.loops.some((l) => overlaps(stallInterval(s), { start: l.startUs, end: l.endUs }))),
    }))
    .filter((x) => x.stalls.length > 0);
  const evidence = lossWithoutLoop.flatMap((x) => x.stalls).map(stallEvidence);
  if (!lossWithoutLoop.length) {
    return hypothesis(ID, TITLE, 'rejected', 0, `in the ${windowText(captured.length)} captured, TCP stalled only while a loop ran, or not at all`, []);
  }
  const share = lossWithoutLoop.length / captured.length;
  const text = `TCP stalled with no loop running in ${windowText(lossWithoutLoop.length, captured.length)} captured`;
  const elsewhere = timeExceededElsewhereText(ctx);
  if (elsewhere) return hypothesis(ID, TITLE, 'inconclusive', 0.3 * share, `${text}, but ${elsewhere}: the loss may be a loop there`, evidence);
  return share >= 0.5
    ? hypothesis(ID, TITLE, 'supported', 0.5 + 0.5 * share, text, evidence)
    : hypothesis(ID, TITLE, 'inconclusive', share, `${text}; the others are explained otherwise`, evidence);
}
