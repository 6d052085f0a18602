import { strict as assert } from 'node:assert';
import { correlate } from '../../../src/core/correlate/index';
import { seededRandom } from '../../../src/core/correlate/random';
import { capture, frrPeer, impact, kubeletKill, kubeletStarted, lab, loop, reset, s } from './incident';
import type { LogEvent, LoopEpisode } from '../../../src/core/model/index';

describe('correlate: patterns and significance', () => {
  beforeEach(reset);

  it('groups three restarts into one significant pattern with per-occurrence lags and their spread', () => {
    const { events, loops, stalls } = lab([{ at: 2 }, { at: 22, peerDownLag: 0.38 }, { at: 42, peerDownLag: 0.45, loopLag: 0.12 }]);
    const r = correlate({ events, loops, impact: impact(stalls), inputs: [capture(0, 60)] });
    assert.equal(r.patterns.length, 1);
    const p = r.patterns[0]!;
    assert.equal(p.occurrences, 3);
    assert.deepEqual(p.chainIds, ['chain-1', 'chain-2', 'chain-3']);
    assert.ok(r.chains.every((c) => c.patternId === p.id));
    assert.deepEqual(p.shape, ['restart', 'peer-down', 'timeouts', 'loop', 'stalls', 'loop-end', 'peer-up']);
    assert.equal(p.sameOrder, true);
    const down = p.lags.find((l) => l.from === 'restart' && l.to === 'peer-down')!;
    assert.deepEqual(down.lagsMs, [412, 380, 450]);
    assert.equal(down.medianMs, 412);
    assert.equal(down.spreadMs, 70);
    assert.ok(p.pValue !== null && p.pValue < 0.01, `p = ${p.pValue}`);
    assert.equal(p.significant, true);
  });

  it('gives the same p-value for the same seed, and one of the right size for another seed', () => {
    const { events, loops, stalls } = lab([{ at: 2 }, { at: 22 }, { at: 42 }]);
    const input = { events, loops, impact: impact(stalls), inputs: [capture(0, 60)] };
    const a = correlate(input, { seed: 7, permutations: 200 }).patterns[0]!.pValue;
    const b = correlate(input, { seed: 7, permutations: 200 }).patterns[0]!.pValue;
    const c = correlate(input, { seed: 8, permutations: 200 }).patterns[0]!.pValue;
    assert.equal(a, b);
    assert.ok(a! < 0.05 && c! < 0.05);
  });

  it('stays significant when one of the restarts led to no loop (a graceful restart)', () => {
    const { events, loops, stalls } = lab([
      { at: 5, outageS: 3 },
      { at: 19, noLoop: true, outageS: 3 },
      { at: 33, outageS: 3 },
      { at: 47, outageS: 3 },
    ]);
    const r = correlate({ events, loops, impact: impact(stalls), inputs: [capture(0, 60)] });
    const p = r.patterns.find((x) => x.shape.includes('loop'))!;
    assert.equal(p.occurrences, 3);
    assert.ok(p.significant, p.summary);
  });

  it('does not make a pattern of one coincidence', () => {
    const { events, loops, stalls } = lab([{ at: 2 }]);
    const r = correlate({ events, loops, impact: impact(stalls), inputs: [capture(0, 30)] });
    assert.equal(r.chains.length, 1);
    assert.deepEqual(r.patterns, []);
    assert.equal(r.chains[0]!.patternId, undefined);
  });

  it('finds random restarts against a background of frequent short loops not significant', () => {
    // A flapping network: short natural loops every few seconds for an hour; restarts at random times, each
    // with its session drop. Every restart has some loop shortly after it, but so would any instant.
    const random = seededRandom(42);
    const loops: LoopEpisode[] = [];
    for (let t = 0; t < 3600; t += 2 + random() * 6) loops.push(loop(s(t), 0.04, 5));
    const events: LogEvent[] = [];
    for (let i = 0; i < 8; i++) {
      const at = 60 + random() * 3400;
      events.push(kubeletKill(s(at)), kubeletStarted(s(at + 1.5)), frrPeer(s(at + 0.3), '10.0.23.2', false), frrPeer(s(at + 12), '10.0.23.2', true));
    }
    events.sort((a, b) => a.timeUs - b.timeUs);
    const r = correlate({ events, loops, impact: impact(), inputs: [capture(0, 3600)] });
    const withLoop = r.patterns.find((p) => p.shape.includes('loop'));
    assert.ok(withLoop, 'the chains still form (by time), so the test has something to judge');
    assert.ok(withLoop.pValue !== null && withLoop.pValue > 0.05, `p = ${withLoop.pValue}`);
    assert.equal(withLoop.significant, false);
    const routing = r.hypotheses.find((h) => h.id === 'routing-loop-after-bgp-loss')!;
    assert.notEqual(routing.verdict, 'supported');
  });

  it('cannot test a pattern whose restarts fall outside the captured time', () => {
    const { events, loops, stalls } = lab([{ at: 2 }, { at: 22 }]);
    // The capture summary says it covered only a minute an hour later: the loops cannot be tested against chance.
    const r = correlate({ events, loops, impact: impact(stalls), inputs: [capture(7200, 7260)] });
    assert.equal(r.patterns[0]!.pValue, null);
    assert.equal(r.patterns[0]!.significant, false);
  });
});
