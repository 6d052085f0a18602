/**
 * Builds LogEvents, loop episodes and impact the way the pipeline produces them from the lab's real files
 * (kubelet klog, FRR bgpd %ADJCHANGE with microsecond stamps, the client's request log, cgroup cpu.stat samples),
 * with the timings measured in the lab (../shared/NOTES.md): the peer goes down 0.1-1 s after a restart, the
 * loop starts ~0.1 s later and lasts ~3 s with ~230 packets, clients time out for 10-14 s.
 */
import type { Impact, InputSummary, LogEvent, LoopEpisode, TcpStall } from '../../../src/core/model/index';
import { isoFromMicros } from '../../../src/core/model/time';

export const T0 = Date.UTC(2026, 10, 24, 10, 0, 0) * 1000; // 2026-11-24T10:00:00Z in µs
export const s = (seconds: number) => Math.round(T0 + seconds * 1e6);

let lineNo: Record<string, number> = {};
let nextId = 1;

export function reset(): void {
  lineNo = {};
  nextId = 1;
}

/** "10:00:01.612345" style stamp text for a line (FRR with precision 6, klog). */
function stampText(us: number, digits: number): string {
  const iso = isoFromMicros(us);
  const [date, rest] = iso.split('T') as [string, string];
  const [hms, frac = ''] = rest.replace('Z', '').split('.');
  return digits ? `${date.replace(/-/g, '/')} ${hms}.${frac.padEnd(6, '0').slice(0, digits)}` : `${date.replace(/-/g, '/')} ${hms}`;
}

export function event(file: string, fields: Partial<LogEvent> & Pick<LogEvent, 'kind' | 'timeUs' | 'message'>, digits = 6): LogEvent {
  lineNo[file] = (lineNo[file] ?? 0) + 1;
  const timeUs = digits ? fields.timeUs : Math.floor(fields.timeUs / 1e6) * 1e6;
  return {
    id: `ev-${nextId++}`,
    time: isoFromMicros(timeUs),
    timeText: stampText(timeUs, digits),
    severity: 'info',
    source: { file, line: lineNo[file]!, byteOffset: 0, format: 'test' },
    ...fields,
    timeUs,
  };
}

function kubelet(t: number, node: string, pod: string, message: string): LogEvent {
  return event(`logs/${node}-kubelet.log`, {
    kind: 'container-restart',
    timeUs: t,
    host: node,
    pod,
    container: 'kube-router',
    process: 'kubelet',
    message,
  });
}

/** kubelet: "Killing container with a grace period" for the kube-router container on a node. */
export function kubeletKill(t: number, node = 'node-1', pod = 'kube-router-x7k2p'): LogEvent {
  return kubelet(t, node, pod, `"Killing container with a grace period" pod="kube-system/${pod}" containerName="kube-router" gracePeriod=30`);
}

export function kubeletStarted(t: number, node = 'node-1', pod = 'kube-router-x7k2p'): LogEvent {
  return kubelet(t, node, pod, `Started container kube-router pod="kube-system/${pod}"`);
}

/** FRR bgpd on the access router: "%ADJCHANGE: neighbor 10.0.23.2(Unknown) in vrf default Down ...". */
export function frrPeer(t: number, peer: string, up: boolean, digits = 6, host?: string): LogEvent {
  return event(
    'logs/access-bgpd.log',
    {
      kind: up ? 'bgp-peer-up' : 'bgp-peer-down',
      timeUs: t,
      peer,
      peerAs: 64512,
      process: 'bgpd',
      ...(host ? { host } : {}),
      message: up
        ? `%ADJCHANGE: neighbor ${peer}(Unknown) in vrf default Up`
        : `%ADJCHANGE: neighbor ${peer}(Unknown) in vrf default Down Peer closed the session`,
    },
    digits,
  );
}

/** The client's request log: a timeout is logged when it expires, with the timeout as latency. */
export function clientTimeout(t: number, timeoutMs = 1000): LogEvent {
  return event('logs/client.log', {
    kind: 'request-timeout',
    timeUs: t,
    latencyMs: timeoutMs,
    host: 'client',
    message: `GET http://10.244.1.10:8080/ timed out after ${timeoutMs} ms`,
  });
}

export function clientSlow(t: number, latencyMs: number): LogEvent {
  return event('logs/client.log', {
    kind: 'slow-response',
    timeUs: t,
    latencyMs,
    host: 'client',
    message: `GET http://10.244.1.10:8080/ 200 in ${latencyMs} ms`,
  });
}

/** One cgroup cpu.stat delta for the pod (nr_throttled increase over the sampling interval). */
export function throttled(t: number, periods: number): LogEvent {
  return event('logs/cpu.stat.log', {
    kind: 'cpu-throttled',
    timeUs: t,
    pod: 'web-5d8f',
    throttledPeriods: periods,
    throttledMs: periods * 4,
    message: `nr_throttled +${periods}`,
  });
}

let loopNo = 0;
/** A core<->access loop episode for the pod CIDR as the detector reports it. */
export function loop(start: number, durationS = 3.1, packets = 229, prefixes = ['10.244.1.0/24']): LoopEpisode {
  loopNo++;
  const end = start + Math.round(durationS * 1e6);
  const firstFrame = loopNo * 10_000;
  return {
    id: `loop-${loopNo}`,
    capture: 'captures/core-access.pcapng',
    start: isoFromMicros(start),
    end: isoFromMicros(end),
    startUs: start,
    endUs: end,
    durationMs: (end - start) / 1000,
    ttlStep: 2,
    macPairs: [
      { srcMac: '02:00:00:00:12:01', dstMac: '02:00:00:00:12:02', sightings: packets * 31 },
      { srcMac: '02:00:00:00:12:02', dstMac: '02:00:00:00:12:01', sightings: packets * 31 },
    ],
    routers: ['10.0.12.1', '10.0.12.2'],
    vlan: null,
    destinationPrefixes: prefixes,
    destinations: 1,
    sources: 1,
    loopedPackets: packets,
    sightings: packets * 62,
    maxReplicas: 63,
    icmpTimeExceeded: 3,
    firstFrame,
    lastFrame: firstFrame + packets * 62,
    streams: [],
    streamsTotal: packets,
    ladder: { timeUs: [], ttl: [], frame: [], stream: [], direction: [], truncated: false },
    impact: { flowsHurt: 1, clientsHurt: 1, packetsLost: packets, retransmissions: 20, stalls: 1, longestStallMs: 3000 },
  };
}

export function stall(start: number, durationMs: number, loops: string[] = []): TcpStall {
  return {
    flow: '10.0.1.2:40000 -> 10.244.1.10:8080',
    capture: 'captures/client.pcap',
    start: isoFromMicros(start),
    end: isoFromMicros(start + durationMs * 1000),
    startUs: start,
    durationMs,
    loops,
    firstFrame: 500,
  };
}

export function impact(stalls: TcpStall[] = []): Impact {
  return { tcpFlows: 1, retransmissions: 0, stalls, flows: [], flowsTotal: 0, icmpTimeExceeded: 0, stallThresholdMs: 200 };
}

export function capture(fromS: number, toS: number, path = 'captures/core-access.pcapng'): InputSummary {
  return {
    kind: 'capture',
    path,
    format: 'pcapng',
    sizeBytes: 1,
    packets: 1,
    linkTypes: [1],
    firstTime: isoFromMicros(s(fromS)),
    lastTime: isoFromMicros(s(toS)),
    problems: [],
  };
}

/** Requests every 20 ms that time out (1 s timeout) for the whole outage [fromS, toS]. */
export function outage(fromS: number, toS: number): LogEvent[] {
  const out: LogEvent[] = [];
  for (let t = fromS; t <= toS; t += 0.02) out.push(clientTimeout(s(t + 1)));
  return out;
}

export interface Restart {
  /** seconds after T0 when kubelet kills the container */
  at: number;
  peerDownLag?: number;
  loopLag?: number;
  loopS?: number;
  node?: string;
  peer?: string;
  noLoop?: boolean;
  /** How long requests keep failing after the session drops (s, default 11: the lab's 10-14 s outages). */
  outageS?: number;
}

/** The incident, as the lab makes it: restart -> peer down -> loop -> client timeouts -> peer up. */
export function lab(restarts: Restart[]): { events: LogEvent[]; loops: LoopEpisode[]; stalls: TcpStall[] } {
  const events: LogEvent[] = [];
  const loops: LoopEpisode[] = [];
  const stalls: TcpStall[] = [];
  for (const r of restarts) {
    const down = r.at + (r.peerDownLag ?? 0.412);
    const loopStart = down + (r.loopLag ?? 0.1);
    events.push(kubeletKill(s(r.at), r.node), kubeletStarted(s(r.at + 1.5), r.node));
    events.push(frrPeer(s(down), r.peer ?? '10.0.23.2', false));
    if (!r.noLoop) {
      const l = loop(s(loopStart), r.loopS ?? 3.1);
      loops.push(l);
      stalls.push(stall(s(loopStart + 0.05), 11_000, [l.id]));
    } else stalls.push(stall(s(down + 0.05), 11_000));
    // As measured in the lab: the first request that fails was sent just before the loop began (0.5 ms).
    const outageS = r.outageS ?? 11;
    events.push(...outage(r.noLoop ? down + 0.05 : loopStart - 0.0005, down + outageS));
    events.push(frrPeer(s(down + Math.min(outageS + 0.2, 11.2)), r.peer ?? '10.0.23.2', true));
  }
  return { events: events.sort((a, b) => a.timeUs - b.timeUs), loops, stalls };
}
