/**
 * Big-endian field readers over a Uint8Array. Callers check lengths first (one check per header, as smoltcp
 * does), so these never see an index past the end; indexing a Uint8Array directly avoids building a DataView
 * per packet.
 */

export function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

export function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
}

export function u16le(d: Uint8Array, o: number): number {
  return d[o]! | (d[o + 1]! << 8);
}

export function u32le(d: Uint8Array, o: number): number {
  return (d[o]! | (d[o + 1]! << 8) | (d[o + 2]! << 16) | (d[o + 3]! << 24)) >>> 0;
}

/** 48-bit MAC address as a number (exact: below 2^53). */
export function mac48(d: Uint8Array, o: number): number {
  return u16(d, o) * 0x1_0000_0000 + u32(d, o + 2);
}
