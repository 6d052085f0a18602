/**
 * The recently seen packets, keyed by replica identity: a set-associative table of fixed size in typed
 * arrays (like a CPU cache). A key maps to one bucket of WAYS slots; a new key takes an empty slot, else a
 * stale one (last seen longer ago than the stream gap), else the least recently seen. Memory is fixed at
 * construction, lookups cost at most WAYS comparisons, and old packets fall out by time or by pressure.
 *
 * Laid out for the memory system. Nearly every packet of a capture is new to the table, and the table (tens of
 * MB) fits in no cache, so the benchmark's profile showed the detector waiting on memory: one cache and TLB miss
 * per field array touched. Now each bucket is one 768-byte block: its hot part first (8 keys (h1, h2), 8 last-seen
 * times, 8 stream ids and 8 first sightings (TTL, direction, frame): four cache lines), then one 64-byte record per
 * slot for the rest of its staircase. A new packet touches the hot lines of one block only: its record is written
 * when a second sighting comes (rare: only repeats do), which saved a cache-line write per packet.
 */

const WAYS = 8;

export const NO_SLOT = -1;
export const NO_STREAM = -1;
/** A slot's stream word when it is empty: a zeroed buffer is an empty table, and "used" needs no field of its own. */
const EMPTY = 0;
/** Stored stream word of a used slot: its stream id shifted up by STREAM_BIAS (NO_STREAM becomes 1). */
const STREAM_BIAS = 2;

// A block in 32-bit words: [0, 16) keys h1/h2 interleaved, [16, 32) last-seen times (8 float64), [32, 40) stream
// words (see STREAM_BIAS), [40, 48) first sightings (TTL in bits 0-7, "record written" in bit 8, direction from bit
// 9), [48, 64) first frames (8 float64), then from word 64 the slots' records of 16 words (64 bytes) each.
const BLOCK_WORDS = 64 + WAYS * 16;
const BLOCK_F64 = BLOCK_WORDS / 2;
const LAST_US_F64 = 8;
const STREAM_WORD = 32;
const FIRST_WORD = 40;
const FIRST_FRAME_F64 = 24;
const RECORD_WORD = 64;
const HAS_RECORD = 0x100;
const DIR_SHIFT = 9;
// Inside a record: float64 0 first time, 1 first frame, 2 last frame; int32 6 first direction, 7 last direction;
// uint16 16 sighting count; uint8 34 first TTL, 35 last TTL.
const R_FIRST_US = 0;
const R_FIRST_FRAME = 1;
const R_LAST_FRAME = 2;
const R_FIRST_DIR = 6;
const R_LAST_DIR = 7;
const R_COUNT = 16;
const R_FIRST_TTL = 34;
const R_LAST_TTL = 35;

export class ReplicaTable {
  private readonly u32: Uint32Array;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private readonly u16: Uint16Array;
  private readonly u8: Uint8Array;
  private readonly bucketMask: number;

  /** `slotsLog2`: the table holds 2^slotsLog2 packets (at least 2^3). */
  constructor(slotsLog2: number) {
    const slots = 1 << Math.max(3, slotsLog2);
    const buckets = slots / WAYS;
    this.bucketMask = buckets - 1;
    const buf = new ArrayBuffer(buckets * BLOCK_WORDS * 4);
    this.u32 = new Uint32Array(buf);
    this.i32 = new Int32Array(buf);
    this.f64 = new Float64Array(buf);
    this.u16 = new Uint16Array(buf);
    this.u8 = new Uint8Array(buf);
  }

  find(h1: number, h2: number): number {
    const bucket = h1 & this.bucketMask;
    const k = bucket * BLOCK_WORDS;
    const u32 = this.u32;
    for (let w = 0; w < WAYS; w++) {
      if (u32[k + 2 * w] === h1 && u32[k + 2 * w + 1] === h2 && this.i32[k + STREAM_WORD + w] !== EMPTY) return bucket * WAYS + w;
    }
    return NO_SLOT;
  }

  /**
   * Picks the slot a new key will take: empty, else stale, else least recently seen (preferring slots that
   * are not part of an open stream). The caller must close the victim's stream (if any) before reuse.
   */
  victim(h1: number, nowUs: number, gapUs: number): number {
    const bucket = h1 & this.bucketMask;
    const sw = bucket * BLOCK_WORDS + STREAM_WORD;
    const tf = bucket * BLOCK_F64 + LAST_US_F64;
    let best = 0;
    let bestScore = Infinity;
    for (let w = 0; w < WAYS; w++) {
      const word = this.i32[sw + w]!;
      if (word === EMPTY) return bucket * WAYS + w;
      const lastUs = this.f64[tf + w]!;
      const stale = nowUs - lastUs > gapUs;
      // Lower is a better victim: stale first, then slots without a stream, then the oldest.
      const score = (stale ? 0 : word === NO_STREAM + STREAM_BIAS ? 1 : 2) * 1e18 + lastUs;
      if (score < bestScore) {
        bestScore = score;
        best = w;
      }
    }
    return bucket * WAYS + best;
  }

  /** Starts a fresh staircase in `slot` with one sighting. */
  start(slot: number, h1: number, h2: number, timeUs: number, ttl: number, frame: number, dir: number): void {
    const k = blockWord(slot);
    const w = slot & (WAYS - 1);
    this.u32[k + 2 * w] = h1;
    this.u32[k + 2 * w + 1] = h2;
    this.i32[k + STREAM_WORD + w] = NO_STREAM + STREAM_BIAS;
    this.f64[k / 2 + LAST_US_F64 + w] = timeUs;
    // The record stays unwritten: a single sighting lives in the hot lines (its time is the last-seen time).
    this.u32[k + FIRST_WORD + w] = (ttl & 0xff) | (dir << DIR_SHIFT);
    this.f64[k / 2 + FIRST_FRAME_F64 + w] = frame;
  }

  /** Appends a lower-TTL sighting to the staircase in `slot`. */
  extend(slot: number, timeUs: number, ttl: number, frame: number, dir: number): void {
    const r = recordWord(slot);
    const k = blockWord(slot);
    const w = slot & (WAYS - 1);
    const first = this.u32[k + FIRST_WORD + w]!;
    if ((first & HAS_RECORD) === 0) {
      // The second sighting: the record starts from the first one, kept in the hot lines until now.
      const firstTtl = first & 0xff;
      const firstDir = first >>> DIR_SHIFT;
      const firstFrame = this.f64[k / 2 + FIRST_FRAME_F64 + w]!;
      this.f64[r / 2 + R_FIRST_US] = this.lastUs(slot);
      this.f64[r / 2 + R_FIRST_FRAME] = firstFrame;
      this.i32[r + R_FIRST_DIR] = firstDir;
      this.u8[r * 4 + R_FIRST_TTL] = firstTtl;
      this.u16[r * 2 + R_COUNT] = 1;
      this.u32[k + FIRST_WORD + w] = first | HAS_RECORD;
    }
    this.setLastUs(slot, timeUs);
    this.u8[r * 4 + R_LAST_TTL] = ttl;
    this.f64[r / 2 + R_LAST_FRAME] = frame;
    this.i32[r + R_LAST_DIR] = dir;
    this.u16[r * 2 + R_COUNT] = Math.min(0xffff, this.u16[r * 2 + R_COUNT]! + 1);
  }

  free(slot: number): void {
    this.i32[blockWord(slot) + STREAM_WORD + (slot & (WAYS - 1))] = EMPTY;
  }

  isUsed(slot: number): boolean {
    return this.i32[blockWord(slot) + STREAM_WORD + (slot & (WAYS - 1))] !== EMPTY;
  }

  /** The open stream owning a used slot, or NO_STREAM. */
  stream(slot: number): number {
    const word = this.i32[blockWord(slot) + STREAM_WORD + (slot & (WAYS - 1))]!;
    return word === EMPTY ? NO_STREAM : word - STREAM_BIAS;
  }

  setStream(slot: number, id: number): void {
    this.i32[blockWord(slot) + STREAM_WORD + (slot & (WAYS - 1))] = id + STREAM_BIAS;
  }

  lastUs(slot: number): number {
    return this.f64[blockWord(slot) / 2 + LAST_US_F64 + (slot & (WAYS - 1))]!;
  }

  setLastUs(slot: number, timeUs: number): void {
    this.f64[blockWord(slot) / 2 + LAST_US_F64 + (slot & (WAYS - 1))] = timeUs;
  }

  /** The slot's first-sighting word (TTL, "record written", direction). */
  private firstWord(slot: number): number {
    return this.u32[blockWord(slot) + FIRST_WORD + (slot & (WAYS - 1))]!;
  }

  /** The first sighting's frame, kept in the hot lines. */
  private hotFrame(slot: number): number {
    return this.f64[blockWord(slot) / 2 + FIRST_FRAME_F64 + (slot & (WAYS - 1))]!;
  }

  /** Sightings in the current TTL staircase. */
  count(slot: number): number {
    return this.firstWord(slot) & HAS_RECORD ? this.u16[recordWord(slot) * 2 + R_COUNT]! : 1;
  }

  firstUs(slot: number): number {
    return this.firstWord(slot) & HAS_RECORD ? this.f64[recordWord(slot) / 2 + R_FIRST_US]! : this.lastUs(slot);
  }

  firstFrame(slot: number): number {
    return this.firstWord(slot) & HAS_RECORD ? this.f64[recordWord(slot) / 2 + R_FIRST_FRAME]! : this.hotFrame(slot);
  }

  lastFrame(slot: number): number {
    return this.firstWord(slot) & HAS_RECORD ? this.f64[recordWord(slot) / 2 + R_LAST_FRAME]! : this.hotFrame(slot);
  }

  firstDir(slot: number): number {
    const first = this.firstWord(slot);
    return first & HAS_RECORD ? this.i32[recordWord(slot) + R_FIRST_DIR]! : first >>> DIR_SHIFT;
  }

  lastDir(slot: number): number {
    const first = this.firstWord(slot);
    return first & HAS_RECORD ? this.i32[recordWord(slot) + R_LAST_DIR]! : first >>> DIR_SHIFT;
  }

  firstTtl(slot: number): number {
    const first = this.firstWord(slot);
    return first & HAS_RECORD ? this.u8[recordWord(slot) * 4 + R_FIRST_TTL]! : first & 0xff;
  }

  lastTtl(slot: number): number {
    const first = this.firstWord(slot);
    return first & HAS_RECORD ? this.u8[recordWord(slot) * 4 + R_LAST_TTL]! : first & 0xff;
  }
}

/** First 32-bit word of the block holding `slot`. */
function blockWord(slot: number): number {
  return (slot >>> 3) * BLOCK_WORDS;
}

/** First 32-bit word of `slot`'s record (even, so its float64 fields are aligned). */
function recordWord(slot: number): number {
  return (slot >>> 3) * BLOCK_WORDS + RECORD_WORD + (slot & (WAYS - 1)) * 16;
}
