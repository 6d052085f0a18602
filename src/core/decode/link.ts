/**
 * Link layers and the ethertype-level encapsulations that sit between them and IP (802.1Q/802.1ad tags, MPLS,
 * PPPoE, PPP). Each decoder checks its header length once, records its facts and hands the rest on.
 * Layer names pushed to `protocols` follow Wireshark's dissector names so `frame.protocols` can be compared.
 */
import type { DecodedPacket } from './types';
import { StopReason } from './types';
import { mac48, u16, u16le, u32, u32le } from './bytes';
import { MAX_NESTING } from './limits';
import { pushProtocol, stopAt, stopShort } from './state';
import { decodeIpByVersion, decodeIpv4, decodeIpv6 } from './ip';

/** LINKTYPE_* values (tcpdump.org/linktypes.html) the decoder understands. */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  PPP: 9,
  RAW_BSD: 12,
  RAW_OPENBSD: 14,
  PPP_HDLC: 50,
  RAW: 101,
  C_HDLC: 104,
  IEEE802_11: 105,
  FRELAY: 107,
  RADIOTAP: 127,
  LOOP: 108,
  LINUX_SLL: 113,
  ARCNET_LINUX: 129,
  IPNET: 226,
  IPV4: 228,
  IPV6: 229,
  NFLOG: 239,
  IPOIB: 242,
  LINUX_SLL2: 276,
} as const;

export function decodeLinkLayer(d: Uint8Array, linkType: number, out: DecodedPacket): void {
  const end = d.length;
  switch (linkType) {
    case LinkType.ETHERNET:
      decodeEthernet(d, 0, end, out, 0);
      return;
    case LinkType.NULL:
    case LinkType.LOOP:
      decodeNull(d, end, out, linkType === LinkType.LOOP);
      return;
    case LinkType.LINUX_SLL:
      decodeSll(d, end, out);
      return;
    case LinkType.LINUX_SLL2:
      decodeSll2(d, end, out);
      return;
    case LinkType.RAW:
    case LinkType.RAW_BSD:
    case LinkType.RAW_OPENBSD:
      pushProtocol(out, 'raw');
      // Wireshark's raw-IP dissector looks at nothing shorter than 8 bytes.
      if (end < 8) return stopShort(out, d, 0, end, 'raw IP packet');
      decodeIpByVersion(d, 0, end, out, 0, false);
      return;
    case LinkType.IPV4:
      decodeIpv4(d, 0, end, out, 0, false);
      return;
    case LinkType.IPV6:
      // A LINKTYPE_IPV6 frame that is not IPv6 is not dissected at all by tshark (corpus quirk 7).
      if (end > 0 && d[0]! >> 4 !== 6) {
        stopAt(out, StopReason.Malformed, 0, `LINKTYPE_IPV6 frame holds IP version ${d[0]! >> 4}`);
        return;
      }
      decodeIpv6(d, 0, end, out, 0, false);
      return;
    case LinkType.PPP:
    case LinkType.PPP_HDLC:
      decodePpp(d, 0, end, out, 0);
      return;
    case LinkType.C_HDLC:
      decodeCiscoHdlc(d, end, out);
      return;
    case LinkType.NFLOG:
      decodeNflog(d, end, out);
      return;
    case LinkType.IPNET:
      decodeIpnet(d, end, out);
      return;
    case LinkType.IPOIB:
      // 20-byte destination and 20-byte source hardware addresses, the ethertype, 2 reserved bytes.
      pushProtocol(out, 'ipoib');
      if (end < 44) return stopShort(out, d, 0, end, 'IPoIB header');
      decodeEthertype(d, u16(d, 40), 44, end, out, 0);
      return;
    case LinkType.FRELAY:
      decodeFrameRelay(d, end, out);
      return;
    case LinkType.IEEE802_11:
      decodeIeee80211(d, 0, end, out);
      return;
    case LinkType.RADIOTAP:
      decodeRadiotap(d, end, out);
      return;
    case LinkType.ARCNET_LINUX:
      decodeArcnet(d, end, out);
      return;
    default:
      stopAt(out, StopReason.Unsupported, 0, `link type ${linkType} not decoded`);
  }
}

/** Ethernet II / 802.3. Only the outermost Ethernet header sets the packet's MAC addresses. */
export function decodeEthernet(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number): void {
  pushProtocol(out, 'eth');
  if (end - off < 14) return stopShort(out, d, off, end, 'Ethernet header');
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
  if (end - off < 6) return stopShort(out, d, off, end, 'VN-Tag');
  pushProtocol(out, 'ethertype');
  decodeEthertype(d, u16(d, off + 4), off + 6, end, out, depth);
}

function decodeVlan(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number, name: string): void {
  pushProtocol(out, name);
  if (end - off < 2) return stopShort(out, d, off, end, `${name} tag`);
  if (out.vlanCount >= out.vlanIds.length) {
    return stopAt(out, StopReason.LimitReached, off, `more than ${out.vlanIds.length} VLAN tags`);
  }
  // The id is kept even when the capture ends before the next ethertype, as Wireshark does.
  out.vlanTpids[out.vlanCount] = u16(d, off - 2);
  out.vlanIds[out.vlanCount++] = u16(d, off) & 0x0fff;
  if (end - off < 4) return stopShort(out, d, off, end, `${name} tag`);
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
    if (end - p < 4) return stopShort(out, d, p, end, 'MPLS label');
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
  if (end - off < 6) return stopShort(out, d, off, end, 'PPPoE header');
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
  if (end - p < 2) return stopShort(out, d, p, end, 'PPP protocol field');
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

/** BSD loopback: a 4-byte address family in the capturing host's byte order (LOOP: always big-endian). */
function decodeNull(d: Uint8Array, end: number, out: DecodedPacket, bigEndian: boolean): void {
  pushProtocol(out, 'null');
  if (end < 4) return stopShort(out, d, 0, end, 'loopback header');
  let family = bigEndian ? u32(d, 0) : u32le(d, 0);
  // A little-endian read of a big-endian family leaves the value in the upper half.
  if (!bigEndian && (family & 0xffff0000) !== 0) family = u32(d, 0);
  if (family === 2) return decodeIpv4(d, 4, end, out, 0, false);
  // AF_INET6 differs per BSD: 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (Darwin); 10 is Linux.
  if (family === 24 || family === 28 || family === 30 || family === 10) return decodeIpv6(d, 4, end, out, 0, false);
  // Some captures put a Cisco HDLC-like header (0F 00 + ethertype) on the loopback link; Wireshark then goes by
  // the ethertype in the low half.
  const ethertype = u16(d, 2);
  if (family > 0xffff && ethertype === 0x0800) return decodeIpv4(d, 4, end, out, 0, false);
  if (family > 0xffff && ethertype === 0x86dd) return decodeIpv6(d, 4, end, out, 0, false);
  if (end > 4) pushProtocol(out, 'data');
  stopAt(out, StopReason.Unsupported, 4, `loopback address family ${family} not decoded`);
}

function setSllSource(d: Uint8Array, addrLen: number, addrOff: number, out: DecodedPacket): void {
  if (addrLen === 6) out.srcMac = mac48(d, addrOff);
}

function decodeSllProtocol(d: Uint8Array, proto: number, off: number, end: number, out: DecodedPacket): void {
  if (proto <= 1500) {
    // 4 = 802.2 LLC; 1 = Novell 802.3 and other Linux ETH_P_* values below 1536 are shown otherwise by Wireshark.
    if (proto === 4) pushProtocol(out, 'llc');
    return stopAt(out, StopReason.Unsupported, off, `SLL protocol ${proto} not decoded`);
  }
  pushProtocol(out, 'ethertype');
  decodeEthertype(d, proto, off, end, out, 0);
}

function decodeSll(d: Uint8Array, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'sll');
  if (end < 16) return stopShort(out, d, 0, end, 'Linux cooked header');
  setSllSource(d, u16(d, 4), 6, out);
  decodeSllProtocol(d, u16(d, 14), 16, end, out);
}

function decodeSll2(d: Uint8Array, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'sll');
  if (end < 20) return stopShort(out, d, 0, end, 'Linux cooked v2 header');
  setSllSource(d, d[11]!, 12, out);
  decodeSllProtocol(d, u16(d, 0), 20, end, out);
}

function decodeCiscoHdlc(d: Uint8Array, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'chdlc');
  if (end < 4) return stopShort(out, d, 0, end, 'Cisco HDLC header');
  const proto = u16(d, 2);
  if (proto === 0x8035) {
    pushProtocol(out, 'slarp');
    return stopAt(out, StopReason.Unsupported, 4, 'SLARP not decoded');
  }
  if (proto === 0x2000) {
    pushProtocol(out, 'cdp');
    return stopAt(out, StopReason.Unsupported, 4, 'CDP not decoded');
  }
  if (end <= 4) return stopShort(out, d, 4, end, 'Cisco HDLC payload');
  decodeEthertype(d, proto, 4, end, out, 0);
}

/** NFLOG: 4-byte header, then TLVs (lengths in host byte order, padded to 4); type 9 holds the packet. */
function decodeNflog(d: Uint8Array, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'nflog');
  if (end < 4) return stopShort(out, d, 0, end, 'NFLOG header');
  const family = d[0]!;
  // Every TLV is walked before the payload is looked at (as Wireshark does): one that runs past the captured
  // bytes makes the whole record malformed.
  let payload = -1;
  let payloadEnd = -1;
  let p = 4;
  while (end - p >= 4) {
    let len = u16le(d, p);
    let type = u16le(d, p + 2);
    if (len < 4 || p + len > end) {
      // Written on a big-endian host?
      len = u16(d, p);
      type = u16(d, p + 2);
    }
    if (len < 4) break;
    if (p + len > end) return stopShort(out, d, p, end, 'NFLOG TLV');
    if ((type & 0x7fff) === 9) {
      payload = p + 4;
      payloadEnd = p + len;
    }
    p += (len + 3) & ~3;
  }
  if (payload < 0) return stopAt(out, StopReason.Unsupported, 4, 'NFLOG record without a payload TLV');
  if (family === 2) return decodeIpv4(d, payload, payloadEnd, out, 0, false);
  if (family === 10) return decodeIpv6(d, payload, payloadEnd, out, 0, false);
  stopAt(out, StopReason.Unsupported, payload, `NFLOG family ${family} not decoded`);
}

/** Solaris IPNET: 24-byte header whose second byte is the address family (2 IPv4, 26 IPv6). */
function decodeIpnet(d: Uint8Array, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'ipnet');
  if (end < 24) return stopShort(out, d, 0, end, 'IPNET header');
  const family = d[1]!;
  // The header's data length bounds the packet (Wireshark gives IP no more than that).
  const payloadEnd = Math.min(end, 24 + u32(d, 4));
  if (family === 2) return decodeIpv4(d, 24, payloadEnd, out, 0, false);
  if (family === 26) return decodeIpv6(d, 24, payloadEnd, out, 0, false);
  stopAt(out, StopReason.Unsupported, 24, `IPNET family ${family} not decoded`);
}

/**
 * Frame Relay: a 2-4 byte address (the last byte has the EA bit set), then either Q.933 UI (03) and an NLPID
 * (CC IPv4, 8E IPv6) or, in Cisco's encapsulation, an ethertype.
 */
function decodeFrameRelay(d: Uint8Array, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'fr');
  let p = 0;
  while (p < end && p < 4 && (d[p]! & 1) === 0) p++;
  p++;
  if (end - p < 2) return stopShort(out, d, p, end, 'Frame Relay header');
  if (d[p] === 0x03) {
    const nlpid = d[p + 1]!;
    if (nlpid === 0xcc) return decodeIpv4(d, p + 2, end, out, 0, false);
    if (nlpid === 0x8e) return decodeIpv6(d, p + 2, end, out, 0, false);
    return stopAt(out, StopReason.Unsupported, p + 1, `Frame Relay NLPID 0x${nlpid.toString(16)} not decoded`);
  }
  const type = u16(d, p);
  if (type === 0x0800) return decodeIpv4(d, p + 2, end, out, 0, false);
  if (type === 0x86dd) return decodeIpv6(d, p + 2, end, out, 0, false);
  stopAt(out, StopReason.Unsupported, p, `Frame Relay type 0x${type.toString(16)} not decoded`);
}

/** Radiotap: a little-endian header length at byte 2, then an 802.11 frame. */
function decodeRadiotap(d: Uint8Array, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'radiotap');
  if (end < 4) return stopShort(out, d, 0, end, 'radiotap header');
  const len = u16le(d, 2);
  if (len < 8 || len > end) return stopShort(out, d, 0, len > end ? end : 0, 'radiotap header');
  pushProtocol(out, 'wlan_radio');
  decodeIeee80211(d, len, end, out);
}

/**
 * IEEE 802.11 data frames: 24-byte header (+6 with four addresses, +2 QoS control, +4 HT control), then
 * LLC/SNAP and an ethertype. Protected (encrypted) and non-data frames stop there.
 */
function decodeIeee80211(d: Uint8Array, off: number, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'wlan');
  if (end - off < 24) return stopShort(out, d, off, end, '802.11 header');
  const fc = d[off]!;
  const flags = d[off + 1]!;
  const type = (fc >> 2) & 3;
  const subtype = fc >> 4;
  if (type !== 2) return stopAt(out, StopReason.Unsupported, off, `802.11 frame type ${type} carries no packet`);
  if ((flags & 0x40) !== 0) return stopAt(out, StopReason.Unsupported, off, '802.11 protected frame not decoded');
  let hl = 24;
  if ((flags & 3) === 3) hl += 6;
  if ((subtype & 8) !== 0) {
    hl += 2;
    if ((flags & 0x80) !== 0) hl += 4;
  }
  if ((subtype & 4) !== 0) return; // null data: no body
  const p = off + hl;
  if (end - p < 8) return stopShort(out, d, p, end, '802.11 LLC/SNAP header');
  pushProtocol(out, 'llc');
  if (d[p] !== 0xaa || d[p + 1] !== 0xaa || d[p + 2] !== 0x03) {
    return stopAt(out, StopReason.Unsupported, p, '802.2 LLC without SNAP not decoded');
  }
  decodeEthertype(d, u16(d, p + 6), p + 8, end, out, 0);
}

/** Linux ARCNET: source, destination, 2-byte offset, then the ARCNET protocol id (RFC 1201 or RFC 1051). */
function decodeArcnet(d: Uint8Array, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'arcnet');
  if (end < 5) return stopShort(out, d, 0, end, 'ARCNET header');
  const proto = d[4]!;
  // RFC 1201 ids (0xd4 IP, 0xd5 ARP) are followed by a split flag and a 2-byte sequence (4 more with an exception
  // packet's split flag 0xff); RFC 1051 ids (0xf0 IP, 0xf1 ARP) by nothing.
  let p = 5;
  if (proto === 0xd4 || proto === 0xd5) {
    if (end - p < 3) return stopShort(out, d, p, end, 'ARCNET header');
    p += d[p] === 0xff ? 7 : 3;
  }
  if (proto === 0xd4 || proto === 0xf0) return decodeIpv4(d, p, end, out, 0, false);
  if (proto === 0xd5 || proto === 0xf1) pushProtocol(out, 'arp');
  stopAt(out, StopReason.Unsupported, p, `ARCNET protocol 0x${proto.toString(16)} not decoded`);
}
