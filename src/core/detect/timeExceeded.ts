/** ICMP time-exceeded facts shared by the loop detector (router addresses) and the ladder context (marks). */
import { ipv4Text, ipv6TextAt } from '../decode/text';
import type { DecodedPacket, IpLayer, TransportFacts } from '../decode/types';

/** ICMP type 11 code 0 / ICMPv6 type 3 code 0: "TTL / hop limit exceeded in transit", what a loop makes routers send. */
export function isTimeExceededInTransit(t: TransportFacts): boolean {
  return (t.proto === 1 && t.icmpType === 11 && t.icmpCode === 0) || (t.proto === 58 && t.icmpType === 3 && t.icmpCode === 0);
}

/** The first IP header quoted in the ICMP error with its addresses captured, or null. */
export function quotedHeader(pkt: DecodedPacket): IpLayer | null {
  for (let i = pkt.innerIp + 1; i < pkt.ipCount; i++) {
    const q = pkt.ipLayers[i]!;
    if (q.quoted && q.validBytes >= (q.version === 4 ? 20 : 40)) return q;
  }
  return null;
}

/** Destination of the packet quoted in the ICMP error (see quotedHeader), or null. */
export function quotedDestination(pkt: DecodedPacket, data: Uint8Array): string | null {
  const q = quotedHeader(pkt);
  if (q === null) return null;
  return q.version === 4 ? ipv4Text(q.dst4) : ipv6TextAt(data, q.dstOffset);
}
