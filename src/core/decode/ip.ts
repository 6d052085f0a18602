/**
 * IPv4 and IPv6 (with extension headers). Field by field, each value is taken only if its bytes were captured,
 * and `validBytes` records how far the header could be read, so a cut header still yields its leading fields
 * (as tshark does, corpus quirk 6). The layer's bytes are trimmed to its length field before going inward.
 */
import type { DecodedPacket, IpLayer } from './types';
import { StopReason } from './types';
import { u16, u32 } from './bytes';
import { MAX_IPV6_EXT_HEADERS, MAX_NESTING } from './limits';
import { nextIpLayer, pushProtocol, stopAt, stopShort } from './state';
import { decodeIpPayload } from './transport';

function startLayer(out: DecodedPacket, off: number, depth: number, version: 4 | 6, quoted: boolean): IpLayer | null {
  if (depth > MAX_NESTING) {
    stopAt(out, StopReason.LimitReached, off, `more than ${MAX_NESTING} nested encapsulations`);
    return null;
  }
  const l = nextIpLayer(out);
  if (l === null) {
    stopAt(out, StopReason.LimitReached, off, `more than ${out.ipLayers.length} IP headers`);
    return null;
  }
  l.version = version;
  l.offset = off;
  l.available = out.frameEnd - off;
  l.quoted = quoted;
  l.hdrLen = 0; l.lengthField = 0; l.id = 0; l.df = false; l.mf = false; l.fragOffset = 0; l.v6Fragment = false;
  l.ttl = 0; l.proto = 0; l.upperProto = 0; l.upperOffset = -1; l.srcOffset = -1; l.dstOffset = -1; l.routeDstOffset = -1; l.optionsReadable = true;
  l.src4 = 0; l.dst4 = 0; l.validBytes = 0; l.payloadEnd = off;
  return l;
}

/** Chooses IPv4 or IPv6 from the version nibble (raw IP links, MPLS, GTP). */
export function decodeIpByVersion(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number, quoted: boolean): void {
  if (off >= end) return stopShort(out, off, end, 'IP header');
  const version = d[off]! >> 4;
  if (version === 4) return decodeIpv4(d, off, end, out, depth, quoted);
  if (version === 6) return decodeIpv6(d, off, end, out, depth, quoted);
  stopAt(out, StopReason.Unsupported, off, `IP version ${version} not decoded`);
}

export function decodeIpv4(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number, quoted: boolean): void {
  pushProtocol(out, 'ip');
  if (off >= end) return stopShort(out, off, end, 'IPv4 header');
  const version = d[off]! >> 4;
  // Wireshark's IPv4 dissector hands a version-6 header to IPv6 (corpus quirk 7: `ip:ipv6:...`).
  if (version === 6) return decodeIpv6(d, off, end, out, depth, quoted);
  if (version !== 4) return stopAt(out, StopReason.Malformed, off, `IPv4 header with version ${version}`);
  const l = startLayer(out, off, depth, 4, quoted);
  if (l === null) return;
  const avail = end - off;
  l.hdrLen = (d[off]! & 0x0f) * 4;
  l.validBytes = 1;
  if (l.hdrLen < 20) return stopAt(out, StopReason.Malformed, off, `IPv4 header length ${l.hdrLen} below 20`);
  if (avail < 4) return stopShort(out, off, end, 'IPv4 header');
  l.lengthField = u16(d, off + 2);
  l.validBytes = 4;
  if (l.lengthField !== 0 && l.lengthField < l.hdrLen) {
    return stopAt(out, StopReason.Malformed, off + 2, `IPv4 total length ${l.lengthField} below header length ${l.hdrLen}`);
  }
  // Total length 0 is what TSO / BIG TCP captures show: the packet runs to the end of the captured bytes.
  const pktEnd = l.lengthField === 0 ? end : Math.min(end, off + l.lengthField);
  l.payloadEnd = pktEnd;
  l.validBytes = Math.min(pktEnd - off, l.hdrLen);
  if (l.validBytes >= 6) l.id = u16(d, off + 4);
  if (l.validBytes >= 8) {
    const ff = u16(d, off + 6);
    l.df = (ff & 0x4000) !== 0;
    l.mf = (ff & 0x2000) !== 0;
    l.fragOffset = ff & 0x1fff;
  }
  if (l.validBytes >= 9) l.ttl = d[off + 8]!;
  if (l.validBytes >= 10) l.proto = l.upperProto = d[off + 9]!;
  if (l.validBytes >= 16) {
    l.srcOffset = off + 12;
    l.src4 = u32(d, off + 12);
  }
  if (l.validBytes >= 20) {
    l.dstOffset = off + 16;
    l.dst4 = u32(d, off + 16);
  }
  if (l.hdrLen > 20 && l.validBytes >= 20) {
    const r = sourceRouteDestination(d, off + 20, off + l.hdrLen, off + l.validBytes);
    // With a source route, Wireshark shows ip.dst only once every option byte was captured.
    l.optionsReadable = r === -1 || (r >= 0 && l.validBytes >= l.hdrLen);
    l.routeDstOffset = r >= 0 ? r : -1;
  }
  if (l.validBytes < l.hdrLen) return stopShort(out, off, pktEnd, 'IPv4 header');
  l.upperOffset = off + l.hdrLen;
  if (l.fragOffset !== 0) {
    // Reassembly is not ours to do: a later fragment carries no transport header.
    if (l.upperOffset < pktEnd) pushProtocol(out, 'data');
    return;
  }
  decodeIpPayload(d, l.proto, l.upperOffset, pktEnd, out, depth, out.ipCount - 1, quoted);
}

const OPTIONS_CUT = -2;

/** IPv4 options with a fixed length, and minimum lengths of variable ones (others: at least 2), as Wireshark checks them. */
const IPV4_OPTION_FIXED: Readonly<Record<number, number>> = { 136: 4, 148: 4, 25: 8, 11: 4, 12: 4, 82: 12 };
const IPV4_OPTION_MIN: Readonly<Record<number, number>> = { 131: 3, 137: 3, 7: 3, 68: 5, 130: 3, 133: 3, 134: 10 };

/**
 * Walks IPv4 options (RFC 791) the way Wireshark looks for a loose (131) or strict (137) source route: the first
 * malformed option, or an end-of-list, ends the walk without one; a route with a valid pointer gives the offset of
 * its last address. Returns that offset, -1 for none, or OPTIONS_CUT when the walk needs a byte beyond `captured`
 * (Wireshark then stops dissecting the header before its destination address).
 */
function sourceRouteDestination(d: Uint8Array, p: number, end: number, captured: number): number {
  let remaining = end - p;
  while (remaining > 0) {
    if (p >= captured) return OPTIONS_CUT;
    const type = d[p]!;
    remaining--;
    if (type === 0) return -1;
    if (type === 1) {
      p++;
      continue;
    }
    if (remaining === 0) return -1;
    if (p + 1 >= captured) return OPTIONS_CUT;
    const len = d[p + 1]!;
    remaining--;
    if (len < 2 || len - 2 > remaining) return -1;
    const fixed = IPV4_OPTION_FIXED[type];
    if (fixed !== undefined && len !== fixed) return -1;
    if (len < (IPV4_OPTION_MIN[type] ?? 2)) return -1;
    if (type === 131 || type === 137) {
      if (p + 2 >= captured) return OPTIONS_CUT;
      const ptr = d[p + 2]!;
      if (ptr < 4 || (ptr & 3) !== 0 || ptr > len) return -1;
      const last = p + len - 4;
      return last + 4 > captured ? OPTIONS_CUT : last;
    }
    p += len;
    remaining -= len - 2;
  }
  return -1;
}

const OPTIONS_BAD = -1;
const OPTIONS_OK = 0;
const OPTIONS_JUMBO = 1;

/**
 * Walks the option TLVs of a hop-by-hop or destination options header (ending at `end`): OPTIONS_BAD when one runs
 * past the packet's bytes (`limit`; Wireshark stops there as malformed; past the header alone it reads on),
 * OPTIONS_JUMBO when a Jumbo Payload option (0xC2) is present.
 */
function walkOptions(d: Uint8Array, p: number, end: number, limit: number): number {
  let result = OPTIONS_OK;
  while (p < end) {
    const type = d[p]!;
    if (type === 0) {
      p++; // Pad1
      continue;
    }
    if (end - p < 2) return result; // a type byte alone at the end: Wireshark lets it pass
    const len = d[p + 1]!;
    if (type === 0xc2) result = OPTIONS_JUMBO;
    // Wireshark reads a Home Address option's 16-byte address whatever its length field says.
    p += type === 0xc9 ? 18 : 2 + len;
    if (p > limit) return OPTIONS_BAD;
  }
  return result;
}

/** Extension headers Wireshark shows as their own layer, by next-header value. */
function extHeaderName(nh: number): string | null {
  switch (nh) {
    case 0: return 'ipv6.hopopts';
    case 43: return 'ipv6.routing';
    case 44: return 'ipv6.fraghdr';
    case 60: return 'ipv6.dstopts';
    case 51: return 'ah';
    case 135: return 'mipv6';
    case 139: return 'hip';
    case 140: return 'shim6';
    default: return null;
  }
}

export function decodeIpv6(d: Uint8Array, off: number, end: number, out: DecodedPacket, depth: number, quoted: boolean): void {
  if (off < end && d[off]! >> 4 !== 6) {
    // Wireshark's IPv6 dissector refuses such a packet, which is then shown as data.
    pushProtocol(out, 'data');
    return stopAt(out, StopReason.Malformed, off, `IPv6 header with version ${d[off]! >> 4}`);
  }
  pushProtocol(out, 'ipv6');
  if (off >= end) return stopShort(out, off, end, 'IPv6 header');
  const l = startLayer(out, off, depth, 6, quoted);
  if (l === null) return;
  const avail = end - off;
  l.hdrLen = 40;
  l.validBytes = Math.min(avail, 40);
  if (avail >= 6) l.lengthField = u16(d, off + 4);
  if (avail >= 7) l.proto = l.upperProto = d[off + 6]!;
  if (avail >= 8) l.ttl = d[off + 7]!;
  if (avail >= 24) l.srcOffset = off + 8;
  if (avail >= 40) l.dstOffset = off + 24;
  if (avail < 40) return stopShort(out, off, end, 'IPv6 header');
  // Payload length 0 is a jumbogram (BIG TCP) only with a hop-by-hop header, whose Jumbo Payload option is checked
  // below; otherwise Wireshark gives the next header an empty payload.
  const pktEnd = l.lengthField === 0 ? (l.proto === 0 ? end : off + 40) : Math.min(end, off + 40 + l.lengthField);
  l.payloadEnd = pktEnd;
  let nh = l.proto;
  let p = off + 40;
  for (let count = 0; ; count++) {
    const name = extHeaderName(nh);
    if (name === null) break;
    // Wireshark shows nothing of a quoted packet's extension header when none of it was captured.
    if (quoted && p >= pktEnd) return stopShort(out, p, pktEnd, `IPv6 ${name} header`);
    if (count >= MAX_IPV6_EXT_HEADERS) {
      return stopAt(out, StopReason.LimitReached, p, `more than ${MAX_IPV6_EXT_HEADERS} IPv6 extension headers`);
    }
    pushProtocol(out, name);
    const need = nh === 44 ? 8 : 2;
    if (pktEnd - p < need) return stopShort(out, p, pktEnd, `IPv6 ${name} header`);
    const len = nh === 44 ? 8 : nh === 51 ? (d[p + 1]! + 2) * 4 : (d[p + 1]! + 1) * 8;
    if (nh === 44) {
      const fo = u16(d, p + 2);
      l.v6Fragment = true;
      l.fragOffset = fo >> 3;
      l.mf = (fo & 1) !== 0;
      l.id = u32(d, p + 4);
    }
    if (p + len > pktEnd) return stopShort(out, p, pktEnd, `IPv6 ${name} header`);
    if (nh === 0 || nh === 60) {
      const opts = walkOptions(d, p + 2, p + len, pktEnd);
      if (opts === OPTIONS_BAD) return stopAt(out, StopReason.Malformed, p, `IPv6 ${name} option runs past the packet`);
      // Payload length 0 with a hop-by-hop header is a jumbogram only if that header says how long it is.
      if (nh === 0 && l.lengthField === 0 && opts !== OPTIONS_JUMBO) {
        return stopAt(out, StopReason.Malformed, p, 'IPv6 payload length 0 without a Jumbo Payload option');
      }
    }
    if (nh === 44 && l.lengthField === 0) {
      return stopAt(out, StopReason.Malformed, p, 'IPv6 fragment in a packet of payload length 0');
    }
    const wasFragment = nh === 44;
    nh = d[p]!;
    p += len;
    // Behind a later fragment's header there is no next header to walk (no reassembly here).
    if (wasFragment && l.fragOffset !== 0) break;
  }
  l.upperProto = nh;
  l.upperOffset = p;
  if (l.v6Fragment && l.fragOffset !== 0) {
    if (p < pktEnd) pushProtocol(out, 'data');
    return;
  }
  decodeIpPayload(d, nh, p, pktEnd, out, depth, out.ipCount - 1, quoted);
}
