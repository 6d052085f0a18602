import { strict as assert } from 'node:assert';
import { correlate, terminalSummary } from '../../../src/core/correlate/index';
import { clock, seconds } from '../../../src/core/correlate/summary';
import { capture, impact, lab, reset, s, throttled } from './incident';

describe('correlate: summary text', () => {
  beforeEach(reset);

  it('formats lags and times of day the way the paragraph reads', () => {
    assert.equal(seconds(400), '0.4 s');
    assert.equal(seconds(412), '0.41 s');
    assert.equal(seconds(3100), '3.1 s');
    assert.equal(seconds(12_000), '12 s');
    assert.equal(seconds(83.4), '83 ms');
    assert.equal(seconds(-0.2), '0 ms');
    assert.equal(clock(s(1.2)), '10:00:01.2');
    assert.equal(clock(s(61)), '10:01:01');
  });

  it('tells one chain as a paragraph: restart, session loss, loop with its size, timeouts', () => {
    const { events, loops, stalls } = lab([{ at: 1.2, peerDownLag: 0.4 }]);
    const r = correlate({ events, loops, impact: impact(stalls), inputs: [capture(0, 30)] });
    const text = r.chains[0]!.summary;
    assert.match(text, /^kube-router on node-1 restarted at 10:00:01\.2; /);
    assert.match(text, /the BGP session to it \(10\.0\.23\.2\) went down 0\.4 s later; /);
    assert.match(text, /a 10\.0\.12\.1<->10\.0\.12\.2 2-hop loop for 10\.244\.1\.0\/24 started 0\.1 s after that and lasted 3\.1 s; 229 packets looped/);
    assert.match(text, /\d+ client requests timed out in that window/);
    assert.match(text, /the session came back up at 10:00:12\.8/);
  });

  it('prints the pattern and the verdicts in the terminal summary', () => {
    const { events, loops, stalls } = lab([{ at: 2 }, { at: 22, peerDownLag: 0.38 }, { at: 42, peerDownLag: 0.45 }]);
    const cpu = [];
    for (let t = 0; t <= 70; t++) cpu.push(throttled(s(t), t % 20 === 17 ? 30 : 1));
    const all = [...events, ...cpu].sort((a, b) => a.timeUs - b.timeUs);
    const text = terminalSummary(correlate({ events: all, loops, impact: impact(stalls), inputs: [capture(0, 70)] }));
    assert.match(text, /This happened 3 times; each time in the same order\. Median lags \(range\): restart -> peer down \+0\.41 s \(0\.38 s to 0\.45 s\) -> first failed request sent \+100 ms -> loop start \+1 ms -> /);
    assert.match(text, /significant/);
    assert.match(text, /CPU throttling does not explain it: throttled periods show no rise in those windows/);
    assert.match(text, /A routing loop after a BGP session loss explains it/);
  });

  it('says so when there is no chain', () => {
    const text = terminalSummary({ chains: [], patterns: [], hypotheses: [] });
    assert.match(text, /No restart was followed by a BGP session loss or a routing loop/);
  });
});
