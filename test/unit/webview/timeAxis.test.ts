import assert from 'node:assert/strict';
import { instantLabel, microLabel, timeTicks } from '../../../webview/timeAxis';

const T = Date.UTC(2026, 10, 24, 10, 0, 1) * 1000;

describe('webview time axis', () => {
  it('labels microseconds exactly', () => {
    assert.equal(microLabel(T + 123_456), '10:00:01.123456');
    assert.equal(instantLabel(T + 7), '2026-11-24 10:00:01.000007 UTC');
  });

  it('gives ticks inside the window with distinct labels, from hours down to microseconds', () => {
    for (const span of [3_600_000_000, 60_000_000, 3_000_000, 40_000, 5_000, 80]) {
      const ticks = timeTicks(T, T + span, 8);
      assert.ok(ticks.length >= 2, `span ${span}: ${ticks.length} ticks`);
      for (const t of ticks) assert.ok(t.us >= T && t.us <= T + span);
      assert.equal(new Set(ticks.map((t) => t.label)).size, ticks.length, `span ${span}: ${ticks.map((t) => t.label)}`);
    }
    assert.deepEqual(timeTicks(T, T, 8), []);
  });
});
