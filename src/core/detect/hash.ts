/**
 * Two independent 32-bit hashes over a byte range, computed in one pass (a 64-bit identity for a packet).
 * Hand-written instead of a library: the hot path needs hashing over a view of the reader's buffer with no
 * allocation and no string conversion, which the hashing packages on npm (string/Buffer in, hex out) do not offer.
 * The mixing steps are the well-known murmur3 finalisers and constants.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** The running state of a two-lane hash; reused, never allocated per packet. */
export class PairHash {
  h1 = 0;
  h2 = 0;
  private len = 0;
  /** A view of the last buffer hashed: words are read whole (one load instead of four byte loads and shifts). */
  private view: DataView | null = null;

  reset(seed1: number, seed2: number): this {
    this.h1 = seed1 | 0;
    this.h2 = seed2 | 0;
    this.len = 0;
    return this;
  }

  /** Mixes one 32-bit word into both lanes. */
  word(k: number): this {
    this.h1 = mix1(this.h1, k);
    this.h2 = mix2(this.h2, k);
    this.len += 4;
    return this;
  }

  /**
   * Mixes bytes [start, end) of `data`, four at a time. The lanes stay in locals inside the loop: written back
   * to the object per word they were stored as boxed doubles (they hold unsigned values after `finish`), which
   * the benchmark's profile showed as a hot spot.
   */
  bytes(data: Uint8Array, start: number, end: number): this {
    let h1 = this.h1 | 0;
    let h2 = this.h2 | 0;
    let i = start;
    const whole = end - ((end - start) & 3);
    let view = this.view;
    if (view === null || view.buffer !== data.buffer) view = this.view = new DataView(data.buffer);
    // The same little-endian word as composing the four bytes, read at the view's place in its buffer.
    for (const base = data.byteOffset; i < whole; i += 4) {
      const k = view.getInt32(base + i, true);
      h1 = mix1(h1, k);
      h2 = mix2(h2, k);
    }
    let tail = 0;
    let shift = 0;
    for (; i < end; i++, shift += 8) tail |= data[i]! << shift;
    // The length goes in separately so that trailing zero bytes still change the hash.
    const n = end - start;
    h1 = mix1(mix1(h1, tail), n);
    h2 = mix2(mix2(h2, tail), n);
    this.h1 = h1;
    this.h2 = h2;
    this.len += 4 * ((whole - start) / 4 + 2);
    return this;
  }

  /** Final avalanche of both lanes (murmur3 fmix32). */
  finish(): this {
    this.h1 = fmix(this.h1 ^ this.len);
    this.h2 = fmix(this.h2 ^ this.len ^ 0x27d4eb2f);
    return this;
  }
}

/** The word's murmur3 scramble (shared by both lanes). */
function scramble(k: number): number {
  k = Math.imul(k | 0, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function mix1(h: number, word: number): number {
  let a = h ^ scramble(word);
  a = (a << 13) | (a >>> 19);
  return (Math.imul(a, 5) + 0xe6546b64) | 0;
}

function mix2(h: number, word: number): number {
  let b = h ^ Math.imul(scramble(word), 0x85ebca6b);
  b = (b << 17) | (b >>> 15);
  return (Math.imul(b, 9) + 0x5bd1e995) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
