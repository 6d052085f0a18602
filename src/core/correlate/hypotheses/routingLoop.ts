/** "A routing loop after a BGP session loss": do the chains restart -> peer down -> loop cover the timeouts? */
import type { Evidence, Hypothesis } from '../../model/correlation';
import { eventEvidence, loopEvidence } from '../evidence';
import { overlaps } from '../time';
import { hypothesis, isCaptured, loopsIn, timeExceededElsewhereText, windowText, type HypothesisContext } from './context';

const ID = 'routing-loop-after-bgp-loss';
const TITLE = 'A routing loop after a BGP session loss';

export function routingLoopHypothesis(ctx: HypothesisContext): Hypothesis {
  const withLoop = ctx.linked
    .map((c, i) => ({ c, chain: ctx.chains[i]! }))
    .filter(({ c }) => c.peerDown !== undefined && c.loops.length > 0);
  const evidence: Evidence[] = [];
  for (const { c } of withLoop) {
    evidence.push(eventEvidence(c.peerDown!.events[0]!), loopEvidence(c.loops[0]!));
  }
  const significant = ctx.patterns.some((p) => p.significant && p.shape.includes('loop') && p.shape.includes('peer-down'));
  const identified = withLoop.some(({ c }) => c.peerDown!.match.basis !== 'time' && c.loopBasis === 'prefix');
  const n = ctx.windows.length;

  if (n === 0) {
    if (!withLoop.length) return hypothesis(ID, TITLE, 'inconclusive', 0, 'no timeouts or slow responses in the logs given, and no restart led to a loop', evidence);
    return hypothesis(
      ID,
      TITLE,
      significant || identified ? 'supported' : 'inconclusive',
      significant || identified ? 0.5 : 0.2,
      `${withLoop.length} restart(s) led to a BGP session loss and a loop, but the logs given hold no timeouts or slow responses to explain`,
      evidence,
    );
  }
  const explained = ctx.windows.filter((w) => withLoop.some(({ c }) => overlaps(w, { start: c.windowStart, end: c.windowEnd })));
  if (explained.length) {
    const share = explained.length / n;
    const how = significant
      ? 'the pattern repeats and is significant'
      : identified
        ? 'the session and the loop are tied to the restarted speaker by address and prefix'
        : '';
    if (how) {
      return hypothesis(
        ID,
        TITLE,
        'supported',
        0.5 + 0.5 * share,
        `${windowText(explained.length, n)} fall inside a restart -> peer down -> loop chain; ${how}`,
        evidence,
      );
    }
    return hypothesis(
      ID,
      TITLE,
      'inconclusive',
      0.3 * share,
      `${windowText(explained.length, n)} fall inside a restart -> peer down -> loop chain, but it was linked by time alone ` +
        'and does not repeat significantly: a coincidence cannot be ruled out',
      evidence,
    );
  }
  if (!ctx.hasCaptures) return hypothesis(ID, TITLE, 'inconclusive', 0, 'no capture given: loops cannot be seen', evidence);
  const captured = ctx.windows.filter((w) => isCaptured(ctx, w));
  if (!captured.length) return hypothesis(ID, TITLE, 'inconclusive', 0, `the captures do not cover the ${windowText(n)}`, evidence);
  const looping = captured.filter((w) => loopsIn(ctx, w).length > 0);
  if (looping.length) {
    const loops = looping.flatMap((w) => loopsIn(ctx, w));
    return hypothesis(
      ID,
      TITLE,
      'inconclusive',
      0.2,
      `loops overlap ${windowText(looping.length, n)}, but no restart and BGP session loss were found before them`,
      loops.map(loopEvidence),
    );
  }
  const elsewhere = timeExceededElsewhereText(ctx);
  if (elsewhere) {
    const text = `the captures cover ${windowText(captured.length, n)} and show no loop on the captured links, but ${elsewhere}`;
    return hypothesis(ID, TITLE, 'inconclusive', 0.3, `${text} (capture the link between the routers)`, evidence);
  }
  return hypothesis(ID, TITLE, 'rejected', 0, `the captures cover ${windowText(captured.length, n)} and show no loop in them`, evidence);
}
