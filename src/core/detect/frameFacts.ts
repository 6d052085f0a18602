/**
 * What the stages after decoding need of one frame, as one fixed-size record in typed-array columns: its time and
 * number, the replica keys and directions of its IP layers (sightingFront.ts), the addresses and facts of those
 * layers, and its TCP and ICMP fields. The loop tracker, the ladder context and the TCP impact tracker read only
 * this, never the frame, so they can run in another thread than the reader and decoder without parsing the
 * capture a second time: the records then live in a ring in shared memory (analyze/factRing.ts). In one thread a
 * single record is written and read back frame by frame.
 *
 * Layer 0 of a record is the packet's innermost IP layer that is not quoted in an ICMP error (DecodedPacket
 * innerIp), layer 1 its outermost one when that is a different, tunnelling layer (a loop in a tunnel's underlay
 * steps that TTL).
 */
import type { DecodedPacket, IpLayer } from '../decode/types';
import { ipv4Text, ipv6TextAt } from '../decode/text';
import { ipv4Prefix24, ipv6Prefix64 } from './addressText';
import { flowKey, flowKeyOf } from './flowKey';
import type { PacketFacts } from './replicaStream';
import { isTimeExceededInTransit, quotedHeader } from './timeExceeded';

export const INNER = 0;
export const OUTER = 1;
export type FactLayer = typeof INNER | typeof OUTER;

// Float64 columns.
const F_TIME = 0;
const F_FRAME = 1;
const F_SRC_MAC = 2;
const F_DST_MAC = 3;
const F64_FIELDS = 4;

// Int32 columns. Per layer (I_LAYER + LAYER_FIELDS * layer): replica key, TTL, direction, addresses (IPv4), protocol, id, ports.
const I_FLAGS = 0;
const I_VLAN = 1;
const I_QUOTED_DST4 = 2;
const I_SEQ = 3;
const I_ACK = 4;
const I_TCP_FLAGS = 5;
const I_PAYLOAD = 6;
const I_TCP_PORTS = 7;
const I_FLOW_H1 = 8;
const I_FLOW_H2 = 9;
const I_LAYER = 10;
const L_H1 = 0;
const L_H2 = 1;
const L_TTL = 2;
const L_DIR = 3;
const L_SRC4 = 4;
const L_DST4 = 5;
const L_PROTO = 6;
const L_ID = 7;
const L_PORTS = 8;
const LAYER_FIELDS = 10;
const I32_FIELDS = I_LAYER + 2 * LAYER_FIELDS;

// Byte columns: IPv6 addresses (written only for IPv6), per layer source then destination, then the quoted destination.
const U8_QUOTED = 64;
const U8_FIELDS = 80;

/** Bits of I_FLAGS. Per layer: the bit shifted left by 8 * layer. */
export const Fact = {
  /** The layer exists (layer 0: the frame has an IP layer at all). */
  Layer: 1,
  V6: 2,
  /** Its replica key could be computed (fixed header captured whole). */
  Keyed: 4,
  /** Its direction has no MAC addresses (DirectionTable.isUnknown). */
  DirUnknown: 8,
  /** It carries TCP or UDP, whose ports are in the record. */
  Ports: 16,
  /** It has an identification (IPv4, or an IPv6 fragment header). */
  Id: 32,
  /** Link-layer multicast/broadcast or a group address: not loop evidence (layers not keyed). */
  Group: 1 << 16,
  Vlan: 1 << 17,
  /** TCP over layer 0 with its flags captured: the impact tracker's input. */
  Tcp: 1 << 18,
  /** ICMP time-exceeded in transit over layer 0. */
  TimeExceeded: 1 << 19,
  /** It quotes a packet whose destination was captured. */
  Quoted: 1 << 20,
  QuotedV6: 1 << 21,
  /** The TCP segment came from the flow's side 1 (flowKey.ts). */
  FlowSide1: 1 << 22,
} as const;

/** Where layer `layer`'s fields of record `slot` start in the Int32 columns. */
function layerBase(slot: number, layer: FactLayer): number {
  return slot * I32_FIELDS + I_LAYER + LAYER_FIELDS * layer;
}

export interface FrameFactsBuffers {
  f64: ArrayBufferLike;
  i32: ArrayBufferLike;
  u8: ArrayBufferLike;
}

export function createFrameFactsBuffers(slots: number, shared: boolean): FrameFactsBuffers {
  const make = shared ? (n: number) => new SharedArrayBuffer(n) : (n: number) => new ArrayBuffer(n);
  return { f64: make(slots * 8 * F64_FIELDS), i32: make(slots * 4 * I32_FIELDS), u8: make(slots * U8_FIELDS) };
}

/** Records in columns; slot i's fields start at i * FIELDS in each. */
export class FrameFacts {
  readonly f64: Float64Array;
  readonly i32: Int32Array;
  readonly u8: Uint8Array;
  /** The same bytes as words: the IPv6 addresses sit at multiples of 16, so they can be copied four bytes at a time. */
  readonly u32: Uint32Array;
  readonly slots: number;

  constructor(buffers: FrameFactsBuffers = createFrameFactsBuffers(1, false)) {
    this.f64 = new Float64Array(buffers.f64);
    this.i32 = new Int32Array(buffers.i32);
    this.u8 = new Uint8Array(buffers.u8);
    this.u32 = new Uint32Array(buffers.u8);
    this.slots = this.i32.length / I32_FIELDS;
  }

  flags(slot: number): number {
    return this.i32[slot * I32_FIELDS + I_FLAGS]!;
  }

  has(slot: number, bit: number, layer: FactLayer = INNER): boolean {
    return (this.i32[slot * I32_FIELDS + I_FLAGS]! & (bit << (8 * layer))) !== 0;
  }

  timeUs(slot: number): number {
    return this.f64[slot * F64_FIELDS + F_TIME]!;
  }

  frame(slot: number): number {
    return this.f64[slot * F64_FIELDS + F_FRAME]!;
  }

  srcMac(slot: number): number {
    return this.f64[slot * F64_FIELDS + F_SRC_MAC]!;
  }

  dstMac(slot: number): number {
    return this.f64[slot * F64_FIELDS + F_DST_MAC]!;
  }

  h1(slot: number, layer: FactLayer): number {
    return this.i32[layerBase(slot, layer) + L_H1]! >>> 0;
  }

  h2(slot: number, layer: FactLayer): number {
    return this.i32[layerBase(slot, layer) + L_H2]! >>> 0;
  }

  ttl(slot: number, layer: FactLayer): number {
    return this.i32[layerBase(slot, layer) + L_TTL]!;
  }

  dir(slot: number, layer: FactLayer): number {
    return this.i32[layerBase(slot, layer) + L_DIR]!;
  }

  src4(slot: number, layer: FactLayer): number {
    return this.i32[layerBase(slot, layer) + L_SRC4]! >>> 0;
  }

  dst4(slot: number, layer: FactLayer): number {
    return this.i32[layerBase(slot, layer) + L_DST4]! >>> 0;
  }

  /** Offset in `u8` of the layer's IPv6 source address (the destination follows it). */
  src6Offset(slot: number, layer: FactLayer): number {
    return slot * U8_FIELDS + 32 * layer;
  }

  dst6Offset(slot: number, layer: FactLayer): number {
    return slot * U8_FIELDS + 32 * layer + 16;
  }

  srcPort(slot: number): number {
    return this.i32[slot * I32_FIELDS + I_TCP_PORTS]! >>> 16;
  }

  dstPort(slot: number): number {
    return this.i32[slot * I32_FIELDS + I_TCP_PORTS]! & 0xffff;
  }

  seq(slot: number): number {
    return this.i32[slot * I32_FIELDS + I_SEQ]! >>> 0;
  }

  ack(slot: number): number {
    return this.i32[slot * I32_FIELDS + I_ACK]! >>> 0;
  }

  tcpFlags(slot: number): number {
    return this.i32[slot * I32_FIELDS + I_TCP_FLAGS]!;
  }

  /** The TCP flow's key (flowKey.ts), both lanes, and the side that sent the segment. */
  flowH1(slot: number): number {
    return this.i32[slot * I32_FIELDS + I_FLOW_H1]!;
  }

  flowH2(slot: number): number {
    return this.i32[slot * I32_FIELDS + I_FLOW_H2]!;
  }

  flowSide(slot: number): 0 | 1 {
    return this.has(slot, Fact.FlowSide1) ? 1 : 0;
  }

  payloadLength(slot: number): number {
    return this.i32[slot * I32_FIELDS + I_PAYLOAD]!;
  }

  srcText(slot: number, layer: FactLayer): string {
    return this.has(slot, Fact.V6, layer) ? ipv6TextAt(this.u8, this.src6Offset(slot, layer)) : ipv4Text(this.src4(slot, layer));
  }

  dstText(slot: number, layer: FactLayer): string {
    return this.has(slot, Fact.V6, layer) ? ipv6TextAt(this.u8, this.dst6Offset(slot, layer)) : ipv4Text(this.dst4(slot, layer));
  }

  /** Destination of the packet an ICMP error quotes, or null. */
  quotedDstText(slot: number): string | null {
    if (!this.has(slot, Fact.Quoted)) return null;
    return this.has(slot, Fact.QuotedV6) ? ipv6TextAt(this.u8, slot * U8_FIELDS + U8_QUOTED) : ipv4Text(this.i32[slot * I32_FIELDS + I_QUOTED_DST4]! >>> 0);
  }

  /** The looped packet's identity in words (read when its stream opens). */
  packetFacts(slot: number, layer: FactLayer): PacketFacts {
    const b = layerBase(slot, layer);
    const v6 = this.has(slot, Fact.V6, layer);
    const facts: PacketFacts = {
      src: this.srcText(slot, layer),
      dst: this.dstText(slot, layer),
      protocol: this.i32[b + L_PROTO]!,
      ipId: this.has(slot, Fact.Id, layer) ? this.i32[b + L_ID]! >>> 0 : null,
      vlan: this.has(slot, Fact.Vlan) ? this.i32[slot * I32_FIELDS + I_VLAN]! : null,
      dstPrefix: v6 ? ipv6Prefix64(this.u8, this.dst6Offset(slot, layer)) : ipv4Prefix24(this.dst4(slot, layer)),
    };
    if (this.has(slot, Fact.Ports, layer)) {
      facts.srcPort = this.i32[b + L_PORTS]! >>> 16;
      facts.dstPort = this.i32[b + L_PORTS]! & 0xffff;
    }
    return facts;
  }
}

/**
 * Writes what the record holds about the frame itself (no state): time, number, MACs, layer 0's addresses and
 * facts, VLAN, TCP and ICMP fields. Flags for layer 1, the keys and the directions are the front's (sightingFront.ts).
 * Returns the flags written.
 */
export function writeFrameFacts(out: FrameFacts, slot: number, frame: number, timeUs: number, pkt: DecodedPacket, data: Uint8Array): number {
  const f = slot * F64_FIELDS;
  out.f64[f + F_TIME] = timeUs;
  out.f64[f + F_FRAME] = frame;
  out.f64[f + F_SRC_MAC] = pkt.srcMac;
  out.f64[f + F_DST_MAC] = pkt.dstMac;
  const i = slot * I32_FIELDS;
  if (pkt.innerIp < 0) {
    out.i32[i + I_FLAGS] = 0;
    return 0;
  }
  let flags = writeLayer(out, slot, INNER, pkt, data, pkt.innerIp);
  if (pkt.vlanCount > 0) {
    flags |= Fact.Vlan;
    out.i32[i + I_VLAN] = pkt.vlanIds[pkt.vlanCount - 1]!;
  }
  const ip = pkt.ipLayers[pkt.innerIp]!;
  let first = -1;
  let tcp = -1;
  for (let k = 0; k < pkt.transportCount; k++) {
    const t = pkt.transports[k]!;
    if (t.ipIndex !== pkt.innerIp) continue;
    if (first < 0) first = k;
    if (t.proto === 6) {
      tcp = k;
      break;
    }
  }
  if (tcp >= 0) {
    const t = pkt.transports[tcp]!;
    if (t.validBytes >= 14) {
      flags |= Fact.Tcp;
      // Payload length from the length fields (the capture may be cut by its snap length).
      const ipPayload = ip.version === 4 ? ip.lengthField - ip.hdrLen : ip.lengthField - (t.offset - ip.offset - 40);
      out.i32[i + I_SEQ] = t.seq;
      out.i32[i + I_ACK] = t.ack;
      out.i32[i + I_TCP_FLAGS] = t.flags;
      out.i32[i + I_PAYLOAD] = Math.max(0, ipPayload - t.tcpHdrLen);
      out.i32[i + I_TCP_PORTS] = (t.srcPort << 16) | t.dstPort;
      flowKeyOf(ip.version === 6, data, ip.src4, ip.dst4, ip.srcOffset, ip.dstOffset, t.srcPort, t.dstPort);
      out.i32[i + I_FLOW_H1] = flowKey.h1;
      out.i32[i + I_FLOW_H2] = flowKey.h2;
      if (flowKey.side === 1) flags |= Fact.FlowSide1;
    }
  }
  if (first >= 0 && isTimeExceededInTransit(pkt.transports[first]!)) {
    flags |= Fact.TimeExceeded | quotedDestinationFacts(out, slot, pkt, data);
  }
  out.i32[i + I_FLAGS] = flags;
  return flags;
}

/** Sets the bits of `flags` in the slot (the front adds its own after writeFrameFacts). */
export function setFlags(out: FrameFacts, slot: number, flags: number): void {
  out.i32[slot * I32_FIELDS + I_FLAGS] = flags;
}

/** The layer's key (from replicaKey.ts), TTL and direction. */
export function writeSighting(out: FrameFacts, slot: number, layer: FactLayer, h1: number, h2: number, dir: number): void {
  const b = layerBase(slot, layer);
  out.i32[b + L_H1] = h1;
  out.i32[b + L_H2] = h2;
  out.i32[b + L_DIR] = dir;
}

/** Addresses, TTL, protocol, id and ports of IP layer `ipIndex` as record layer `layer`; returns its flags. */
export function writeLayer(out: FrameFacts, slot: number, layer: FactLayer, pkt: DecodedPacket, data: Uint8Array, ipIndex: number): number {
  const ip: IpLayer = pkt.ipLayers[ipIndex]!;
  const b = layerBase(slot, layer);
  let flags = Fact.Layer;
  out.i32[b + L_TTL] = ip.ttl;
  if (ip.version === 4) {
    out.i32[b + L_SRC4] = ip.src4;
    out.i32[b + L_DST4] = ip.dst4;
  } else {
    flags |= Fact.V6;
    const o = slot * U8_FIELDS + 32 * layer;
    copy16(data, ip.srcOffset, out.u8, o);
    copy16(data, ip.dstOffset, out.u8, o + 16);
  }
  const hasId = ip.version === 4 || ip.v6Fragment;
  if (hasId) flags |= Fact.Id;
  out.i32[b + L_PROTO] = ip.upperProto;
  out.i32[b + L_ID] = hasId ? ip.id : 0;
  for (let k = 0; k < pkt.transportCount; k++) {
    const t = pkt.transports[k]!;
    if (t.ipIndex === ipIndex && (t.proto === 6 || t.proto === 17)) {
      flags |= Fact.Ports;
      out.i32[b + L_PORTS] = (t.srcPort << 16) | t.dstPort;
      break;
    }
  }
  return flags << (8 * layer);
}

/** The quoted packet's destination (timeExceeded.ts quotedHeader); returns its flags. */
function quotedDestinationFacts(out: FrameFacts, slot: number, pkt: DecodedPacket, data: Uint8Array): number {
  const q = quotedHeader(pkt);
  if (q === null) return 0;
  if (q.version === 4) {
    out.i32[slot * I32_FIELDS + I_QUOTED_DST4] = q.dst4;
    return Fact.Quoted;
  }
  copy16(data, q.dstOffset, out.u8, slot * U8_FIELDS + U8_QUOTED);
  return Fact.Quoted | Fact.QuotedV6;
}

/** 16 bytes (an IPv6 address), byte by byte: a subarray to copy from would be an allocation per packet. */
function copy16(from: Uint8Array, at: number, to: Uint8Array, o: number): void {
  for (let k = 0; k < 16; k++) to[o + k] = from[at + k]!;
}
