/**
 * What the TTL ladder shows around a loop episode besides its looped packets: the ordinary traffic towards the
 * same destinations (or on the same MAC pairs) as a faint band, and the ICMP time-exceeded messages as marks.
 *
 * An episode is only known once its streams have closed, long after the packets around it went by, so every
 * packet that is not a replica enters a fixed-size ring of recent candidates (typed arrays, nothing allocated
 * per packet). When a candidate leaves the ring it is kept only if a replica was seen within WINDOW_US of it;
 * kept candidates are bounded by evenly thinning them (every other one, then every 4th...). Replicas seen
 * after a candidate left the ring cannot save it, so at rates where the ring spans under WINDOW_US the band
 * starts later than one second before the episode. ICMP time-exceeded messages are rare and kept as they come
 * (up to MAX_ICMP). `attach` matches both to the finished episodes.
 */
import { BlockList } from 'node:net';
import { ipv4Text, ipv6TextAt } from '../decode/text';
import type { LoopEpisode } from '../model/loops';
import { Fact, INNER, type FrameFacts } from './frameFacts';
import { SightingKind } from './loops';

/** Context is looked for this far before and after an episode (and around each replica while streaming). */
export const WINDOW_US = 1_000_000;
/** Kept this far before a replica: the context window plus the loop detector's default stream gap. */
const LEAD_US = 2 * WINDOW_US;
/** Candidates held back until their fate is known. */
const RING_SIZE = 1 << 16;
/** Candidates kept near replicas, all episodes together, before thinning. */
const MAX_KEPT = 1 << 18;
const INITIAL_KEPT = 4096;
/** Per episode, in the Report. */
export const MAX_BACKGROUND_PER_EPISODE = 20_000;
export const MAX_ICMP_MARKS_PER_EPISODE = 5_000;
const MAX_ICMP = 100_000;
/** Time spans with replicas, merged when closer than 2 * WINDOW_US; beyond this many the last one grows. */
const MAX_REPLICA_SPANS = 100_000;

export interface LadderContextLimits {
  ringSize?: number;
  maxKept?: number;
}

/** What `attach` needs of an episode: its window and addresses, and the two fields it fills in. */
export type ContextEpisode = Pick<LoopEpisode, 'startUs' | 'endUs' | 'destinationPrefixes' | 'macPairs' | 'routers' | 'background' | 'icmpMarks'>;

/** Columns of one store of candidates: time, TTL, MACs, destination (IPv4 number or the 16 IPv6 bytes). */
class CandidateColumns {
  timeUs: Float64Array;
  ttl: Uint8Array;
  srcMac: Float64Array;
  dstMac: Float64Array;
  v6: Uint8Array;
  dst4: Uint32Array;
  dst6: Uint8Array;

  constructor(public capacity: number) {
    this.timeUs = new Float64Array(capacity);
    this.ttl = new Uint8Array(capacity);
    this.srcMac = new Float64Array(capacity);
    this.dstMac = new Float64Array(capacity);
    this.v6 = new Uint8Array(capacity);
    this.dst4 = new Uint32Array(capacity);
    this.dst6 = new Uint8Array(capacity * 16);
  }

  /** Doubles the capacity (up to `max`), keeping the contents: most captures never need the full kept store. */
  grow(max: number): void {
    const capacity = Math.min(max, this.capacity * 2);
    const more = <T extends Float64Array | Uint8Array | Uint32Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.timeUs = more(this.timeUs, capacity);
    this.ttl = more(this.ttl, capacity);
    this.srcMac = more(this.srcMac, capacity);
    this.dstMac = more(this.dstMac, capacity);
    this.v6 = more(this.v6, capacity);
    this.dst4 = more(this.dst4, capacity);
    this.dst6 = more(this.dst6, capacity * 16);
    this.capacity = capacity;
  }

  copy(from: CandidateColumns, i: number, to: number): void {
    this.timeUs[to] = from.timeUs[i]!;
    this.ttl[to] = from.ttl[i]!;
    this.srcMac[to] = from.srcMac[i]!;
    this.dstMac[to] = from.dstMac[i]!;
    this.v6[to] = from.v6[i]!;
    this.dst4[to] = from.dst4[i]!;
    if (from.v6[i]) for (let k = 0; k < 16; k++) this.dst6[to * 16 + k] = from.dst6[i * 16 + k]!;
  }

  destinationText(i: number): string {
    return this.v6[i] ? ipv6TextAt(this.dst6, i * 16) : ipv4Text(this.dst4[i]!);
  }
}

export class LadderContext {
  private readonly ring: CandidateColumns;
  private ringHead = 0;
  private ringCount = 0;
  private readonly kept: CandidateColumns;
  private readonly maxKept: number;
  private keptCount = 0;
  /** Keep one candidate in `stride` (doubles each time the kept store fills). */
  private stride = 1;
  private strideSkip = 0;
  /** Replica spans as flat [start, end] pairs, in time order. */
  private readonly spans: number[] = [];
  private spanCursor = 0;
  private readonly icmpTimeUs: number[] = [];
  private readonly icmpRouter: string[] = [];
  private readonly icmpQuotedDst: (string | null)[] = [];

  constructor(limits: LadderContextLimits = {}) {
    this.ring = new CandidateColumns(limits.ringSize ?? RING_SIZE);
    this.maxKept = limits.maxKept ?? MAX_KEPT;
    this.kept = new CandidateColumns(Math.min(this.maxKept, INITIAL_KEPT));
  }

  /** Candidates currently held (ring + kept): bounded by the two capacities whatever the capture's length. */
  get heldCandidates(): number {
    return this.ringCount + this.keptCount;
  }

  /** Feeds one frame's record (frameFacts.ts) and what the loop detector made of it. */
  observe(facts: FrameFacts, slot: number, kind: SightingKind): void {
    if (!facts.has(slot, Fact.Layer)) return;
    const timeUs = facts.timeUs(slot);
    if (kind === SightingKind.Replica) {
      this.noteReplica(timeUs);
      return;
    }
    if (kind === SightingKind.Duplicate) return;
    if (facts.has(slot, Fact.TimeExceeded)) this.noteTimeExceeded(timeUs, facts, slot);
    const r = this.ring;
    if (this.ringCount === r.capacity) this.retire(this.ringHead);
    else this.ringCount++;
    const i = this.ringHead;
    r.timeUs[i] = timeUs;
    r.ttl[i] = facts.ttl(slot, INNER);
    r.srcMac[i] = facts.srcMac(slot);
    r.dstMac[i] = facts.dstMac(slot);
    if (facts.has(slot, Fact.V6)) {
      r.v6[i] = 1;
      // Byte by byte: a subarray per packet would be an allocation per packet.
      const o = facts.dst6Offset(slot, INNER);
      const u8 = facts.u8;
      for (let k = 0, d = i * 16; k < 16; k++) r.dst6[d + k] = u8[o + k]!;
    } else {
      r.v6[i] = 0;
      r.dst4[i] = facts.dst4(slot, INNER);
    }
    this.ringHead = (i + 1) % r.capacity;
  }

  /** Fills `background` and `icmpMarks` of each episode (all of this capture's episodes, after the last packet). */
  attach(episodes: ContextEpisode[]): void {
    const r = this.ring;
    const oldest = (this.ringHead - this.ringCount + r.capacity) % r.capacity;
    for (let k = 0; k < this.ringCount; k++) this.retire((oldest + k) % r.capacity);
    this.ringCount = 0;
    for (const e of episodes) {
      const destinations = blockListOf(e.destinationPrefixes);
      e.background = this.backgroundOf(e, destinations);
      e.icmpMarks = this.icmpMarksOf(e, destinations);
    }
  }

  private noteReplica(timeUs: number): void {
    const s = this.spans;
    const n = s.length;
    if (n > 0 && (timeUs - s[n - 1]! <= 2 * WINDOW_US || n >= MAX_REPLICA_SPANS * 2)) {
      if (timeUs > s[n - 1]!) s[n - 1] = timeUs;
      if (timeUs < s[n - 2]!) s[n - 2] = timeUs;
    } else s.push(timeUs, timeUs);
  }

  private noteTimeExceeded(timeUs: number, facts: FrameFacts, slot: number): void {
    if (this.icmpTimeUs.length >= MAX_ICMP) return;
    this.icmpTimeUs.push(timeUs);
    this.icmpRouter.push(facts.srcText(slot, INNER));
    this.icmpQuotedDst.push(facts.quotedDstText(slot));
  }

  /**
   * A candidate leaves the ring: kept when a replica span lies within WINDOW_US after it or LEAD_US before it (an
   * episode starts at a looped packet's first sighting, up to one stream gap before its first replica).
   */
  private retire(i: number): void {
    const t = this.ring.timeUs[i]!;
    const s = this.spans;
    while (this.spanCursor + 1 < s.length && s[this.spanCursor + 1]! + WINDOW_US < t) this.spanCursor += 2;
    if (this.spanCursor >= s.length || s[this.spanCursor]! - LEAD_US > t || s[this.spanCursor + 1]! + WINDOW_US < t) return;
    if (++this.strideSkip < this.stride) return;
    this.strideSkip = 0;
    if (this.keptCount === this.kept.capacity) {
      if (this.kept.capacity < this.maxKept) this.kept.grow(this.maxKept);
      else this.thin();
    }
    this.kept.copy(this.ring, i, this.keptCount++);
  }

  /** Keeps every other kept candidate and from now on every `stride`-th: the band stays even in time. */
  private thin(): void {
    let w = 0;
    for (let k = 0; k < this.keptCount; k += 2) this.kept.copy(this.kept, k, w++);
    this.keptCount = w;
    this.stride *= 2;
  }

  private backgroundOf(e: ContextEpisode, destinations: BlockList): NonNullable<LoopEpisode['background']> {
    const pairs = new Map<number, Set<number>>();
    for (const m of e.macPairs) {
      if (m.srcMac === '' || m.dstMac === '') continue;
      const src = macNumber(m.srcMac);
      let set = pairs.get(src);
      if (!set) pairs.set(src, (set = new Set()));
      set.add(macNumber(m.dstMac));
    }
    const c = this.kept;
    const lo = e.startUs - WINDOW_US;
    const hi = e.endUs + WINDOW_US;
    const hits: number[] = [];
    for (let i = lowerBound(c.timeUs, this.keptCount, lo); i < this.keptCount && c.timeUs[i]! <= hi; i++) {
      if (pairs.get(c.srcMac[i]!)?.has(c.dstMac[i]!) || destinations.check(c.destinationText(i), c.v6[i] ? 'ipv6' : 'ipv4')) hits.push(i);
    }
    const picked = evenSample(hits, MAX_BACKGROUND_PER_EPISODE);
    return {
      timeUs: picked.map((i) => c.timeUs[i]!),
      ttl: picked.map((i) => c.ttl[i]!),
      truncated: picked.length < hits.length || this.stride > 1,
    };
  }

  private icmpMarksOf(e: ContextEpisode, destinations: BlockList): NonNullable<LoopEpisode['icmpMarks']> {
    const routers = new Set(e.routers);
    const lo = e.startUs - WINDOW_US;
    const hi = e.endUs + WINDOW_US;
    const hits: number[] = [];
    for (let i = 0; i < this.icmpTimeUs.length; i++) {
      const t = this.icmpTimeUs[i]!;
      if (t < lo || t > hi) continue;
      const q = this.icmpQuotedDst[i];
      if (routers.has(this.icmpRouter[i]!) || (q != null && destinations.check(q, q.includes(':') ? 'ipv6' : 'ipv4'))) hits.push(i);
    }
    const picked = evenSample(hits, MAX_ICMP_MARKS_PER_EPISODE);
    return {
      timeUs: picked.map((i) => this.icmpTimeUs[i]!),
      router: picked.map((i) => this.icmpRouter[i]!),
      truncated: picked.length < hits.length,
    };
  }
}

/** The episode's destination prefixes ("10.244.1.0/24", "fd00::1/128") as a list to test addresses against. */
function blockListOf(prefixes: readonly string[]): BlockList {
  const list = new BlockList();
  for (const p of prefixes) {
    const slash = p.lastIndexOf('/');
    const addr = p.slice(0, slash);
    try {
      list.addSubnet(addr, Number(p.slice(slash + 1)), addr.includes(':') ? 'ipv6' : 'ipv4');
    } catch {
      // A prefix the detector wrote is always well formed; one that is not only matches nothing.
    }
  }
  return list;
}

function macNumber(text: string): number {
  return parseInt(text.replace(/:/g, ''), 16);
}

/** First index in the (capture-ordered, so time-ordered) column whose time is >= t. */
function lowerBound(a: Float64Array, n: number, t: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** At most `max` items spread evenly over `items` (all of them when they fit). */
function evenSample<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  const out: T[] = new Array<T>(max);
  for (let k = 0; k < max; k++) out[k] = items[Math.floor((k * items.length) / max)]!;
  return out;
}
