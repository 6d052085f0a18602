import { strict as assert } from 'node:assert';
import { TickClock } from '../../../src/core/capture/timestamp';
import type { Frame } from '../../../src/core/capture/types';

/** Seconds and nanoseconds of a 64-bit tick count, by the definition (BigInt arithmetic). */
function reference(ticks: bigint, units: bigint): [number, number] {
  return [Number(ticks / units), Number(((ticks % units) * 1_000_000_000n) / units)];
}

function frame(): Frame {
  return { number: 0, section: 0, interfaceId: 0, linkType: 1, hasTime: true, timeSec: 0, timeNsec: 0, origLen: 0, capLen: 0, bytes: new Uint8Array(0), start: 0, data: new Uint8Array(0), fileOffset: 0 };
}

describe('TickClock', () => {
  it('converts tick counts above 2^53 exactly for every decimal resolution (nanoseconds since 1970 are such counts)', () => {
    let x = 0x9e3779b97f4a7c15n;
    const next = (): bigint => {
      x ^= (x << 13n) & 0xffffffffffffffffn;
      x ^= x >> 7n;
      x ^= (x << 17n) & 0xffffffffffffffffn;
      return x;
    };
    const f = frame();
    for (let e = 0; e <= 19; e++) {
      const clock = TickClock.fromTsresol(e);
      assert.ok(clock instanceof TickClock);
      const units = 10n ** BigInt(e);
      const samples: bigint[] = [2n ** 53n, 2n ** 53n + 1n, 1_764_000_000_123_456_789n, 2n ** 64n - 1n, (2n ** 21n + BigInt(e) * 0n) << 32n];
      for (let k = 0; k < 3000; k++) samples.push(next() >> BigInt(k % 12));
      for (const t of samples) {
        clock.set(f, Number(t >> 32n), Number(t & 0xffffffffn));
        assert.deepEqual([f.timeSec, f.timeNsec], reference(t, units), `10^-${e}, ticks ${t}`);
      }
    }
  });

  it('binary resolutions too', () => {
    const f = frame();
    for (const e of [8, 20, 30, 40]) {
      const clock = TickClock.fromTsresol(0x80 | e);
      assert.ok(clock instanceof TickClock);
      for (const t of [2n ** 53n + 12345n, 1_764_000_000_123_456_789n, 2n ** 63n + 7n]) {
        clock.set(f, Number(t >> 32n), Number(t & 0xffffffffn));
        assert.deepEqual([f.timeSec, f.timeNsec], reference(t, 2n ** BigInt(e)), `2^-${e}, ticks ${t}`);
      }
    }
  });
});
