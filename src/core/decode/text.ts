/** Addresses as text, the way tshark and the Report print them. */

export function ipv4Text(addr: number): string {
  return `${addr >>> 24}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}`;
}

export function ipv4TextAt(d: Uint8Array, o: number): string {
  return `${d[o]}.${d[o + 1]}.${d[o + 2]}.${d[o + 3]}`;
}

/**
 * RFC 5952 text of the IPv6 address at `d[o..o+16)`: lower-case hex, no leading zeros, the longest run of two or
 * more zero groups (the first one on a tie) written as `::`. IPv4-mapped addresses (::ffff:a.b.c.d) keep the
 * dotted tail, as section 5 recommends.
 */
export function ipv6TextAt(d: Uint8Array, o: number): string {
  let bestStart = -1;
  let bestLen = 0;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    const zero = d[o + 2 * i] === 0 && d[o + 2 * i + 1] === 0;
    if (zero) {
      if (runStart < 0) runStart = i;
      const len = i - runStart + 1;
      if (len > bestLen) {
        bestLen = len;
        bestStart = runStart;
      }
    } else {
      runStart = -1;
    }
  }
  if (bestLen < 2) bestStart = -1;
  if (bestStart === 0 && bestLen === 5 && d[o + 10] === 0xff && d[o + 11] === 0xff) {
    return `::ffff:${ipv4TextAt(d, o + 12)}`;
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (s.length > 0 && !s.endsWith(':')) s += ':';
    s += ((d[o + 2 * i]! << 8) | d[o + 2 * i + 1]!).toString(16);
  }
  return s;
}

/** 48-bit MAC (as stored in DecodedPacket) to `aa:bb:cc:dd:ee:ff`. */
export function macText(mac: number): string {
  let s = '';
  for (let i = 5; i >= 0; i--) {
    const b = Math.floor(mac / 2 ** (8 * i)) & 255;
    s += (i < 5 ? ':' : '') + b.toString(16).padStart(2, '0');
  }
  return s;
}
