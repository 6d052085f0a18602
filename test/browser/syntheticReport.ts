/**
 * A Report shaped like the incident, generated from a seed, for the webview's browser test and benchmark:
 * loop episodes between core and access (TTL 63, 61, ... one way, 62, 60, ... the other, ~150 µs per pass),
 * kube-router restarts, BGP peer down/up, client timeouts, CPU throttling samples, TCP stalls and the chains
 * linking them. Some log messages and host names carry HTML/script on purpose: the page must show them as text.
 * The numbers are made up; the shapes follow src/core/model.
 */
import {
  REPORT_SCHEMA_VERSION,
  isoFromMicros,
  type Chain,
  type Evidence,
  type EventKind,
  type LogEvent,
  type LoopEpisode,
  type Report,
  type ReplicaStream,
  type TcpStall,
} from '../../src/core/model';
import { seededRandom as mulberry32 } from '../../src/core/correlate/random';

export interface SyntheticOptions {
  seed?: number;
  episodes: number;
  /** Looped packets per episode; each is seen ~62 times. */
  streamsPerEpisode: number;
  /** Log events in total (restarts, BGP, timeouts, throttling, noise). */
  events: number;
}

export const HOSTILE_MESSAGE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> & </pre>';
export const HOSTILE_HOST = '<b onmouseover="window.__pwned=3">node-evil</b>';

const T0_US = Date.UTC(2026, 10, 24, 10, 0, 0) * 1000;
const MACS: [string, string] = ['02:00:00:00:0c:01', '02:00:00:00:0a:01'];

function episode(rand: () => number, index: number, startUs: number, streams: number): LoopEpisode {
  const durationUs = 2_500_000 + Math.floor(rand() * 1_000_000);
  const timeUs: number[] = [];
  const ttl: number[] = [];
  const frame: number[] = [];
  const stream: number[] = [];
  const direction: number[] = [];
  const list: ReplicaStream[] = [];
  const perPass = 150;
  let frameNo = 1000 + index * 100_000;
  const bySighting: { t: number; ttl: number; s: number; d: number }[] = [];
  for (let s = 0; s < streams; s++) {
    const first = startUs + Math.floor(rand() * (durationUs - 63 * perPass));
    const firstTtl = 63;
    let t = first;
    let n = 0;
    for (let k = firstTtl; k >= 1; k--) {
      bySighting.push({ t, ttl: k, s, d: (firstTtl - k) % 2 });
      t += perPass + Math.floor(rand() * 40);
      n++;
    }
    list.push({
      src: `10.0.0.${(s % 250) + 2}`,
      dst: `10.244.1.${(s % 200) + 10}`,
      protocol: 6,
      ipId: (s * 7919 + index * 31) & 0xffff,
      vlan: null,
      firstTtl,
      lastTtl: 1,
      sightings: n,
      firstFrame: 0,
      lastFrame: 0,
      start: isoFromMicros(first),
      end: isoFromMicros(t),
      srcPort: 40000 + s,
      dstPort: 80,
    });
  }
  bySighting.sort((a, b) => a.t - b.t);
  for (const x of bySighting) {
    timeUs.push(x.t);
    ttl.push(x.ttl);
    frame.push(frameNo);
    stream.push(x.s);
    direction.push(x.d);
    const st = list[x.s]!;
    if (!st.firstFrame) st.firstFrame = frameNo;
    st.lastFrame = frameNo;
    frameNo++;
  }
  const endUs = timeUs.length ? timeUs[timeUs.length - 1]! : startUs + durationUs;
  const half = Math.ceil(timeUs.length / 2);
  return {
    id: `loop-${index + 1}`,
    capture: 'captures/core-access.pcapng',
    start: isoFromMicros(startUs),
    end: isoFromMicros(endUs),
    startUs,
    endUs,
    durationMs: (endUs - startUs) / 1000,
    ttlStep: 2,
    macPairs: [
      { srcMac: MACS[0], dstMac: MACS[1], sightings: half },
      { srcMac: MACS[1], dstMac: MACS[0], sightings: timeUs.length - half },
    ],
    routers: ['10.0.12.1', '10.0.12.2'],
    vlan: null,
    destinationPrefixes: ['10.244.1.0/24'],
    destinations: Math.min(streams, 200),
    sources: Math.min(streams, 250),
    loopedPackets: streams,
    sightings: timeUs.length,
    maxReplicas: 63,
    icmpTimeExceeded: 3,
    firstFrame: frame[0] ?? 0,
    lastFrame: frame[frame.length - 1] ?? 0,
    streams: list,
    streamsTotal: streams,
    ladder: { timeUs, ttl, frame, stream, direction, truncated: false },
    impact: { flowsHurt: streams, clientsHurt: 12, packetsLost: streams, retransmissions: streams * 2, stalls: 3, longestStallMs: 2100 },
  };
}

export function syntheticReport(o: SyntheticOptions): Report {
  const rand = mulberry32(o.seed ?? 7);
  const gapUs = 60_000_000;
  const loops: LoopEpisode[] = [];
  for (let i = 0; i < o.episodes; i++) loops.push(episode(rand, i, T0_US + 5_000_000 + i * gapUs + 1_200_000, o.streamsPerEpisode));
  const spanUs = Math.max(1, o.episodes) * gapUs;
  const raw: Omit<LogEvent, 'id'>[] = [];
  const line = new Map<string, number>();
  const add = (kind: EventKind, timeUs: number, file: string, extra: Partial<LogEvent>, message: string): Omit<LogEvent, 'id'> => {
    const n = (line.get(file) ?? 0) + 1;
    line.set(file, n);
    return raw[raw.push({
      kind,
      time: isoFromMicros(timeUs),
      timeUs,
      timeText: isoFromMicros(timeUs),
      source: { file, line: n, byteOffset: n * 120, format: 'gobgp-text' },
      severity: kind === 'bgp-peer-down' ? 'warning' : 'info',
      message,
      ...extra,
    }) - 1]!;
  };
  /** Chain steps point at their log events; ids are known once the events are sorted. */
  const evidenceOf = new Map<Omit<LogEvent, 'id'>, Evidence[]>();
  const chains: Chain[] = [];
  // The incident: per episode, kube-router restarts on a node, the access router's peer goes down, the loop opens.
  loops.forEach((l, i) => {
    const node = `node-${(i % 4) + 1}`;
    const restart = l.startUs - 1_200_000;
    const down = l.startUs - 200_000;
    const restartEvent = add('process-restart', restart, `logs/${node}/kube-router.log`, { host: node, process: 'kube-router' }, 'Starting kube-router v2.1.0');
    const downEvent = add('bgp-peer-down', down, 'logs/access/frr.log', { host: 'access', process: 'bgpd', peer: `10.0.3.${i % 4 + 2}` }, `%ADJCHANGE: neighbor 10.0.3.${i % 4 + 2} Down`);
    add('bgp-peer-up', l.endUs + 300_000, 'logs/access/frr.log', { host: 'access', process: 'bgpd', peer: `10.0.3.${i % 4 + 2}` }, `%ADJCHANGE: neighbor 10.0.3.${i % 4 + 2} Up`);
    chains.push({
      id: `chain-${i + 1}`,
      subject: `kube-router on ${node}`,
      start: isoFromMicros(restart),
      end: isoFromMicros(l.endUs),
      summary: `kube-router restarted on ${node}; BGP peer down; loop ${l.id}`,
      steps: [
        { kind: 'restart', time: isoFromMicros(restart), timeUs: restart, lagMs: 0, summary: 'restart', evidence: [] },
        { kind: 'peer-down', time: isoFromMicros(down), timeUs: down, lagMs: (down - restart) / 1000, summary: 'peer down', evidence: [] },
        { kind: 'loop', time: l.start, timeUs: l.startUs, lagMs: (l.startUs - down) / 1000, summary: l.id, evidence: [] },
        { kind: 'timeouts', time: isoFromMicros(l.startUs + 1_000_000), timeUs: l.startUs + 1_000_000, lagMs: 1000, summary: 'timeouts', evidence: [] },
      ],
    });
    evidenceOf.set(restartEvent, chains.at(-1)!.steps[0]!.evidence);
    evidenceOf.set(downEvent, chains.at(-1)!.steps[1]!.evidence);
  });
  // The rest: client timeouts clustered in the loops, throttling samples, ordinary noise from several sources.
  const sources = ['kubelet', 'containerd', 'app', 'kube-proxy'];
  const hosts = ['node-1', 'node-2', 'node-3', 'node-4', 'core', HOSTILE_HOST];
  while (raw.length < o.events) {
    const r = rand();
    const host = hosts[Math.floor(rand() * hosts.length)]!;
    if (r < 0.5 && loops.length) {
      const l = loops[Math.floor(rand() * loops.length)]!;
      add('request-timeout', l.startUs + rand() * 12_000_000, 'logs/client/app.log', { host: 'client', process: 'client', latencyMs: 10_000 }, 'GET /api timed out after 10000 ms');
    } else if (r < 0.6) {
      add('cpu-throttled', T0_US + rand() * spanUs, `logs/${host}/cadvisor.log`, { host, process: 'cadvisor', throttledMs: rand() * 80 }, 'container_cpu_cfs_throttled_periods_total');
    } else {
      const process = sources[Math.floor(rand() * sources.length)]!;
      add(rand() < 0.02 ? 'probe-failed' : 'other', T0_US + rand() * spanUs, `logs/${host}/${process}.log`, { host, process }, rand() < 0.01 ? HOSTILE_MESSAGE : `${process}: routine line ${raw.length}`);
    }
  }
  raw.sort((a, b) => a.timeUs - b.timeUs);
  const events: LogEvent[] = raw.map((e, i) => ({ id: `ev-${i + 1}`, ...e }));
  raw.forEach((e, i) => {
    evidenceOf.get(e)?.push({ kind: 'log', file: e.source.file, line: e.source.line, eventId: `ev-${i + 1}`, text: e.message });
  });
  // Ensure at least one hostile message exists regardless of the draw.
  const hostile = events.find((e) => e.kind === 'other');
  if (hostile) hostile.message = HOSTILE_MESSAGE;
  const stalls: TcpStall[] = loops.map((l) => ({
    flow: '10.0.0.9:5555 -> 10.244.1.10:80',
    capture: l.capture,
    start: l.start,
    end: isoFromMicros(l.startUs + 2_100_000),
    startUs: l.startUs,
    durationMs: 2100,
    loops: [l.id],
    firstFrame: l.firstFrame,
  }));
  const files = new Set(events.map((e) => e.source.file));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'incident-lens', version: '0.0.0-synthetic' },
    generatedAt: isoFromMicros(T0_US + spanUs),
    inputs: [
      { kind: 'capture', path: 'captures/core-access.pcapng', format: 'pcapng', sizeBytes: 1, packets: 1, linkTypes: [1], firstTime: null, lastTime: null, problems: [] },
      ...[...files].map((path) => ({ kind: 'log' as const, path, format: 'gobgp-text', sizeBytes: 1, lines: 1, events: 1, ignoredLines: 0, timeZone: 'UTC', clockOffsetMs: 0, problems: [] })),
    ],
    loops,
    impact: { tcpFlows: 1, retransmissions: 1, stalls, flows: [], flowsTotal: 0, icmpTimeExceeded: loops.length * 3, stallThresholdMs: 200 },
    events,
    chains,
    patterns: [],
    hypotheses: [],
  };
}
