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
import type { LoopEpisode } from '../model/loops';
import { Fact, INNER, type FrameFacts } from './frameFacts';
import { SightingKind } from './loops';
import { PrefixMatcher } from './prefixMatch';

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

/**
 * One store of candidates, a 32-byte row each (time, source and destination MAC, IPv4 destination, TTL, whether
 * IPv6), and the 16 IPv6 destination bytes beside it, written only for IPv6 and copied as words. Every packet
 * that is not a replica is written here and read back once; a row keeps each candidate in one place in memory
 * (the benchmark measured it no faster than a column per field, which is not why it is kept: it is one array to
 * grow and copy instead of seven).
 */
class CandidateStore {
  private f64!: Float64Array;
  private u32!: Uint32Array;
  private u8!: Uint8Array;
  /** IPv6 destinations, as words (the records' IPv6 addresses sit at 16-byte multiples too), and as bytes. */
  private dst6!: Uint32Array;
  private dst6Bytes!: Uint8Array;

  constructor(public capacity: number) {
    this.allocate(capacity);
  }

  private allocate(capacity: number): void {
    const rows = new ArrayBuffer(capacity * ROW_BYTES);
    this.f64 = new Float64Array(rows);
    this.u32 = new Uint32Array(rows);
    this.u8 = new Uint8Array(rows);
    this.dst6 = new Uint32Array(capacity * 4);
    this.dst6Bytes = new Uint8Array(this.dst6.buffer);
    this.capacity = capacity;
  }

  /** Doubles the capacity (up to `max`), keeping the contents: most captures never need the full kept store. */
  grow(max: number): void {
    const { u8, dst6 } = this;
    this.allocate(Math.min(max, this.capacity * 2));
    this.u8.set(u8);
    this.dst6.set(dst6);
  }

  /** Writes row i from the frame's record. */
  write(i: number, timeUs: number, facts: FrameFacts, slot: number): void {
    const f = i * (ROW_BYTES / 8);
    this.f64[f] = timeUs;
    this.f64[f + 1] = facts.srcMac(slot);
    this.f64[f + 2] = facts.dstMac(slot);
    const b = i * ROW_BYTES;
    this.u8[b + R_TTL] = facts.ttl(slot, INNER);
    if (facts.has(slot, Fact.V6)) {
      this.u8[b + R_V6] = 1;
      const from = facts.u32;
      const o = facts.dst6Offset(slot, INNER) / 4;
      const d = i * 4;
      this.dst6[d] = from[o]!;
      this.dst6[d + 1] = from[o + 1]!;
      this.dst6[d + 2] = from[o + 2]!;
      this.dst6[d + 3] = from[o + 3]!;
    } else {
      this.u8[b + R_V6] = 0;
      this.u32[i * (ROW_BYTES / 4) + R_DST4_WORD] = facts.dst4(slot, INNER);
    }
  }

  copy(from: CandidateStore, i: number, to: number): void {
    const src = i * (ROW_BYTES / 4);
    const dst = to * (ROW_BYTES / 4);
    for (let k = 0; k < ROW_BYTES / 4; k++) this.u32[dst + k] = from.u32[src + k]!;
    if (from.isV6(i)) for (let k = 0; k < 4; k++) this.dst6[to * 4 + k] = from.dst6[i * 4 + k]!;
  }

  timeUs(i: number): number {
    return this.f64[i * (ROW_BYTES / 8)]!;
  }

  srcMac(i: number): number {
    return this.f64[i * (ROW_BYTES / 8) + 1]!;
  }

  dstMac(i: number): number {
    return this.f64[i * (ROW_BYTES / 8) + 2]!;
  }

  ttl(i: number): number {
    return this.u8[i * ROW_BYTES + R_TTL]!;
  }

  isV6(i: number): boolean {
    return this.u8[i * ROW_BYTES + R_V6] === 1;
  }

  /** Whether row i's destination is in one of the prefixes. */
  destinationIn(i: number, prefixes: PrefixMatcher): boolean {
    return this.isV6(i) ? prefixes.has6(this.dst6Bytes, i * 16) : prefixes.has4(this.u32[i * (ROW_BYTES / 4) + R_DST4_WORD]!);
  }
}

// A row: float64 time, source MAC, destination MAC; uint32 IPv4 destination (word 6); TTL and IPv6 flag (bytes 28, 29).
const ROW_BYTES = 32;
const R_DST4_WORD = 6;
const R_TTL = 28;
const R_V6 = 29;

export class LadderContext {
  private readonly ring: CandidateStore;
  private ringHead = 0;
  private ringCount = 0;
  private readonly kept: CandidateStore;
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
    this.ring = new CandidateStore(limits.ringSize ?? RING_SIZE);
    this.maxKept = limits.maxKept ?? MAX_KEPT;
    this.kept = new CandidateStore(Math.min(this.maxKept, INITIAL_KEPT));
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
    r.write(i, timeUs, facts, slot);
    this.ringHead = i + 1 === r.capacity ? 0 : i + 1;
  }

  /** Fills `background` and `icmpMarks` of each episode (all of this capture's episodes, after the last packet). */
  attach(episodes: ContextEpisode[]): void {
    const r = this.ring;
    const oldest = (this.ringHead - this.ringCount + r.capacity) % r.capacity;
    for (let k = 0; k < this.ringCount; k++) this.retire((oldest + k) % r.capacity);
    this.ringCount = 0;
    for (const e of episodes) {
      const destinations = new PrefixMatcher(e.destinationPrefixes);
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
    const t = this.ring.timeUs(i);
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

  private backgroundOf(e: ContextEpisode, destinations: PrefixMatcher): NonNullable<LoopEpisode['background']> {
    // The episode's MAC pairs (usually the two directions of one link) as numbers, flat: source, destination.
    const pairs: number[] = [];
    for (const m of e.macPairs) if (m.srcMac !== '' && m.dstMac !== '') pairs.push(macNumber(m.srcMac), macNumber(m.dstMac));
    const c = this.kept;
    const lo = e.startUs - WINDOW_US;
    const hi = e.endUs + WINDOW_US;
    const hits: number[] = [];
    for (let i = lowerBound(c, this.keptCount, lo); i < this.keptCount && c.timeUs(i) <= hi; i++) {
      if (onPair(pairs, c.srcMac(i), c.dstMac(i)) || c.destinationIn(i, destinations)) hits.push(i);
    }
    const picked = evenSample(hits, MAX_BACKGROUND_PER_EPISODE);
    return {
      timeUs: picked.map((i) => c.timeUs(i)),
      ttl: picked.map((i) => c.ttl(i)),
      truncated: picked.length < hits.length || this.stride > 1,
    };
  }

  private icmpMarksOf(e: ContextEpisode, destinations: PrefixMatcher): NonNullable<LoopEpisode['icmpMarks']> {
    const routers = new Set(e.routers);
    const lo = e.startUs - WINDOW_US;
    const hi = e.endUs + WINDOW_US;
    const hits: number[] = [];
    const times = this.icmpTimeUs;
    // In capture order, so in time order: from the window's start only (a capture with thousands of episodes and
    // as many ICMP messages would otherwise compare every message with every episode).
    for (let i = lowerBoundOf(times.length, (k) => times[k]! < lo); i < times.length && times[i]! <= hi; i++) {
      const q = this.icmpQuotedDst[i];
      if (routers.has(this.icmpRouter[i]!) || (q != null && destinations.hasText(q))) hits.push(i);
    }
    const picked = evenSample(hits, MAX_ICMP_MARKS_PER_EPISODE);
    return {
      timeUs: picked.map((i) => this.icmpTimeUs[i]!),
      router: picked.map((i) => this.icmpRouter[i]!),
      truncated: picked.length < hits.length,
    };
  }
}

function onPair(pairs: readonly number[], src: number, dst: number): boolean {
  for (let k = 0; k < pairs.length; k += 2) if (pairs[k] === src && pairs[k + 1] === dst) return true;
  return false;
}

function macNumber(text: string): number {
  return parseInt(text.replace(/:/g, ''), 16);
}

/** First row of the (capture-ordered, so time-ordered) store whose time is >= t. */
function lowerBound(a: CandidateStore, n: number, t: number): number {
  return lowerBoundOf(n, (k) => a.timeUs(k) < t);
}

/** The first of 0..n-1 for which `before` is false (`before` holds for a prefix of them). */
function lowerBoundOf(n: number, before: (k: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
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
