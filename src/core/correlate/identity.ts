/**
 * Who is who: which addresses belong to which host, whether a BGP event is about a restarted subject, and which
 * prefixes a subject announces. Heuristics (documented in docs/correlation.md), strongest first:
 *  1. an address stated next to a self-address keyword ("router-id 10.0.23.2", "local address", "node IP") in a
 *     line logged by that host, or an address followed by a host name in parentheses, as FRR writes a neighbor
 *     that sent its hostname ("neighbor 10.0.23.2(node-1)");
 *  2. an address in the restart lines themselves ("kube-router on node-3 (10.0.3.2) restarted");
 *  3. a peer given by name (BIRD's protocol "node1", FRR's "neighbor 10.0.23.2(node-1)") equal to the host name;
 *  4. (in chains.ts) repetition: the one peer address that went down after most of a subject's restarts.
 */
import type { LogEvent } from '../model/events';
import { addressesIn, normalizeName, parsePrefix, prefixesIn, type Prefix } from './addresses';
import type { RestartOccurrence } from './restarts';

const SELF_ADDRESS_KEYWORD =
  /\b(router[-_ ]?id|local[-_ ]?(?:address|addr|ip)|source[-_ ]?(?:address|ip)|node[-_ ]?ip|host[-_ ]?ip|internal[-_ ]?ip|node[-_ ]?address|bind(?:ing)?[-_ ]?(?:address|to)|listen(?:ing)?[-_ ]?on)\b/gi;
/** Lines that talk about announcing routes; only their prefixes count as "what the speaker announced". */
const ANNOUNCE_TALK = /\b(advertis\w*|announc\w*|originat\w*|add(?:ed|ing)?[-_ ]?(?:path|route)s?|rib add|network|withdr[ae]w\w*|update|nlri|routes?)\b/i;

/** Request and throttling lines talk about other hosts' addresses (the server's), never their own. */
const NEVER_STATES_ADDRESS: ReadonlySet<string> = new Set(['request-timeout', 'request-failed', 'slow-response', 'cpu-throttled']);
const ANY_DIGIT_DOT = /\d[.:]\d|::/;
/** The same keywords, not global: a cheap test before the scan. */
const HAS_SELF_KEYWORD = new RegExp(SELF_ADDRESS_KEYWORD.source, 'i');

export interface AddressBook {
  /** host as logged -> addresses it stated for itself, with the first line that said so. */
  stated: Map<string, Map<string, LogEvent>>;
  /** address -> host that stated it. */
  owner: Map<string, string>;
}

function selfAddresses(message: string): string[] {
  const out: string[] = [];
  for (const m of message.matchAll(SELF_ADDRESS_KEYWORD)) {
    const after = message.slice(m.index! + m[0].length, m.index! + m[0].length + 60);
    const first = addressesIn(after)[0];
    // Only when the address comes right after the keyword (": 10.0.23.2", "=10.0.23.2", " \"10.0.23.2\"").
    if (first && /^[\s:="'(]*$/.test(after.slice(0, after.indexOf(first)))) out.push(first);
  }
  return out;
}

/** FRR's "neighbor 10.0.23.2(node-1)": the BGP hostname capability names the peer's host. */
const ADDRESS_WITH_NAME = /(?<![\w.:])((?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:]*)\(([A-Za-z][\w.-]*)\)/g;

export function buildAddressBook(events: readonly LogEvent[]): AddressBook {
  const stated = new Map<string, Map<string, LogEvent>>();
  const owner = new Map<string, string>();
  const state = (host: string, a: string, e: LogEvent) => {
    let m = stated.get(host);
    if (!m) stated.set(host, (m = new Map()));
    if (!m.has(a)) m.set(a, e);
    if (!owner.has(a)) owner.set(a, host);
  };
  for (const e of events) {
    if (e.message.includes('(')) {
      for (const m of e.message.matchAll(ADDRESS_WITH_NAME)) {
        if (m[2]!.toLowerCase() !== 'unknown' && parsePrefix(m[1]!)) state(m[2]!, m[1]!, e);
      }
    }
    if (!e.host || NEVER_STATES_ADDRESS.has(e.kind) || !ANY_DIGIT_DOT.test(e.message) || !HAS_SELF_KEYWORD.test(e.message)) continue;
    for (const a of selfAddresses(e.message)) if (a !== e.peer) state(e.host, a, e);
  }
  return { stated, owner };
}

/** The addresses a restarted subject is known by. `strict`: known well enough to reject a peer that is not one of them. */
export interface SubjectAddresses {
  addresses: Set<string>;
  strict: boolean;
  /** How they were learned, in words, for the chain's subjectAddressSource. */
  source: string;
}

function where(e: LogEvent): string {
  return `${e.source.file}:${e.source.line}`;
}

export function subjectAddresses(o: RestartOccurrence, book: AddressBook): SubjectAddresses {
  const addresses = new Set<string>();
  const notes: string[] = [];
  const stated = o.host ? [...book.stated].filter(([host]) => sameName(host, o.host!)).flatMap(([, m]) => [...m]) : [];
  {
    for (const [a, e] of stated) {
      addresses.add(a);
      notes.push(`${a} stated in ${where(e)}`);
    }
  }
  const strict = addresses.size > 0;
  for (const e of o.events) {
    for (const a of addressesIn(e.message)) {
      if (a === e.peer || addresses.has(a)) continue;
      addresses.add(a);
      notes.push(`${a} named in the restart line ${where(e)}`);
    }
  }
  return { addresses, strict, source: notes.join('; ') };
}

/**
 * A line from the restarted speaker's own log (the file its start line came from, same process, no other host):
 * its "Peer Down" is about the other side's address and is not the other side's view.
 */
function isOwnLog(e: LogEvent, o: RestartOccurrence): boolean {
  return o.events.some(
    (r) =>
      r.source.file === e.source.file &&
      r.process === e.process &&
      !(r.host && e.host && r.host !== e.host),
  );
}

function sameName(a: string, b: string): boolean {
  const na = normalizeName(a);
  if (na.length < 2) return false;
  const nb = normalizeName(b);
  return na === nb || normalizeName(b.split('.')[0]!) === na;
}

/** true when one of the message's words is the host's name (BIRD: "node1: State changed to down" for node-1). */
function messageNames(message: string, host: string): boolean {
  for (const word of message.split(/[\s:;,()[\]{}"'=<>]+/)) if (word && sameName(word, host)) return true;
  return false;
}

export type PeerMatch = { basis: 'address' | 'name' | 'time'; note: string } | null;

/**
 * Is this BGP event (logged on the other side of the session) about the restarted subject?
 * null = no (it is about someone else, or it was logged by the subject itself).
 */
export function matchPeer(e: LogEvent, o: RestartOccurrence, who: SubjectAddresses, book: AddressBook): PeerMatch {
  if (o.host && e.host && sameName(e.host, o.host)) return null; // the speaker's own view, not the other side
  if (isOwnLog(e, o)) return null;
  const peer = e.peer;
  if (peer && parsePrefix(peer)) {
    if (who.addresses.has(peer)) {
      return { basis: 'address', note: `peer ${peer} is ${o.host ?? o.name ?? 'the subject'}'s address (${who.source})` };
    }
    const other = book.owner.get(peer);
    // Named for another host: not ours (a subject whose host no line tells cannot be told apart this way).
    if (other && o.host && !sameName(other, o.host)) return null;
    if (who.strict) return null;
  } else if (peer) {
    if ((o.host && sameName(peer, o.host)) || (o.pod && sameName(peer, o.pod))) {
      return { basis: 'name', note: `peer "${peer}" names ${o.host ?? o.pod}` };
    }
  }
  if (o.host && messageNames(e.message, o.host)) return { basis: 'name', note: `the line names ${o.host}` };
  if (who.strict) return null;
  return { basis: 'time', note: 'linked by time alone: no event tells the restarted node\'s address' };
}

/**
 * Prefixes the subject announced, from lines about routes logged by its host, or naming one of its addresses
 * (the other side's "rcvd 10.244.1.0/24 from 10.0.23.2").
 */
export function announcedPrefixes(events: readonly LogEvent[], o: RestartOccurrence, who: SubjectAddresses): Prefix[] {
  const out = new Map<string, Prefix>();
  const addresses = [...who.addresses];
  for (const e of events) {
    if (!e.message.includes('/')) continue;
    const byHost = o.host !== undefined && e.host !== undefined && sameName(e.host, o.host);
    const byAddress =
      (e.peer !== undefined && who.addresses.has(e.peer)) ||
      (addresses.some((a) => e.message.includes(a)) && addressesIn(e.message).some((a) => who.addresses.has(a)));
    if ((!byHost && !byAddress) || !ANNOUNCE_TALK.test(e.message)) continue;
    for (const p of prefixesIn(e.message)) {
      if (who.addresses.has(p.address)) continue; // an interface address with its mask, not a route
      out.set(p.text, p);
    }
  }
  return [...out.values()];
}
