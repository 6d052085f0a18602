/**
 * Logs that real software wrote (test/fixtures/logs/real, see its generate*.sh / .java): gobgpd 3.10 (JSON and
 * plain), BIRD 2.0.12 and FRR 8.4 bgpd peering in network namespaces while gobgpd was killed and restarted; a
 * CPU-bound loop in a cgroup v1 with a CFS quota; a JVM's real SocketTimeoutException.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { readLogFile } from '../../../src/core/logs/read';
import { estimateClockOffsets } from '../../../src/core/logs/clockOffsets';
import type { LogEvent } from '../../../src/core/model/events';

const dir = join(__dirname, '..', '..', 'fixtures', 'logs', 'real');
const read = (f: string, clockOffsetMs?: number) => readLogFile(join(dir, f), clockOffsetMs === undefined ? {} : { clockOffsetMs });
const brief = (e: LogEvent) => [e.kind, e.time, e.peer];

describe('logs: real daemon logs', () => {
  it('FRR bgpd 8.4: %ADJCHANGE with message ids and µs, Up/Down with the peer and its hostname', async () => {
    const r = await read('frr-bgpd.log');
    assert.equal(r.summary.format, 'frr');
    const bgp = r.events.filter((e) => e.kind.startsWith('bgp-'));
    assert.deepEqual(bgp.map(brief), [
      ['bgp-peer-up', '2026-11-25T08:29:12.462295Z', '10.99.2.1'],
      ['bgp-peer-down', '2026-11-25T08:29:19.466834Z', '10.99.2.1'],
      ['bgp-peer-up', '2026-11-25T08:29:24.470138Z', '10.99.2.1'],
      ['bgp-peer-down', '2026-11-25T08:29:31.475072Z', '10.99.2.1'],
      ['bgp-peer-up', '2026-11-25T08:29:35.479407Z', '10.99.2.1'],
      ['bgp-peer-down', '2026-11-25T08:29:42.486667Z', '10.99.2.1'],
    ]);
    assert.ok(bgp.every((e) => e.peerName === 'vm' && e.process === 'bgpd'));
    // "sendmsg_nexthop: zclient_send_message() failed" and NOTIFICATION lines are not events.
    assert.equal(r.summary.ignoredLines, 12);
  });

  it('BIRD 2.0.12: up -> stop is the peer-down; the address comes from its Connecting line', async () => {
    const r = await read('bird2.log');
    const downs = r.events.filter((e) => e.kind === 'bgp-peer-down');
    const ups = r.events.filter((e) => e.kind === 'bgp-peer-up');
    assert.deepEqual(downs.map(brief), [
      ['bgp-peer-down', '2026-11-25T08:29:19.467Z', '10.99.1.1'],
      ['bgp-peer-down', '2026-11-25T08:29:31.473Z', '10.99.1.1'],
      ['bgp-peer-down', '2026-11-25T08:29:42.486Z', '10.99.1.1'],
    ]);
    assert.deepEqual(ups.map((e) => e.time), ['2026-11-25T08:29:16.149Z', '2026-11-25T08:29:23.951Z', '2026-11-25T08:29:35.887Z']);
    // The device protocol's "State changed to up" is not a BGP session.
    assert.ok(r.events.every((e) => e.peerName !== 'device1'));
    // Shutdown stops the protocol from start, not from up: a state change, not another peer-down.
    const last = r.events.filter((e) => e.peerName === 'node_a').at(-1);
    assert.equal(last?.kind, 'bgp-state-change');
  });

  it('BIRD 2.0.12 without debug states: the NOTIFICATION lines are the peer-downs', async () => {
    const r = await read('bird2-nodebug.log');
    assert.deepEqual(r.events.map((e) => [e.kind, e.time, e.peerName ?? e.toState]), [
      ['process-restart', '2026-11-25T08:28:09.962Z', 'started'],
      ['bgp-peer-down', '2026-11-25T08:28:30.029Z', 'node_a'],
      ['bgp-peer-down', '2026-11-25T08:28:41.042Z', 'node_a'],
      ['process-restart', '2026-11-25T08:28:43.048Z', 'stopping'],
    ]);
    // With debug states on, the same NOTIFICATION lines are not counted again (bird2.log has them too).
    const withStates = await read('bird2.log');
    assert.equal(withStates.events.filter((e) => e.kind === 'bgp-peer-down').length, 3);
  });

  it('gobgpd 3.10 JSON and --log-plain: Peer Up/Down with Key, start and stop of the daemon', async () => {
    const json = await read('gobgpd.json.log');
    assert.equal(json.summary.format, 'gobgp-json');
    assert.deepEqual(json.events.map(brief), [
      ['process-restart', '2026-11-25T08:29:11Z', undefined],
      ['bgp-peer-up', '2026-11-25T08:29:12Z', '10.99.2.3'],
      ['bgp-peer-up', '2026-11-25T08:29:16Z', '10.99.1.2'],
    ]);
    const plain = await read('gobgpd.plain.log');
    assert.equal(plain.summary.format, 'gobgp-text');
    const downs = plain.events.filter((e) => e.kind === 'bgp-peer-down');
    assert.deepEqual(downs.map(brief), [
      ['bgp-peer-down', '2026-11-25T08:29:31Z', '10.99.1.2'],
      ['bgp-peer-down', '2026-11-25T08:29:31Z', '10.99.2.3'],
      ['bgp-peer-down', '2026-11-25T08:29:42Z', '10.99.1.2'],
      ['bgp-peer-down', '2026-11-25T08:29:42Z', '10.99.2.3'],
    ]);
    assert.ok(downs.every((e) => e.fromState === 'BGP_FSM_ESTABLISHED'));
    assert.deepEqual(plain.events.filter((e) => e.kind === 'process-restart').map((e) => e.toState), ['started', 'stopping', 'started', 'stopping']);
  });

  it('gobgpd 3.10 at debug level: "state changed" with old/new is a BGP state change', async () => {
    const r = await read('gobgpd.debug.log');
    const change = r.events.find((e) => e.kind === 'bgp-state-change');
    assert.deepEqual([change?.peer, change?.fromState, change?.toState, change?.source.line], ['127.0.0.2', 'BGP_FSM_IDLE', 'BGP_FSM_ACTIVE', 6]);
    assert.equal(r.events.length, 3);
  });

  it('nginx 1.22: upstream timed out in the error log; 504 and a slow 200 in the access log with $request_time', async () => {
    const err = await read('nginx-error.log');
    assert.deepEqual(err.events.map((e) => [e.kind, e.time, e.process]), [['request-timeout', '2026-11-25T09:21:41Z', 'nginx']]);
    const acc = await read('nginx-access.log');
    assert.deepEqual(acc.events.map((e) => [e.kind, e.time, e.httpStatus, e.latencyMs]), [
      ['request-timeout', '2026-11-25T09:21:41Z', 504, 1001],
      ['slow-response', '2026-11-25T09:21:42Z', 200, 1201],
    ]);
    assert.equal(acc.summary.ignoredLines, 2);
  });

  it('util-linux logger: RFC 3164 (no year: given) and RFC 5424 (µs, structured data) framings of the same messages', async () => {
    const bsd = await readLogFile(join(dir, 'logger-rfc3164.log'), { year: 2026 });
    assert.deepEqual(bsd.events.map((e) => [e.kind, e.time, e.severity, e.host, e.process]), [
      ['bgp-peer-down', '2026-11-25T09:22:05Z', 'warning', 'vm', 'bgpd'],
      ['request-timeout', '2026-11-25T09:22:05Z', 'error', 'vm', 'orders'],
    ]);
    const r5424 = await read('logger-rfc5424.log');
    assert.deepEqual(r5424.events.map((e) => [e.kind, e.time, e.severity, e.peer]), [
      ['bgp-peer-down', '2026-11-25T09:22:05.950902Z', 'warning', '10.0.12.2'],
      ['request-timeout', '2026-11-25T09:22:05.954678Z', 'error', undefined],
    ]);
  });

  it('cgroup v1 cpu.stat of a quota-capped loop: throttled intervals, then a quiet one with 0', async () => {
    const r = await read('cpu-stat-v1.log');
    assert.equal(r.summary.format, 'cgroup-cpu-stat');
    assert.deepEqual(r.events.map((e) => [e.kind, e.throttledPeriods, e.periods]), [
      ['cpu-throttled', 10, 10], ['cpu-throttled', 10, 10], ['cpu-throttled', 10, 10], ['cpu-throttled', 11, 11], ['cpu-throttled', 0, 2],
    ]);
    assert.equal(r.events[0].time, '2026-11-25T08:37:37.510209259Z');
    // 10% quota: each throttled 100 ms period lost ~90 ms (v1 throttled_time is in ns).
    assert.ok(r.events[0].throttledMs! > 500 && r.events[0].throttledMs! < 1000, String(r.events[0].throttledMs));
    assert.equal(r.events[4].throttledMs, 0);
    assert.equal(r.events[0].container, '/sys/fs/cgroup/cpu/incident-lens-fixture');
  });

  it('JVM SocketTimeoutException: the stack trace is folded into the entry, the latency read from the message', async () => {
    const r = await read('java-timeout.log');
    assert.equal(r.events.length, 1);
    const e = r.events[0];
    assert.deepEqual([e.kind, e.time, e.severity, e.latencyMs, e.source.line], ['request-timeout', '2026-11-25T08:37:55.468Z', 'error', 300, 2]);
    assert.match(e.message, /\njava\.net\.SocketTimeoutException: Read timed out\n\tat java\.base/);
    assert.equal(r.summary.lines, 19);
  });

  describe('clock offsets', () => {
    it('the same clock: FRR and BIRD saw the same session changes within a millisecond', async () => {
      const frr = await read('frr-bgpd.log');
      const bird = await read('bird2.log');
      const all = [...frr.events, ...bird.events.map((e) => ({ ...e, id: `b-${e.id}` }))];
      const [est] = estimateClockOffsets(all);
      assert.ok(est, 'an estimate');
      assert.ok(Math.abs(est.offsetMs) < 5, `offset ${est.offsetMs}`);
      assert.ok(est.matches.length >= 5);
    });

    it('a file read with a skewed clock (+37 s) is found 37 s off, and the estimate undoes it', async () => {
      const frr = await read('frr-bgpd.log');
      const bird = await read('bird2.log', 37_000);
      const all = [...frr.events, ...bird.events.map((e) => ({ ...e, id: `b-${e.id}` }))];
      const est = estimateClockOffsets(all, { toleranceMs: 500 });
      assert.equal(est.length, 1);
      assert.equal(est[0].reference, join(dir, 'frr-bgpd.log'));
      assert.ok(Math.abs(est[0].offsetMs - -37_000) < 5, `offset ${est[0].offsetMs}`);
    });

    it('gobgpd (whole seconds) against FRR: the offset is the sub-second truncation, not minutes', async () => {
      const frr = await read('frr-bgpd.log');
      const gobgp = await read('gobgpd.plain.log');
      const all = [...frr.events, ...gobgp.events.map((e) => ({ ...e, id: `g-${e.id}` }))];
      const [est] = estimateClockOffsets(all);
      assert.ok(est);
      assert.ok(est.offsetMs > 0 && est.offsetMs < 1000, `offset ${est.offsetMs}`);
    });

    it('files with nothing in common get no estimate', async () => {
      const frr = await read('frr-bgpd.log');
      const cpu = await read('cpu-stat-v1.log');
      assert.deepEqual(estimateClockOffsets([...frr.events, ...cpu.events.map((e) => ({ ...e, id: `c-${e.id}` }))]), []);
    });
  });
});

describe('logs: clock offsets from restarts seen by kubelet and by the daemon', () => {
  it('pairs kubelet container starts with gobgpd starts in the lab, and finds a 90 s skew put on gobgpd', async () => {
    const input = join(__dirname, '..', '..', 'fixtures', 'lab', 'cpu-throttle', 'input');
    const kubelet = await readLogFile(join(input, 'kubelet.log'), { year: 2026 });
    const gobgp = await readLogFile(join(input, 'node-gobgpd.log'), { clockOffsetMs: 90_000 });
    const all = [...kubelet.events, ...gobgp.events.map((e) => ({ ...e, id: `g-${e.id}` }))];
    const [est] = estimateClockOffsets(all);
    assert.ok(est, 'an estimate');
    assert.ok(est.matches.every((m) => m.kind === 'process-restart'));
    assert.ok(est.matches.length >= 3, String(est.matches.length));
    // gobgpd writes whole seconds and starts within ~1-2 s of kubelet's PLEG "ContainerStarted" in this lab.
    assert.ok(Math.abs(est.offsetMs - -90_000) < 2500, `offset ${est.offsetMs}`);
  });
});
