/**
 * The capture-specific link headers in front of IP: BSD loopback, Linux cooked (SLL, SLL2), Cisco HDLC, NFLOG,
 * Solaris IPNET, Frame Relay, radiotap + 802.11 data frames, Linux ARCNET. Each reads its header and hands the
 * rest to IP or to the ethertype dispatcher.
 */
import type { DecodedPacket } from './types';
import { StopReason } from './types';
import { mac48, u16, u16le, u32, u32le } from './bytes';
import { pushProtocol, stopAt, stopShort } from './state';
import { decodeIpv4, decodeIpv6 } from './ip';
import { decodeEthertype } from './ethernet';

/** BSD loopback: a 4-byte address family in the capturing host's byte order (LOOP: always big-endian). */
export function decodeNull(d: Uint8Array, s: number, end: number, out: DecodedPacket, bigEndian: boolean): void {
  pushProtocol(out, 'null');
  if (end - s < 4) return stopShort(out, s, end, 'loopback header');
  let family = bigEndian ? u32(d, s) : u32le(d, s);
  // A little-endian read of a big-endian family leaves the value in the upper half.
  if (!bigEndian && (family & 0xffff0000) !== 0) family = u32(d, s);
  if (family === 2) return decodeIpv4(d, s + 4, end, out, 0, false);
  // AF_INET6 differs per BSD: 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (Darwin); 10 is Linux.
  if (family === 24 || family === 28 || family === 30 || family === 10) return decodeIpv6(d, s + 4, end, out, 0, false);
  // Some captures put a Cisco HDLC-like header (0F 00 + ethertype) on the loopback link; Wireshark then goes by
  // the ethertype in the low half.
  const ethertype = u16(d, s + 2);
  if (family > 0xffff && ethertype === 0x0800) return decodeIpv4(d, s + 4, end, out, 0, false);
  if (family > 0xffff && ethertype === 0x86dd) return decodeIpv6(d, s + 4, end, out, 0, false);
  if (end - s > 4) pushProtocol(out, 'data');
  stopAt(out, StopReason.Unsupported, s + 4, `loopback address family ${family} not decoded`);
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

export function decodeSll(d: Uint8Array, s: number, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'sll');
  if (end - s < 16) return stopShort(out, s, end, 'Linux cooked header');
  setSllSource(d, u16(d, s + 4), s + 6, out);
  decodeSllProtocol(d, u16(d, s + 14), s + 16, end, out);
}

export function decodeSll2(d: Uint8Array, s: number, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'sll');
  if (end - s < 20) return stopShort(out, s, end, 'Linux cooked v2 header');
  setSllSource(d, d[s + 11]!, s + 12, out);
  decodeSllProtocol(d, u16(d, s), s + 20, end, out);
}

export function decodeCiscoHdlc(d: Uint8Array, s: number, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'chdlc');
  if (end - s < 4) return stopShort(out, s, end, 'Cisco HDLC header');
  const proto = u16(d, s + 2);
  if (proto === 0x8035) {
    pushProtocol(out, 'slarp');
    return stopAt(out, StopReason.Unsupported, s + 4, 'SLARP not decoded');
  }
  if (proto === 0x2000) {
    pushProtocol(out, 'cdp');
    return stopAt(out, StopReason.Unsupported, s + 4, 'CDP not decoded');
  }
  if (end - s <= 4) return stopShort(out, s + 4, end, 'Cisco HDLC payload');
  decodeEthertype(d, proto, s + 4, end, out, 0);
}

/** NFLOG: 4-byte header, then TLVs (lengths in host byte order, padded to 4); type 9 holds the packet. */
export function decodeNflog(d: Uint8Array, s: number, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'nflog');
  if (end - s < 4) return stopShort(out, s, end, 'NFLOG header');
  const family = d[s]!;
  // Every TLV is walked before the payload is looked at (as Wireshark does): one that runs past the captured
  // bytes makes the whole record malformed.
  let payload = -1;
  let payloadEnd = -1;
  let p = s + 4;
  while (end - p >= 4) {
    let len = u16le(d, p);
    let type = u16le(d, p + 2);
    if (len < 4 || p + len > end) {
      // Written on a big-endian host?
      len = u16(d, p);
      type = u16(d, p + 2);
    }
    if (len < 4) break;
    if (p + len > end) return stopShort(out, p, end, 'NFLOG TLV');
    if ((type & 0x7fff) === 9) {
      payload = p + 4;
      payloadEnd = p + len;
    }
    p += (len + 3) & ~3;
  }
  if (payload < 0) return stopAt(out, StopReason.Unsupported, s + 4, 'NFLOG record without a payload TLV');
  if (family === 2) return decodeIpv4(d, payload, payloadEnd, out, 0, false);
  if (family === 10) return decodeIpv6(d, payload, payloadEnd, out, 0, false);
  stopAt(out, StopReason.Unsupported, payload, `NFLOG family ${family} not decoded`);
}

/** Solaris IPNET: 24-byte header whose second byte is the address family (2 IPv4, 26 IPv6). */
export function decodeIpnet(d: Uint8Array, s: number, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'ipnet');
  if (end - s < 24) return stopShort(out, s, end, 'IPNET header');
  const family = d[s + 1]!;
  // The header's data length bounds the packet (Wireshark gives IP no more than that).
  const payloadEnd = Math.min(end, s + 24 + u32(d, s + 4));
  if (family === 2) return decodeIpv4(d, s + 24, payloadEnd, out, 0, false);
  if (family === 26) return decodeIpv6(d, s + 24, payloadEnd, out, 0, false);
  stopAt(out, StopReason.Unsupported, s + 24, `IPNET family ${family} not decoded`);
}

/**
 * Frame Relay: a 2-4 byte address (the last byte has the EA bit set), then either Q.933 UI (03) and an NLPID
 * (CC IPv4, 8E IPv6) or, in Cisco's encapsulation, an ethertype.
 */
export function decodeFrameRelay(d: Uint8Array, s: number, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'fr');
  let p = s;
  while (p < end && p < s + 4 && (d[p]! & 1) === 0) p++;
  p++;
  if (end - p < 2) return stopShort(out, p, end, 'Frame Relay header');
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
export function decodeRadiotap(d: Uint8Array, s: number, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'radiotap');
  if (end - s < 4) return stopShort(out, s, end, 'radiotap header');
  const len = u16le(d, s + 2);
  if (len < 8 || len > end - s) return stopShort(out, s, len > end - s ? end : s, 'radiotap header');
  pushProtocol(out, 'wlan_radio');
  decodeIeee80211(d, s + len, end, out);
}

/**
 * IEEE 802.11 data frames: 24-byte header (+6 with four addresses, +2 QoS control, +4 HT control), then
 * LLC/SNAP and an ethertype. Protected (encrypted) and non-data frames stop there.
 */
export function decodeIeee80211(d: Uint8Array, off: number, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'wlan');
  if (end - off < 24) return stopShort(out, off, end, '802.11 header');
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
  if (end - p < 8) return stopShort(out, p, end, '802.11 LLC/SNAP header');
  pushProtocol(out, 'llc');
  if (d[p] !== 0xaa || d[p + 1] !== 0xaa || d[p + 2] !== 0x03) {
    return stopAt(out, StopReason.Unsupported, p, '802.2 LLC without SNAP not decoded');
  }
  decodeEthertype(d, u16(d, p + 6), p + 8, end, out, 0);
}

/** Linux ARCNET: source, destination, 2-byte offset, then the ARCNET protocol id (RFC 1201 or RFC 1051). */
export function decodeArcnet(d: Uint8Array, s: number, end: number, out: DecodedPacket): void {
  pushProtocol(out, 'arcnet');
  if (end - s < 5) return stopShort(out, s, end, 'ARCNET header');
  const proto = d[s + 4]!;
  // RFC 1201 ids (0xd4 IP, 0xd5 ARP) are followed by a split flag and a 2-byte sequence (4 more with an exception
  // packet's split flag 0xff); RFC 1051 ids (0xf0 IP, 0xf1 ARP) by nothing.
  let p = s + 5;
  if (proto === 0xd4 || proto === 0xd5) {
    if (end - p < 3) return stopShort(out, p, end, 'ARCNET header');
    p += d[p] === 0xff ? 7 : 3;
  }
  if (proto === 0xd4 || proto === 0xf0) return decodeIpv4(d, p, end, out, 0, false);
  if (proto === 0xd5 || proto === 0xf1) pushProtocol(out, 'arp');
  stopAt(out, StopReason.Unsupported, p, `ARCNET protocol 0x${proto.toString(16)} not decoded`);
}
