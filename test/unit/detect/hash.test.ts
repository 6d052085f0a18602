import { strict as assert } from 'node:assert';
import { PairHash } from '../../../src/core/detect/hash';

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
  const h = new PairHash().reset(7, 11).bytes(data, start, end).finish();
  return [h.h1, h.h2];
}

describe('PairHash', () => {
  it('depends on the bytes only: the same range in other buffers, at any alignment and offset, hashes the same', () => {
    const big = bytes(1 << 16, 3);
    const h = new PairHash();
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
      h.reset(7, 11).bytes(view, shift, shift + len).finish();
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
  });
});
