/**
 * A loop episode's destination prefixes ("10.244.1.0/24", "fd00:1::/64", "10.244.7.3/32"), to test addresses
 * against as numbers and bytes. The ladder context tests every candidate packet near an episode; node's BlockList
 * takes addresses as text and makes an object per test, which a capture with thousands of small episodes turned
 * into minutes (bench/results.md, "Fourth round").
 */
import { isIPv4, isIPv6 } from 'node:net';

export class PrefixMatcher {
  /** IPv4 prefixes as pairs: network, mask. */
  private readonly v4: number[] = [];
  /** IPv6 prefixes: the address's bytes and the prefix length. */
  private readonly v6: { bytes: Uint8Array; length: number }[] = [];

  /** Prefixes that do not parse match nothing (the detector writes only well-formed ones). */
  constructor(prefixes: readonly string[]) {
    for (const p of prefixes) {
      const slash = p.lastIndexOf('/');
      const address = slash < 0 ? p : p.slice(0, slash);
      const length = slash < 0 ? NaN : Number(p.slice(slash + 1));
      if (isIPv4(address) && Number.isInteger(length) && length >= 0 && length <= 32) {
        const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
        this.v4.push((ipv4Number(address) & mask) >>> 0, mask);
      } else if (isIPv6(address) && Number.isInteger(length) && length >= 0 && length <= 128) {
        this.v6.push({ bytes: ipv6Bytes(address), length });
      }
    }
  }

  /** Whether the IPv4 address (a 32-bit number) is in one of the prefixes. */
  has4(address: number): boolean {
    const v4 = this.v4;
    for (let i = 0; i < v4.length; i += 2) if (((address & v4[i + 1]!) >>> 0) === v4[i]) return true;
    return false;
  }

  /** Whether the IPv6 address at d[o, o + 16) is in one of the prefixes. */
  has6(d: Uint8Array, o: number): boolean {
    for (const { bytes, length } of this.v6) if (samePrefix(bytes, d, o, length)) return true;
    return false;
  }

  /** The same for an address as text (ICMP quotes, kept as text for the Report). */
  hasText(address: string): boolean {
    if (isIPv4(address)) return this.has4(ipv4Number(address));
    return isIPv6(address) && this.has6(ipv6Bytes(address), 0);
  }
}

function samePrefix(prefix: Uint8Array, d: Uint8Array, o: number, length: number): boolean {
  const whole = length >> 3;
  for (let k = 0; k < whole; k++) if (prefix[k] !== d[o + k]) return false;
  const rest = length & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (prefix[whole]! & mask) === (d[o + whole]! & mask);
}

/** A dotted quad (already validated) as a 32-bit number. */
function ipv4Number(text: string): number {
  const [a, b, c, d] = text.split('.').map(Number) as [number, number, number, number];
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** An IPv6 address (already validated: at most one `::`, an optional dotted IPv4 tail) as its 16 bytes. */
export function ipv6Bytes(text: string): Uint8Array {
  const out = new Uint8Array(16);
  let groups: string[];
  const dotted = text.includes('.') ? text.slice(text.lastIndexOf(':') + 1) : null;
  const head = dotted === null ? text : text.slice(0, text.lastIndexOf(':') + 1) + '0:0';
  const gap = head.indexOf('::');
  if (gap < 0) groups = head.split(':');
  else {
    const left = head.slice(0, gap) === '' ? [] : head.slice(0, gap).split(':');
    const right = head.slice(gap + 2) === '' ? [] : head.slice(gap + 2).split(':');
    groups = [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right];
  }
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 255;
  });
  if (dotted !== null) {
    const [a, b, c, d] = dotted.split('.').map(Number) as [number, number, number, number];
    out.set([a, b, c, d], 12);
  }
  return out;
}
