/**
 * Invariants of the correlator over generated incidents: restarts (some SIGKILLed, seen only late by PLEG), session
 * drops with random lags, loops or none, unrelated BGP flaps and loops, timeouts; in any order and any density.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { correlate } from '../../../src/core/correlate/index';
import type { LogEvent, LoopEpisode } from '../../../src/core/model/index';
import { capture, clientTimeout, event, frrPeer, impact, kubeletKill, loop, reset, s } from './incident';

const restartArb = fc.record({
  at: fc.double({ min: 0, max: 300, noNaN: true }),
  late: fc.boolean(),
  downLag: fc.double({ min: 0.001, max: 2, noNaN: true }),
  loopLag: fc.option(fc.double({ min: 0.01, max: 3, noNaN: true }), { nil: undefined }),
});
const noiseArb = fc.record({
  at: fc.double({ min: 0, max: 300, noNaN: true }),
  what: fc.constantFrom('flap', 'loop', 'timeout'),
});

type Generated<A> = A extends fc.Arbitrary<infer T> ? T : never;

function build(restarts: Generated<typeof restartArb>[], noise: Generated<typeof noiseArb>[]) {
  reset();
  const events: LogEvent[] = [];
  const loops: LoopEpisode[] = [];
  for (const r of restarts) {
    events.push(
      r.late
        ? event('logs/kubelet.log', { kind: 'container-restart', timeUs: s(r.at + 0.9), pod: 'kube-router-x7k2p', toState: 'exited', message: '"SyncLoop (PLEG): event for pod" {"Type":"ContainerDied"}' })
        : kubeletKill(s(r.at)),
      frrPeer(s(r.at + r.downLag), '10.0.23.2', false),
      frrPeer(s(r.at + r.downLag + 2), '10.0.23.2', true),
    );
    if (r.loopLag !== undefined) loops.push(loop(s(r.at + r.downLag + r.loopLag), 2.5, 26));
  }
  for (const n of noise) {
    if (n.what === 'flap') events.push(frrPeer(s(n.at), '10.0.99.2', false));
    else if (n.what === 'loop') loops.push(loop(s(n.at), 0.05, 3, ['10.244.9.0/24']));
    else events.push(clientTimeout(s(n.at)));
  }
  events.sort((a, b) => a.timeUs - b.timeUs);
  return { events, loops, impact: impact(), inputs: [capture(0, 310)] };
}

describe('correlate: invariants over generated incidents', () => {
  it('is deterministic, orders steps in time with true lags, and uses each event and loop at most once', () => {
    fc.assert(
      fc.property(fc.array(restartArb, { maxLength: 8 }), fc.array(noiseArb, { maxLength: 30 }), (restarts, noise) => {
        const input = build(restarts, noise);
        const a = correlate(input, { seed: 3, permutations: 50 });
        const b = correlate(input, { seed: 3, permutations: 50 });
        assert.deepEqual(a, b);
        const seenEvents = new Set<string>();
        const seenLoops = new Set<string>();
        for (const c of a.chains) {
          assert.equal(c.steps[0]!.lagMs, 0);
          assert.ok(c.steps.some((x) => x.kind === 'restart'));
          assert.ok(c.steps.some((x) => x.kind === 'peer-down' || x.kind === 'loop'), c.summary);
          for (let i = 1; i < c.steps.length; i++) {
            const lag = (c.steps[i]!.timeUs - c.steps[i - 1]!.timeUs) / 1000;
            assert.ok(c.steps[i]!.lagMs >= 0 && Math.abs(c.steps[i]!.lagMs - lag) < 1e-6);
          }
          const ids = new Set<string>();
          for (const st of c.steps) {
            if (st.kind === 'loop-end') continue; // repeats the loop's evidence
            for (const e of st.evidence) ids.add(e.kind === 'log' ? `ev:${e.eventId}` : `loop:${e.loopId}`);
          }
          for (const id of ids) {
            const seen = id.startsWith('ev:') ? seenEvents : seenLoops;
            assert.ok(!seen.has(id), `${id} in two chains`);
            seen.add(id);
          }
        }
        for (const p of a.patterns) {
          assert.ok(p.occurrences >= 2 && p.chainIds.length === p.occurrences);
          assert.ok(p.pValue === null || (p.pValue > 0 && p.pValue <= 1));
          assert.equal(p.significant, p.pValue !== null && p.pValue < 0.05);
        }
        assert.equal(a.hypotheses.length, 4);
        if (restarts.length === 0) assert.deepEqual(a.chains, []);
      }),
      { numRuns: 150, seed: 6 },
    );
  });
});
