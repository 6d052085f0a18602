/**
 * A replica stream in the making: the sightings of one packet whose TTL kept going down. A strictly
 * decreasing 8-bit TTL bounds a stream to 255 sightings, so each open stream has a fixed maximum size.
 */
import type { DirectionTable } from './directions';

/** Facts about the looped packet, read once when the stream opens. */
export interface PacketFacts {
  src: string;
  dst: string;
  protocol: number;
  ipId: number | null;
  vlan: number | null;
  srcPort?: number;
  dstPort?: number;
  /** Grouping key of the destination: its /24 (IPv4) or /64 (IPv6), e.g. "10.244.1.0/24". */
  dstPrefix: string;
}

export class ReplicaStreamDraft {
  readonly timeUs: number[] = [];
  readonly ttl: number[] = [];
  readonly frame: number[] = [];
  readonly dir: number[] = [];

  /**
   * true once a sighting arrived after a lower-TTL one (captures merged from several interfaces whose clocks
   * or queues reorder frames by a few µs): the arrays are in arrival order, not TTL order, then.
   */
  reordered = false;

  constructor(readonly facts: PacketFacts) {}

  add(timeUs: number, ttl: number, frame: number, dir: number): void {
    this.timeUs.push(timeUs);
    this.ttl.push(ttl);
    this.frame.push(frame);
    this.dir.push(dir);
  }

  /** A sighting that arrived late (its TTL is between ones already seen); false when that TTL was seen already. */
  addLate(timeUs: number, ttl: number, frame: number, dir: number): boolean {
    if (this.ttl.includes(ttl)) return false;
    this.add(timeUs, ttl, frame, dir);
    this.reordered = true;
    return true;
  }

  get lastUs(): number {
    return this.timeUs[this.timeUs.length - 1]!;
  }

  /** Highest and lowest TTL seen (first and last pass through the loop). */
  get maxTtl(): number {
    return this.reordered ? Math.max(...this.ttl) : this.ttl[0]!;
  }

  get minTtl(): number {
    return this.reordered ? Math.min(...this.ttl) : this.ttl[this.ttl.length - 1]!;
  }

  /** Sighting indices in pass order (TTL descending). */
  passOrder(): number[] {
    const idx = this.ttl.map((_, i) => i);
    return this.reordered ? idx.sort((a, b) => this.ttl[b]! - this.ttl[a]!) : idx;
  }
}

/** What a finished stream says about a loop. */
export interface StreamVerdict {
  isLoop: boolean;
  /** TTL decrease between consecutive sightings in the same direction -> how often it was seen. */
  steps: Map<number, number>;
}

/**
 * Fewest sightings that count as a loop when the link has no MAC addresses (raw IP, some tunnels) and the
 * direction of travel is unknown: a span port shows two copies (TTL - 1 once), a path never shows one packet
 * this many times at one point without a loop.
 */
export const MIN_SIGHTINGS_WITHOUT_DIRECTION = 4;

/**
 * Fewest sightings of a loop stream (as Hengartner et al. require): two sightings are one pass, too little to
 * tell a loop from a packet that happened to cross the link twice.
 */
export const MIN_SIGHTINGS = 3;

/**
 * A stream is a loop when it has at least MIN_SIGHTINGS sightings and the packet crossed the same link in the
 * same direction at least twice with its TTL lower by 2 or more: a span/mirror copy differs by 1 in another direction, a capture duplicate has the
 * same TTL (never part of a stream), a multi-hop path never repeats a direction.
 */
export function judgeStream(s: ReplicaStreamDraft, directions: Pick<DirectionTable, 'isUnknown'>): StreamVerdict {
  const steps = new Map<number, number>();
  const lastTtlByDir = new Map<number, number>();
  let sameDirectionLoop = false;
  let allUnknown = true;
  for (const i of s.passOrder()) {
    const dir = s.dir[i]!;
    const ttl = s.ttl[i]!;
    if (!directions.isUnknown(dir)) allUnknown = false;
    const prev = lastTtlByDir.get(dir);
    if (prev !== undefined) {
      const step = prev - ttl;
      steps.set(step, (steps.get(step) ?? 0) + 1);
      if (step >= 2) sameDirectionLoop = true;
    }
    lastTtlByDir.set(dir, ttl);
  }
  const isLoop = allUnknown ? s.ttl.length >= MIN_SIGHTINGS_WITHOUT_DIRECTION : sameDirectionLoop && s.ttl.length >= MIN_SIGHTINGS;
  return { isLoop, steps };
}
