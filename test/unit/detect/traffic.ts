/**
 * Synthetic traffic for the loop detector's tests: real frame bytes (built with the decoder tests' header
 * builders), decoded by the real decoder and fed to the real detector and impact tracker, in time order.
 */
import { createDecodedPacket, decodeFrame } from '../../../src/core/decode/decoder';
import { LoopDetector, SightingKind, type LoopDetectorOptions } from '../../../src/core/detect/loops';
import { ImpactTracker, type CaptureImpact } from '../../../src/core/detect/impact';
import type { LoopEpisode } from '../../../src/core/model/loops';
import { bytes, eth, ipv4, ipv6, tcp, udp } from '../decode/frames';

export const CORE = [0x02, 0, 0, 0, 0, 0x01];
export const ACCESS = [0x02, 0, 0, 0, 0, 0x02];
export const CLIENT = [0x02, 0, 0, 0, 0, 0x03];

export interface TestFrame {
  timeUs: number;
  data: Uint8Array;
  interfaceId?: number;
  /** LINKTYPE_* of the frame (default 1, Ethernet). */
  linkType?: number;
}

/** 2026-11-24T10:00:00Z in µs. */
export const T0 = Date.UTC(2026, 10, 24, 10, 0, 0) * 1000;

export interface Ipv4Packet {
  src: number[];
  dst: number[];
  id: number;
  proto?: 6 | 17;
  srcPort?: number;
  dstPort?: number;
  seq?: number;
  ack?: number;
  tcpFlags?: number;
  payload?: number[];
  vlan?: number;
}

/** Ethernet (+ optional 802.1Q) / IPv4 / TCP or UDP frame with the given MACs and TTL. */
export function ipv4Frame(p: Ipv4Packet, ttl: number, srcMac: number[], dstMac: number[]): Uint8Array {
  const payload = p.payload ?? [1, 2, 3, 4, 5, 6, 7, 8];
  const proto = p.proto ?? 6;
  const l4 = proto === 6 ? tcp(p.srcPort ?? 40000, p.dstPort ?? 80, p.seq ?? 1000, p.ack ?? 1, p.tcpFlags ?? 0x18) : udp(p.srcPort ?? 40000, p.dstPort ?? 53, payload.length);
  const ip = ipv4({ src: p.src, dst: p.dst, id: p.id, ttl, proto, payloadLen: l4.length + payload.length, df: true });
  const link = p.vlan === undefined ? eth(0x0800, dstMac, srcMac) : [...eth(0x8100, dstMac, srcMac), (p.vlan >> 8) & 15, p.vlan & 255, 0x08, 0x00];
  return bytes(link, ip, l4, payload);
}

/** Ethernet / IPv6 / UDP frame (hop limit `hlim`). */
export function ipv6Frame(src: number[], dst: number[], payload: number[], hlim: number, srcMac: number[], dstMac: number[]): Uint8Array {
  const l4 = udp(5000, 5001, payload.length);
  return bytes(eth(0x86dd, dstMac, srcMac), ipv6(17, l4.length + payload.length, hlim, src, dst), l4, payload);
}

/**
 * The sightings of one packet caught in a core <-> access loop on the link between them: it passes in
 * alternating directions, one router hop (TTL - 1) per sighting, so TTL - 2 per pass in one direction.
 */
export function loopSightings(p: Ipv4Packet, startUs: number, opts: { firstTtl?: number; lastTtl?: number; gapUs?: number; hops?: number } = {}): TestFrame[] {
  const out: TestFrame[] = [];
  const hops = opts.hops ?? 2;
  let ttl = opts.firstTtl ?? 63;
  let t = startUs;
  let towardAccess = true;
  while (ttl >= (opts.lastTtl ?? 1)) {
    out.push({ timeUs: t, data: ipv4Frame(p, ttl, towardAccess ? CORE : ACCESS, towardAccess ? ACCESS : CORE) });
    // A 2-hop loop shows both directions on the link; longer loops cross this link once per pass.
    if (hops === 2) towardAccess = !towardAccess;
    ttl -= hops === 2 ? 1 : hops;
    t += opts.gapUs ?? 100;
  }
  return out;
}

export interface RunResult {
  episodes: LoopEpisode[];
  impact: CaptureImpact;
  kinds: SightingKind[];
}

/** Decodes and feeds frames (sorted by time, numbered from 1) through detector and impact tracker. */
export function run(frames: TestFrame[], opts: LoopDetectorOptions & { stallThresholdMs?: number } = {}): RunResult {
  const sorted = [...frames].sort((a, b) => a.timeUs - b.timeUs);
  const detector = new LoopDetector('test.pcap', opts);
  const impact = new ImpactTracker('test.pcap', { stallThresholdMs: opts.stallThresholdMs ?? 200 });
  const pkt = createDecodedPacket();
  const kinds: SightingKind[] = [];
  sorted.forEach((f, i) => {
    decodeFrame(f.data, f.linkType ?? 1, pkt);
    const kind = detector.observe({ number: i + 1, section: 0, interfaceId: f.interfaceId ?? 0 }, f.timeUs, pkt, f.data);
    kinds.push(kind);
    impact.observe(detector.facts, 0, kind);
  });
  const episodes = detector.finish();
  return { episodes, impact: impact.finish(episodes), kinds };
}

/** Ordinary client traffic: `n` distinct UDP packets from one client, `gapUs` apart, seen once each. */
export function background(n: number, startUs: number, gapUs: number): TestFrame[] {
  return Array.from({ length: n }, (_, i) => ({
    timeUs: startUs + i * gapUs,
    data: ipv4Frame({ src: [10, 0, 0, 9], dst: [10, 1, 0, (i % 200) + 1], id: i & 0xffff, proto: 17, payload: [i & 255, (i >> 8) & 255, 9, 9] }, 64, CLIENT, CORE),
  }));
}
