/**
 * Writes a reproducible synthetic capture (classic pcap or pcapng) of a requested size: mixed TCP/UDP/ICMP
 * traffic over IPv4 and IPv6, part of it VLAN-tagged, seen on a core<->access link, with loop episodes inside
 * (each looped packet seen again and again, directions alternating, TTL down by 1 per sighting = 2 per direction).
 * Streams through one reusable buffer, so any size can be written in constant memory.
 */
import { openSync, writeSync, closeSync } from 'node:fs';
import { seededRandom as mulberry32 } from '../src/core/correlate/random';
import { MAC_ACCESS, MAC_CORE, writeIpv4Frame, writeIpv6Frame } from './packets';

export type CaptureKind = 'pcap' | 'pcapng';

export interface LoopTruth {
  startUs: number;
  endUs: number;
  loopedPackets: number;
  sightings: number;
}

export interface GeneratedCapture {
  path: string;
  bytes: number;
  packets: number;
  loops: LoopTruth[];
}

const START_SEC = 1_764_000_000; // 2025-11-24T16:00:00Z
const PACKET_GAP_US = 20;
const REPLICA_GAP_US = 90;
const LOOP_PREFIX = (10 << 24) | (244 << 16) | (7 << 8); // 10.244.7.0/24
const EPISODE_US = 3_000_000;
const EPISODE_EVERY_US = 10_000_000;
const NEW_TRAIN_EVERY_US = 13_000; // ~230 looped packets per 3 s episode, as measured in the lab

interface Train {
  dueUs: number;
  ttl: number;
  src: number;
  dst: number;
  id: number;
  srcPort: number;
  seq: number;
  payloadLen: number;
  payloadSeed: number;
}

/** Writes records of a pcap or pcapng through one reusable buffer. */
export class RecordWriter {
  private readonly buf = Buffer.alloc(8 << 20);
  private used = 0;
  bytes = 0;
  constructor(private readonly fd: number, private readonly kind: CaptureKind) {
    if (kind === 'pcap') {
      const h = this.buf;
      h.writeUInt32LE(0xa1b2c3d4, 0);
      h.writeUInt16LE(2, 4);
      h.writeUInt16LE(4, 6);
      h.writeUInt32LE(0, 8);
      h.writeUInt32LE(0, 12);
      h.writeUInt32LE(262144, 16);
      h.writeUInt32LE(1, 20);
      this.used = 24;
    } else {
      const h = this.buf;
      // SHB: type, length 28, BOM, version 1.0, section length -1
      h.writeUInt32LE(0x0a0d0d0a, 0);
      h.writeUInt32LE(28, 4);
      h.writeUInt32LE(0x1a2b3c4d, 8);
      h.writeUInt16LE(1, 12);
      h.writeUInt16LE(0, 14);
      h.writeInt32LE(-1, 16);
      h.writeInt32LE(-1, 20);
      h.writeUInt32LE(28, 24);
      // IDB: Ethernet, snaplen 262144, if_tsresol = 9 (ns), opt_endofopt
      h.writeUInt32LE(1, 28);
      h.writeUInt32LE(32, 32);
      h.writeUInt16LE(1, 36);
      h.writeUInt16LE(0, 38);
      h.writeUInt32LE(262144, 40);
      h.writeUInt16LE(9, 44);
      h.writeUInt16LE(1, 46);
      h.writeUInt32LE(9, 48); // value 9 + 3 pad bytes
      h.writeUInt32LE(0, 52);
      h.writeUInt32LE(32, 56);
      this.used = 60;
    }
  }

  /** Space for one frame (its bytes are written by the caller at the returned offset, then `commit`). */
  reserve(maxFrame: number): number {
    if (this.used + maxFrame + 64 > this.buf.length) this.flush();
    return this.used + (this.kind === 'pcap' ? 16 : 28);
  }

  get buffer(): Buffer {
    return this.buf;
  }

  commit(frameLen: number, timeUs: number): void {
    const b = this.buf;
    const at = this.used;
    if (this.kind === 'pcap') {
      const sec = Math.floor(timeUs / 1e6);
      b.writeUInt32LE(sec, at);
      b.writeUInt32LE(timeUs - sec * 1e6, at + 4);
      b.writeUInt32LE(frameLen, at + 8);
      b.writeUInt32LE(frameLen, at + 12);
      this.used = at + 16 + frameLen;
    } else {
      const padded = (frameLen + 3) & ~3;
      const total = 32 + padded;
      const ns = BigInt(timeUs) * 1000n;
      b.writeUInt32LE(6, at);
      b.writeUInt32LE(total, at + 4);
      b.writeUInt32LE(0, at + 8);
      b.writeUInt32LE(Number(ns >> 32n), at + 12);
      b.writeUInt32LE(Number(ns & 0xffffffffn), at + 16);
      b.writeUInt32LE(frameLen, at + 20);
      b.writeUInt32LE(frameLen, at + 24);
      b.fill(0, at + 28 + frameLen, at + 28 + padded);
      b.writeUInt32LE(total, at + 28 + padded);
      this.used = at + total;
    }
  }

  get size(): number {
    return this.bytes + this.used;
  }

  flush(): void {
    let off = 0;
    while (off < this.used) off += writeSync(this.fd, this.buf, off, this.used - off);
    this.bytes += this.used;
    this.used = 0;
  }
}

export function generateCapture(path: string, kind: CaptureKind, targetBytes: number, seed: number): GeneratedCapture {
  const rnd = mulberry32(seed);
  const fd = openSync(path, 'w');
  const w = new RecordWriter(fd, kind);
  const loops: LoopTruth[] = [];
  const trains: Train[] = []; // FIFO: every train has the same period, so due times stay sorted
  let head = 0;
  let nowUs = START_SEC * 1e6;
  let packets = 0;
  let ipId = 1;
  // Episodes by simulated time: the first after 1 s, then one every EPISODE_EVERY_US (about 4 per GB).
  let nextEpisodeUs = nowUs + 1_000_000;
  let episode: LoopTruth | null = null;
  const writeNormalPacket = makeNormalTraffic(rnd);
  let nextTrainUs = 0;

  const emitTrainSighting = (t: Train): void => {
    // Odd TTLs travel core -> access, even ones access -> core: two interleaved ladders of step 2.
    const toAccess = (t.ttl & 1) === 1;
    const at = w.reserve(1600);
    const len = writeIpv4Frame(w.buffer, at, {
      srcMac: toAccess ? MAC_CORE : MAC_ACCESS,
      dstMac: toAccess ? MAC_ACCESS : MAC_CORE,
      vlan: 0,
      src: t.src,
      dst: t.dst,
      proto: 6,
      id: t.id,
      ttl: t.ttl,
      srcPort: t.srcPort,
      dstPort: 80,
      seq: t.seq,
      payloadLen: t.payloadLen,
      payloadSeed: t.payloadSeed,
    });
    w.commit(len, t.dueUs);
    packets++;
    if (episode) {
      episode.sightings++;
      episode.endUs = Math.max(episode.endUs, t.dueUs);
    }
  };

  while (w.size < targetBytes || head < trains.length) {
    // Replicas that are due go first, in time order with normal traffic.
    while (head < trains.length && trains[head].dueUs <= nowUs) {
      const t = trains[head++];
      emitTrainSighting(t);
      if (t.ttl > 1) {
        t.ttl -= 1;
        t.dueUs += REPLICA_GAP_US;
        trains.push(t);
      }
    }
    if (head > 4096) {
      trains.splice(0, head);
      head = 0;
    }
    if (!episode && nowUs >= nextEpisodeUs && w.size < targetBytes) {
      episode = { startUs: nowUs, endUs: nowUs, loopedPackets: 0, sightings: 0 };
      loops.push(episode);
      nextTrainUs = nowUs;
      nextEpisodeUs = nowUs + EPISODE_EVERY_US;
    }
    if (episode && nowUs >= nextTrainUs && nowUs < episode.startUs + EPISODE_US) {
      trains.push({
        dueUs: nowUs,
        ttl: 63,
        src: (10 << 24) | (1 << 16) | Math.floor(rnd() * 65536),
        dst: LOOP_PREFIX | (1 + Math.floor(rnd() * 250)),
        id: ipId++ & 0xffff,
        srcPort: 32768 + Math.floor(rnd() * 28000),
        seq: Math.floor(rnd() * 2 ** 32),
        payloadLen: 40 + Math.floor(rnd() * 400),
        payloadSeed: Math.floor(rnd() * 2 ** 31),
      });
      episode.loopedPackets++;
      nextTrainUs = nowUs + NEW_TRAIN_EVERY_US;
    }
    if (episode && nowUs >= episode.startUs + EPISODE_US && head >= trains.length) episode = null;
    if (w.size >= targetBytes) {
      nowUs += REPLICA_GAP_US;
      continue;
    }
    writeNormalPacket(w, nowUs, ipId++);
    packets++;
    nowUs += 1 + Math.floor(rnd() * 2 * PACKET_GAP_US);
  }
  w.flush();
  closeSync(fd);
  return { path, bytes: w.bytes, packets, loops };
}

interface Flow {
  client: number;
  pod: number;
  port: number;
  v6: boolean;
  proto: 6 | 17 | 1;
  vlan: number;
  seqUp: number;
  seqDown: number;
}

const FLOWS = 3000;

function newFlow(rnd: () => number): Flow {
  const r = rnd();
  return {
    client: (10 << 24) | (1 << 16) | Math.floor(rnd() * 4096),
    pod: (10 << 24) | (244 << 16) | (Math.floor(rnd() * 6) << 8) | (1 + Math.floor(rnd() * 250)),
    port: 32768 + Math.floor(rnd() * 28000),
    v6: r < 0.12,
    proto: r < 0.8 ? 6 : r < 0.98 ? 17 : 1,
    vlan: rnd() < 0.25 ? 100 : 0,
    seqUp: Math.floor(rnd() * 2 ** 32),
    seqDown: Math.floor(rnd() * 2 ** 32),
  };
}

/** Ordinary traffic: a pool of long-lived flows whose sequence numbers advance, some flows ending and new ones starting. */
function makeNormalTraffic(rnd: () => number): (w: RecordWriter, timeUs: number, id: number) => void {
  const flows: Flow[] = Array.from({ length: FLOWS }, () => newFlow(rnd));
  return (w, timeUs, id) => {
    const slot = Math.floor(rnd() * FLOWS);
    if (rnd() < 0.001) flows[slot] = newFlow(rnd);
    const f = flows[slot];
    const at = w.reserve(1600);
    const toPod = rnd() < 0.5;
    const payloadLen = f.proto === 1 ? 56 : rnd() < 0.4 ? 0 : Math.floor(rnd() * 1400);
    const seq = toPod ? f.seqUp : f.seqDown;
    if (toPod) f.seqUp = (f.seqUp + payloadLen) >>> 0;
    else f.seqDown = (f.seqDown + payloadLen) >>> 0;
    const srcMac = toPod ? MAC_CORE : MAC_ACCESS;
    const dstMac = toPod ? MAC_ACCESS : MAC_CORE;
    const srcPort = f.proto === 17 ? f.port : toPod ? f.port : 80;
    const dstPort = f.proto === 17 ? 53 : toPod ? 80 : f.port;
    const len = f.v6
      ? writeIpv6Frame(w.buffer, at, {
          srcMac, dstMac, vlan: f.vlan,
          srcLow: toPod ? f.client : f.pod,
          dstLow: toPod ? f.pod : f.client,
          proto: f.proto === 1 ? 58 : f.proto,
          hopLimit: toPod ? 63 : 62,
          srcPort, dstPort, seq, payloadLen, payloadSeed: id,
        })
      : writeIpv4Frame(w.buffer, at, {
          srcMac, dstMac, vlan: f.vlan,
          src: toPod ? f.client : f.pod,
          dst: toPod ? f.pod : f.client,
          proto: f.proto, id, ttl: toPod ? 63 : 62,
          srcPort, dstPort, seq, payloadLen, payloadSeed: id,
        });
    w.commit(len, timeUs);
  };
}
