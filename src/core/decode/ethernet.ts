/**
 * Ethernet and what rides directly on ethertypes before IP: 802.1Q/802.1ad tags, VN-Tag, MPLS label stacks
 * (with Ethernet pseudowires), PPPoE sessions and PPP. Layer names follow Wireshark's dissector names.
 */
import type { DecodedPacket } from './types';
import { StopReason } from './types';
import { mac48, u16, u32 } from './bytes';
import { MAX_NESTING } from './limits';
import { pushProtocol, stopAt, stopShort } from './state';
import { decodeIpByVersion, decodeIpv4, decodeIpv6 } from './ip';

/** Ethernet II / 802.3. Only the outermost Ethernet header sets the packet's MAC addresses. */
export function decodeEthernet(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number): void {
  pushProtocol(out, 'eth');
  if (end - off < 14) return stopShort(out, off, end, 'Ethernet header');
  if (out.srcMac < 0 && out.dstMac < 0) {
    out.dstMac = mac48(d, off);
    out.srcMac = mac48(d, off + 6);
  }
  const type = u16(d, off + 12);
  // Type 0 is taken as an (unknown) ethertype, not an 802.3 length, as Wireshark does.
  if (type <= 1500 && type !== 0) {
    // 802.3 length field: an LLC frame (STP, CDP...), no IP to find.
    pushProtocol(out, 'llc');
    return stopAt(out, StopReason.Unsupported, off + 14, '802.2 LLC frame not decoded');
  }
  pushProtocol(out, 'ethertype');
  decodeEthertype(d, type, off + 14, end, out, depth);
}

/** Names Wireshark gives ethertypes we recognise but do not decode further. */
const ETHERTYPE_NAMES: Record<number, string> = {
  0x0806: 'arp', 0x8035: 'arp', 0x8863: 'pppoed', 0x88cc: 'lldp', 0x9000: 'loop', 0x8809: 'slow',
  0x88e5: 'macsec', 0x8906: 'fcoe', 0x888e: 'eapol', 0x22f3: 'trill', 0x8926: 'vntag', 0x88a2: 'aoe', 0x88ca: 'tipc', 0x08ff: 'bpq',
};

/** Dispatches on an ethertype; the caller has pushed its own name (and `ethertype` where Wireshark shows it). */
export function decodeEthertype(d: Uint8Array, type: number, off: number, end: number, out: DecodedPacket, depth: number): void {
  if (depth > MAX_NESTING) return stopAt(out, StopReason.LimitReached, off, `more than ${MAX_NESTING} nested encapsulations`);
  switch (type) {
    case 0x0800:
      return decodeIpv4(d, off, end, out, depth, false);
    case 0x86dd:
      return decodeIpv6(d, off, end, out, depth, false);
    case 0x8100:
    case 0x9100:
      return decodeVlan(d, off, end, out, depth, 'vlan');
    case 0x88a8:
      return decodeVlan(d, off, end, out, depth, 'ieee8021ad');
    case 0x8926:
      return decodeVnTag(d, off, end, out, depth);
    case 0x8847:
    case 0x8848:
      return decodeMpls(d, off, end, out, depth);
    case 0x8864:
      return decodePppoeSession(d, off, end, out, depth);
    case 0x6558:
      return decodeEthernet(d, off, end, out, depth + 1);
    default: {
      // Unknown ethertypes get no name: Wireshark may have a dissector for them, so we claim nothing.
      const name = ETHERTYPE_NAMES[type];
      if (name !== undefined) pushProtocol(out, name);
      stopAt(out, StopReason.Unsupported, off, `ethertype 0x${type.toString(16).padStart(4, '0')} not decoded`);
    }
  }
}

/** Cisco VN-Tag (802.1Qbh): 4 bytes of tag, then the next ethertype. */
function decodeVnTag(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number): void {
  pushProtocol(out, 'vntag');
  if (end - off < 6) return stopShort(out, off, end, 'VN-Tag');
  pushProtocol(out, 'ethertype');
  decodeEthertype(d, u16(d, off + 4), off + 6, end, out, depth);
}

function decodeVlan(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number, name: string): void {
  pushProtocol(out, name);
  if (end - off < 2) return stopShort(out, off, end, `${name} tag`);
  if (out.vlanCount >= out.vlanIds.length) {
    return stopAt(out, StopReason.LimitReached, off, `more than ${out.vlanIds.length} VLAN tags`);
  }
  // The id is kept even when the capture ends before the next ethertype, as Wireshark does.
  out.vlanTpids[out.vlanCount] = u16(d, off - 2);
  out.vlanIds[out.vlanCount++] = u16(d, off) & 0x0fff;
  if (end - off < 4) return stopShort(out, off, end, `${name} tag`);
  const type = u16(d, off + 2);
  // An 802.1Q tag followed by a length means 802.2 LLC; Wireshark's 802.1ad dissector always reads an ethertype.
  if (type <= 1500 && name === 'vlan') {
    pushProtocol(out, 'llc');
    return stopAt(out, StopReason.Unsupported, off + 4, '802.2 LLC frame not decoded');
  }
  pushProtocol(out, 'ethertype');
  decodeEthertype(d, type, off + 4, end, out, depth);
}

/** An MPLS label stack; after the bottom label the payload type is guessed from the IP version nibble. */
export function decodeMpls(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number): void {
  pushProtocol(out, 'mpls');
  let p = off;
  for (;;) {
    if (end - p < 4) return stopShort(out, p, end, 'MPLS label');
    if (out.mplsCount >= out.mplsLabels.length) {
      return stopAt(out, StopReason.LimitReached, p, `more than ${out.mplsLabels.length} MPLS labels`);
    }
    out.mplsLabels[out.mplsCount++] = u32(d, p) >>> 12;
    const bottom = (d[p + 2]! & 1) === 1;
    p += 4;
    if (bottom) break;
  }
  if (p >= end) return;
  const version = d[p]! >> 4;
  if (version === 4 || version === 6) return decodeIpByVersion(d, p, end, out, depth + 1, false);
  // An Ethernet pseudowire, with a 4-byte control word (first nibble 0) or without, is recognised the way
  // Wireshark's pwethheuristic does it: an Ethernet header whose ethertype is a common one.
  if (version === 0 && looksLikeEthernet(d, p + 4, end)) {
    pushProtocol(out, 'pwethheuristic');
    pushProtocol(out, 'pwethcw');
    return decodeEthernet(d, p + 4, end, out, depth + 1);
  }
  if (looksLikeEthernet(d, p, end)) {
    pushProtocol(out, 'pwethheuristic');
    return decodeEthernet(d, p, end, out, depth + 1);
  }
  stopAt(out, StopReason.Unsupported, p, `MPLS payload with first nibble ${version} not decoded`);
}

function looksLikeEthernet(d: Uint8Array, off: number, end: number): boolean {
  if (end - off < 14) return false;
  const type = u16(d, off + 12);
  return type === 0x0800 || type === 0x86dd || type === 0x0806 || type === 0x8100 || type === 0x88a8 || type === 0x8847;
}

function decodePppoeSession(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number): void {
  pushProtocol(out, 'pppoes');
  if (end - off < 6) return stopShort(out, off, end, 'PPPoE header');
  const payloadEnd = Math.min(end, off + 6 + u16(d, off + 4));
  decodePpp(d, off + 6, payloadEnd, out, depth);
}

const PPP_NAMES: Record<number, string> = {
  0xc021: 'lcp', 0x8021: 'ipcp', 0x8057: 'ipv6cp', 0xc023: 'pap', 0xc223: 'chap', 0x80fd: 'ccp', 0x8281: 'mplscp',
};

/** PPP, with or without the HDLC address/control bytes (FF 03) and with protocol-field compression. */
export function decodePpp(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number): void {
  let p = off;
  // An 0xFF address byte means HDLC-like framing: address and control are skipped whatever the control byte says.
  if (end - p >= 1 && d[p] === 0xff) p += 2;
  // Wireshark shows the PPP layer only once its protocol field is there.
  if (end - p < 2) return stopShort(out, p, end, 'PPP protocol field');
  pushProtocol(out, 'ppp');
  let proto: number;
  if ((d[p]! & 1) === 1) {
    proto = d[p]!;
    p += 1;
  } else {
    proto = u16(d, p);
    p += 2;
  }
  switch (proto) {
    case 0x0021:
      return decodeIpv4(d, p, end, out, depth, false);
    case 0x0057:
      return decodeIpv6(d, p, end, out, depth, false);
    case 0x0281:
    case 0x0283:
      return decodeMpls(d, p, end, out, depth);
    default:
      pushProtocol(out, PPP_NAMES[proto] ?? 'data');
      stopAt(out, StopReason.Unsupported, p, `PPP protocol 0x${proto.toString(16).padStart(4, '0')} not decoded`);
  }
}
