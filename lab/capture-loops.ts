/**
 * Loop episodes in a capture taken on one link, measured with tshark (not with the product's reader or detector,
 * so that the two can be compared). Method, after Hengartner et al. (IMW 2002):
 *   - a replica stream is one IP packet seen 3+ times with its TTL falling at each sighting; the packet is
 *     identified by the header fields a router does not change (addresses, IP ID, protocol, ports, TCP
 *     sequence/ack/flags, ICMP type, IP length), TTL and checksum excluded;
 *   - the TTL step is the TTL drop between two sightings in the same direction (same source MAC; in a Linux
 *     cooked capture, `tcpdump -i any`, the same interface and packet type: in or out);
 *   - streams that start within 500 ms of the previous one's end are one episode.
 */
import { execFileSync } from 'node:child_process';

export interface MeasuredLoop {
  id: string;
  startUs: number;
  endUs: number;
  streams: number;
  sightings: number;
  ttlStep: number;
  maxTtl: number;
  minTtl: number;
  /** Streams whose last sighting had TTL <= 2: the packet died in the loop. */
  expired: number;
  icmpTimeExceeded: number;
  firstFrame: number;
  lastFrame: number;
}

interface Sighting {
  frame: number;
  us: number;
  /** Direction of travel: source MAC, or interface/packet type in a Linux cooked capture. */
  mac: string;
  ttl: number;
}

const FIELDS = [
  'frame.number', 'frame.time_epoch', 'eth.src', 'ip.src', 'ip.dst', 'ip.id', 'ip.proto', 'ip.len', 'ip.ttl',
  'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.flags', 'icmp.type', 'sll.ifindex', 'sll.pkttype',
];
const EPISODE_GAP_US = 500_000;
const MIN_SIGHTINGS = 3;

/** "1795595357.475326000" -> epoch microseconds, exactly (no float rounding). */
function epochUs(text: string): number {
  const [s = '0', f = ''] = text.split('.');
  return Number(s) * 1_000_000 + Number(f.padEnd(6, '0').slice(0, 6));
}

/** Every IP packet of a capture with its sightings, and the instants of ICMP time-exceeded messages. */
export interface CapturePackets {
  byPacket: Map<string, Sighting[]>;
  icmpTimeExceeded: number[];
}

export function readPackets(capture: string): CapturePackets {
  const args = ['-r', capture, '-n', '-Y', 'ip', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=f'];
  for (const f of FIELDS) args.push('-e', f);
  const text = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  const byPacket = new Map<string, Sighting[]>();
  const icmpTimeExceeded: number[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const c = line.split('\t');
    const direction = c[2] || `if${c[15] ?? ''}/${c[16] ?? ''}`;
    const s: Sighting = { frame: Number(c[0]), us: epochUs(c[1] ?? ''), mac: direction, ttl: Number(c[8]) };
    if (c[14] === '11') icmpTimeExceeded.push(s.us);
    const key = [c[3], c[4], c[5], c[6], c[7], c[9], c[10], c[11], c[12], c[13], c[14]].join('|');
    const list = byPacket.get(key);
    if (list) list.push(s);
    else byPacket.set(key, [s]);
  }
  return { byPacket, icmpTimeExceeded };
}

/**
 * Packets seen exactly twice with the TTL one lower the second time: what a capture of both sides of one
 * router (`-i any`, a span port) shows for ordinary forwarded traffic.
 */
export function forwardedTwice({ byPacket }: CapturePackets): number {
  let n = 0;
  for (const l of byPacket.values()) if (l.length === 2 && (l[0] as Sighting).ttl - (l[1] as Sighting).ttl === 1) n++;
  return n;
}

export function measureLoops({ byPacket, icmpTimeExceeded }: CapturePackets): MeasuredLoop[] {
  const streams = [...byPacket.values()]
    .filter((l) => l.length >= MIN_SIGHTINGS && l.every((s, i) => i === 0 || s.ttl < (l[i - 1] as Sighting).ttl))
    .sort((a, b) => (a[0] as Sighting).us - (b[0] as Sighting).us);

  const loops: MeasuredLoop[] = [];
  let group: Sighting[][] = [];
  let groupEnd = -Infinity;
  const flush = (): void => {
    if (group.length === 0) return;
    const all = group.flat();
    const steps = new Map<number, number>();
    for (const stream of group) {
      const lastByMac = new Map<string, number>();
      for (const s of stream) {
        const prev = lastByMac.get(s.mac);
        if (prev !== undefined) steps.set(prev - s.ttl, (steps.get(prev - s.ttl) ?? 0) + 1);
        lastByMac.set(s.mac, s.ttl);
      }
    }
    const ttlStep = [...steps.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
    const startUs = Math.min(...all.map((s) => s.us));
    const endUs = Math.max(...all.map((s) => s.us));
    loops.push({
      id: `loop-${loops.length + 1}`,
      startUs,
      endUs,
      streams: group.length,
      sightings: all.length,
      ttlStep,
      maxTtl: Math.max(...all.map((s) => s.ttl)),
      minTtl: Math.min(...all.map((s) => s.ttl)),
      expired: group.filter((st) => (st[st.length - 1] as Sighting).ttl <= 2).length,
      icmpTimeExceeded: icmpTimeExceeded.filter((t) => t >= startUs && t <= endUs + 1_000_000).length,
      firstFrame: Math.min(...all.map((s) => s.frame)),
      lastFrame: Math.max(...all.map((s) => s.frame)),
    });
    group = [];
  };
  for (const stream of streams) {
    const first = (stream[0] as Sighting).us;
    if (first > groupEnd + EPISODE_GAP_US) flush();
    group.push(stream);
    groupEnd = Math.max(groupEnd, (stream[stream.length - 1] as Sighting).us);
  }
  flush();
  return loops;
}
