import { strict as assert } from 'node:assert';
import { correlate } from '../../../src/core/correlate/index';
import type { Hypothesis } from '../../../src/core/model/index';
import { capture, clientSlow, impact, lab, reset, s, stall, throttled } from './incident';

const verdict = (hs: Hypothesis[], id: string) => hs.find((h) => h.id === id)!;

/** cpu.stat deltas every second over [0, 70 s]: `inside(t)` says how many periods were throttled at t. */
function cpuSamples(periodsAt: (t: number) => number) {
  const out = [];
  for (let t = 0; t <= 70; t += 1) out.push(throttled(s(t), periodsAt(t)));
  return out;
}

describe('correlate: hypotheses', () => {
  beforeEach(reset);

  it('supports the routing loop and rejects CPU throttling that shows no rise in the timeout windows', () => {
    const { events, loops, stalls } = lab([{ at: 2 }, { at: 22 }, { at: 42 }]);
    // Throttling unrelated to the outages: bursts at 17-19 s, 37-39 s, 58-60 s (between them).
    const cpu = cpuSamples((t) => ([17, 18, 37, 38, 58, 59].includes(t) ? 40 : 1));
    const all = [...events, ...cpu].sort((a, b) => a.timeUs - b.timeUs);
    const r = correlate({ events: all, loops, impact: impact(stalls), inputs: [capture(0, 70)] });
    assert.equal(verdict(r.hypotheses, 'routing-loop-after-bgp-loss').verdict, 'supported');
    const cpuH = verdict(r.hypotheses, 'cpu-throttling');
    assert.equal(cpuH.verdict, 'rejected', cpuH.reasoning);
    assert.match(cpuH.reasoning, /no rise/);
    assert.equal(verdict(r.hypotheses, 'packet-loss-without-loop').verdict, 'rejected');
    assert.equal(verdict(r.hypotheses, 'application').verdict, 'rejected');
    assert.equal(r.hypotheses[0]!.id, 'routing-loop-after-bgp-loss', 'supported ranks first');
  });

  it('supports CPU throttling when throttled periods do rise in the timeout windows', () => {
    const { events, loops, stalls } = lab([{ at: 2 }, { at: 22 }, { at: 42 }]);
    const inOutage = (t: number) => [2, 22, 42].some((a) => t >= a && t <= a + 13);
    const cpu = cpuSamples((t) => (inOutage(t) ? 50 : 1));
    const all = [...events, ...cpu].sort((a, b) => a.timeUs - b.timeUs);
    const r = correlate({ events: all, loops, impact: impact(stalls), inputs: [capture(0, 70)] });
    const cpuH = verdict(r.hypotheses, 'cpu-throttling');
    assert.equal(cpuH.verdict, 'supported', cpuH.reasoning);
    assert.ok(cpuH.evidence.length > 0 && cpuH.evidence[0]!.kind === 'log');
  });

  it('rejects throttling that rises in one timeout window only, however high', () => {
    const { events, loops, stalls } = lab([{ at: 2 }, { at: 22 }, { at: 42 }]);
    const cpu = cpuSamples((t) => (t >= 23 && t <= 30 ? 400 : 2));
    const all = [...events, ...cpu].sort((a, b) => a.timeUs - b.timeUs);
    const r = correlate({ events: all, loops, impact: impact(stalls), inputs: [capture(0, 70)] });
    const cpuH = verdict(r.hypotheses, 'cpu-throttling');
    assert.equal(cpuH.verdict, 'rejected', cpuH.reasoning);
    assert.match(cpuH.reasoning, /too few of the windows/);
  });

  it('never supports periodic CPU bursts unrelated to the restarts, whatever their phase (the lab\'s 2 s busy / 5 s idle sidecar)', () => {
    for (let phase = 0; phase < 7; phase += 0.5) {
      reset();
      const { events, loops, stalls } = lab([{ at: 5 }, { at: 19 }, { at: 33 }, { at: 47 }].map((r) => ({ ...r, loopS: 2.5, outageS: 3 })));
      const cpu = cpuSamples((t) => (((t + phase) % 7) < 2 ? 30 : 0));
      const all = [...events, ...cpu].sort((a, b) => a.timeUs - b.timeUs);
      const r = correlate({ events: all, loops, impact: impact(stalls), inputs: [capture(0, 70)] });
      const cpuH = verdict(r.hypotheses, 'cpu-throttling');
      assert.notEqual(cpuH.verdict, 'supported', `phase ${phase}: ${cpuH.reasoning}`);
    }
  });

  it('does not support periodic bursts that happen to fall in every window: windows at random offsets catch as much', () => {
    // Restarts every 14 s and a cron-like burst every 14 s in phase with them: every window holds one. The data
    // cannot tell this from a cause: the same burst train would fill windows placed at many other offsets.
    const { events, loops, stalls } = lab([{ at: 5 }, { at: 19 }, { at: 33 }, { at: 47 }].map((r) => ({ ...r, loopS: 2.5, outageS: 3 })));
    const cpu = cpuSamples((t) => (t % 14 === 6 ? 40 : 0));
    const all = [...events, ...cpu].sort((a, b) => a.timeUs - b.timeUs);
    const r = correlate({ events: all, loops, impact: impact(stalls), inputs: [capture(0, 70)] });
    const cpuH = verdict(r.hypotheses, 'cpu-throttling');
    assert.match(cpuH.reasoning, /a rise in 4 of 4 windows, windows at random offsets catch as much with p = 0\.[1-9]/);
    assert.equal(cpuH.verdict, 'inconclusive');
  });

  it('says "no throttling data given" instead of guessing', () => {
    const { events, loops, stalls } = lab([{ at: 2 }]);
    const r = correlate({ events, loops, impact: impact(stalls), inputs: [capture(0, 30)] });
    const cpuH = verdict(r.hypotheses, 'cpu-throttling');
    assert.equal(cpuH.verdict, 'inconclusive');
    assert.match(cpuH.reasoning, /no throttling data given/);
  });

  it('with restarts but no loops in captures that cover the outages: no routing loop, packet loss supported', () => {
    const { events, stalls } = lab([{ at: 2, noLoop: true }, { at: 22, noLoop: true }]);
    const r = correlate({ events, loops: [], impact: impact(stalls), inputs: [capture(0, 40)] });
    assert.equal(r.chains.length, 2);
    assert.ok(r.chains.every((c) => !c.steps.some((x) => x.kind === 'loop')));
    const routing = verdict(r.hypotheses, 'routing-loop-after-bgp-loss');
    assert.equal(routing.verdict, 'rejected', routing.reasoning);
    assert.equal(verdict(r.hypotheses, 'packet-loss-without-loop').verdict, 'supported');
  });

  it('does not clear the loop when the captures hold ICMP time-exceeded that no captured loop explains', () => {
    const { events, stalls } = lab([{ at: 2, noLoop: true }, { at: 22, noLoop: true }]);
    const seenFromClient = { ...impact(stalls), icmpTimeExceeded: 16 };
    const r = correlate({ events, loops: [], impact: seenFromClient, inputs: [capture(0, 40, 'captures/client.pcapng')] });
    const routing = verdict(r.hypotheses, 'routing-loop-after-bgp-loss');
    assert.equal(routing.verdict, 'inconclusive');
    assert.match(routing.reasoning, /16 ICMP time-exceeded/);
    assert.equal(verdict(r.hypotheses, 'packet-loss-without-loop').verdict, 'inconclusive');
  });

  it('leaves the routing loop inconclusive when no capture was given', () => {
    const { events } = lab([{ at: 2, noLoop: true }]);
    const r = correlate({ events, loops: [], impact: impact(), inputs: [] });
    const routing = verdict(r.hypotheses, 'routing-loop-after-bgp-loss');
    assert.equal(routing.verdict, 'inconclusive');
    assert.match(routing.reasoning, /no capture given/);
  });

  it('supports the application when slow responses come with no network symptom in a captured, quiet network', () => {
    const events = [];
    for (let t = 10; t < 14; t += 0.5) events.push(clientSlow(s(t), 2500));
    for (let t = 40; t < 42; t += 0.5) events.push(clientSlow(s(t), 3000));
    const r = correlate({ events, loops: [], impact: impact(), inputs: [capture(0, 60)] });
    assert.deepEqual(r.chains, []);
    assert.equal(verdict(r.hypotheses, 'application').verdict, 'supported');
    assert.equal(verdict(r.hypotheses, 'routing-loop-after-bgp-loss').verdict, 'rejected');
    assert.equal(verdict(r.hypotheses, 'packet-loss-without-loop').verdict, 'rejected');
  });

  it('does not blame the application for windows with TCP stalls', () => {
    const events = [];
    for (let t = 10; t < 14; t += 0.5) events.push(clientSlow(s(t), 2500));
    const r = correlate({ events, loops: [], impact: impact([stall(s(9.5), 3000)]), inputs: [capture(0, 60)] });
    assert.equal(verdict(r.hypotheses, 'application').verdict, 'rejected');
    assert.equal(verdict(r.hypotheses, 'packet-loss-without-loop').verdict, 'supported');
  });
});
