/**
 * The recently seen packets, keyed by replica identity: a set-associative table of fixed size in typed
 * arrays (like a CPU cache). A key maps to one bucket of WAYS slots; a new key takes an empty slot, else a
 * stale one (last seen longer ago than the stream gap), else the least recently seen. Memory is fixed at
 * construction, lookups cost at most WAYS comparisons, and old packets fall out by time or by pressure.
 */

const WAYS = 8;

export const NO_SLOT = -1;
export const NO_STREAM = -1;

export class ReplicaTable {
  readonly h1: Uint32Array;
  readonly h2: Uint32Array;
  /** 0 = empty. */
  readonly used: Uint8Array;
  readonly lastUs: Float64Array;
  readonly lastTtl: Uint8Array;
  readonly lastFrame: Float64Array;
  readonly lastDir: Int32Array;
  readonly firstUs: Float64Array;
  readonly firstTtl: Uint8Array;
  readonly firstFrame: Float64Array;
  readonly firstDir: Int32Array;
  /** Sightings in the current TTL staircase. */
  readonly count: Uint16Array;
  /** Id of the open replica stream draft that owns the slot, or NO_STREAM. */
  readonly stream: Int32Array;
  private readonly bucketMask: number;

  /** `slotsLog2`: the table holds 2^slotsLog2 packets (at least 2^3). */
  constructor(slotsLog2: number) {
    const slots = 1 << Math.max(3, slotsLog2);
    this.bucketMask = slots / WAYS - 1;
    this.h1 = new Uint32Array(slots);
    this.h2 = new Uint32Array(slots);
    this.used = new Uint8Array(slots);
    this.lastUs = new Float64Array(slots);
    this.lastTtl = new Uint8Array(slots);
    this.lastFrame = new Float64Array(slots);
    this.lastDir = new Int32Array(slots);
    this.firstUs = new Float64Array(slots);
    this.firstTtl = new Uint8Array(slots);
    this.firstFrame = new Float64Array(slots);
    this.firstDir = new Int32Array(slots);
    this.count = new Uint16Array(slots);
    this.stream = new Int32Array(slots).fill(NO_STREAM);
  }

  find(h1: number, h2: number): number {
    const base = (h1 & this.bucketMask) * WAYS;
    for (let s = base; s < base + WAYS; s++) {
      if (this.used[s] === 1 && this.h1[s] === h1 && this.h2[s] === h2) return s;
    }
    return NO_SLOT;
  }

  /**
   * Picks the slot a new key will take: empty, else stale, else least recently seen (preferring slots that
   * are not part of an open stream). The caller must close the victim's stream (if any) before reuse.
   */
  victim(h1: number, nowUs: number, gapUs: number): number {
    const base = (h1 & this.bucketMask) * WAYS;
    let best = base;
    let bestScore = Infinity;
    for (let s = base; s < base + WAYS; s++) {
      if (this.used[s] === 0) return s;
      const stale = nowUs - this.lastUs[s]! > gapUs;
      // Lower is a better victim: stale first, then slots without a stream, then the oldest.
      const score = (stale ? 0 : this.stream[s] === NO_STREAM ? 1 : 2) * 1e18 + this.lastUs[s]!;
      if (score < bestScore) {
        bestScore = score;
        best = s;
      }
    }
    return best;
  }

  /** Starts a fresh staircase in `slot` with one sighting. */
  start(slot: number, h1: number, h2: number, timeUs: number, ttl: number, frame: number, dir: number): void {
    this.used[slot] = 1;
    this.h1[slot] = h1;
    this.h2[slot] = h2;
    this.firstUs[slot] = this.lastUs[slot] = timeUs;
    this.firstTtl[slot] = this.lastTtl[slot] = ttl;
    this.firstFrame[slot] = this.lastFrame[slot] = frame;
    this.firstDir[slot] = this.lastDir[slot] = dir;
    this.count[slot] = 1;
    this.stream[slot] = NO_STREAM;
  }

  /** Appends a lower-TTL sighting to the staircase in `slot`. */
  extend(slot: number, timeUs: number, ttl: number, frame: number, dir: number): void {
    this.lastUs[slot] = timeUs;
    this.lastTtl[slot] = ttl;
    this.lastFrame[slot] = frame;
    this.lastDir[slot] = dir;
    this.count[slot] = Math.min(0xffff, this.count[slot]! + 1);
  }

  free(slot: number): void {
    this.used[slot] = 0;
    this.stream[slot] = NO_STREAM;
  }
}
