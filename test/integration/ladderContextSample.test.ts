/**
 * The bundled incident sample through analyze(): its 16 ICMP time-exceeded messages (10.0.12.2, quoting the
 * looped packets to 10.244.1.10) become ladder marks, 8 per episode, and each episode gets a background band.
 */
import { strict as assert } from 'node:assert';
import { analyze } from '../../src/core/analyze';

const SAMPLE = 'media/samples/incident';

describe('ladder context on media/samples/incident', () => {
  it('gives each of the two episodes its 8 time-exceeded marks and a background band inside its ±1 s window', async () => {
    const report = await analyze({ paths: [SAMPLE] });
    assert.equal(report.loops.length, 2);
    for (const e of report.loops) {
      const marks = e.icmpMarks!;
      assert.equal(marks.timeUs.length, 8, e.id);
      assert.equal(marks.timeUs.length, e.icmpTimeExceeded);
      assert.deepEqual([...new Set(marks.router)], ['10.0.12.2']);
      assert.equal(marks.truncated, false);
      const bg = e.background!;
      assert.ok(bg.timeUs.length > 0, e.id);
      assert.equal(bg.ttl.length, bg.timeUs.length);
      for (const t of [...marks.timeUs, ...bg.timeUs]) assert.ok(t >= e.startUs - 1_000_000 && t <= e.endUs + 1_000_000, `${e.id} ${t}`);
    }
  });
});
