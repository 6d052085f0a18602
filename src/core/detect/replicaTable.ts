/**
 * The recently seen packets, keyed by replica identity, in fixed memory: a small set-associative index (like a
 * CPU cache: a key maps to one bucket of WAYS slots) over a ring of sighting entries written in order.
 *
 * Laid out for the memory system. Nearly every packet of a capture is new to the table, so the common case is a
 * lookup that misses and an insert. When buckets held the packets themselves (a 23 MB table, one random 768-byte
 * block per packet, several lines read and written), the benchmark's profile showed that case waiting on memory.
 * Now a bucket is one 64-byte line of 16 slots of 32 bits (a short tag of the key, a flag and the sequence number
 * of the slot's entry): 1 MB for 2^18 slots, one line read per lookup; the packet itself goes to the ring's head,
 * a sequential write, and entries are read back only for the rare packet seen again. (The index line still
 * misses the cache when a capture streams through between two visits: bench/results.md, "Second round".)
 * A slot is taken by a new key when empty, when its entry has been overwritten by the ring (2^n newer
 * sightings), when stale (last seen longer ago than the stream gap), else the least recently seen, preferring
 * slots without an open stream.
 *
 * "Least recently seen" is kept as the order of the ring: a sighting that changes a slot's entry moves the entry
 * to the head, so the oldest sequence number is the oldest sighting (in frame order, which is time order in a
 * capture written in order).
 */

const WAYS = 16;
/** Largest table: the tag gets the bits the sequence number leaves, and a tag under 5 bits would match too often. */
const MAX_SLOTS_LOG2 = 22;

export const NO_SLOT = -1;
export const NO_STREAM = -1;

/** Slot bit set while the slot owns an open stream (its id is in `streamIds`, read only when the bit is set). */
const STREAM_FLAG = 0x8000_0000;
/** Sequence number 0 marks an empty slot; sequence numbers skip it. */
const EMPTY_SEQ = 0;

// An entry in 32-bit words (64 bytes, one cache line): 0 h1, 1 h2, 2 first direction, 3 last direction,
// float64 2 last time, 3 first time, 4 first frame, 5 last frame; 12 sighting count, 13 first TTL, 14 last TTL.
const ENTRY_WORDS = 16;
const E_H1 = 0;
const E_H2 = 1;
const E_FIRST_DIR = 2;
const E_LAST_DIR = 3;
const E_LAST_US = 2;
const E_FIRST_US = 3;
const E_FIRST_FRAME = 4;
const E_LAST_FRAME = 5;
const E_COUNT = 12;
const E_FIRST_TTL = 13;
const E_LAST_TTL = 14;

export class ReplicaTable {
  /**
   * One 32-bit word per slot: STREAM_FLAG (bit 31), then the key's tag (h2's own bits from seqBits to 30), then
   * the low `seqBits` bits of the sequence number of the slot's entry (EMPTY_SEQ: empty).
   */
  private readonly slots: Uint32Array;
  private readonly entries: Uint32Array;
  private readonly entriesI32: Int32Array;
  private readonly entriesF64: Float64Array;
  private readonly bucketMask: number;
  private readonly ringMask: number;
  private readonly ringSize: number;
  private readonly seqMask: number;
  private readonly tagMask: number;
  /** Sightings between two cleans: any slot's age stays below 2^seqBits, so ages are never ambiguous. */
  private readonly cleanEvery: number;
  /**
   * The id of the stream a flagged slot owns. An array rather than a Map: in a loop storm tens of thousands of
   * streams are open, and the detector's sweep asks this for each of them (bench/results.md, "Fourth round").
   */
  private readonly streamIds: Int32Array;
  /** Sequence number (low seqBits bits) of the latest entry written. */
  private head = EMPTY_SEQ;
  private sinceClean = 0;

  /** `slotsLog2`: the table holds 2^slotsLog2 packets (between 2^4 and 2^22). */
  constructor(slotsLog2: number) {
    const log2 = Math.min(MAX_SLOTS_LOG2, Math.max(4, slotsLog2));
    const slots = 2 ** log2;
    const seqBits = log2 + 4;
    this.bucketMask = slots / WAYS - 1;
    this.ringSize = slots;
    this.ringMask = slots - 1;
    this.seqMask = 2 ** seqBits - 1;
    this.tagMask = (2 ** (31 - seqBits) - 1) * 2 ** seqBits;
    this.cleanEvery = 2 ** (seqBits - 1);
    this.slots = new Uint32Array(slots);
    this.streamIds = new Int32Array(slots);
    const ring = new ArrayBuffer(slots * ENTRY_WORDS * 4);
    this.entries = new Uint32Array(ring);
    this.entriesI32 = new Int32Array(ring);
    this.entriesF64 = new Float64Array(ring);
  }

  /** Slots of the index (table slot numbers run from 0 to this). */
  get slotCount(): number {
    return this.slots.length;
  }

  /** Most entries the ring keeps: a slot's packet is forgotten after this many newer sightings. */
  get capacity(): number {
    return this.ringSize;
  }

  find(h1: number, h2: number): number {
    const first = (h1 & this.bucketMask) * WAYS;
    const s = this.slots;
    const tag = this.tagOf(h2);
    for (let slot = first; slot < first + WAYS; slot++) {
      // The tag rules out nearly every slot; the few left are checked against the full key in their entry.
      if ((s[slot]! & this.tagMask) !== tag || !this.isLive(slot)) continue;
      const e = this.entryWord(slot);
      if (this.entries[e + E_H1] === h1 && this.entries[e + E_H2] === h2) return slot;
    }
    return NO_SLOT;
  }

  /**
   * Picks the slot a new key will take: empty or overwritten, else stale, else least recently seen (preferring
   * slots that are not part of an open stream). The caller must close the victim's stream (if any) before reuse.
   */
  victim(h1: number, nowUs: number, gapUs: number): number {
    const first = (h1 & this.bucketMask) * WAYS;
    const s = this.slots;
    let oldestPlain = NO_SLOT;
    let oldestPlainAge = -1;
    let oldestStream = NO_SLOT;
    let oldestStreamAge = -1;
    let staleStream = NO_SLOT;
    let staleStreamUs = Infinity;
    for (let slot = first; slot < first + WAYS; slot++) {
      // isLive(slot), with the word and its age read once.
      const word = s[slot]!;
      const age = (this.head - word) & this.seqMask;
      if ((word & this.seqMask) === EMPTY_SEQ || age >= this.ringSize) return slot;
      if ((word & STREAM_FLAG) === 0) {
        if (age > oldestPlainAge) {
          oldestPlainAge = age;
          oldestPlain = slot;
        }
        continue;
      }
      // Streams are rare: reading their entries costs little, and a stale one is a better victim than a live packet.
      const lastUs = this.lastUs(slot);
      if (nowUs - lastUs > gapUs && lastUs < staleStreamUs) {
        staleStreamUs = lastUs;
        staleStream = slot;
      }
      if (age > oldestStreamAge) {
        oldestStreamAge = age;
        oldestStream = slot;
      }
    }
    if (staleStream !== NO_SLOT) {
      // The oldest of all stale slots: the oldest plain one may be older still.
      if (oldestPlain !== NO_SLOT) {
        const plainUs = this.lastUs(oldestPlain);
        if (nowUs - plainUs > gapUs && plainUs < staleStreamUs) return oldestPlain;
      }
      return staleStream;
    }
    return oldestPlain !== NO_SLOT ? oldestPlain : oldestStream;
  }

  /** Starts a fresh staircase in `slot` with one sighting. */
  start(slot: number, h1: number, h2: number, timeUs: number, ttl: number, frame: number, dir: number): void {
    this.slots[slot] = this.tagOf(h2);
    const e = this.append(slot);
    const u32 = this.entries;
    const i32 = this.entriesI32;
    const f64 = this.entriesF64;
    u32[e + E_H1] = h1;
    u32[e + E_H2] = h2;
    i32[e + E_FIRST_DIR] = dir;
    i32[e + E_LAST_DIR] = dir;
    f64[e / 2 + E_LAST_US] = timeUs;
    f64[e / 2 + E_FIRST_US] = timeUs;
    f64[e / 2 + E_FIRST_FRAME] = frame;
    f64[e / 2 + E_LAST_FRAME] = frame;
    u32[e + E_COUNT] = 1;
    u32[e + E_FIRST_TTL] = ttl;
    u32[e + E_LAST_TTL] = ttl;
  }

  /** Appends a lower-TTL sighting to the staircase in `slot`. */
  extend(slot: number, timeUs: number, ttl: number, frame: number, dir: number): void {
    const e = this.moveToHead(slot);
    this.entriesF64[e / 2 + E_LAST_US] = timeUs;
    this.entries[e + E_LAST_TTL] = ttl;
    this.entriesF64[e / 2 + E_LAST_FRAME] = frame;
    this.entriesI32[e + E_LAST_DIR] = dir;
    this.entries[e + E_COUNT] = Math.min(0xffff, this.entries[e + E_COUNT]! + 1);
  }

  /** Makes a live slot the most recently seen without changing it (an open stream about to leave the ring). */
  refresh(slot: number): void {
    this.moveToHead(slot);
  }

  free(slot: number): void {
    // The stream id stays behind in streamIds; without the flag nothing reads it.
    this.slots[slot] = EMPTY_SEQ;
  }

  /** Whether the slot holds a key (its entry may have been overwritten: then only its stream, if any, remains). */
  isUsed(slot: number): boolean {
    return (this.slots[slot]! & this.seqMask) !== EMPTY_SEQ;
  }

  /** Sightings written since the slot's entry (0 for the latest); from `capacity` on, the entry is gone. */
  age(slot: number): number {
    return (this.head - this.slots[slot]!) & this.seqMask;
  }

  /** The open stream owning a used slot, or NO_STREAM. */
  stream(slot: number): number {
    return this.slots[slot]! & STREAM_FLAG ? this.streamIds[slot]! : NO_STREAM;
  }

  setStream(slot: number, id: number): void {
    if (id === NO_STREAM) {
      this.slots[slot] = this.slots[slot]! & ~STREAM_FLAG;
    } else {
      this.streamIds[slot] = id;
      this.slots[slot] = this.slots[slot]! | STREAM_FLAG;
    }
  }

  lastUs(slot: number): number {
    return this.entriesF64[this.entryWord(slot) / 2 + E_LAST_US]!;
  }

  setLastUs(slot: number, timeUs: number): void {
    this.entriesF64[this.moveToHead(slot) / 2 + E_LAST_US] = timeUs;
  }

  /** Sightings in the current TTL staircase. */
  count(slot: number): number {
    return this.entries[this.entryWord(slot) + E_COUNT]!;
  }

  firstUs(slot: number): number {
    return this.entriesF64[this.entryWord(slot) / 2 + E_FIRST_US]!;
  }

  firstFrame(slot: number): number {
    return this.entriesF64[this.entryWord(slot) / 2 + E_FIRST_FRAME]!;
  }

  lastFrame(slot: number): number {
    return this.entriesF64[this.entryWord(slot) / 2 + E_LAST_FRAME]!;
  }

  firstDir(slot: number): number {
    return this.entriesI32[this.entryWord(slot) + E_FIRST_DIR]!;
  }

  lastDir(slot: number): number {
    return this.entriesI32[this.entryWord(slot) + E_LAST_DIR]!;
  }

  firstTtl(slot: number): number {
    return this.entries[this.entryWord(slot) + E_FIRST_TTL]!;
  }

  lastTtl(slot: number): number {
    return this.entries[this.entryWord(slot) + E_LAST_TTL]!;
  }

  /** The slot word's tag bits for a key's h2: h2's own bits in those places (h1 chose the bucket). */
  private tagOf(h2: number): number {
    return h2 & this.tagMask;
  }

  /** Whether the slot holds a key whose entry is still in the ring. */
  private isLive(slot: number): boolean {
    const word = this.slots[slot]!;
    return (word & this.seqMask) !== EMPTY_SEQ && ((this.head - word) & this.seqMask) < this.ringSize;
  }

  /** First 32-bit word of the live slot's entry. */
  private entryWord(slot: number): number {
    return (this.slots[slot]! & this.ringMask) * ENTRY_WORDS;
  }

  /** Takes the ring's next entry for `slot` (keeping its tag and flag) and returns the entry's first word. */
  private append(slot: number): number {
    let seq = (this.head + 1) & this.seqMask;
    if (seq === EMPTY_SEQ) seq = 1;
    this.head = seq;
    this.slots[slot] = ((this.slots[slot]! & ~this.seqMask) | seq) >>> 0;
    if (++this.sinceClean === this.cleanEvery) this.clean();
    return (seq & this.ringMask) * ENTRY_WORDS;
  }

  /** Copies the live slot's entry to the ring's head and returns the new entry's first word. */
  private moveToHead(slot: number): number {
    const from = this.entryWord(slot);
    const to = this.append(slot);
    this.entries.copyWithin(to, from, from + ENTRY_WORDS);
    return to;
  }

  /** Empties the slots whose entries the ring has overwritten, keeping their streams (the detector closes those). */
  private clean(): void {
    this.sinceClean = 0;
    for (let slot = 0; slot < this.slots.length; slot++) {
      if (this.isUsed(slot) && !this.isLive(slot) && !(this.slots[slot]! & STREAM_FLAG)) this.free(slot);
    }
  }
}
