import { strict as assert } from 'node:assert';
import { correlate } from '../../../src/core/correlate/index';
import { timeToleranceUs } from '../../../src/core/correlate/time';
import { capture, clientTimeout, event, frrPeer, impact, kubeletKill, kubeletStarted, lab, loop, reset, s } from './incident';

describe('correlate: chains', () => {
  beforeEach(reset);

  it('links every restart to its peer down, loop, timeouts, stalls and peer up, in time order with the lags', () => {
    const { events, loops, stalls } = lab([{ at: 1 }, { at: 21, peerDownLag: 0.38 }, { at: 41, peerDownLag: 0.45, loopLag: 0.12 }]);
    const r = correlate({ events, loops, impact: impact(stalls), inputs: [capture(0, 60)] });
    assert.equal(r.chains.length, 3);
    for (const c of r.chains) {
      assert.deepEqual(
        c.steps.map((x) => x.kind),
        ['restart', 'peer-down', 'timeouts', 'loop', 'stalls', 'loop-end', 'peer-up'],
      );
    }
    const lag = (i: number, kind: string) => r.chains[i]!.steps.find((x) => x.kind === kind)!.lagMs;
    assert.equal(lag(0, 'peer-down'), 412);
    assert.equal(lag(1, 'peer-down'), 380);
    assert.equal(lag(2, 'peer-down'), 450);
    // Lags from the previous step: the first failed request was sent 0.5 ms before the loop began.
    assert.equal(lag(0, 'timeouts'), 99.5);
    assert.equal(lag(0, 'loop'), 0.5);
    assert.equal(lag(2, 'timeouts'), 119.5);
    // The loop's own facts: duration, packets, prefix.
    const loopStep = r.chains[0]!.steps.find((x) => x.kind === 'loop')!;
    assert.equal(loopStep.facts?.durationMs, 3100);
    assert.equal(loopStep.facts?.loopedPackets, 229);
    assert.deepEqual(loopStep.facts?.prefixes, ['10.244.1.0/24']);
  });

  it('gives every link its evidence: log file and line, or capture and frames', () => {
    const { events, loops, stalls } = lab([{ at: 1 }]);
    const r = correlate({ events, loops, impact: impact(stalls), inputs: [capture(0, 20)] });
    const [c] = r.chains;
    const restart = c!.steps[0]!;
    assert.deepEqual(
      restart.evidence.map((e) => (e.kind === 'log' ? `${e.file}:${e.line}` : '')),
      ['logs/node-1-kubelet.log:1', 'logs/node-1-kubelet.log:2'],
    );
    const down = c!.steps.find((x) => x.kind === 'peer-down')!;
    assert.equal(down.evidence[0]!.kind, 'log');
    assert.match(down.evidence[0]!.text, /neighbor 10\.0\.23\.2.*Down/);
    const l = c!.steps.find((x) => x.kind === 'loop')!.evidence[0]!;
    assert.ok(l.kind === 'capture');
    assert.equal(l.file, 'captures/core-access.pcapng');
    assert.equal(l.loopId, loops[0]!.id);
    assert.equal(l.firstFrame, loops[0]!.firstFrame);
    // Timeouts: counted in full, evidence capped.
    const t = c!.steps.find((x) => x.kind === 'timeouts')!;
    assert.ok((t.facts?.requests ?? 0) > 500);
    assert.ok(t.evidence.length <= 50);
  });

  it('copes with nothing at all, and with an outage of 150,000 failed requests in one chain', () => {
    const empty = correlate({ events: [], loops: [], impact: impact(), inputs: [] });
    assert.deepEqual([empty.chains, empty.patterns], [[], []]);
    assert.ok(empty.hypotheses.every((h) => h.verdict === 'inconclusive'));
    const { events, loops, stalls } = lab([{ at: 1, outageS: 3 }]);
    for (let i = 0; i < 150_000; i++) events.push(clientTimeout(s(1.6 + i * 0.00002)));
    events.sort((a, b) => a.timeUs - b.timeUs);
    const r = correlate({ events, loops, impact: impact(stalls), inputs: [capture(0, 20)] });
    assert.ok((r.chains[0]!.steps.find((x) => x.kind === 'timeouts')!.facts?.requests ?? 0) > 150_000);
  });

  it('reports no chain when nothing restarted, even with peer downs and loops', () => {
    const { events, loops, stalls } = lab([{ at: 1 }]);
    const withoutRestarts = events.filter((e) => e.process !== 'kubelet');
    const r = correlate({ events: withoutRestarts, loops, impact: impact(stalls), inputs: [capture(0, 20)] });
    assert.deepEqual(r.chains, []);
    assert.deepEqual(r.patterns, []);
  });

  it('infers the node address from repetition and then refuses another session that drops at the same time', () => {
    // node-1 restarts 3 times; each time its session (10.0.23.2) drops; the third time an unrelated session
    // (10.0.99.2) drops first, closer to the restart.
    const { events, loops, stalls } = lab([{ at: 1 }, { at: 21 }, { at: 41, peerDownLag: 0.6 }]);
    events.push(frrPeer(s(41.05), '10.0.99.2', false));
    events.sort((a, b) => a.timeUs - b.timeUs);
    const r = correlate({ events, loops, impact: impact(stalls), inputs: [capture(0, 60)] });
    assert.equal(r.chains.length, 3);
    assert.deepEqual(
      r.chains.map((c) => c.steps.find((x) => x.kind === 'peer-down')!.facts?.peer),
      ['10.0.23.2', '10.0.23.2', '10.0.23.2'],
    );
    assert.deepEqual(r.chains[2]!.subjectAddresses, ['10.0.23.2']);
    assert.match(r.chains[2]!.subjectAddressSource ?? '', /inferred/);
    assert.equal(r.chains[2]!.steps.find((x) => x.kind === 'peer-down')!.linkedBy, 'address');
  });

  it('pairs each node with its own session when two nodes restart together, using the addresses they state', () => {
    const events = [
      event('logs/node-1-kube-router.log', { kind: 'other', timeUs: s(0), host: 'node-1', process: 'kube-router', message: 'Starting BGP server with router-id 10.0.23.2' }),
      event('logs/node-2-kube-router.log', { kind: 'other', timeUs: s(0), host: 'node-2', process: 'kube-router', message: 'Starting BGP server with router-id 10.0.24.2' }),
      kubeletKill(s(10), 'node-1'),
      kubeletKill(s(10.05), 'node-2', 'kube-router-q9z1'),
      // node-2's session drops first, then node-1's.
      frrPeer(s(10.3), '10.0.24.2', false),
      frrPeer(s(10.5), '10.0.23.2', false),
    ].sort((a, b) => a.timeUs - b.timeUs);
    const r = correlate({ events, loops: [], impact: impact(), inputs: [] });
    const byNode = Object.fromEntries(r.chains.map((c) => [c.subject.split(' on ')[1]!.split(' ')[0], c.steps[1]!.facts?.peer]));
    assert.deepEqual(byNode, { 'node-1': '10.0.23.2', 'node-2': '10.0.24.2' });
    assert.ok(r.chains.every((c) => c.steps[1]!.linkedBy === 'address'));
  });

  it('picks the loop whose destinations the speaker announced over an earlier loop for someone else', () => {
    const events = [
      event('logs/node-1-kube-router.log', { kind: 'other', timeUs: s(0), host: 'node-1', process: 'kube-router', message: 'Advertising route: 10.244.1.0/24 via 10.0.23.2 (router-id 10.0.23.2)' }),
      kubeletKill(s(10)),
      frrPeer(s(10.4), '10.0.23.2', false),
    ];
    const other = loop(s(10.45), 0.04, 5, ['10.244.7.0/24']);
    const ours = loop(s(10.6), 3.1, 229, ['10.244.1.0/24']);
    const r = correlate({ events, loops: [other, ours], impact: impact(), inputs: [capture(0, 30)] });
    const l = r.chains[0]!.steps.find((x) => x.kind === 'loop')!;
    assert.deepEqual(l.facts?.loopIds, [ours.id]);
    assert.equal(l.linkedBy, 'prefix');
  });

  it('counts a loop seen in two captures of the link once, and joins the pieces the detector split', () => {
    const events = [kubeletKill(s(5)), frrPeer(s(5.3), '10.0.23.2', false)];
    const inPcap = loop(s(5.4), 3.1, 229);
    const inPcapng = { ...loop(s(5.4), 3.1, 229), capture: 'captures/core-access.pcap' };
    const splitA = loop(s(25.4), 1.0, 100);
    const splitB = loop(s(26.6), 2.0, 120);
    const r = correlate({
      events: [...events, kubeletKill(s(25)), frrPeer(s(25.3), '10.0.23.2', false)],
      loops: [inPcap, inPcapng, splitA, splitB],
      impact: impact(),
      inputs: [capture(0, 40)],
    });
    const loops = r.chains.map((c) => c.steps.find((x) => x.kind === 'loop')!.facts!);
    assert.deepEqual(loops.map((f) => [f.loopIds?.length, f.loopedPackets]), [[2, 229], [2, 220]]);
    assert.equal(loops[1]!.durationMs, 3200);
  });

  it('recognises the other side by name when the peer is logged as a BIRD protocol name', () => {
    const events = [
      kubeletKill(s(5)),
      event('logs/access-bird.log', { kind: 'bgp-peer-down', timeUs: s(5.3), peer: 'node1', process: 'bird', message: 'node1: State changed to down' }),
    ];
    const r = correlate({ events, loops: [loop(s(5.4))], impact: impact(), inputs: [capture(0, 20)] });
    assert.equal(r.chains.length, 1);
    assert.equal(r.chains[0]!.steps[1]!.linkedBy, 'name');
  });

  it("learns addresses from FRR's neighbor hostnames: the node's session is tied by address at once, the loop's routers get names", () => {
    const frr = (file: string, t: number, kind: 'bgp-peer-up' | 'bgp-peer-down', peer: string, name: string) =>
      event(file, { kind, timeUs: t, peer, process: 'bgpd', message: `%ADJCHANGE: neighbor ${peer}(${name}) in vrf default ${kind === 'bgp-peer-up' ? 'Up' : 'Down'}` });
    const events = [
      frr('logs/core-bgpd.log', s(1), 'bgp-peer-up', '10.0.12.2', 'access'),
      frr('logs/access-bgpd.log', s(1), 'bgp-peer-up', '10.0.12.1', 'core'),
      frr('logs/access-bgpd.log', s(2), 'bgp-peer-up', '10.0.23.2', 'node-1'),
      kubeletKill(s(10)),
      // An unrelated session drops first: its address belongs to another host, so it is not node-1's.
      frr('logs/access-bgpd.log', s(10.0005), 'bgp-peer-down', '10.0.12.1', 'core'),
      frr('logs/access-bgpd.log', s(10.002), 'bgp-peer-down', '10.0.23.2', 'node-1'),
    ];
    const r = correlate({ events, loops: [loop(s(10.16))], impact: impact(), inputs: [capture(0, 30)] });
    const c = r.chains[0]!;
    const down = c.steps.find((x) => x.kind === 'peer-down')!;
    assert.equal(down.facts?.peer, '10.0.23.2');
    assert.equal(down.linkedBy, 'address');
    assert.match(c.subjectAddressSource ?? '', /10\.0\.23\.2 stated in logs\/access-bgpd\.log:2/);
    assert.deepEqual(c.steps.find((x) => x.kind === 'loop')!.facts?.routers, ['core', 'access']);
    assert.match(c.summary, /a core<->access 2-hop loop for 10\.244\.1\.0\/24/);
  });

  it("takes BIRD's peer up from the same protocol, not another session's", () => {
    const bird = (t: number, proto: string, state: string, kind: 'bgp-peer-up' | 'bgp-peer-down') =>
      event('logs/access-bird.log', { kind, timeUs: t, process: 'bird', message: `${proto}: State changed to ${state}` });
    const events = [kubeletKill(s(5)), bird(s(5.002), 'node1', 'stop', 'bgp-peer-down'), bird(s(6), 'core', 'up', 'bgp-peer-up'), bird(s(9.1), 'node1', 'up', 'bgp-peer-up')];
    const r = correlate({ events, loops: [], impact: impact(), inputs: [] });
    const up = r.chains[0]!.steps.find((x) => x.kind === 'peer-up')!;
    assert.equal(up.timeUs, s(9.1));
    assert.equal(r.chains[0]!.steps.find((x) => x.kind === 'peer-down')!.facts?.peer, 'node1');
  });

  it("ignores the restarted speaker's own 'Peer Down' line: it is not the other side", () => {
    const events = [
      kubeletKill(s(5)),
      event('logs/node-gobgpd.log', { kind: 'other', timeUs: s(5.2), process: 'gobgpd', message: 'gobgpd started' }),
      event('logs/node-gobgpd.log', { kind: 'bgp-peer-down', timeUs: s(5.21), process: 'gobgpd', peer: '10.0.23.1', message: 'Peer Down' }),
      frrPeer(s(5.4), '10.0.23.2', false),
    ];
    const r = correlate({ events, loops: [], impact: impact(), inputs: [] });
    assert.equal(r.chains.length, 1);
    assert.equal(r.chains[0]!.steps[1]!.facts?.peer, '10.0.23.2');
    // The start line joined the kubelet lines as one restart.
    assert.equal(r.chains[0]!.steps[0]!.evidence.length, 2);
  });

  it('links a loop that starts within a whole-second stamp of a peer down written without fractions', () => {
    // FRR without "log timestamp precision": the line says 10:00:05 for a drop at 10:00:05.7; the loop starts at 5.8.
    const events = [kubeletKill(s(5.3)), frrPeer(s(5.7), '10.0.23.2', false, 0)];
    const r = correlate({ events, loops: [loop(s(5.8))], impact: impact(), inputs: [capture(0, 20)] });
    const kinds = r.chains[0]!.steps.map((x) => x.kind);
    assert.ok(kinds.includes('loop'), kinds.join());
  });

  it('knows which stamps are precise: fractions of a second, epoch digits; whole seconds are not', () => {
    const at = (timeText: string) => ({ ...kubeletKill(s(1)), timeText });
    assert.equal(timeToleranceUs(at('2026/11/24 10:00:01.612345'), 7), 7);
    assert.equal(timeToleranceUs(at('I1124 10:00:01.123456'), 7), 7);
    assert.equal(timeToleranceUs(at('May 30 05:36:29:579 2003'), 7), 7);
    assert.equal(timeToleranceUs(at('1795595710786917'), 7), 7);
    assert.equal(timeToleranceUs(at('1795595710.786917'), 7), 7);
    assert.equal(timeToleranceUs(at('2026-11-24T10:00:01Z'), 7), 1_000_000);
    assert.equal(timeToleranceUs(at('2026/11/24 10:00:01'), 7), 1_000_000);
  });

  it('keeps a restart with a session loss but no loop as a chain without a loop step', () => {
    const { events, stalls } = lab([{ at: 1, noLoop: true }]);
    const r = correlate({ events, loops: [], impact: impact(stalls), inputs: [capture(0, 20)] });
    assert.equal(r.chains.length, 1);
    assert.ok(!r.chains[0]!.steps.some((x) => x.kind === 'loop'));
  });

  it('counts requests that failed outright (host unreachable: the loop\'s ICMP) with the timeouts, timed from their sending', () => {
    const events = [
      kubeletKill(s(5)),
      frrPeer(s(5.001), '10.0.23.2', false),
      event('logs/client-app.log', {
        kind: 'other',
        severity: 'error',
        timeUs: s(5.1625),
        latencyMs: 1.3,
        message: 'request failed method=GET url=http://10.244.1.10:8080/api/orders error="EHOSTUNREACH connect EHOSTUNREACH 10.244.1.10:8080"',
      }),
      event('logs/client-app.log', { kind: 'other', severity: 'info', timeUs: s(5.3), message: 'request completed status=200 connection reset count' }),
    ];
    const r = correlate({ events, loops: [loop(s(5.16))], impact: impact(), inputs: [capture(0, 20)] });
    const t = r.chains[0]!.steps.find((x) => x.kind === 'timeouts')!;
    assert.equal(t.facts?.failedRequests, 1);
    assert.equal(t.timeUs, s(5.1625) - 1300);
    assert.match(r.chains[0]!.summary, /1 failed in that window/);
  });

  it('does not tie an unrelated session drop to the restart of something that is not a BGP speaker', () => {
    const events = [
      event('logs/node-1-kubelet.log', { kind: 'container-restart', timeUs: s(5), host: 'node-1', container: 'web', process: 'kubelet', message: 'Killing container web' }),
      frrPeer(s(7), '10.0.99.2', false),
    ];
    const r = correlate({ events, loops: [], impact: impact(), inputs: [] });
    assert.deepEqual(r.chains, []);
  });

  it('does not tie a loop to the restart of something that is not a BGP speaker when no session dropped', () => {
    const events = [
      event('logs/node-1-kubelet.log', { kind: 'container-restart', timeUs: s(5), host: 'node-1', container: 'web', process: 'kubelet', message: 'Killing container web' }),
      kubeletStarted(s(100)),
    ];
    const r = correlate({ events, loops: [loop(s(5.5))], impact: impact(), inputs: [capture(0, 20)] });
    assert.deepEqual(r.chains, []);
  });

  describe('restarts told by several sources, as the lab writes them', () => {
    const POD = 'kube-router-x7k2p';
    const pleg = (t: number, type: 'ContainerDied' | 'ContainerStarted') =>
      event('logs/kubelet.log', {
        kind: 'container-restart',
        timeUs: t,
        pod: POD,
        toState: type === 'ContainerDied' ? 'exited' : 'running',
        message: `"SyncLoop (PLEG): event for pod" pod="kube-system/${POD}" event={"Type":"${type}"}`,
      });
    const gobgpd = (t: number, msg: string, kind: 'process-restart' | 'bgp-peer-down', extra = {}) =>
      event('logs/node-gobgpd.log', { kind, timeUs: t, process: 'gobgpd', message: msg, ...extra }, 0);
    const kubectl = (t: number, reason: string, message: string) =>
      event('logs/events.json', { kind: 'container-restart', timeUs: t, host: 'node-1', pod: POD, container: 'kube-router', process: 'kubelet', message: `${reason}: ${message}` }, 0);

    it('places a SIGKILL seen only by a late PLEG relist at the session drop inside the relist period', () => {
      // Killed at 45.4168 (driver); FRR saw the session close at 45.4214; the kubelet's relist noticed at 45.7013.
      const events = [
        frrPeer(s(45.421366), '10.0.23.2', false),
        pleg(s(45.701277), 'ContainerDied'),
        gobgpd(s(46.3), 'gobgpd started', 'process-restart', { toState: 'started' }),
        pleg(s(47.701277), 'ContainerStarted'),
      ];
      const r = correlate({ events, loops: [loop(s(45.51111))], impact: impact(), inputs: [capture(0, 60)] });
      assert.equal(r.chains.length, 1);
      const restart = r.chains[0]!.steps[0]!;
      assert.equal(restart.kind, 'restart');
      assert.equal(restart.timeUs, s(45.421366));
      assert.match(restart.timeNote ?? '', /PLEG/);
      assert.match(r.chains[0]!.summary, /restarted at about 10:00:45\.421/);
    });

    it("with only the daemon's own log, places a SIGKILL (told by its next start line) at the session drop before it", () => {
      const events = [
        gobgpd(s(1), 'gobgpd started', 'process-restart', { toState: 'started' }),
        frrPeer(s(2), '10.0.23.2', true),
        frrPeer(s(21.227838), '10.0.23.2', false),
        gobgpd(s(23), 'gobgpd started', 'process-restart', { toState: 'started' }),
        frrPeer(s(24.24), '10.0.23.2', true),
      ];
      const r = correlate({ events, loops: [loop(s(21.386743))], impact: impact(), inputs: [capture(0, 30)] });
      assert.equal(r.chains.length, 1, r.chains.map((c) => c.summary).join('\n'));
      const [restart, down] = r.chains[0]!.steps;
      assert.equal(restart!.timeUs, s(21.227838));
      assert.match(restart!.timeNote ?? '', /only its start was logged/);
      assert.equal(down!.kind, 'peer-down');
      assert.ok(r.chains[0]!.steps.some((x) => x.kind === 'loop'));
    });

    it('keeps the restart where the kubelet logged it when the session dropped outside the relist period', () => {
      const events = [pleg(s(45.7), 'ContainerDied'), frrPeer(s(47.2), '10.0.23.2', false)];
      const r = correlate({ events, loops: [], impact: impact(), inputs: [] });
      assert.equal(r.chains[0]!.steps[0]!.timeUs, s(45.7));
      assert.equal(r.chains[0]!.steps[1]!.lagMs, 1500);
    });

    it('prefers an exact stop line over whole-second and late ones, and tells one subject from all sources', () => {
      const events = [
        kubectl(s(23), 'Started', 'Started container kube-router'), // the first start: no session had dropped
        pleg(s(23.701277), 'ContainerStarted'),
        kubectl(s(31), 'Killing', 'Container kube-router failed liveness probe, will be restarted'),
        gobgpd(s(31), 'stopping gobgpd server', 'process-restart', { toState: 'stopping' }),
        gobgpd(s(31), 'Peer Down Key=10.0.23.1 Reason=dying', 'bgp-peer-down', { peer: '10.0.23.1' }),
        event('logs/kubelet.log', { kind: 'container-restart', timeUs: s(31.847808), pod: POD, container: 'kube-router', message: '"Killing container with a grace period" pod="kube-system/kube-router-x7k2p"' }),
        frrPeer(s(31.848897), '10.0.23.2', false),
        pleg(s(32.701277), 'ContainerDied'),
        gobgpd(s(33), 'gobgpd started', 'process-restart', { toState: 'started' }),
        frrPeer(s(33.866324), '10.0.23.2', true),
        // The second restart: SIGKILL, only PLEG and gobgpd's start tell it.
        frrPeer(s(45.421366), '10.0.23.2', false),
        pleg(s(45.701277), 'ContainerDied'),
        gobgpd(s(46), 'gobgpd started', 'process-restart', { toState: 'started' }),
        frrPeer(s(47.435954), '10.0.23.2', true),
      ].sort((a, b) => a.timeUs - b.timeUs);
      const r = correlate({ events, loops: [loop(s(31.931789), 1.98, 101), loop(s(45.51111), 2.06, 104)], impact: impact(), inputs: [capture(20, 60)] });
      assert.equal(r.chains.length, 2, r.chains.map((c) => c.summary).join('\n'));
      assert.deepEqual(
        r.chains.map((c) => [c.steps[0]!.time, c.steps.find((x) => x.kind === 'peer-down')!.time]),
        [
          ['2026-11-24T10:00:31.847808Z', '2026-11-24T10:00:31.848897Z'],
          ['2026-11-24T10:00:45.421366Z', '2026-11-24T10:00:45.421366Z'],
        ],
      );
      assert.deepEqual(r.chains.map((c) => c.subject), ['kube-router on node-1 (10.0.23.2)', 'kube-router on node-1 (10.0.23.2)']);
      assert.equal(r.patterns.length, 1);
      assert.equal(r.patterns[0]!.subjects?.length, 1);
    });

    it('keeps a late ContainerDied with its restart even after a whole-second start line, and the first start out of it', () => {
      // cpu-throttle run: first start at 41 s; liveness kill at 49.3178; gobgpd's start line says 50 (whole second);
      // PLEG notices the death at 50.1879 and the new container at 52.1879; the loop begins at 49.4911.
      const events = [
        kubectl(s(41), 'Started', 'Started container kube-router'),
        gobgpd(s(41), 'gobgpd started', 'process-restart', { toState: 'started' }),
        pleg(s(42.187936), 'ContainerStarted'),
        kubectl(s(49), 'Killing', 'Container kube-router failed liveness probe, will be restarted'),
        event('logs/kubelet.log', { kind: 'container-restart', timeUs: s(49.318489), pod: POD, container: 'kube-router', message: '"Killing container with a grace period" pod="kube-system/kube-router-x7k2p"' }),
        frrPeer(s(49.331091), '10.0.23.2', false),
        gobgpd(s(50), 'gobgpd started', 'process-restart', { toState: 'started' }),
        pleg(s(50.187936), 'ContainerDied'),
        frrPeer(s(51.349552), '10.0.23.2', true),
        pleg(s(52.187936), 'ContainerStarted'),
      ].sort((a, b) => a.timeUs - b.timeUs);
      const r = correlate({ events, loops: [loop(s(49.491137), 2.5, 26)], impact: impact(), inputs: [capture(40, 60)] });
      assert.equal(r.chains.length, 1, r.chains.map((c) => c.summary).join('\n'));
      const c = r.chains[0]!;
      assert.equal(c.steps[0]!.timeUs, s(49.318489));
      assert.deepEqual(c.steps.map((x) => x.kind), ['restart', 'peer-down', 'loop', 'peer-up', 'loop-end']);
      assert.ok(c.steps[0]!.evidence.some((e) => e.kind === 'log' && /ContainerDied/.test(e.text)));
    });
  });
});
