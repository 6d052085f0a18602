/**
 * A small Report shaped like the incident (kube-router restart -> BGP peer down -> core<->access loop ->
 * client timeouts), written by hand for the host's view-model tests: it exercises every group of the tree
 * and every kind of evidence. The real core's Reports are checked in test/integration/worker.test.ts.
 */
import type { Report } from '../../../src/core/model';

const T0 = Date.UTC(2026, 10, 24, 10, 0, 0) * 1000; // 2026-11-24T10:00:00Z in µs
const iso = (us: number) => new Date(Math.floor(us / 1000)).toISOString().replace(/\.(\d{3})Z$/, (_, ms) => `.${ms}${String(us % 1000).padStart(3, '0')}Z`);

export const LOG_KLOG = '/cases/inc-42/kubelet.log';
export const LOG_GOBGP = '/cases/inc-42/gobgpd.log';
export const LOG_APP = '/cases/inc-42/app.log';
export const CAPTURE = '/cases/inc-42/core-access.pcapng';

export function sampleReport(): Report {
  const restartUs = T0 + 1_000_000;
  const peerDownUs = restartUs + 420_000;
  const loopStartUs = peerDownUs + 100_000;
  const loopEndUs = loopStartUs + 3_000_000;
  const timeoutUs = loopStartUs + 2_000_000;
  return {
    schemaVersion: 1,
    tool: { name: 'incident-lens', version: '0.1.0' },
    generatedAt: '2026-11-25T08:00:00Z',
    inputs: [
      {
        kind: 'capture', path: CAPTURE, format: 'pcapng', sizeBytes: 123456, packets: 5000, linkTypes: [1],
        firstTime: iso(T0), lastTime: iso(T0 + 10_000_000),
        problems: [{ severity: 'error', message: 'block length 0xFFFFFFF0 exceeds the file', byteOffset: 120004, fatal: true }],
      },
      { kind: 'log', path: LOG_KLOG, format: 'klog', sizeBytes: 900, lines: 12, events: 1, ignoredLines: 11, timeZone: 'UTC', clockOffsetMs: 0, problems: [] },
      {
        kind: 'log', path: LOG_GOBGP, format: 'gobgp-text', sizeBytes: 700, lines: 6, events: 2, ignoredLines: 4, timeZone: 'UTC', clockOffsetMs: -1500,
        problems: [{ severity: 'warning', message: 'timestamp "10:00:0x" is not a time', line: 4, fatal: false }],
      },
      { kind: 'log', path: LOG_APP, format: 'app', sizeBytes: 500, lines: 5, events: 1, ignoredLines: 4, timeZone: '+01:00', clockOffsetMs: 0, problems: [] },
    ],
    loops: [
      {
        id: 'loop-1', capture: CAPTURE, start: iso(loopStartUs), end: iso(loopEndUs), startUs: loopStartUs, endUs: loopEndUs,
        durationMs: 3000, ttlStep: 2,
        macPairs: [
          { srcMac: '02:00:00:00:00:02', dstMac: '02:00:00:00:00:03', sightings: 3000 },
          { srcMac: '02:00:00:00:00:03', dstMac: '02:00:00:00:00:02', sightings: 2900 },
        ],
        routers: ['10.0.12.1'], vlan: null, destinationPrefixes: ['10.244.1.0/24'], destinations: 3, sources: 2,
        loopedPackets: 230, sightings: 5900, maxReplicas: 63, icmpTimeExceeded: 4, firstFrame: 1200, lastFrame: 4100,
        streams: [], streamsTotal: 230,
        ladder: { timeUs: [], ttl: [], frame: [], stream: [], direction: [], truncated: false },
        impact: { flowsHurt: 12, clientsHurt: 2, packetsLost: 230, retransmissions: 40, stalls: 5, longestStallMs: 2800 },
      },
    ],
    impact: { tcpFlows: 40, retransmissions: 40, stalls: [], flows: [], flowsTotal: 0, icmpTimeExceeded: 4, stallThresholdMs: 200 },
    events: [
      {
        id: 'ev-1', kind: 'container-restart', time: iso(restartUs), timeUs: restartUs, timeText: 'I1124 10:00:01.000000',
        timeNote: 'year inferred from mtime', source: { file: LOG_KLOG, line: 7, byteOffset: 512, format: 'klog' },
        severity: 'info', process: 'kubelet', pod: 'kube-router-x7k2p', message: 'Container kube-router failed liveness probe, will be restarted',
      },
      {
        id: 'ev-2', kind: 'bgp-peer-down', time: iso(peerDownUs), timeUs: peerDownUs, timeText: '2026-11-24T10:00:01.42Z',
        source: { file: LOG_GOBGP, line: 3, byteOffset: 240, format: 'gobgp-text' }, severity: 'warning', process: 'gobgpd',
        peer: '10.0.23.1', peerAs: 64512, message: 'Peer Down Key=10.0.23.1 State=BGP_FSM_ESTABLISHED [x](command:workbench.action.quit) <img src=x onerror=alert(1)>',
      },
      {
        id: 'ev-3', kind: 'bgp-peer-up', time: iso(loopEndUs), timeUs: loopEndUs, timeText: '2026-11-24T10:00:05.02Z',
        source: { file: LOG_GOBGP, line: 5, byteOffset: 400, format: 'gobgp-text' }, severity: 'info', process: 'gobgpd', peer: '10.0.23.1', message: 'Peer Up',
      },
      {
        id: 'ev-4', kind: 'request-timeout', time: iso(timeoutUs), timeUs: timeoutUs, timeText: '2026-11-24 11:00:03.520',
        source: { file: LOG_APP, line: 2, byteOffset: 90, format: 'app' }, severity: 'error', latencyMs: 2000, message: 'request GET /api/orders/1 failed: Read timed out',
      },
    ],
    chains: [
      {
        id: 'chain-1', subject: 'kube-router on node-3 (10.0.23.1)', start: iso(restartUs), end: iso(loopEndUs),
        summary: 'kube-router restarted; 420 ms later the access router dropped its BGP session; a loop opened 100 ms after.',
        patternId: 'pattern-1',
        steps: [
          { kind: 'restart', time: iso(restartUs), timeUs: restartUs, lagMs: 0, summary: 'kube-router restarted', evidence: [{ kind: 'log', file: LOG_KLOG, line: 7, eventId: 'ev-1', text: 'Container kube-router failed liveness probe' }] },
          { kind: 'peer-down', time: iso(peerDownUs), timeUs: peerDownUs, lagMs: 420, summary: 'BGP peer 10.0.23.1 down', evidence: [{ kind: 'log', file: LOG_GOBGP, line: 3, eventId: 'ev-2', text: 'Peer Down' }] },
          { kind: 'loop', time: iso(loopStartUs), timeUs: loopStartUs, lagMs: 100, summary: 'routing loop core<->access, TTL step 2', evidence: [{ kind: 'capture', file: CAPTURE, firstFrame: 1200, lastFrame: 4100, loopId: 'loop-1', text: 'loop-1: 230 packets' }] },
          { kind: 'timeouts', time: iso(timeoutUs), timeUs: timeoutUs, lagMs: 2000, summary: '1 client timeout', evidence: [{ kind: 'log', file: LOG_APP, line: 2, eventId: 'ev-4', text: 'Read timed out' }] },
        ],
      },
    ],
    patterns: [
      {
        id: 'pattern-1', shape: ['restart', 'peer-down', 'loop', 'timeouts'], occurrences: 1, chainIds: ['chain-1'],
        lags: [{ from: 'restart', to: 'peer-down', lagsMs: [420], medianMs: 420, minMs: 420, maxMs: 420 }],
        pValue: null, significant: false, summary: 'restart -> peer down -> loop -> timeouts, once',
      },
    ],
    hypotheses: [
      { id: 'routing-loop-after-bgp-loss', title: 'Routing loop after BGP session loss', verdict: 'supported', score: 0.9, reasoning: 'Every timeout falls in a loop that follows a peer down.', evidence: [{ kind: 'log', file: LOG_GOBGP, line: 3, eventId: 'ev-2', text: 'Peer Down' }] },
      { id: 'cpu-throttling', title: 'CPU throttling', verdict: 'rejected', score: 0.1, reasoning: 'No throttling events.', evidence: [] },
    ],
  };
}
