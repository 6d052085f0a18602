/**
 * A loop episode while it is being assembled: the replica streams that overlap in time and share a router
 * pair (direction on the link) or a destination prefix. Everything here is bounded: the streams kept for the
 * Report (the longest ones), the destination and source sets, and (later) the ladder.
 */
import type { ReplicaStreamDraft } from './replicaStream';

/** Distinct addresses remembered per episode; beyond it counts stop growing (documented in the schema). */
export const MAX_ADDRESSES_PER_EPISODE = 65_536;

/** Streams last seen with a TTL no higher than the loop's step died in it. */
function lostIn(lastTtls: Map<number, number>, step: number): number {
  let n = 0;
  for (const [ttl, count] of lastTtls) if (ttl <= Math.max(step, 1)) n += count;
  return n;
}

export interface EpisodeLimits {
  /** Streams listed in the Report per episode (the longest are kept). */
  maxStreams: number;
}

export class EpisodeDraft {
  startUs: number;
  endUs: number;
  firstFrame: number;
  lastFrame: number;
  readonly vlan: number | null;
  /** Direction id -> sightings in that direction. */
  readonly directions = new Map<number, number>();
  /** Destination grouping prefix -> distinct destinations in it. */
  readonly destinationsByPrefix = new Map<string, Set<string>>();
  destinationCount = 0;
  readonly sources = new Set<string>();
  streams: ReplicaStreamDraft[] = [];
  streamsTotal = 0;
  sightings = 0;
  maxReplicas = 0;
  /** Same-direction TTL decrease -> how often seen. */
  readonly steps = new Map<number, number>();
  /** Lowest TTL each stream was seen with -> number of streams (packets lost = those that reached <= step). */
  readonly lastTtls = new Map<number, number>();
  /** Per destination (bounded like the destination set): lowest TTL -> number of streams. */
  readonly lastTtlsByDestination = new Map<string, Map<number, number>>();

  constructor(first: ReplicaStreamDraft, steps: Map<number, number>, private readonly limits: EpisodeLimits) {
    this.startUs = first.timeUs[0]!;
    this.endUs = first.lastUs;
    this.firstFrame = first.frame[0]!;
    this.lastFrame = first.frame[first.frame.length - 1]!;
    this.vlan = first.facts.vlan;
    this.add(first, steps);
  }

  /** true when `s` belongs here: overlaps in time (with `gapUs` slack) and shares a direction or a destination prefix. */
  /**
   * Whether a stream in the episode's time (the caller has tested that, within the gap) belongs here: it went to
   * one of the episode's destination prefixes or crossed one of its directions (`dirs`: the stream's distinct ones).
   */
  sharesPlace(dstPrefix: string, dirs: readonly number[]): boolean {
    if (this.destinationsByPrefix.has(dstPrefix)) return true;
    for (const d of dirs) if (this.directions.has(d)) return true;
    return false;
  }

  add(s: ReplicaStreamDraft, steps: Map<number, number>): void {
    const n = s.ttl.length;
    this.startUs = Math.min(this.startUs, s.timeUs[0]!);
    this.endUs = Math.max(this.endUs, s.lastUs);
    this.firstFrame = Math.min(this.firstFrame, s.frame[0]!);
    this.lastFrame = Math.max(this.lastFrame, s.frame[n - 1]!);
    for (const d of s.dir) this.directions.set(d, (this.directions.get(d) ?? 0) + 1);
    this.addDestination(s.facts.dstPrefix, s.facts.dst);
    if (this.sources.size < MAX_ADDRESSES_PER_EPISODE) this.sources.add(s.facts.src);
    this.streamsTotal++;
    this.sightings += n;
    this.maxReplicas = Math.max(this.maxReplicas, n);
    for (const [step, count] of steps) this.steps.set(step, (this.steps.get(step) ?? 0) + count);
    const lowest = s.minTtl;
    this.lastTtls.set(lowest, (this.lastTtls.get(lowest) ?? 0) + 1);
    this.countLastTtl(s.facts.dst, lowest, 1);
    this.keepStream(s);
  }

  /** Folds another draft (found to be the same episode) into this one. */
  absorb(o: EpisodeDraft): void {
    this.startUs = Math.min(this.startUs, o.startUs);
    this.endUs = Math.max(this.endUs, o.endUs);
    this.firstFrame = Math.min(this.firstFrame, o.firstFrame);
    this.lastFrame = Math.max(this.lastFrame, o.lastFrame);
    for (const [d, c] of o.directions) this.directions.set(d, (this.directions.get(d) ?? 0) + c);
    for (const [p, hosts] of o.destinationsByPrefix) for (const h of hosts) this.addDestination(p, h);
    for (const src of o.sources) if (this.sources.size < MAX_ADDRESSES_PER_EPISODE) this.sources.add(src);
    this.streamsTotal += o.streamsTotal;
    this.sightings += o.sightings;
    this.maxReplicas = Math.max(this.maxReplicas, o.maxReplicas);
    for (const [step, c] of o.steps) this.steps.set(step, (this.steps.get(step) ?? 0) + c);
    for (const [t, c] of o.lastTtls) this.lastTtls.set(t, (this.lastTtls.get(t) ?? 0) + c);
    for (const [dst, hist] of o.lastTtlsByDestination) for (const [t, c] of hist) this.countLastTtl(dst, t, c);
    for (const s of o.streams) this.keepStream(s);
  }

  /**
   * The loop's hop count: the most frequent TTL decrease between two sightings in the same direction.
   * Only decreases of 1 happen where the direction is unknown (links without MACs) and the packet was seen
   * going both ways: a link is crossed both ways only by a loop between its two ends (a router forwards a
   * destination one way only), so that is a 2-hop loop.
   */
  ttlStep(): number {
    let best = 0;
    let bestCount = 0;
    for (const [step, count] of this.steps) {
      if (step >= 2 && (count > bestCount || (count === bestCount && step < best))) {
        best = step;
        bestCount = count;
      }
    }
    return best > 0 ? best : this.steps.size > 0 ? 2 : 0;
  }

  /** Looped packets whose TTL ran out in the loop: last seen with a TTL that cannot survive one more pass. */
  packetsLost(step: number): number {
    return lostIn(this.lastTtls, step);
  }

  /** The same per destination, most lost first, at most `max` destinations. */
  lostByDestination(step: number, max: number): { destination: string; packetsLost: number }[] {
    const out: { destination: string; packetsLost: number }[] = [];
    for (const [destination, hist] of this.lastTtlsByDestination) {
      const packetsLost = lostIn(hist, step);
      if (packetsLost > 0) out.push({ destination, packetsLost });
    }
    out.sort((a, b) => b.packetsLost - a.packetsLost || (a.destination < b.destination ? -1 : 1));
    return out.slice(0, max);
  }

  private countLastTtl(dst: string, ttl: number, count: number): void {
    let hist = this.lastTtlsByDestination.get(dst);
    if (!hist) {
      if (this.lastTtlsByDestination.size >= MAX_ADDRESSES_PER_EPISODE) return;
      hist = new Map();
      this.lastTtlsByDestination.set(dst, hist);
    }
    hist.set(ttl, (hist.get(ttl) ?? 0) + count);
  }

  private addDestination(prefix: string, host: string): void {
    let hosts = this.destinationsByPrefix.get(prefix);
    if (!hosts) {
      hosts = new Set();
      this.destinationsByPrefix.set(prefix, hosts);
    }
    if (!hosts.has(host) && this.destinationCount < MAX_ADDRESSES_PER_EPISODE) {
      hosts.add(host);
      this.destinationCount++;
    }
  }

  private keepStream(s: ReplicaStreamDraft): void {
    this.streams.push(s);
    if (this.streams.length >= 2 * this.limits.maxStreams) {
      // Keep the longest (most sightings), ties by time: amortised O(1) per stream.
      this.streams.sort((a, b) => b.ttl.length - a.ttl.length || a.timeUs[0]! - b.timeUs[0]!);
      this.streams.length = this.limits.maxStreams;
    }
  }
}
