/**
 * The loop detector's front half, in the thread that decodes: everything it needs of the decoded frame itself.
 * It writes the frame's record (frameFacts.ts) with the replica key and direction of each IP layer to watch, and
 * notes the traffic only routers send (their addresses, ICMP time-exceeded messages). The back half
 * (LoopTracker, loops.ts) decides from those records alone what each sighting is.
 */
import type { DecodedPacket, IpLayer } from '../decode/types';
import { ipv4Text, ipv6TextAt } from '../decode/text';
import { DirectionTable, type DirectionInfo } from './directions';
import type { TimeExceededSighting } from './episodes';
import { Fact, FrameFacts, INNER, OUTER, setFlags, writeFrameFacts, writeLayer, writeSighting } from './frameFacts';
import { createReplicaKey, isGroupAddressed, replicaKeyOf } from './replicaKey';
import { isTimeExceededInTransit, quotedDestination } from './timeExceeded';

/** Where a frame sits in its capture (the fields of capture/types Frame the detector needs). */
export interface FramePlace {
  number: number;
  section: number;
  interfaceId: number;
}

/** What the back half needs of the front at the end (plain data: it may cross to another thread). */
export interface FrontState {
  directions: DirectionInfo[];
  timeExceeded: TimeExceededSighting[];
  /** MAC -> IP addresses that MAC's owner originated router traffic from. */
  routerAddressesByMac: Map<number, Set<string>>;
  /** ICMP time-exceeded messages seen (all, including those beyond the kept sample). */
  timeExceededTotal: number;
}

const MAX_TIME_EXCEEDED_KEPT = 100_000;
const MAX_ROUTER_MACS = 4096;
const MAX_ADDRESSES_PER_ROUTER_MAC = 8;
const BGP_PORT = 179;
const OSPF_PROTO = 89;

export class SightingFront {
  private readonly directions = new DirectionTable();
  private readonly key = createReplicaKey();
  private readonly timeExceeded: TimeExceededSighting[] = [];
  private readonly routerAddressesByMac = new Map<number, Set<string>>();
  private timeExceededTotal = 0;

  /** Writes frame `place`'s record (decoded into `pkt`, bytes in `data`, time in µs) into `out` at `slot`. */
  describe(place: FramePlace, timeUs: number, pkt: DecodedPacket, data: Uint8Array, out: FrameFacts, slot: number): void {
    let flags = writeFrameFacts(out, slot, place.number, timeUs, pkt, data);
    if (pkt.innerIp < 0) return;
    const inner = pkt.ipLayers[pkt.innerIp]!;
    this.noteRouterTraffic(pkt, data, inner, timeUs);
    if (isGroupAddressed(pkt, data, inner)) {
      setFlags(out, slot, flags | Fact.Group);
      return;
    }
    flags |= this.sight(pkt, data, pkt.innerIp, place, out, slot, INNER);
    // A loop in a tunnel's underlay steps the outer TTL and leaves the inner one alone: watch both.
    if (pkt.innerIp > 0 && !pkt.ipLayers[0]!.quoted) {
      flags |= writeLayer(out, slot, OUTER, pkt, data, 0) | this.sight(pkt, data, 0, place, out, slot, OUTER);
    }
    setFlags(out, slot, flags);
  }

  /** Direction and key of one IP layer; returns its flags (Keyed, DirUnknown). */
  private sight(pkt: DecodedPacket, data: Uint8Array, ipIndex: number, place: FramePlace, out: FrameFacts, slot: number, layer: typeof INNER | typeof OUTER): number {
    const dir = this.directions.idOf(pkt, data, ipIndex, place.section, place.interfaceId);
    const k = this.key;
    const keyed = replicaKeyOf(pkt, data, ipIndex, k);
    writeSighting(out, slot, layer, keyed ? k.h1 : 0, keyed ? k.h2 : 0, dir);
    return ((keyed ? Fact.Keyed : 0) | (this.directions.isUnknown(dir) ? Fact.DirUnknown : 0)) << (8 * layer);
  }

  state(): FrontState {
    return {
      directions: this.directions.info,
      timeExceeded: this.timeExceeded,
      routerAddressesByMac: this.routerAddressesByMac,
      timeExceededTotal: this.timeExceededTotal,
    };
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
