/**
 * Builds Ethernet frames for the benchmark's synthetic captures into a caller's buffer (no allocation per packet).
 * Fields the decoder and detector read are real (lengths, IHL, TTL, IDs, ports, flags); checksums are left 0
 * because nothing in the pipeline validates them and tshark does not either by default.
 */

export const MAC_CLIENT = 0x02_00_00_00_00_01;
export const MAC_CORE = 0x02_00_00_00_00_02;
export const MAC_ACCESS = 0x02_00_00_00_00_03;

export interface Ipv4PacketSpec {
  srcMac: number;
  dstMac: number;
  vlan: number; // 0 = untagged
  src: number;
  dst: number;
  proto: 6 | 17 | 1;
  id: number;
  ttl: number;
  srcPort: number;
  dstPort: number;
  seq: number;
  payloadLen: number;
  payloadSeed: number;
  /** TCP flags (default PSH+ACK). */
  tcpFlags?: number;
}

function writeMac(buf: Buffer, off: number, mac: number): void {
  buf.writeUIntBE(mac, off, 6);
}

function writeEthernet(buf: Buffer, off: number, srcMac: number, dstMac: number, vlan: number, etherType: number): number {
  writeMac(buf, off, dstMac);
  writeMac(buf, off + 6, srcMac);
  let p = off + 12;
  if (vlan > 0) {
    buf.writeUInt16BE(0x8100, p);
    buf.writeUInt16BE(vlan & 0x0fff, p + 2);
    p += 4;
  }
  buf.writeUInt16BE(etherType, p);
  return p + 2;
}

function fillPayload(buf: Buffer, off: number, len: number, seed: number): void {
  let x = seed | 1;
  for (let i = 0; i < len; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf[off + i] = x & 0xff;
  }
}

function writeL4(buf: Buffer, p: number, s: { proto: number; srcPort: number; dstPort: number; seq: number; payloadLen: number; tcpFlags?: number }): number {
  if (s.proto === 6) {
    buf.writeUInt16BE(s.srcPort, p);
    buf.writeUInt16BE(s.dstPort, p + 2);
    buf.writeUInt32BE(s.seq >>> 0, p + 4);
    buf.writeUInt32BE(0x1000, p + 8);
    buf.writeUInt16BE((5 << 12) | (s.tcpFlags ?? 0x18), p + 12); // data offset 5, PSH+ACK unless told
    buf.writeUInt16BE(64240, p + 14);
    buf.writeUInt32BE(0, p + 16);
    return p + 20;
  }
  if (s.proto === 17) {
    buf.writeUInt16BE(s.srcPort, p);
    buf.writeUInt16BE(s.dstPort, p + 2);
    buf.writeUInt16BE(8 + s.payloadLen, p + 4);
    buf.writeUInt16BE(0, p + 6);
    return p + 8;
  }
  // ICMP echo request (v4) / ICMPv6 echo request (proto 58)
  buf[p] = s.proto === 1 ? 8 : 128;
  buf[p + 1] = 0;
  buf.writeUInt16BE(0, p + 2);
  buf.writeUInt16BE(s.srcPort, p + 4);
  buf.writeUInt16BE(s.seq & 0xffff, p + 6);
  return p + 8;
}

/** Writes one IPv4 frame at `off`; returns its length. */
export function writeIpv4Frame(buf: Buffer, off: number, s: Ipv4PacketSpec): number {
  const ip = writeEthernet(buf, off, s.srcMac, s.dstMac, s.vlan, 0x0800);
  const l4Len = s.proto === 6 ? 20 : 8;
  const total = 20 + l4Len + s.payloadLen;
  buf[ip] = 0x45;
  buf[ip + 1] = 0;
  buf.writeUInt16BE(total, ip + 2);
  buf.writeUInt16BE(s.id & 0xffff, ip + 4);
  buf.writeUInt16BE(0x4000, ip + 6); // DF
  buf[ip + 8] = s.ttl;
  buf[ip + 9] = s.proto;
  buf.writeUInt16BE(0, ip + 10);
  buf.writeUInt32BE(s.src >>> 0, ip + 12);
  buf.writeUInt32BE(s.dst >>> 0, ip + 16);
  const pl = writeL4(buf, ip + 20, s);
  fillPayload(buf, pl, s.payloadLen, s.payloadSeed);
  return pl + s.payloadLen - off;
}

export interface Ipv6PacketSpec {
  srcMac: number;
  dstMac: number;
  vlan: number;
  /** Low 32 bits of the addresses; the prefix is fixed (2001:db8::/32 documentation range). */
  srcLow: number;
  dstLow: number;
  proto: 6 | 17 | 58;
  hopLimit: number;
  srcPort: number;
  dstPort: number;
  seq: number;
  payloadLen: number;
  payloadSeed: number;
}

export function writeIpv6Frame(buf: Buffer, off: number, s: Ipv6PacketSpec): number {
  const ip = writeEthernet(buf, off, s.srcMac, s.dstMac, s.vlan, 0x86dd);
  const l4Len = s.proto === 6 ? 20 : 8;
  buf.writeUInt32BE(0x60000000, ip);
  buf.writeUInt16BE(l4Len + s.payloadLen, ip + 4);
  buf[ip + 6] = s.proto;
  buf[ip + 7] = s.hopLimit;
  for (const [base, low] of [[ip + 8, s.srcLow], [ip + 24, s.dstLow]] as const) {
    buf.writeUInt32BE(0x20010db8, base);
    buf.writeUInt32BE(0, base + 4);
    buf.writeUInt32BE(0, base + 8);
    buf.writeUInt32BE(low >>> 0, base + 12);
  }
  const pl = writeL4(buf, ip + 40, s);
  fillPayload(buf, pl, s.payloadLen, s.payloadSeed);
  return pl + s.payloadLen - off;
}
