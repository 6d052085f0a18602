/**
 * Tunnels that carry a link layer or IP again: GRE (with ERSPAN, transparent Ethernet bridging, PPTP's PPP and
 * Cisco metadata), and the UDP-port tunnels VXLAN, Geneve, GTP-U, GRE-in-UDP and MPLS-in-UDP. Only the IANA
 * ports are used; heuristic detection (VXLAN on 8472, Teredo...) is left out on purpose.
 */
import type { DecodedPacket } from './types';
import { StopReason } from './types';
import { u16 } from './bytes';
import { MAX_NESTING } from './limits';
import { pushProtocol, stopAt, stopShort } from './state';
import { decodeIpByVersion, decodeIpv4, decodeIpv6 } from './ip';
import { decodeEthernet, decodeEthertype, decodeMpls, decodePpp } from './ethernet';

const PORT_VXLAN = 4789;
const PORT_GENEVE = 6081;
const PORT_GTP_U = 2152;
const PORT_GRE_IN_UDP = 4754;
const PORT_MPLS_IN_UDP = 6635;
const PORT_TEREDO = 3544;
const PORT_VXLAN_GPE = 4790;
const PORT_L2TP = 1701;

function isTunnelPort(p: number): boolean {
  return p === PORT_VXLAN || p === PORT_GENEVE || p === PORT_GTP_U || p === PORT_GRE_IN_UDP || p === PORT_MPLS_IN_UDP ||
    p === PORT_TEREDO || p === PORT_VXLAN_GPE || p === PORT_L2TP;
}

/** The tunnel port of a UDP header, or 0. Like Wireshark, the lower port is tried first. */
export function udpTunnelPort(src: number, dst: number): number {
  const lo = Math.min(src, dst);
  const hi = Math.max(src, dst);
  if (isTunnelPort(lo)) return lo;
  if (isTunnelPort(hi)) return hi;
  return 0;
}

function tooDeep(out: DecodedPacket, off: number, depth: number): boolean {
  if (depth <= MAX_NESTING) return false;
  stopAt(out, StopReason.LimitReached, off, `more than ${MAX_NESTING} nested encapsulations`);
  return true;
}

export function decodeUdpTunnel(port: number, d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number): void {
  if (tooDeep(out, off, depth)) return;
  switch (port) {
    case PORT_VXLAN:
      pushProtocol(out, 'vxlan');
      if (end - off < 8) return stopShort(out, off, end, 'VXLAN header');
      return decodeEthernet(d, off + 8, end, out, depth);
    case PORT_GENEVE:
      return decodeGeneve(d, off, end, out, depth);
    case PORT_GTP_U:
      return decodeGtpU(d, off, end, out, depth);
    case PORT_GRE_IN_UDP:
      return decodeGre(d, off, end, out, depth, false);
    case PORT_MPLS_IN_UDP:
      return decodeMpls(d, off, end, out, depth);
    case PORT_TEREDO:
      return decodeTeredo(d, off, end, out, depth);
    case PORT_L2TP:
      return decodeL2tp(d, off, end, out, depth);
    case PORT_VXLAN_GPE:
      if (end - off < 8) return stopShort(out, off, end, 'VXLAN-GPE header');
      return decodeNextProtocol(d[off + 3]!, d, off + 8, end, out, depth);
  }
}

/**
 * VXLAN-GPE / NSH "next protocol" values: 1 IPv4, 2 IPv6, 3 Ethernet, 4 NSH, 5 MPLS.
 */
function decodeNextProtocol(next: number, d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number): void {
  switch (next) {
    case 1:
      return decodeIpv4(d, off, end, out, depth, false);
    case 2:
      return decodeIpv6(d, off, end, out, depth, false);
    case 3:
      return decodeEthernet(d, off, end, out, depth);
    case 4:
      return decodeNsh(d, off, end, out, depth);
    case 5:
      return decodeMpls(d, off, end, out, depth);
    default:
      stopAt(out, StopReason.Unsupported, off, `next protocol ${next} not decoded`);
  }
}

/** Network Service Header (RFC 8300): length in 4-byte words in the low 6 bits of byte 1, next protocol in byte 3. */
function decodeNsh(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number): void {
  pushProtocol(out, 'nsh');
  if (tooDeep(out, off, depth)) return;
  if (end - off < 8) return stopShort(out, off, end, 'NSH header');
  const len = (d[off + 1]! & 0x3f) * 4;
  if (len < 8) return stopAt(out, StopReason.Malformed, off, `NSH length ${len} below 8`);
  if (end - off < len) return stopShort(out, off, end, 'NSH header');
  decodeNextProtocol(d[off + 3]!, d, off + len, end, out, depth + 1);
}

/**
 * L2TPv2 (RFC 2661) data messages carry PPP: flags and version, optional length, tunnel and session ids,
 * optional Ns/Nr, optional offset padding. Control messages (T bit) carry no packet.
 */
function decodeL2tp(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number): void {
  pushProtocol(out, 'l2tp');
  if (end - off < 2) return stopShort(out, off, end, 'L2TP header');
  const flags = u16(d, off);
  if ((flags & 0x000f) !== 2) return stopAt(out, StopReason.Unsupported, off, `L2TP version ${flags & 0x0f} not decoded`);
  if ((flags & 0x8000) !== 0) return stopAt(out, StopReason.Unsupported, off, 'L2TP control message');
  let hl = 6 + ((flags & 0x4000) !== 0 ? 2 : 0) + ((flags & 0x0800) !== 0 ? 4 : 0);
  if ((flags & 0x0200) !== 0) {
    if (end - off < hl + 2) return stopShort(out, off, end, 'L2TP header');
    hl += 2 + u16(d, off + hl);
  }
  if (end - off < hl) return stopShort(out, off, end, 'L2TP header');
  decodePpp(d, off + hl, end, out, depth);
}

/**
 * Teredo (RFC 4380) on its UDP port: an optional authentication indicator (00 01), an optional origin indication
 * (00 00, 8 bytes), then the IPv6 packet.
 */
function decodeTeredo(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number): void {
  pushProtocol(out, 'teredo');
  let p = off;
  if (end - p >= 4 && u16(d, p) === 1) {
    // id length and auth length, the id and auth value, an 8-byte nonce and a confirmation byte
    p += 4 + d[p + 2]! + d[p + 3]! + 9;
  }
  if (end - p >= 2 && u16(d, p) === 0) p += 8;
  // Wireshark reads 2 bytes (looking for another indicator) before it hands over to IPv6.
  if (end - p < 2) return stopShort(out, p, end, 'Teredo payload');
  decodeIpv6(d, p, end, out, depth, false);
}

function decodeGeneve(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number): void {
  pushProtocol(out, 'geneve');
  if (end - off < 8) return stopShort(out, off, end, 'Geneve header');
  const hl = 8 + (d[off]! & 0x3f) * 4;
  if (end - off < hl) return stopShort(out, off, end, 'Geneve options');
  const proto = u16(d, off + 2);
  if (proto === 0x6558) return decodeEthernet(d, off + hl, end, out, depth);
  decodeEthertype(d, proto, off + hl, end, out, depth);
}

/** GTP-U version 1: G-PDUs (message type 255) carry an IP packet after the header and its extensions. */
function decodeGtpU(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number): void {
  const flags = d[off]!;
  // Wireshark's GTP-U dissector refuses other versions (the payload is then plain data).
  if (flags >> 5 !== 1) return stopAt(out, StopReason.Unsupported, off, `GTP version ${flags >> 5} not decoded`);
  pushProtocol(out, 'gtp');
  if (end - off < 8) return stopShort(out, off, end, 'GTP header');
  let p = off + 8;
  if ((flags & 0x07) !== 0) {
    if (end - p < 4) return stopShort(out, p, end, 'GTP optional fields');
    let next = d[p + 3]!;
    p += 4;
    // Extension headers: length in 4-byte units, next type in the last byte; each step moves >= 4 bytes.
    while ((flags & 0x04) !== 0 && next !== 0) {
      if (end - p < 1) return stopShort(out, p, end, 'GTP extension header');
      const len = d[p]! * 4;
      if (len === 0) return stopAt(out, StopReason.Malformed, p, 'GTP extension header of length 0');
      if (end - p < len) return stopShort(out, p, end, 'GTP extension header');
      next = d[p + len - 1]!;
      p += len;
    }
  }
  if (d[off + 1] !== 255) return stopAt(out, StopReason.Unsupported, off, `GTP message type ${d[off + 1]} carries no user packet`);
  if (p >= end) return;
  // Wireshark takes the payload as IPv4 only for a first byte 0x45..0x4e (version 4, a plausible IHL), as IPv6
  // for a version nibble 6.
  const first = d[p]!;
  if ((first >= 0x45 && first <= 0x4e) || first >> 4 === 6) return decodeIpByVersion(d, p, end, out, depth, false);
  stopAt(out, StopReason.Unsupported, p, `GTP payload starting 0x${first.toString(16)} not decoded`);
}

/** GRE (RFC 2784/2890) and PPTP's enhanced GRE (version 1). */
export function decodeGre(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number, quoted: boolean): void {
  pushProtocol(out, 'gre');
  if (tooDeep(out, off, depth)) return;
  if (end - off < 4) return stopShort(out, off, end, 'GRE header');
  const flags = u16(d, off);
  const proto = u16(d, off + 2);
  const version = flags & 7;
  if ((flags & 0x4000) !== 0) {
    return stopAt(out, StopReason.Unsupported, off, 'GRE with source routing not decoded');
  }
  let hl = 4;
  if ((flags & 0x8000) !== 0) hl += 4;
  if ((flags & 0x2000) !== 0) hl += 4;
  if ((flags & 0x1000) !== 0) hl += 4;
  if (version === 1 && (flags & 0x0080) !== 0) hl += 4;
  if (end - off < hl) return stopShort(out, off, end, 'GRE header');
  const p = off + hl;
  if (p >= end) return;
  switch (proto) {
    case 0x0800:
      return decodeIpv4(d, p, end, out, depth, quoted);
    case 0x86dd:
      return decodeIpv6(d, p, end, out, depth, quoted);
    case 0x6558:
      return decodeEthernet(d, p, end, out, depth);
    case 0x880b:
      return decodePpp(d, p, end, out, depth);
    case 0x8847:
    case 0x8848:
      return decodeMpls(d, p, end, out, depth);
    case 0x88be:
    case 0x22eb: {
      // ERSPAN: type I (0x88be without GRE sequence numbers) has no header; otherwise the header's version says
      // the type, whatever the GRE protocol: 1 = type II (8 bytes), 2 = type III (12 bytes, +8 with the O bit).
      pushProtocol(out, 'erspan');
      if (proto === 0x88be && (flags & 0x1000) === 0) return decodeEthernet(d, p, end, out, depth);
      const version = d[p]! >> 4;
      if (version !== 1 && version !== 2) return stopAt(out, StopReason.Unsupported, p, `ERSPAN version ${version} not decoded`);
      if (end - p < (version === 1 ? 8 : 12)) return stopShort(out, p, end, 'ERSPAN header');
      const eh = version === 1 ? 8 : (d[p + 11]! & 1) !== 0 ? 20 : 12;
      if (end - p < eh) return stopShort(out, p, end, 'ERSPAN header');
      return decodeEthernet(d, p + eh, end, out, depth);
    }
    case 0x8909: {
      // Cisco MetaData inside GRE: the carried ethertype first, then version, length, option and SGT (8 bytes).
      pushProtocol(out, 'cmd');
      if (end - p < 8) return stopShort(out, p, end, 'Cisco MetaData header');
      return decodeEthertype(d, u16(d, p), p + 8, end, out, depth);
    }
    case 0x2000:
      pushProtocol(out, 'cdp');
      return stopAt(out, StopReason.Unsupported, p, 'CDP not decoded');
    default:
      pushProtocol(out, 'data');
      stopAt(out, StopReason.Unsupported, p, `GRE protocol 0x${proto.toString(16).padStart(4, '0')} not decoded`);
  }
}
