/**
 * What an IP header carries: TCP, UDP, ICMP, ICMPv6, IP-in-IP and GRE, plus UDP-port tunnels. An ICMP error's
 * quoted packet is decoded as IP layers marked `quoted`, so it is never mistaken for a tunnel.
 */
import type { DecodedPacket, TransportFacts } from './types';
import { StopReason } from './types';
import { u16, u32 } from './bytes';
import { nextTransport, pushProtocol, stopAt, stopShort } from './state';
import { decodeIpv4, decodeIpv6 } from './ip';
import { decodeGre, decodeUdpTunnel, udpTunnelPort } from './tunnel';
import { decodeEthernet } from './ethernet';

/** Names Wireshark gives IP protocols we recognise but do not decode. */
const IP_PROTOCOL_NAMES: Record<number, string> = {
  2: 'igmp', 8: 'egp', 33: 'dccp', 46: 'rsvp', 50: 'esp', 51: 'ah', 88: 'eigrp', 89: 'ospf', 103: 'pim',
  112: 'vrrp', 115: 'l2tp', 132: 'sctp', 136: 'udplite',
};

export function decodeIpPayload(
  d: Uint8Array, proto: number, off: number, end: number, out: DecodedPacket, depth: number, ipIndex: number, quoted: boolean,
): void {
  switch (proto) {
    case 6:
      return decodeTcp(d, off, end, out, ipIndex);
    case 17:
      return decodeUdp(d, off, end, out, depth, ipIndex, quoted);
    case 1:
      return decodeIcmp(d, off, end, out, depth, ipIndex, quoted);
    case 58:
      return decodeIcmpv6(d, off, end, out, depth, ipIndex, quoted);
    case 4:
      return decodeIpv4(d, off, end, out, depth + 1, quoted);
    case 41:
      return decodeIpv6(d, off, end, out, depth + 1, quoted);
    case 47:
      return decodeGre(d, off, end, out, depth + 1, quoted);
    case 143:
      return decodeEthernet(d, off, end, out, depth + 1);
    case 51:
      return decodeAuthHeader(d, off, end, out, depth, ipIndex, quoted);
    case 59:
      return; // IPv6 "no next header"
    default:
      // Unknown numbers get no name: Wireshark may know a dissector for them (then not `data`), so we claim nothing.
      if (IP_PROTOCOL_NAMES[proto] !== undefined) pushProtocol(out, IP_PROTOCOL_NAMES[proto]!);
      stopAt(out, StopReason.Unsupported, off, `IP protocol ${proto} not decoded`);
  }
}

/** IPsec AH over IPv4 (RFC 4302): length in 4-byte units minus 2; what it protects follows in the clear. */
function decodeAuthHeader(
  d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number, ipIndex: number, quoted: boolean,
): void {
  pushProtocol(out, 'ah');
  if (end - off < 2) return stopShort(out, off, end, 'AH header');
  const len = (d[off + 1]! + 2) * 4;
  if (end - off < len) return stopShort(out, off, end, 'AH header');
  decodeIpPayload(d, d[off]!, off + len, end, out, depth + 1, ipIndex, quoted);
}

function startTransport(out: DecodedPacket, proto: number, off: number, ipIndex: number): TransportFacts | null {
  const t = nextTransport(out);
  if (t === null) {
    stopAt(out, StopReason.LimitReached, off, `more than ${out.transports.length} transport headers`);
    return null;
  }
  t.proto = proto;
  t.offset = off;
  t.ipIndex = ipIndex;
  return t;
}

function setPayload(t: TransportFacts, start: number, end: number): void {
  t.payloadOffset = start;
  t.payloadLength = Math.max(0, end - start);
}

function decodeTcp(d: Uint8Array, off: number, end: number, out: DecodedPacket, ipIndex: number): void {
  pushProtocol(out, 'tcp');
  const t = startTransport(out, 6, off, ipIndex);
  if (t === null) return;
  const avail = end - off;
  if (avail >= 2) t.srcPort = u16(d, off);
  if (avail >= 4) t.dstPort = u16(d, off + 2);
  if (avail >= 8) t.seq = u32(d, off + 4);
  if (avail >= 12) t.ack = u32(d, off + 8);
  if (avail >= 14) {
    t.tcpHdrLen = (d[off + 12]! >> 4) * 4;
    t.flags = ((d[off + 12]! & 0x0f) << 8) | d[off + 13]!;
  }
  if (avail >= 16) t.window = u16(d, off + 14);
  t.validBytes = Math.min(avail, 20);
  if (avail < 20) return stopShort(out, off, end, 'TCP header');
  if (t.tcpHdrLen < 20) return stopAt(out, StopReason.Malformed, off + 12, `TCP header length ${t.tcpHdrLen} below 20`);
  if (avail < t.tcpHdrLen) return stopShort(out, off, end, 'TCP options');
  t.validBytes = t.tcpHdrLen;
  setPayload(t, off + t.tcpHdrLen, end);
}

function decodeUdp(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number, ipIndex: number, quoted: boolean): void {
  pushProtocol(out, 'udp');
  const t = startTransport(out, 17, off, ipIndex);
  if (t === null) return;
  const avail = end - off;
  if (avail >= 2) t.srcPort = u16(d, off);
  if (avail >= 4) t.dstPort = u16(d, off + 2);
  if (avail >= 6) t.udpLength = u16(d, off + 4);
  t.validBytes = Math.min(avail, 8);
  if (avail < 8) return stopShort(out, off, end, 'UDP header');
  if (t.udpLength < 8) {
    // Wireshark stops here too ("bad length value < 8"), even for the length 0 of RFC 2675 jumbograms.
    return stopAt(out, StopReason.Malformed, off + 4, `UDP length ${t.udpLength} below 8`);
  }
  const udpEnd = Math.min(end, off + t.udpLength);
  setPayload(t, off + 8, udpEnd);
  const port = udpTunnelPort(t.srcPort, t.dstPort);
  // Like Wireshark, a port's dissector runs only when some of the payload was captured.
  if (port !== 0 && !quoted && udpEnd > off + 8) decodeUdpTunnel(port, d, off + 8, udpEnd, out, depth + 1);
}

/** ICMP types whose body quotes the offending packet: unreachable, source quench, redirect, time exceeded, parameter problem. */
function icmpQuotes(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

function decodeIcmp(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number, ipIndex: number, quoted: boolean): void {
  pushProtocol(out, 'icmp');
  const t = startTransport(out, 1, off, ipIndex);
  if (t === null) return;
  decodeIcmpCommon(d, off, end, out, t);
  if (end - off <= 8) return;
  // A quoted packet inside a quoted packet is shown as data, as Wireshark does.
  if (icmpQuotes(t.icmpType) && !quoted) return decodeIpv4(d, off + 8, end, out, depth + 1, true);
  // Only echo request/reply bodies are shown as a `data` layer by Wireshark; other types dissect their own fields.
  if (t.icmpType === 0 || t.icmpType === 8) pushProtocol(out, 'data');
}

/** ICMPv6 errors 1-4: destination unreachable, packet too big, time exceeded, parameter problem. */
function decodeIcmpv6(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number, ipIndex: number, quoted: boolean): void {
  pushProtocol(out, 'icmpv6');
  const t = startTransport(out, 58, off, ipIndex);
  if (t === null) return;
  decodeIcmpCommon(d, off, end, out, t);
  if (end - off <= 8) return;
  if (t.icmpType >= 1 && t.icmpType <= 4 && !quoted) return decodeIpv6(d, off + 8, end, out, depth + 1, true);
  if (t.icmpType === 128 || t.icmpType === 129) pushProtocol(out, 'data');
}

function decodeIcmpCommon(d: Uint8Array, off: number, end: number, out: DecodedPacket, t: TransportFacts): void {
  const avail = end - off;
  if (avail >= 1) t.icmpType = d[off]!;
  if (avail >= 2) t.icmpCode = d[off + 1]!;
  t.validBytes = Math.min(avail, 8);
  if (avail < 4) return stopShort(out, off, end, 'ICMP header');
  setPayload(t, Math.min(end, off + 8), end);
}
