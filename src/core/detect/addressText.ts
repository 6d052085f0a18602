/**
 * Destination grouping for loop episodes: the prefix a destination falls in, and the summary of an
 * episode's destinations as prefixes. Called when a stream opens (rare), never per packet.
 */
import { ipv4Text, ipv6TextAt } from '../decode/text';

/** The /24 holding an IPv4 address: the grouping key for destinations of one loop. */
export function ipv4Prefix24(a: number): string {
  return `${ipv4Text((a & 0xffffff00) >>> 0)}/24`;
}

/** The /64 holding the IPv6 address at `data[off..off+16)`. */
export function ipv6Prefix64(data: Uint8Array, off: number): string {
  const copy = new Uint8Array(16);
  copy.set(data.subarray(off, off + 8));
  return `${ipv6TextAt(copy, 0)}/64`;
}

/**
 * Summarises destinations as prefixes: a /24 (IPv4) or /64 (IPv6) when two or more destinations share it,
 * else the single host (/32, /128). Pod and service ranges are routed per /24 in the incident's networks;
 * a lone address is reported as itself rather than claiming a range nobody saw.
 */
export function summarisePrefixes(destinationsByPrefix: Map<string, Set<string>>): string[] {
  const out: string[] = [];
  for (const [prefix, hosts] of destinationsByPrefix) {
    if (hosts.size >= 2) out.push(prefix);
    else for (const h of hosts) out.push(h.includes(':') ? `${h}/128` : `${h}/32`);
  }
  return out.sort();
}
