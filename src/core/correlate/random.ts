/**
 * A seeded PRNG for the permutation tests: mulberry32 (public-domain, 32-bit state, period 2^32), uniform in [0, 1).
 * Hand-written on purpose: it is a few lines, the core runs in a worker and in the CLI bundle, and a test must be
 * able to replay a run from its seed; a dependency would add nothing but weight.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
