import { strict as assert } from 'node:assert';
import { LaneHash } from '../../../src/core/detect/hash';

/** Deterministic bytes. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function hashOf(data: Uint8Array, start: number, end: number): [number, number] {
  const h = new LaneHash().reset(7).bytes(data, start, end).finish();
  return [h.h1, h.h2];
}

describe('LaneHash', () => {
  it('depends on the bytes only: the same range in other buffers, at any alignment and offset, hashes the same', () => {
    const big = bytes(1 << 16, 3);
    const h = new LaneHash();
    for (let k = 0; k < 2000; k++) {
      const start = (k * 7919) % 60000;
      const len = k % 97;
      const want = hashOf(big, start, start + len);
      // A copy at another alignment inside a larger buffer, seen through a view with a byte offset.
      const shift = k % 5;
      const host = new Uint8Array(len + 16);
      host.set(big.subarray(start, start + len), shift + 3);
      const view = host.subarray(3);
      assert.deepEqual(hashOf(view, shift, shift + len), want, `range ${start}+${len}, shift ${shift}`);
      // One reused hasher over alternating buffers gives the same as fresh ones.
      h.reset(7).bytes(view, shift, shift + len).finish();
      assert.deepEqual([h.h1, h.h2], want);
      h.reset(7).bytes(big, start, start + len).finish();
      assert.deepEqual([h.h1, h.h2], want);
    }
  });

  it('tells apart ranges that differ in one bit, in length, or in trailing zero bytes', () => {
    const a = bytes(200, 9);
    const seen = new Set<string>();
    for (let len = 0; len < 64; len++) seen.add(hashOf(a, 10, 10 + len).join());
    assert.equal(seen.size, 64);
    const b = a.slice();
    b[50]! ^= 0x10;
    assert.notDeepEqual(hashOf(a, 40, 80), hashOf(b, 40, 80));
    const z = new Uint8Array(16);
    assert.notDeepEqual(hashOf(z, 0, 8), hashOf(z, 0, 12));
    // A word fed whole is not the same as its bytes split over two ranges.
    const h = new LaneHash();
    const whole = h.reset(1).bytes(a, 0, 8).finish().h1;
    assert.notEqual(h.reset(1).bytes(a, 0, 4).bytes(a, 4, 8).finish().h1, whole);
  });

  it('flips about half of each hash for a one-bit change anywhere in a 96-byte range (avalanche)', () => {
    const base = bytes(96, 21);
    const [h1, h2] = hashOf(base, 0, 96);
    let flips1 = 0;
    let flips2 = 0;
    let trials = 0;
    const popcount = (x: number): number => {
      let n = 0;
      for (let v = x >>> 0; v; v &= v - 1) n++;
      return n;
    };
    for (let bit = 0; bit < 96 * 8; bit++) {
      const m = base.slice();
      m[bit >> 3]! ^= 1 << (bit & 7);
      const [g1, g2] = hashOf(m, 0, 96);
      flips1 += popcount(g1 ^ h1);
      flips2 += popcount(g2 ^ h2);
      trials++;
    }
    // 16 of 32 bits expected; a weak mix (a lane that never reaches a hash) shows far below.
    assert.ok(Math.abs(flips1 / trials - 16) < 1, `h1: ${(flips1 / trials).toFixed(2)} bits flipped on average`);
    assert.ok(Math.abs(flips2 / trials - 16) < 1, `h2: ${(flips2 / trials).toFixed(2)} bits flipped on average`);
  });

  it('gives 200,000 packet-like inputs that differ in a few bytes 200,000 distinct 64-bit identities, and each half collides as often as a random 32-bit value', () => {
    // Headers that share everything but an ID-like counter and one payload byte: the loop detector's hard case.
    const n = 200_000;
    const pkt = bytes(112, 5);
    const h = new LaneHash();
    const pairs = new Set<string>();
    const firsts = new Set<number>();
    const seconds = new Set<number>();
    for (let i = 0; i < n; i++) {
      pkt[4] = i & 0xff;
      pkt[5] = (i >> 8) & 0xff;
      pkt[60] = (i >> 16) & 0xff;
      h.reset(0x3c6ef372).stripe(0x0a000001, 0x0a000002, 6 | ((i & 0xffff) << 8), 1500 << 16).bytes(pkt, 16, 112).finish();
      pairs.add(`${h.h1}:${h.h2}`);
      firsts.add(h.h1);
      seconds.add(h.h2);
    }
    assert.equal(pairs.size, n);
    // Expected collisions among n random 32-bit values: n^2 / 2^33 = 4.7; allow a wide margin, but not a pattern.
    assert.ok(n - firsts.size < 30, `${n - firsts.size} collisions of h1`);
    assert.ok(n - seconds.size < 30, `${n - seconds.size} collisions of h2`);
  });
});
