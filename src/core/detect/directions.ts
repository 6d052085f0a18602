/**
 * Where a sighting travelled: one direction on one captured link = (capture interface, VLAN, source MAC,
 * destination MAC). A packet seen twice in the same direction crossed the same link the same way twice,
 * which is what a loop is; a packet seen once per hop on a multi-hop path never repeats a direction.
 * Directions get small numeric ids without allocating per packet (nested Maps keyed by numbers).
 */
import type { DecodedPacket } from '../decode/types';

/** Beyond this many distinct directions (spoofed MACs...) new ones share the id OVERFLOW_DIRECTION. */
const MAX_DIRECTIONS = 1 << 16;
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

  idOf(pkt: DecodedPacket, section: number, interfaceId: number): number {
    const vlan = pkt.vlanCount > 0 ? pkt.vlanIds[pkt.vlanCount - 1]! : 0xffff;
    // section < 2^16, interface < 2^16 in practice, vlan <= 0xffff: packed exactly into a double.
    const place = (section * 65536 + (interfaceId & 0xffff)) * 65536 + vlan;
    let byDst = this.bySrc.get(pkt.srcMac);
    if (!byDst) {
      byDst = new Map();
      this.bySrc.set(pkt.srcMac, byDst);
    }
    let byPlace = byDst.get(pkt.dstMac);
    if (!byPlace) {
      byPlace = new Map();
      byDst.set(pkt.dstMac, byPlace);
    }
    let id = byPlace.get(place);
    if (id === undefined) {
      if (this.info.length >= MAX_DIRECTIONS) return OVERFLOW_DIRECTION;
      id = this.info.length;
      this.info.push({ srcMac: pkt.srcMac, dstMac: pkt.dstMac, unknown: pkt.srcMac < 0 && pkt.dstMac < 0 });
      byPlace.set(place, id);
    }
    return id;
  }

  isUnknown(id: number): boolean {
    return this.info[id]!.unknown;
  }
}
