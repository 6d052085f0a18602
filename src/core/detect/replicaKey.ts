/**
 * "The same packet": the identity of one IP packet that survives forwarding. Routers change the TTL / hop
 * limit, the IPv4 header checksum, sometimes the DSCP/ECN bits and record-route style options; everything
 * else a router forwards unchanged. So the identity is the invariant header fields plus a hash of what follows
 * the IP header (L4 header + payload), taken from one IP layer, together with the VLAN tags it was seen on.
 */
import type { DecodedPacket, IpLayer } from '../decode/types';
import { LaneHash } from './hash';

/** The hash's seed (an arbitrary constant; the IP layer's index is added, so layers of one frame differ). */
const SEED = 0x3c6ef372;

/** Bytes after the IP header that enter the hash (see replicaKeyOf). */
const HASHED_BYTES = 96;

/** Reused output of `replicaKeyOf` (filled in place). */
export interface ReplicaKey {
  h1: number;
  h2: number;
  ttl: number;
}

export function createReplicaKey(): ReplicaKey {
  return { h1: 0, h2: 0, ttl: 0 };
}

const hash = new LaneHash();

/**
 * Fills `out` with the identity of IP layer `ipIndex` of `pkt` (bytes in `data`). Returns false when the
 * layer's fixed header was not captured whole, so no identity can be trusted.
 */
export function replicaKeyOf(pkt: DecodedPacket, data: Uint8Array, ipIndex: number, out: ReplicaKey): boolean {
  const ip = pkt.ipLayers[ipIndex]!;
  const fixed = ip.version === 4 ? 20 : 40;
  if (ip.validBytes < fixed || ip.available < fixed) return false;
  hash.reset(SEED + ipIndex);
  // VLAN tags: the same packet on another VLAN is another sighting place, not the same stream.
  for (let v = 0; v < pkt.vlanCount; v++) hash.word(pkt.vlanIds[v]! | 0x10000);
  if (ip.version === 4) {
    hash.stripe(ip.src4, ip.dst4,
      ip.proto | (ip.id << 8) | (ip.df ? 0x1000000 : 0) | (ip.mf ? 0x2000000 : 0),
      ip.fragOffset | (ip.lengthField << 16));
  } else {
    hash.bytes(data, ip.srcOffset, ip.srcOffset + 16).bytes(data, ip.dstOffset, ip.dstOffset + 16);
    const o = ip.offset;
    hash.stripe(
      // Flow label (20 bits after version and traffic class): set by the source, kept by routers.
      ((data[o + 1]! & 0x0f) << 16) | (data[o + 2]! << 8) | data[o + 3]!,
      ip.upperProto | (ip.lengthField << 8),
      ip.v6Fragment ? ip.id ^ 0x5a5a5a5a : 0,
      ip.v6Fragment ? ip.fragOffset | (ip.mf ? 0x10000 : 0) : 0x20000);
  }
  // What follows the IPv4 header (options are skipped: record-route/timestamp options change per hop) or
  // the IPv6 fixed header (extension headers included), up to the length the header claims, at most
  // HASHED_BYTES: that covers the L4 header, whose checksum already sums the whole payload, and the payload's
  // start; the claimed length above is in the identity too. Bounds the cost per packet on jumbo frames.
  const start = ip.offset + ip.hdrLen;
  const claimed = ip.version === 4 ? ip.offset + ip.lengthField : ip.offset + 40 + ip.lengthField;
  const end = Math.min(ip.offset + ip.available, claimed, data.length, start + HASHED_BYTES);
  if (end > start) hash.bytes(data, start, end);
  hash.finish();
  out.h1 = hash.h1;
  out.h2 = hash.h2;
  out.ttl = ip.ttl;
  return true;
}

/**
 * Multicast and broadcast are replicated by design (and flood with their TTL unchanged or stepped per
 * router): never loop evidence. Link-layer group addresses have the I/G bit (lowest bit of the first octet).
 */
export function isGroupAddressed(pkt: DecodedPacket, data: Uint8Array, ip: IpLayer): boolean {
  if (pkt.dstMac >= 0 && (Math.floor(pkt.dstMac / 2 ** 40) & 1) === 1) return true;
  if (ip.version === 4) {
    const top = ip.dst4 >>> 28;
    return top === 0xe || ip.dst4 === 0xffffffff;
  }
  return data[ip.dstOffset] === 0xff;
}
