/**
 * IP addresses and prefixes found in log text, and whether two prefixes overlap.
 * Validation and containment use node's own `net.isIP` / `net.BlockList` (made for exactly this) instead of a
 * hand-written parser; the regular expressions only find candidate tokens.
 */
import { BlockList, isIP } from 'node:net';
import { escapeRegExp } from '../logs/formats/common';

const IPV4_TOKEN = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?(?![\d.]*\d)/g;
// Candidate IPv6 tokens: hex groups and colons (at least two colons), optional /len; validated by isIP.
const IPV6_TOKEN = /(?<![0-9A-Fa-f:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\/\d{1,3})?(?![0-9A-Fa-f:])/g;

/** Cheap pre-check (two colons with only hex between): most lines (URLs, clocks aside) skip the IPv6 scan. */
const MAYBE_IPV6 = /[0-9A-Fa-f]*:[0-9A-Fa-f]*:/;

export interface Prefix {
  /** As written, e.g. "10.244.1.0/24". */
  text: string;
  address: string;
  length: number;
  family: 4 | 6;
}

/** Parses "a.b.c.d/len" or "x::y/len"; a bare address is a host prefix (/32 or /128). Null when not an IP. */
export function parsePrefix(text: string): Prefix | null {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const family = isIP(address);
  if (family !== 4 && family !== 6) return null;
  const max = family === 4 ? 32 : 128;
  const length = slash < 0 ? max : Number(text.slice(slash + 1));
  if (!Number.isInteger(length) || length < 0 || length > max) return null;
  return { text, address, length, family };
}

function tokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IPV4_TOKEN)) out.push(m[0]);
  if (MAYBE_IPV6.test(text)) for (const m of text.matchAll(IPV6_TOKEN)) out.push(m[0]);
  return out;
}

/** Bare addresses in a text (tokens with a /len are prefixes, not addresses). */
export function addressesIn(text: string): string[] {
  const out: string[] = [];
  for (const t of tokens(text)) if (!t.includes('/') && parsePrefix(t)) out.push(t);
  return out;
}

/** Prefixes written with a length in a text ("10.244.1.0/24"); default routes (/0) are left out: they overlap everything. */
export function prefixesIn(text: string): Prefix[] {
  const out: Prefix[] = [];
  for (const t of tokens(text)) {
    if (!t.includes('/')) continue;
    const p = parsePrefix(t);
    if (p && p.length > 0) out.push(p);
  }
  return out;
}

function contains(outer: Prefix, address: string): boolean {
  const list = new BlockList();
  const type = outer.family === 4 ? 'ipv4' : 'ipv6';
  list.addSubnet(outer.address, outer.length, type);
  return list.check(address, type);
}

/** Two prefixes overlap when the shorter one contains (any address of) the longer one: prefixes nest or are disjoint. */
export function prefixesOverlap(a: Prefix, b: Prefix): boolean {
  if (a.family !== b.family) return false;
  return a.length <= b.length ? contains(a, b.address) : contains(b, a.address);
}

/** Lower-case, letters and digits only: "node-1", "Node_1" and BIRD's protocol name "node1" compare equal. */
export function normalizeName(name: string): string {
  let n = normalized.get(name);
  if (n === undefined) {
    n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
    // Host and peer names are few; the cache stays small, but is capped against a log full of distinct words.
    if (normalized.size > 10_000) normalized.clear();
    normalized.set(name, n);
  }
  return n;
}
const normalized = new Map<string, string>();

/** true when `name` appears in `text` as a whole word (so "node-1" does not match "node-10"). */
export function mentionsName(text: string, name: string): boolean {
  if (name.length < 2) return false;
  return new RegExp(`(?<![\\w.-])${escapeRegExp(name)}(?![\\w-]|\\.\\w)`, 'i').test(text);
}
