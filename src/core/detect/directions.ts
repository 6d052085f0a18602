/**
 * Where a sighting travelled: one direction on one captured link = (capture interface, VLAN, source MAC,
 * destination MAC). A packet seen twice in the same direction crossed the same link the same way twice,
 * which is what a loop is; a packet seen once per hop on a multi-hop path never repeats a direction.
 * Directions get small numeric ids without allocating per packet (nested Maps keyed by numbers).
 */
import type { DecodedPacket } from '../decode/types';

/** Beyond this many distinct directions (spoofed MACs...) new ones share the id OVERFLOW_DIRECTION. */
export const MAX_DIRECTIONS = 1 << 16;
const DIRECTION_CACHE_BITS = 10;
const DIRECTION_CACHE = 1 << DIRECTION_CACHE_BITS;
export const OVERFLOW_DIRECTION = 0;

export interface DirectionInfo {
  srcMac: number;
  dstMac: number;
  /** true when the link carries no MAC addresses in either field: the direction is then unknown. */
  unknown: boolean;
}

export class DirectionTable {
  private readonly bySrc = new Map<number, Map<number, Map<number, number>>>();
  /** Index = direction id. Id 0 is the overflow bucket. */
  readonly info: DirectionInfo[] = [{ srcMac: -1, dstMac: -1, unknown: true }];

  // The last answer: consecutive frames mostly travel the same way, and comparing numbers allocates nothing
  // (48-bit MACs as Map keys would be boxed on every lookup).
  private lastSrc = NaN;
  private lastDst = NaN;
  private lastPlace = NaN;
  private lastId = OVERFLOW_DIRECTION;
  // Answers by hash of (MACs, place), direct-mapped: traffic alternates between a few directions, and the nested
  // Maps behind idOfMacs hash each 48-bit MAC as a heap number (the profile showed them at ~4 % of analyze).
  private readonly cacheSrc = new Float64Array(DIRECTION_CACHE).fill(NaN);
  private readonly cacheDst = new Float64Array(DIRECTION_CACHE);
  private readonly cachePlace = new Float64Array(DIRECTION_CACHE);
  private readonly cacheId = new Int32Array(DIRECTION_CACHE);

  /** The direction of the Ethernet header that carries IP layer `ipIndex` (see linkMacsOf). */
  idOf(pkt: DecodedPacket, data: Uint8Array, ipIndex: number, section: number, interfaceId: number): number {
    linkMacsOf(pkt, data, ipIndex, macs);
    const vlan = pkt.vlanCount > 0 ? pkt.vlanIds[pkt.vlanCount - 1]! : 0xffff;
    // section < 2^16, interface < 2^16 in practice, vlan <= 0xffff: packed exactly into a double.
    const place = (section * 65536 + (interfaceId & 0xffff)) * 65536 + vlan;
    if (macs.src === this.lastSrc && macs.dst === this.lastDst && place === this.lastPlace) return this.lastId;
    this.lastSrc = macs.src;
    this.lastDst = macs.dst;
    this.lastPlace = place;
    // Low bits of each MAC (the vendor-assigned end, where MACs differ) and of the place, mixed. `| 0` keeps a
    // double's low 32 bits in integer instructions, where `%` on a 48-bit double is a call to fmod per packet.
    const h = Math.imul(((macs.src | 0) & 0xffffff) ^ Math.imul((macs.dst | 0) & 0xffffff, 0x9e3779b1) ^ (place & 0xffff), 0x85ebca6b) >>> (32 - DIRECTION_CACHE_BITS);
    if (this.cacheSrc[h] === macs.src && this.cacheDst[h] === macs.dst && this.cachePlace[h] === place) {
      this.lastId = this.cacheId[h]!;
      return this.lastId;
    }
    this.lastId = this.idOfMacs(macs.src, macs.dst, place);
    this.cacheSrc[h] = macs.src;
    this.cacheDst[h] = macs.dst;
    this.cachePlace[h] = place;
    this.cacheId[h] = this.lastId;
    return this.lastId;
  }

  private idOfMacs(srcMac: number, dstMac: number, place: number): number {
    let byDst = this.bySrc.get(srcMac);
    if (!byDst) {
      byDst = new Map();
      this.bySrc.set(srcMac, byDst);
    }
    let byPlace = byDst.get(dstMac);
    if (!byPlace) {
      byPlace = new Map();
      byDst.set(dstMac, byPlace);
    }
    let id = byPlace.get(place);
    if (id === undefined) {
      if (this.info.length >= MAX_DIRECTIONS) return OVERFLOW_DIRECTION;
      id = this.info.length;
      this.info.push({ srcMac, dstMac, unknown: srcMac < 0 && dstMac < 0 });
      byPlace.set(place, id);
    }
    return id;
  }

  isUnknown(id: number): boolean {
    return this.info[id]!.unknown;
  }
}

const macs = { src: -1, dst: -1 };
const TAG_TPIDS = new Set([0x8100, 0x88a8, 0x9100]);
const MAX_TAGS = 8;

function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

function mac48At(d: Uint8Array, o: number): number {
  return u16(d, o) * 2 ** 32 + ((d[o + 2]! << 24) >>> 0) + (d[o + 3]! << 16) + (d[o + 4]! << 8) + d[o + 5]!;
}

/**
 * MACs of the link an IP layer travelled on. The decoder keeps the outermost Ethernet addresses; for a packet
 * carried in an Ethernet-in-tunnel encapsulation (ERSPAN and VXLAN mirror sessions, VXLAN/Geneve overlays) those
 * are the tunnel's, the same for every mirrored frame, while the packet's own hop is the inner Ethernet header.
 * It is found by walking back from the IP header: its ethertype, then any 802.1Q/802.1ad tags, then the two
 * addresses. Used only when the decoder saw a second Ethernet header, so bytes of other encapsulations are never
 * read as one. Falls back to the outer addresses.
 */
export function linkMacsOf(pkt: DecodedPacket, d: Uint8Array, ipIndex: number, out: { src: number; dst: number }): void {
  out.src = pkt.srcMac;
  out.dst = pkt.dstMac;
  if (ipIndex === 0) return;
  let eth = 0;
  for (let i = 0; i < pkt.protocolCount; i++) if (pkt.protocols[i] === 'eth') eth++;
  if (eth < (pkt.protocolCount > 0 && pkt.protocols[0] === 'eth' ? 2 : 1)) return;
  const ip = pkt.ipLayers[ipIndex]!;
  let p = ip.offset - 2;
  // Offsets index the decoded buffer; the frame's own bytes start at frameStart.
  const s = pkt.frameStart;
  if (p - s < 12 || u16(d, p) !== (ip.version === 4 ? 0x0800 : 0x86dd)) return;
  for (let tags = 0; tags < MAX_TAGS && p - s >= 16 && TAG_TPIDS.has(u16(d, p - 4)); tags++) p -= 4;
  out.dst = mac48At(d, p - 12);
  out.src = mac48At(d, p - 6);
}
