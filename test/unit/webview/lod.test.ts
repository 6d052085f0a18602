import assert from 'node:assert/strict';
import fc from 'fast-check';
import { binColumns, binLadder, binLanes, lowerBound, nearestPoint, visibleRange } from '../../../webview/lod';

const sortedTimes = fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 300 }).map((a) => Float64Array.from(a.sort((x, y) => x - y)));

describe('webview LOD aggregation', () => {
  it('lowerBound finds the first index not below the value', () => {
    fc.assert(
      fc.property(sortedTimes, fc.integer({ min: -5, max: 10_005 }), (t, v) => {
        const i = lowerBound(t, v);
        const naive = t.findIndex((x) => x >= v);
        assert.equal(i, naive < 0 ? t.length : naive);
      }),
    );
  });

  it('visibleRange includes both ends of the window', () => {
    const t = Float64Array.from([1, 2, 2, 3, 5, 5, 8]);
    assert.deepEqual(visibleRange(t, { startUs: 2, endUs: 5, columns: 10 }), [1, 6]);
    assert.deepEqual(visibleRange(t, { startUs: 6, endUs: 7, columns: 10 }), [6, 6]);
  });

  it('binLadder sets one direction bit per (column, TTL) exactly where sightings fall', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ t: fc.integer({ min: 0, max: 999 }), ttl: fc.integer({ min: 1, max: 64 }), d: fc.integer({ min: 0, max: 3 }) }), { maxLength: 400 }),
        fc.integer({ min: 1, max: 80 }),
        (pts, columns) => {
          pts.sort((a, b) => a.t - b.t);
          const time = Float64Array.from(pts, (p) => p.t);
          const ttl = Uint8Array.from(pts, (p) => p.ttl);
          const dir = Uint8Array.from(pts, (p) => p.d);
          const w = { startUs: 100, endUs: 900, columns };
          const rows = 64;
          const grid = new Uint8Array(columns * rows).fill(0xff); // stale content must be cleared
          const binned = binLadder(time, ttl, dir, 0, pts.length, w, 1, rows, grid);
          const expected = new Uint8Array(columns * rows);
          let inside = 0;
          for (const p of pts) {
            if (p.t < 100 || p.t > 900) continue;
            const col = Math.min(columns - 1, Math.floor(((p.t - 100) * columns) / 800));
            expected[col * rows + p.ttl - 1]! |= 1 << p.d;
            inside++;
          }
          assert.equal(binned, inside);
          assert.deepEqual(grid, expected);
        },
      ),
    );
  });

  it('binLanes keeps the highest rank and the count per lane and column', () => {
    // Lane 0: ranks 1 and 6 in the same column, lane 1: one event outside the window and one inside.
    const time = Float64Array.from([10, 11, 95, 0, 50]);
    const rank = Uint8Array.from([1, 6, 2, 5, 3]);
    const laneStart = Uint32Array.from([0, 3, 5]);
    const cells = new Uint8Array(20);
    const counts = new Uint32Array(20);
    const n = binLanes(time, rank, laneStart, { startUs: 5, endUs: 105, columns: 10 }, cells, counts);
    assert.equal(n, 4);
    assert.equal(cells[0], 6);
    assert.equal(counts[0], 2);
    assert.equal(cells[9], 2);
    assert.equal(cells[10 + 4], 3);
    assert.equal(counts.reduce((a, b) => a + b, 0), 4);
  });

  it('binColumns counts per column, or keeps the maximum value', () => {
    const time = Float64Array.from([0, 1, 2, 9, 10]);
    const out = new Float64Array(5);
    // Columns of 2 µs: 0,1 -> 0; 2 -> 1; 9 and the window's end 10 -> 4.
    assert.equal(binColumns(time, { startUs: 0, endUs: 10, columns: 5 }, out), 2);
    assert.deepEqual([...out], [2, 1, 0, 0, 2]);
    const values = Float64Array.from([5, 7, 1, 3, 4]);
    assert.equal(binColumns(time, { startUs: 0, endUs: 10, columns: 5 }, out, values), 7);
    assert.deepEqual([...out], [7, 1, 0, 0, 4]);
  });

  it('nearestPoint agrees with a brute-force search', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ t: fc.integer({ min: 0, max: 1000 }), y: fc.integer({ min: 0, max: 100 }) }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (pts, px, py) => {
          pts.sort((a, b) => a.t - b.t);
          const time = Float64Array.from(pts, (p) => p.t);
          const ys = pts.map((p) => p.y);
          const usPerPx = 10;
          const i = nearestPoint(time, 0, pts.length, px, py, 8, usPerPx, (k) => time[k]! / usPerPx, (k) => ys[k]!, 0);
          let bestD = Infinity;
          pts.forEach((p) => {
            const d = (p.t / usPerPx - px) ** 2 + (p.y - py) ** 2;
            if (d <= 64) bestD = Math.min(bestD, d);
          });
          if (bestD === Infinity) assert.equal(i, -1);
          else assert.equal((time[i]! / usPerPx - px) ** 2 + (ys[i]! - py) ** 2, bestD);
        },
      ),
    );
  });
});
