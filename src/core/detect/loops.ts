/**
 * Routing-loop detection over one capture, packet by packet (after Hengartner et al., "Detection and analysis
 * of routing loops in packet traces", IMW 2002): the same IP packet seen again with a lower TTL is a replica;
 * the replicas of one packet form a replica stream; a stream that crossed the same link in the same direction
 * with its TTL lower by >= 2 is a loop; overlapping loop streams become one loop episode.
 *
 * Memory is fixed by the options, not by the capture: recent packets live in a fixed-size table
 * (ReplicaTable), an open stream holds at most 255 sightings (TTL strictly decreases) and is closed once
 * `streamGapMs` passes without a new sighting; episodes keep bounded samples.
 */
import type { DecodedPacket, IpLayer } from '../decode/types';
import type { LoopEpisode } from '../model/loops';
import { ipv4Text, ipv6TextAt } from '../decode/text';
import { ipv4Prefix24, ipv6Prefix64 } from './addressText';
import { DirectionTable } from './directions';
import { EpisodeBuilder, type TimeExceededSighting } from './episodes';
import { createReplicaKey, isGroupAddressed, replicaKeyOf } from './replicaKey';
import { judgeStream, ReplicaStreamDraft, type PacketFacts } from './replicaStream';
import { NO_SLOT, NO_STREAM, ReplicaTable } from './replicaTable';
import { isTimeExceededInTransit, quotedDestination } from './timeExceeded';

export interface LoopDetectorOptions {
  /** Longest pause between two sightings of one looped packet, ms (default 1000). */
  streamGapMs?: number;
  /**
   * Streams further apart than this are separate episodes even when they share routers, ms (default 500: the
   * lab's own measure of loops uses the same, see lab/capture-loops.ts).
   */
  episodeGapMs?: number;
  /** The recent-packet table holds 2^n packets (default 18 = 262,144: a 1 MB index and a 16 MB ring; from 4 to 22). */
  tableSlotsLog2?: number;
  /** Sightings listed per episode in its ladder (default 200,000). */
  maxLadderSightings?: number;
  /** Streams listed per episode (default 1,000, the longest). */
  maxStreamsPerEpisode?: number;
}

/** What one packet was, as far as loops go (impact analysis ignores replicas and copies). */
export const SightingKind = {
  /** Not an IP packet the detector can identify (or multicast/broadcast). */
  Ignored: 0,
  /** First time this packet is seen (or a new instance after a pause or a higher TTL). */
  First: 1,
  /** Seen before with a higher TTL: the packet came round again. */
  Replica: 2,
  /** Seen just before (within DUPLICATE_WINDOW_US) with the same TTL: a copy made by the capture setup. */
  Duplicate: 3,
} as const;
export type SightingKind = (typeof SightingKind)[keyof typeof SightingKind];

/** Where a frame sits in its capture (the fields of capture/types Frame the detector needs). */
export interface FramePlace {
  number: number;
  section: number;
  interfaceId: number;
}

const SWEEP_EVERY_PACKETS = 4096;
/**
 * Same TTL within this long is a copy made by the capture (two taps, a bridge and its port); later, an identical
 * resend (some stacks reuse the IP ID), which impact analysis must count as a retransmission.
 */
const DUPLICATE_WINDOW_US = 1000;
/** A sighting this close behind a lower-TTL one may be reordered by merging interfaces (see addLate). */
const REORDER_WINDOW_US = 10_000;
const MAX_TIME_EXCEEDED_KEPT = 100_000;
const MAX_ROUTER_MACS = 4096;
const MAX_ADDRESSES_PER_ROUTER_MAC = 8;
const BGP_PORT = 179;
const OSPF_PROTO = 89;

export class LoopDetector {
  private readonly gapUs: number;
  private readonly table: ReplicaTable;
  private readonly directions = new DirectionTable();
  private readonly builder: EpisodeBuilder;
  private readonly open = new Map<number, { draft: ReplicaStreamDraft; slot: number }>();
  private nextStreamId = 0;
  private readonly key = createReplicaKey();
  private readonly timeExceeded: TimeExceededSighting[] = [];
  private readonly routerAddressesByMac = new Map<number, Set<string>>();
  private packets = 0;
  private nowUs = 0;
  /** ICMP time-exceeded messages seen (all, including those beyond the kept sample). */
  timeExceededTotal = 0;

  constructor(private readonly capture: string, opts: LoopDetectorOptions = {}) {
    this.gapUs = (opts.streamGapMs ?? 1000) * 1000;
    this.table = new ReplicaTable(opts.tableSlotsLog2 ?? 18);
    this.builder = new EpisodeBuilder((opts.episodeGapMs ?? 500) * 1000, {
      maxLadderSightings: opts.maxLadderSightings ?? 200_000,
      maxStreams: opts.maxStreamsPerEpisode ?? 1000,
    });
  }

  /** Feeds one decoded packet (frame bytes in `data`, time in µs since the epoch). Returns what it was. */
  observe(place: FramePlace, timeUs: number, pkt: DecodedPacket, data: Uint8Array): SightingKind {
    this.nowUs = timeUs;
    if (++this.packets % SWEEP_EVERY_PACKETS === 0) this.sweep();
    if (pkt.innerIp < 0) return SightingKind.Ignored;
    const inner = pkt.ipLayers[pkt.innerIp]!;
    this.noteRouterTraffic(pkt, data, inner, timeUs);
    if (isGroupAddressed(pkt, data, inner)) return SightingKind.Ignored;
    const dir = this.directions.idOf(pkt, data, pkt.innerIp, place.section, place.interfaceId);
    let kind = this.sightLayer(pkt, data, pkt.innerIp, timeUs, place.number, dir);
    // A loop in a tunnel's underlay steps the outer TTL and leaves the inner one alone: watch both.
    if (pkt.innerIp > 0 && !pkt.ipLayers[0]!.quoted) {
      const outerDir = this.directions.idOf(pkt, data, 0, place.section, place.interfaceId);
      const outer = this.sightLayer(pkt, data, 0, timeUs, place.number, outerDir);
      if (outer === SightingKind.Replica) kind = outer;
    }
    return kind;
  }

  /** Closes every open stream and returns the episodes (ids empty: the caller numbers them across captures). */
  finish(): LoopEpisode[] {
    for (const [id] of this.open) this.close(id);
    return this.builder.finish({
      capture: this.capture,
      directions: this.directions,
      timeExceeded: this.timeExceeded,
      routerAddressesByMac: this.routerAddressesByMac,
      gapUs: this.gapUs,
    });
  }

  private sightLayer(pkt: DecodedPacket, data: Uint8Array, layer: number, timeUs: number, frame: number, dir: number): SightingKind {
    const k = this.key;
    if (!replicaKeyOf(pkt, data, layer, k)) return SightingKind.Ignored;
    const t = this.table;
    let slot = t.find(k.h1, k.h2);
    if (slot === NO_SLOT) {
      slot = t.victim(k.h1, timeUs, this.gapUs);
      if (t.isUsed(slot)) this.release(slot);
      t.start(slot, k.h1, k.h2, timeUs, k.ttl, frame, dir);
      return SightingKind.First;
    }
    const last = t.lastTtl(slot);
    const since = timeUs - t.lastUs(slot);
    if (k.ttl === last && since <= DUPLICATE_WINDOW_US) return SightingKind.Duplicate;
    const sid = t.stream(slot);
    if (sid !== NO_STREAM && k.ttl > last && k.ttl < t.firstTtl(slot) && since <= REORDER_WINDOW_US) {
      // Between TTLs already seen, microseconds late: frames of two capture interfaces merged slightly out of
      // order, not a resend (which would start again from the sender's TTL).
      const added = this.open.get(sid)!.draft.addLate(timeUs, k.ttl, frame, dir);
      if (added) t.setLastUs(slot, timeUs);
      return added ? SightingKind.Replica : SightingKind.Duplicate;
    }
    if (since > this.gapUs || k.ttl >= last) {
      // A pause longer than any loop pass, or the TTL back up: a new instance of an identical packet (a resend).
      this.release(slot);
      t.start(slot, k.h1, k.h2, timeUs, k.ttl, frame, dir);
      return SightingKind.First;
    }
    if (sid !== NO_STREAM) {
      t.extend(slot, timeUs, k.ttl, frame, dir);
      this.open.get(sid)!.draft.add(timeUs, k.ttl, frame, dir);
    } else if (t.count(slot) === 1) {
      // Second sighting: a stream opens only if it already looks like a loop (same direction, TTL down >= 2);
      // a span port's TTL - 1 copy in the other direction stays in the table and costs nothing.
      t.extend(slot, timeUs, k.ttl, frame, dir);
      if (dir === t.firstDir(slot) && t.firstTtl(slot) - k.ttl >= 2) this.openStream(slot, pkt, data, layer);
    } else {
      this.openStream(slot, pkt, data, layer);
      t.extend(slot, timeUs, k.ttl, frame, dir);
      this.open.get(t.stream(slot))!.draft.add(timeUs, k.ttl, frame, dir);
    }
    return SightingKind.Replica;
  }

  /** Promotes the table slot's first (and last, when different) sighting into a stream draft. */
  private openStream(slot: number, pkt: DecodedPacket, data: Uint8Array, layer: number): void {
    const t = this.table;
    const draft = new ReplicaStreamDraft(packetFacts(pkt, data, layer));
    draft.add(t.firstUs(slot), t.firstTtl(slot), t.firstFrame(slot), t.firstDir(slot));
    if (t.count(slot) >= 2) draft.add(t.lastUs(slot), t.lastTtl(slot), t.lastFrame(slot), t.lastDir(slot));
    const id = this.nextStreamId++;
    this.open.set(id, { draft, slot });
    t.setStream(slot, id);
  }

  /** Frees a slot, closing its stream first. */
  private release(slot: number): void {
    const sid = this.table.stream(slot);
    if (sid !== NO_STREAM) this.close(sid);
    this.table.free(slot);
  }

  private close(id: number): void {
    const entry = this.open.get(id);
    if (!entry) return;
    this.open.delete(id);
    this.table.setStream(entry.slot, NO_STREAM);
    const verdict = judgeStream(entry.draft, this.directions);
    if (verdict.isLoop) this.builder.add(entry.draft, verdict.steps);
  }

  /** Closes streams that have had no sighting for longer than the gap (their packet left the loop or died). */
  private sweep(): void {
    const t = this.table;
    // Between two sweeps each packet writes at most two ring entries (inner and outer layer): an open stream
    // whose entry would be overwritten before the next sweep moves to the ring's head instead.
    const refreshAge = Math.max(t.capacity / 2, t.capacity - 4 * SWEEP_EVERY_PACKETS);
    for (const [id, { draft, slot }] of this.open) {
      const age = t.age(slot);
      if (this.nowUs - draft.lastUs > this.gapUs || age >= t.capacity) {
        this.close(id);
        t.free(slot);
      } else if (age >= refreshAge) {
        t.refresh(slot);
      }
    }
  }

  /**
   * Routers reveal their addresses in traffic only routers send: ICMP errors (time-exceeded above all), BGP
   * and OSPF. Remember which MAC sent them, so a loop's MAC pair can be named by IP address.
   */
  private noteRouterTraffic(pkt: DecodedPacket, data: Uint8Array, ip: IpLayer, timeUs: number): void {
    let tr = -1;
    for (let i = 0; i < pkt.transportCount; i++) {
      if (pkt.transports[i]!.ipIndex === pkt.innerIp) {
        tr = i;
        break;
      }
    }
    const isOspf = ip.upperProto === OSPF_PROTO;
    if (tr < 0 && !isOspf) return;
    const t = tr >= 0 ? pkt.transports[tr]! : null;
    const icmpError =
      t !== null &&
      ((t.proto === 1 && (t.icmpType === 3 || t.icmpType === 5 || t.icmpType === 11 || t.icmpType === 12)) ||
        (t.proto === 58 && t.icmpType >= 1 && t.icmpType <= 4));
    const bgp = t !== null && t.proto === 6 && (t.srcPort === BGP_PORT || t.dstPort === BGP_PORT);
    if (!icmpError && !bgp && !isOspf) return;
    const src = ip.version === 4 ? ipv4Text(ip.src4) : ipv6TextAt(data, ip.srcOffset);
    if (pkt.srcMac >= 0) this.rememberRouter(pkt.srcMac, src);
    if (t === null || !isTimeExceededInTransit(t)) return;
    this.timeExceededTotal++;
    if (this.timeExceeded.length >= MAX_TIME_EXCEEDED_KEPT) return;
    this.timeExceeded.push({ timeUs, router: src, routerMac: pkt.srcMac, quotedDst: quotedDestination(pkt, data) });
  }

  private rememberRouter(mac: number, address: string): void {
    let set = this.routerAddressesByMac.get(mac);
    if (!set) {
      if (this.routerAddressesByMac.size >= MAX_ROUTER_MACS) return;
      set = new Set();
      this.routerAddressesByMac.set(mac, set);
    }
    if (set.size < MAX_ADDRESSES_PER_ROUTER_MAC) set.add(address);
  }
}

/** The looped packet's identity in words, read when its stream opens. */
function packetFacts(pkt: DecodedPacket, data: Uint8Array, layer: number): PacketFacts {
  const ip = pkt.ipLayers[layer]!;
  const v4 = ip.version === 4;
  const facts: PacketFacts = {
    src: v4 ? ipv4Text(ip.src4) : ipv6TextAt(data, ip.srcOffset),
    dst: v4 ? ipv4Text(ip.dst4) : ipv6TextAt(data, ip.dstOffset),
    protocol: ip.upperProto,
    ipId: v4 || ip.v6Fragment ? ip.id : null,
    vlan: pkt.vlanCount > 0 ? pkt.vlanIds[pkt.vlanCount - 1]! : null,
    dstPrefix: v4 ? ipv4Prefix24(ip.dst4) : ipv6Prefix64(data, ip.dstOffset),
  };
  for (let i = 0; i < pkt.transportCount; i++) {
    const t = pkt.transports[i]!;
    if (t.ipIndex === layer && (t.proto === 6 || t.proto === 17)) {
      facts.srcPort = t.srcPort;
      facts.dstPort = t.dstPort;
      break;
    }
  }
  return facts;
}
