/**
 * Each source the reader knows, from fixtures built exactly to the documented formats (test/fixtures/logs/README.md
 * says where each is documented): every event with its kind, its UTC instant and the fields the correlator uses.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLogFile } from '../../../src/core/logs/read';
import type { LogReadOptions } from '../../../src/core/logs/read';
import type { LogEvent } from '../../../src/core/model/events';

const dir = join(__dirname, '..', '..', 'fixtures', 'logs', 'documented');
/** Files without a year are read as if `describe`/the log ended at 2026-11-24 10:02 UTC (their mtime in real life). */
const REF = { referenceTimeUs: Date.UTC(2026, 10, 24, 10, 2, 0) * 1000 };

type Expected = Partial<LogEvent> & Pick<LogEvent, 'kind' | 'time'> & { line?: number; format?: string };

async function check(file: string, expected: Expected[], opts: LogReadOptions = REF, format?: string): Promise<LogEvent[]> {
  const r = await readLogFile(join(dir, file), opts);
  const got = r.events.map((e) => {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(expected[0] ?? {})) o[k] = (e as unknown as Record<string, unknown>)[k];
    // line / format are compared from source.
    if ('line' in o) o.line = e.source.line;
    if ('format' in o) o.format = e.source.format;
    return o;
  });
  const want = expected.map((x) => {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(expected[0] ?? {})) o[k] = (x as unknown as Record<string, unknown>)[k];
    return o;
  });
  assert.deepEqual(got, want, `${file}: ${JSON.stringify(r.events.map((e) => [e.kind, e.time, e.message.slice(0, 40)]))}`);
  if (format) assert.equal(r.summary.format, format);
  assert.deepEqual(r.summary.problems.filter((p) => p.fatal), []);
  // Every event's byte offset is where its line starts (annotations jump there).
  const bytes = readFileSync(join(dir, file));
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) starts.push(i + 1);
  for (const e of r.events) assert.equal(e.source.byteOffset, starts[e.source.line - 1], `${file}: byte offset of line ${e.source.line}`);
  return r.events;
}

describe('logs: every source -> right kind, right UTC instant', () => {
  describe('Kubernetes', () => {
    it('kubelet klog: probe failure, restart, kill, PLEG died/started; no year: Dec 31 -> Jan 1 rolls over', async () => {
      const ev = await check('kubelet.klog.log', [
        { kind: 'probe-failed', time: '2026-12-31T23:59:59.904512Z', pod: 'kube-router-x7k2p', namespace: 'kube-system', container: 'kube-router' },
        { kind: 'container-restart', time: '2027-01-01T00:00:00.000123Z', pod: 'kube-router-x7k2p', namespace: 'kube-system', container: 'kube-router' },
        { kind: 'container-restart', time: '2027-01-01T00:00:00.000456Z', pod: 'kube-router-x7k2p', namespace: 'kube-system', container: 'kube-router' },
        { kind: 'container-restart', time: '2027-01-01T00:00:01.523001Z', pod: 'kube-router-x7k2p', namespace: 'kube-system', container: undefined },
        { kind: 'container-restart', time: '2027-01-01T00:00:02.611870Z', pod: 'kube-router-x7k2p', namespace: 'kube-system', container: undefined },
        // older kubelet wording, and the CrashLoopBackOff back-off of today's kubelet
        { kind: 'probe-failed', time: '2027-01-01T00:00:06.000001Z', pod: 'kube-router-x7k2p', namespace: 'kube-system', container: 'kube-router' },
        { kind: 'container-restart', time: '2027-01-01T00:00:07.000001Z', pod: 'kube-router-x7k2p', namespace: 'kube-system', container: undefined },
      ], { year: 2026 }, 'klog');
      assert.match(ev[0].timeNote ?? '', /year from the setting/);
      assert.equal(ev[0].timeText, '1231 23:59:59.904512');
      assert.equal(ev[0].severity, 'error');
    });

    it('kube-router: klog start/stop lines and its GoBGP logrus lines interleaved in one stream', async () => {
      await check('kube-router.klog.log', [
        // GoBGP writes whole seconds: its 10:00:03 sorts before klog's 10:00:03.1002.
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:03Z', peer: '10.0.2.1', process: 'gobgpd', format: 'gobgp-text' },
        { kind: 'process-restart', time: '2026-11-24T10:00:03.100200Z', peer: undefined, process: 'kube-router', format: 'klog' },
        { kind: 'bgp-peer-down', time: '2026-11-24T10:05:00Z', peer: '10.0.2.1', process: 'gobgpd', format: 'gobgp-text' },
        { kind: 'process-restart', time: '2026-11-24T10:05:00.000001Z', peer: undefined, process: 'kube-router', format: 'klog' },
      ], { year: 2026 });
    });

    it('CRI: P pieces joined with the F line, inner klog/JSON lines understood, time from the CRI prefix', async () => {
      const ev = await check('cri-container.log', [
        { kind: 'request-timeout', time: '2026-11-24T09:00:04Z', line: 5, format: 'cri' },
        { kind: 'process-restart', time: '2026-11-24T10:00:01.123456789Z', line: 1, format: 'cri' },
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:02.000000001Z', line: 2, format: 'cri' },
      ]);
      assert.equal(ev[2].peer, '10.0.2.1');
    });

    it('Docker json-file: split pieces joined, stream kept, inner logrus understood', async () => {
      await check('docker-container.json.log', [
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:01.987654321Z', peer: '10.0.2.1', latencyMs: undefined },
        { kind: 'request-timeout', time: '2026-11-24T10:00:02.100Z', peer: undefined, latencyMs: 2000 },
      ], REF, 'docker-json');
    });

    it('kubectl logs --timestamps: the RFC 3339 prefix is the time, the rest is the container line', async () => {
      await check('kubectl-timestamps.log', [
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:02.000000001Z', peer: '10.0.2.1' },
      ]);
    });

    it('kubectl get events -o json: firstTimestamp/eventTime, null times, count with the last occurrence', async () => {
      const r = await readLogFile(join(dir, 'events.json'), REF);
      assert.deepEqual(r.events.map((e) => [e.kind, e.time, e.count, e.lastTime, e.pod, e.container, e.host, e.source.line]), [
        ['other', '2026-11-24T09:00:00.123456Z', undefined, undefined, 'web-5d8c7', undefined, 'default-scheduler-control-plane', 56],
        ['probe-failed', '2026-11-24T09:58:00Z', 3, '2026-11-24T10:00:00Z', 'kube-router-x7k2p', 'kube-router', 'node-3', 4],
        ['container-restart', '2026-11-24T10:00:00Z', undefined, undefined, 'kube-router-x7k2p', 'kube-router', 'node-3', 37],
      ]);
      assert.equal(r.summary.format, 'kubectl-events');
      assert.equal(r.summary.problems.length, 1);
      assert.match(r.summary.problems[0].message, /without any usable time/);
      assert.equal(r.summary.problems[0].line, 72);
    });

    it('kubectl get events --watch -o json (objects one after the other, also wrapped by --output-watch-events): the same events as the List', async () => {
      const list = JSON.parse(readFileSync(join(dir, 'events.json'), 'utf8')) as { items: object[] };
      const fromList = (await readLogFile(join(dir, 'events.json'), REF)).events;
      const tmp = mkdtempSync(join(tmpdir(), 'il-watch-'));
      try {
        for (const [name, items] of [
          ['watch.json', list.items],
          ['watch-events.json', list.items.map((object, i) => ({ type: i ? 'MODIFIED' : 'ADDED', object }))],
        ] as const) {
          const text = items.map((o) => JSON.stringify(o, null, 4)).join('\n') + '\n';
          writeFileSync(join(tmp, name), text);
          const r = await readLogFile(join(tmp, name), REF);
          assert.equal(r.summary.format, 'kubectl-events', name);
          const strip = (e: LogEvent): unknown => [e.kind, e.time, e.count, e.lastTime, e.pod, e.container, e.host, e.message];
          assert.deepEqual(r.events.map(strip), fromList.map(strip), name);
          // Each event points at the line where its object (or its wrapper) opens, and that line's first byte.
          const lines = text.split('\n');
          const starts = [0];
          for (const l of lines) starts.push(starts.at(-1)! + Buffer.byteLength(l) + 1);
          for (const e of r.events) {
            assert.match(lines[e.source.line - 1]!, /^\s*(?:\{|"object": \{)$/, `${name}: line ${e.source.line}`);
            assert.equal(e.source.byteOffset, starts[e.source.line - 1]);
          }
          assert.equal(r.summary.problems.length, 1, `${name}: the Event without a time, as in the List`);
        }
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });

    it('kubectl get events -o yaml: BackOff and repeated Started are container restarts', async () => {
      await check('events.yaml', [
        { kind: 'container-restart', time: '2026-11-24T09:00:00Z', count: 5, lastTime: '2026-11-24T10:00:02Z', namespace: 'kube-system' },
        { kind: 'container-restart', time: '2026-11-24T09:10:00Z', count: 4, lastTime: '2026-11-24T10:00:03Z', namespace: 'kube-system' },
      ], REF, 'kubectl-events');
    });

    it('kubectl describe pod: event ages against the reference time, Last State Finished as a restart', async () => {
      const ev = await check('describe-pod.txt', [
        { kind: 'probe-failed', time: '2026-11-24T09:58:00Z', count: 3, lastTime: '2026-11-24T10:00:00Z', container: undefined },
        { kind: 'container-restart', time: '2026-11-24T10:00:00Z', count: undefined, lastTime: undefined, container: undefined },
        { kind: 'container-restart', time: '2026-11-24T10:00:01Z', count: undefined, lastTime: undefined, container: 'kube-router' },
        { kind: 'other', time: '2026-11-24T10:00:30Z', count: undefined, lastTime: undefined, container: undefined },
      ], REF, 'kubectl-describe');
      assert.ok(ev.every((e) => e.pod === 'kube-router-x7k2p' && e.namespace === 'kube-system'));
      assert.match(ev[0].timeNote ?? '', /before the reference time/);
    });
  });

  it('kubectl get events (table, -A): LAST SEEN ages against the reference time, namespace and pod from the row', async () => {
    await check('events-table.txt', [
      { kind: 'probe-failed', time: '2026-11-24T09:58:00Z', count: 3, lastTime: '2026-11-24T10:00:00Z', pod: 'kube-router-x7k2p', namespace: 'kube-system' },
      { kind: 'container-restart', time: '2026-11-24T10:00:00Z', count: undefined, lastTime: undefined, pod: 'kube-router-x7k2p', namespace: 'kube-system' },
      { kind: 'other', time: '2026-11-24T10:01:15Z', count: undefined, lastTime: undefined, pod: 'web-5d8c7', namespace: 'default' },
    ], REF, 'kubectl-events-table');
  });

  describe('BGP speakers and routers', () => {
    it('FRR without fractions and without message ids (older releases)', async () => {
      await check('frr-bgpd-legacy.log', [
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01Z', peer: '10.0.12.2', process: 'bgpd' },
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:31Z', peer: '10.0.12.2', process: 'bgpd' },
        { kind: 'process-restart', time: '2026-11-24T10:00:32Z', peer: undefined, process: 'bgpd' },
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:40Z', peer: '2001:db8::2', process: 'bgpd' },
        // (10:00:45, bgpd's own "Connection reset by peer", is the session's trouble, not a failed request: no event)
      ], REF, 'frr');
      const r = await readLogFile(join(dir, 'frr-bgpd-legacy.log'), REF);
      assert.equal(r.events[3].peerName, undefined, '"(Unknown)" is no name');
    });

    it('FRR through BusyBox syslogd (facility.level before the tag): its events, and its socket errors are no failed requests', async () => {
      const ev = await check('frr-busybox-syslog.log', [
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01Z', peer: '10.0.12.2', process: 'bgpd', host: 'leaf1' },
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:31Z', peer: '10.0.12.2', process: 'bgpd', host: 'leaf1' },
        // an application's failure in the same file still is one
        { kind: 'request-failed', time: '2026-11-24T10:00:40Z', peer: undefined, process: 'app', host: 'leaf1' },
      ], REF, 'journald-short');
      assert.equal(ev[1].message, '%ADJCHANGE: neighbor 10.0.12.2(spine1) in vrf default Up');
    });

    it('GoBGP v4 (log/slog): JSON by default, text with --log-plain; level in capitals, time unquoted', async () => {
      for (const [file, format] of [['gobgpd-v4.json.log', 'gobgp-json'], ['gobgpd-v4.plain.log', 'gobgp-text']] as const) {
        const ev = await check(file, [
          { kind: 'process-restart', time: file.endsWith('json.log') ? '2026-11-24T10:00:00.512345678Z' : '2026-11-24T10:00:00.512Z', peer: undefined },
          { kind: 'bgp-peer-down', time: file.endsWith('json.log') ? '2026-11-24T10:00:01.123456789Z' : '2026-11-24T10:00:01.123Z', peer: '10.0.12.2' },
          { kind: 'bgp-peer-up', time: file.endsWith('json.log') ? '2026-11-24T10:00:31.001234567Z' : '2026-11-24T10:00:31.001Z', peer: '10.0.12.2' },
        ], REF, format);
        assert.equal(ev[1].fromState, 'BGP_FSM_ESTABLISHED');
      }
    });

    it('BIRD 1 (dd-mm-yyyy): up, then stop from up is the peer-down, down after it a state change', async () => {
      await check('bird1.log', [
        { kind: 'bgp-state-change', time: '2026-11-24T10:00:01Z', peerName: 'bgp_core', toState: 'feed' },
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:01Z', peerName: 'bgp_core', toState: 'up' },
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:09Z', peerName: 'bgp_core', toState: 'stop' },
        { kind: 'bgp-state-change', time: '2026-11-24T10:00:09Z', peerName: 'bgp_core', toState: 'down' },
      ], REF, 'bird');
    });

    it('Cisco IOS/IOS-XE: sequence numbers, *, PRI + host prefix, vrf, zone names', async () => {
      const ev = await check('cisco-ios.log', [
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01.849Z', peer: '10.0.12.2' },
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:31.002Z', peer: '10.0.12.2' },
        { kind: 'bgp-peer-down', time: '2026-11-24T10:01:00.100Z', peer: '10.0.13.2' },
        // RFC 3164 with the host before the mnemonic
        { kind: 'bgp-peer-down', time: '2026-11-24T10:01:10Z', peer: '10.0.13.3' },
        // After November, a March line without a year is the next March.
        { kind: 'bgp-peer-up', time: '2027-03-01T08:03:54.849Z', peer: '10.0.14.2' },
      ], { year: 2026 }, 'cisco-ios');
      assert.match(ev[4].timeNote ?? '', /zone 'HKT' not known: UTC used/);
      assert.equal(ev[2].host, 'core1');
      assert.equal(ev[3].host, 'core2');
    });

    it('Cisco NX-OS (year first) and IOS-XR (node prefix, AS)', async () => {
      await check('cisco-nxos.log', [
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01Z', peer: '10.0.12.2', host: 'nxos-core1' },
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:30.500Z', peer: '10.0.12.2', host: 'nxos-core1' },
      ], REF, 'cisco-nxos');
      await check('cisco-iosxr.log', [
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01.123Z', peer: '10.0.12.2', peerAs: 64512, process: 'bgp' },
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:32.456Z', peer: '10.0.12.2', peerAs: 64512, process: 'bgp' },
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:40.789Z', peer: '10.0.12.3', peerAs: 64513, process: 'bgp' },
        // through syslog: <PRI>, sequence number and host before the node; ' : ' after a time without zone
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:50.321Z', peer: '10.0.12.5', peerAs: 64515, process: 'bgp' },
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:55.100Z', peer: '10.0.12.5', peerAs: 64515, process: 'bgp' },
      ], REF, 'cisco-iosxr');
      const xr = await check('cisco-iosxr.log', [{ kind: 'bgp-peer-down', time: '2026-11-24T10:00:01.123Z', host: undefined }, { kind: 'bgp-peer-up', time: '2026-11-24T10:00:32.456Z', host: undefined },
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:40.789Z', host: undefined }, { kind: 'bgp-peer-down', time: '2026-11-24T10:00:50.321Z', host: 'xr-core1' },
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:55.100Z', host: 'xr-core1' }]);
      assert.equal(xr[4].timeText, 'Nov 24 10:00:55.100');
    });

    it('Junos RPD_BGP_NEIGHBOR_STATE_CHANGED and bgp_event, in RFC 3164 and syslog files', async () => {
      const ev = await check('junos.log', [
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01Z', peer: '10.0.12.2', peerAs: 64512, fromState: 'Established', toState: 'Idle' },
        { kind: 'bgp-state-change', time: '2026-11-24T10:00:20Z', peer: '10.0.12.2', peerAs: 64512, fromState: 'Idle', toState: 'Connect' },
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:31Z', peer: '10.0.12.2', peerAs: 64512, fromState: 'OpenConfirm', toState: 'Established' },
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:40Z', peer: '10.0.12.3', peerAs: 65000, fromState: 'Established', toState: 'Idle' },
        // a relay that writes two blanks before the host
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:50Z', peer: '10.0.12.6', peerAs: 64514, fromState: 'Established', toState: 'Idle' },
      ], REF);
      assert.ok(ev.every((e) => e.source.format === 'junos' && e.process === 'rpd'));
      assert.deepEqual(ev.map((e) => e.host), ['mx1', 'mx1', 'mx1', 'mx1', 'mx2']);
      assert.equal(ev[4].timeText, 'Nov 24 10:00:50');
      assert.equal(ev[0].severity, 'warning'); // <28>: facility 3, severity 4
    });

    it('Arista EOS, Huawei VRP (with +08:00), H3C Comware (ms after a colon, %%10 in syslog)', async () => {
      await check('arista-eos.log', [
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01Z', peer: '10.0.12.2', peerAs: 64512 },
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:31Z', peer: '10.0.12.2', peerAs: 64512 },
        // <PRI> with an RFC 3339 time (EOS's and rsyslog's forwarding)
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:45Z', peer: '10.0.12.4', peerAs: 64513 },
      ], REF);
      await check('huawei-vrp.log', [
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01Z', peer: '10.0.12.2', toState: 'idle' },
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:31Z', peer: '10.0.12.2', toState: 'established' },
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:40.250Z', peer: '10.0.12.3', toState: 'IDLE' },
        // VRP8's ISO time with a spaced offset, read through the syslog framing
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:50.500Z', peer: '10.0.12.4', toState: 'idle' },
      ], REF, 'huawei-vrp');
      await check('h3c-comware.log', [
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01.579Z', peer: '10.0.12.2' },
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:31.002Z', peer: '10.0.12.2' },
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:40Z', peer: '10.0.12.3' },
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:50.001Z', peer: '10.0.12.4' },
      ], REF, 'h3c-comware');
    });

    it('OpenBGPD: startup, state change X -> Y, reason, with and without a description, IPv4 and IPv6', async () => {
      const ev = await check('openbgpd.log', [
        { kind: 'process-restart', time: '2026-11-24T09:59:50Z', peer: undefined, peerName: undefined, fromState: undefined, toState: 'started', format: 'openbgpd' },
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01Z', peer: '10.0.12.2', peerName: 'spine1', fromState: 'Established', toState: 'Idle', format: 'openbgpd' },
        { kind: 'bgp-state-change', time: '2026-11-24T10:00:20Z', peer: '10.0.12.2', peerName: 'spine1', fromState: 'Idle', toState: 'Connect', format: 'openbgpd' },
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:31Z', peer: '10.0.12.2', peerName: 'spine1', fromState: 'OpenConfirm', toState: 'Established', format: 'openbgpd' },
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:40Z', peer: '2001:db8:12::2', peerName: undefined, fromState: 'Established', toState: 'Idle', format: 'openbgpd' },
      ], REF);
      assert.ok(ev.every((e) => e.host === 'obsd1' && e.process === 'bgpd'));
    });

    it('Nokia SR OS bgpBackwardTransNotification through syslog: the peer is the address before "moved from higher state"', async () => {
      await check('nokia-sros.log', [
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01Z', peer: '10.0.12.2', fromState: 'ESTABLISHED', toState: 'IDLE', format: 'nokia-sros', host: 'pe1' },
        { kind: 'bgp-state-change', time: '2026-11-24T10:00:40Z', peer: '2001:db8:12::2', fromState: 'OPENCONFIRM', toState: 'IDLE', format: 'nokia-sros', host: 'pe1' },
      ], REF);
    });

    it('Brocade/Extreme NetIron: Peer A DOWN (reason) / UP (ESTABLISHED), with a VRF and IPv6', async () => {
      const ev = await check('netiron.log', [
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01Z', peer: '10.0.12.2', toState: 'down', format: 'netiron' },
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:05Z', peer: '2001:db8:12::2', toState: 'down', format: 'netiron' },
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:31Z', peer: '10.0.12.2', toState: 'established', format: 'netiron' },
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:36Z', peer: '2001:db8:12::2', toState: 'established', format: 'netiron' },
      ], REF);
      assert.ok(ev.every((e) => e.host === 'mlx1' && e.process === 'BGP'));
    });
  });

  describe('syslog framings and journald', () => {
    it('RFC 5424 with offset and structured data; a line without time is recognised but not an event', async () => {
      await check('rfc5424.log', [
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01.123456Z', host: 'core1', peer: '10.0.12.2', pod: undefined },
        { kind: 'probe-failed', time: '2026-11-24T10:00:02.500Z', host: 'node-3', peer: undefined, pod: 'web-5d8c7' },
      ], REF, 'rfc5424');
    });

    it('journald short, short-precise, short-iso and json', async () => {
      await check('journald-short.log', [
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01Z', process: 'bgpd', peerName: 'access1' },
        { kind: 'process-restart', time: '2026-11-24T10:00:02Z', process: 'frr', peerName: undefined },
        { kind: 'bgp-peer-up', time: '2026-11-24T10:00:03Z', process: 'bird', peerName: 'bgp1' },
      ], { year: 2026 });
      const full = await check('journald-short-full.log', [
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01Z', process: 'bgpd' },
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:02.250Z', process: 'bird' },
        // IST is India, Ireland or Israel: not guessed, the file's zone (UTC) is used and said.
        { kind: 'bgp-peer-up', time: '2026-11-24T15:30:03Z', process: 'bgpd' },
      ], REF, 'journald-short-full');
      // CET is an IANA zone name: used as written, no "assumed" note.
      assert.equal(full[0].timeNote, undefined);
      assert.match(full[2].timeNote ?? '', /zone 'IST' not known: UTC used/);
      await check('journald-short-precise.log', [{ kind: 'bgp-peer-up', time: '2026-11-24T10:00:01.123456Z' }], { year: 2026 });
      await check('journald-short-iso.log', [
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01Z', toState: 'Down' },
        { kind: 'process-restart', time: '2026-11-24T10:00:02.654321Z', toState: 'exited' },
      ]);
      await check('journald.json.log', [
        { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01.123456Z', host: 'core1', severity: 'warning' },
        { kind: 'process-restart', time: '2026-11-24T10:00:02.000001Z', host: 'core1', severity: 'info' },
      ], REF, 'journald-json');
    });
  });

  describe('applications', () => {
    it('nginx error log: upstream timed out', async () => {
      await check('nginx-error.log', [{ kind: 'request-timeout', time: '2026-11-24T10:00:01Z', process: 'nginx' }], REF, 'nginx-error');
    });

    it('access log: 504 is a timeout, request time over the threshold a slow response (zone offsets applied)', async () => {
      await check('nginx-access.log', [
        { kind: 'request-timeout', time: '2026-11-24T10:00:01Z', latencyMs: 60001, httpStatus: 504 },
        { kind: 'slow-response', time: '2026-11-24T10:00:02Z', latencyMs: 2350, httpStatus: 200 },
      ], REF, 'access-log');
    });

    it('Envoy and Istio: UT is a timeout, UF,URX a failed request, each with its duration; a slow 200 is a slow response', async () => {
      await check('envoy-access.log', [
        { kind: 'request-timeout', time: '2026-11-24T10:00:01.123Z', latencyMs: 15001, httpStatus: 504 },
        { kind: 'request-failed', time: '2026-11-24T10:00:02Z', latencyMs: 3005, httpStatus: 503 },
        { kind: 'slow-response', time: '2026-11-24T10:00:03Z', latencyMs: 1800, httpStatus: 200 },
        // Istio's proxy format: response code details, termination details and failure reason after the flags
        { kind: 'request-timeout', time: '2026-11-24T10:00:05Z', latencyMs: 10002, httpStatus: 504 },
      ], REF, 'envoy');
    });

    it('log4j: the exception on the next line is folded into the entry and makes it a timeout', async () => {
      const ev = await check('log4j-app.log', [{ kind: 'request-timeout', time: '2026-11-24T10:00:01.234Z', severity: 'error' }]);
      assert.match(ev[0].message, /call to inventory failed\njava\.net\.SocketTimeoutException: Read timed out\n\tat /);
    });

    it('logback default (time of day only): the date from the reference time, midnight crossed, the zone applied', async () => {
      const utc = await check('logback-default.log', [
        { kind: 'request-timeout', time: '2026-11-25T00:00:01.250Z', severity: 'error' },
      ], { referenceTimeUs: Date.UTC(2026, 10, 25, 0, 0, 30) * 1000 }, 'time-only');
      assert.match(utc[0].timeNote ?? '', /date inferred from the reference time/);
      // The same file written in Berlin (UTC+1) and copied at 23:00:30Z (00:00:30 local).
      await check('logback-default.log', [
        { kind: 'request-timeout', time: '2026-11-24T23:00:01.250Z', severity: 'error' },
      ], { referenceTimeUs: Date.UTC(2026, 10, 24, 23, 0, 30) * 1000, timeZone: 'Europe/Berlin' });
    });

    it('Go: context deadline exceeded in log-package, structured, zap and go-kit lines, with elapsed time', async () => {
      await check('go-app.log', [
        { kind: 'request-timeout', time: '2026-11-24T10:00:01Z', latencyMs: undefined },
        { kind: 'request-timeout', time: '2026-11-24T10:00:02.500Z', latencyMs: 5002 },
        // zap JSON (epoch seconds in "ts") and go-kit logfmt ("ts=" not first, a network failure)
        { kind: 'request-timeout', time: '2026-11-24T10:00:03.250Z', latencyMs: undefined },
        { kind: 'request-failed', time: '2026-11-24T10:00:04Z', latencyMs: 3001 },
      ]);
    });
  });

  describe('CPU throttling', () => {
    it('cgroup v2 cpu.stat snapshots: one event per interval, a quiet interval has throttledPeriods 0', async () => {
      await check('cpu-stat-v2.log', [
        { kind: 'cpu-throttled', time: '2026-11-24T10:00:10Z', throttledPeriods: 0, periods: 100, throttledMs: 0, intervalMs: 10000 },
        { kind: 'cpu-throttled', time: '2026-11-24T10:00:20Z', throttledPeriods: 75, periods: 100, throttledMs: 3000, intervalMs: 10000 },
      ], REF, 'cgroup-cpu-stat');
    });

    it('Prometheus samples of container_cpu_cfs_throttled_periods_total per series', async () => {
      await check('prometheus-throttling.prom', [
        { kind: 'cpu-throttled', time: '2026-11-24T10:00:15Z', throttledPeriods: 60, periods: 150, throttledMs: 3250, pod: 'kube-router-x7k2p', container: 'kube-router' },
        { kind: 'cpu-throttled', time: '2026-11-24T10:00:30Z', throttledPeriods: 0, periods: 150, throttledMs: 0, pod: 'kube-router-x7k2p', container: 'kube-router' },
      ], REF, 'prometheus');
    });
  });

  it('user-defined format: regex with named groups and a time pattern', async () => {
    const ev = await check('custom-app.log', [
      { kind: 'slow-response', time: '2026-11-24T09:00:01.250Z', peer: '10.244.3.5', latencyMs: 3500 },
      { kind: 'other', time: '2026-11-24T09:00:02Z', peer: '10.244.3.5', latencyMs: 12 },
    ], {
      timeZone: 'Europe/Berlin',
      customFormats: [{
        name: 'payments',
        pattern: String.raw`^\[(?<time>[^\]]+)\] (?<level>\w+)\s+\w+\s+upstream=(?<peer>\S+) took=(?<latency>\d+) (?<msg>.*)$`,
        timeFormat: 'DD.MM.YYYY HH:mm:ss.SSS',
      }],
    }, 'payments');
    assert.match(ev[0].timeNote ?? '', /zone Europe\/Berlin \(setting\)/);
  });

  it('mixed formats in one file, out of order: each line by its own format, events sorted by time', async () => {
    const ev = await check('mixed.log', [
      { kind: 'bgp-peer-down', time: '2026-11-24T10:00:00.500Z', line: 2, format: 'gobgp-text' },
      { kind: 'bgp-peer-down', time: '2026-11-24T10:00:01.000100Z', line: 1, format: 'frr' },
      { kind: 'request-timeout', time: '2026-11-24T10:00:02.250Z', line: 4, format: 'iso' },
      { kind: 'probe-failed', time: '2026-11-24T10:00:03Z', line: 5, format: 'klog' },
    ]);
    // The klog line has no year: the dated lines of the same file give it.
    assert.match(ev[3].timeNote ?? '', /year inferred from other lines of the file/);
  });
});
