/**
 * Byte builders for decoder tests: each returns the exact header bytes the RFC describes, so a test reads as
 * "Ethernet / 802.1Q / IPv4 / UDP" and the offsets it asserts can be counted by hand. Checksums are left zero
 * (the decoder does not verify them).
 */

export function bytes(...parts: (Uint8Array | number[])[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const be16 = (v: number): number[] => [(v >> 8) & 255, v & 255];
const be32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

export const MAC_A = [0x02, 0x00, 0x00, 0x00, 0x00, 0x0a];
export const MAC_B = [0x02, 0x00, 0x00, 0x00, 0x00, 0x0b];

export function eth(type: number, dst = MAC_B, src = MAC_A): number[] {
  return [...dst, ...src, ...be16(type)];
}

export function vlanTag(id: number, type: number, pcp = 0): number[] {
  return [...be16((pcp << 13) | id), ...be16(type)];
}

export function mplsLabel(label: number, bottom: boolean, ttl = 64): number[] {
  return be32(((label << 12) | (bottom ? 0x100 : 0) | ttl) >>> 0);
}

export interface Ipv4Opts {
  src?: number[];
  dst?: number[];
  ttl?: number;
  id?: number;
  proto: number;
  payloadLen: number;
  df?: boolean;
  mf?: boolean;
  fragOffset?: number;
  /** Overrides the total length field (e.g. 0 for TSO). */
  totalLength?: number;
  options?: number[];
}

export function ipv4(o: Ipv4Opts): number[] {
  const opts = o.options ?? [];
  const hl = 20 + opts.length;
  const flags = (o.df ? 0x4000 : 0) | (o.mf ? 0x2000 : 0) | (o.fragOffset ?? 0);
  return [
    0x40 | (hl / 4), 0, ...be16(o.totalLength ?? hl + o.payloadLen), ...be16(o.id ?? 0x1234), ...be16(flags),
    o.ttl ?? 64, o.proto, 0, 0, ...(o.src ?? [10, 0, 0, 1]), ...(o.dst ?? [10, 0, 0, 2]), ...opts,
  ];
}

export const V6_A = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
export const V6_B = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

export function ipv6(nxt: number, plen: number, hlim = 64, src = V6_A, dst = V6_B): number[] {
  return [0x60, 0, 0, 0, ...be16(plen), nxt, hlim, ...src, ...dst];
}

export function tcp(src: number, dst: number, seq: number, ack: number, flags: number): number[] {
  return [...be16(src), ...be16(dst), ...be32(seq), ...be32(ack), 0x50 | ((flags >> 8) & 0x0f), flags & 255, ...be16(65535), 0, 0, 0, 0];
}

export function udp(src: number, dst: number, payloadLen: number): number[] {
  return [...be16(src), ...be16(dst), ...be16(8 + payloadLen), 0, 0];
}

export function icmp(type: number, code: number, rest: number[] = [0, 0, 0, 0]): number[] {
  return [type, code, 0, 0, ...rest];
}

export function gre(proto: number, flags = 0): number[] {
  return [...be16(flags), ...be16(proto)];
}

export function vxlan(vni: number): number[] {
  return [0x08, 0, 0, 0, ...be32(vni << 8)];
}
