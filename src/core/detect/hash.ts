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

  reset(seed1: number, seed2: number): this {
    this.h1 = seed1 | 0;
    this.h2 = seed2 | 0;
    this.len = 0;
    return this;
  }

  /** Mixes one 32-bit word into both lanes. */
  word(k: number): this {
    k = Math.imul(k | 0, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    let a = this.h1 ^ k;
    a = (a << 13) | (a >>> 19);
    this.h1 = (Math.imul(a, 5) + 0xe6546b64) | 0;
    let b = this.h2 ^ Math.imul(k, 0x85ebca6b);
    b = (b << 17) | (b >>> 15);
    this.h2 = (Math.imul(b, 9) + 0x5bd1e995) | 0;
    this.len += 4;
    return this;
  }

  /** Mixes bytes [start, end) of `data`, four at a time. */
  bytes(data: Uint8Array, start: number, end: number): this {
    let i = start;
    const whole = end - ((end - start) & 3);
    for (; i < whole; i += 4) {
      this.word(data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    }
    let tail = 0;
    let shift = 0;
    for (; i < end; i++, shift += 8) tail |= data[i]! << shift;
    // The length goes in separately so that trailing zero bytes still change the hash.
    this.word(tail).word(end - start);
    return this;
  }

  /** Final avalanche of both lanes (murmur3 fmix32). */
  finish(): this {
    this.h1 = fmix(this.h1 ^ this.len);
    this.h2 = fmix(this.h2 ^ this.len ^ 0x27d4eb2f);
    return this;
  }
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
