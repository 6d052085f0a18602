import assert from 'node:assert/strict';
import { episodeColumns, eventColumns, reportColumns, RESPONSE_KINDS } from '../../../webview/columns';
import { syntheticReport } from '../../browser/syntheticReport';

describe('webview columns (Report -> typed arrays)', () => {
  const report = syntheticReport({ seed: 2, episodes: 2, streamsPerEpisode: 40, events: 800 });

  it('keeps every sighting of an episode, sorted by time, rows aligned', () => {
    const l = report.loops[0]!;
    // Shuffle the ladder (a Report need not be in time order) and check the columns put it back row by row.
    const n = l.ladder.timeUs.length;
    const perm = Array.from({ length: n }, (_, i) => (i * 7919) % n);
    assert.equal(new Set(perm).size, n);
    const shuffled = { ...l, ladder: { ...l.ladder, ...Object.fromEntries((['timeUs', 'ttl', 'frame', 'stream', 'direction'] as const).map((k) => [k, perm.map((i) => l.ladder[k][i]!)])) } };
    const c = episodeColumns(shuffled);
    assert.equal(c.timeUs.length, n);
    for (let i = 1; i < n; i++) assert.ok(c.timeUs[i]! >= c.timeUs[i - 1]!);
    const byFrame = new Map(l.ladder.frame.map((f, i) => [f, i]));
    for (let j = 0; j < n; j++) {
      const i = byFrame.get(c.frame[j]!)!;
      assert.equal(c.timeUs[j], l.ladder.timeUs[i]);
      assert.equal(c.ttl[j], l.ladder.ttl[i]);
      assert.equal(c.stream[j], l.ladder.stream[i]);
      assert.equal(c.direction[j], l.ladder.direction[i]);
    }
    assert.equal(c.minTtl, Math.min(...l.ladder.ttl));
    assert.equal(c.maxTtl, Math.max(...l.ladder.ttl));
  });

  it('indexes sightings by stream, each stream in time order (the staircase)', () => {
    const l = report.loops[1]!;
    const c = episodeColumns(l);
    for (let s = 0; s < l.streams.length; s++) {
      const idx = [...c.byStream.subarray(c.streamStart[s]!, c.streamStart[s + 1]!)];
      assert.equal(idx.length, l.streams[s]!.sightings);
      for (const i of idx) assert.equal(c.stream[i], s);
      for (let k = 1; k < idx.length; k++) assert.ok(c.timeUs[idx[k]!]! >= c.timeUs[idx[k - 1]!]!);
      // One way the TTL steps down by the loop's hop count.
      const oneWay = idx.filter((i) => c.direction[i] === 0).map((i) => c.ttl[i]!);
      for (let k = 1; k < oneWay.length; k++) assert.equal(oneWay[k - 1]! - oneWay[k]!, l.ttlStep);
    }
  });

  it('puts each log event in one lane of its host, responses in the density strip, throttling in its series', () => {
    const ev = eventColumns(report.events);
    const laneEvents = report.events.filter((e) => !RESPONSE_KINDS.has(e.kind) && e.kind !== 'cpu-throttled');
    assert.equal(ev.timeUs.length, laneEvents.length);
    assert.equal(ev.responseTimeUs.length, report.events.filter((e) => RESPONSE_KINDS.has(e.kind)).length);
    assert.equal(ev.throttleTimeUs.length, report.events.filter((e) => e.kind === 'cpu-throttled').length);
    for (let l = 0; l < ev.lanes.length; l++) {
      const group = ev.groups[ev.lanes[l]!.group]!;
      assert.ok(group.lanes.includes(l));
      for (let j = ev.laneStart[l]!; j < ev.laneStart[l + 1]!; j++) {
        const e = report.events[ev.eventIndex[j]!]!;
        assert.equal(e.host, group.key);
        assert.equal(e.process, ev.lanes[l]!.label);
        assert.equal(ev.timeUs[j], e.timeUs);
        assert.equal(ev.laneOfEvent[ev.eventIndex[j]!], l);
        if (j > ev.laneStart[l]!) assert.ok(ev.timeUs[j]! >= ev.timeUs[j - 1]!);
      }
    }
    // Lanes are numbered group by group.
    assert.deepEqual(ev.groups.flatMap((g) => g.lanes), ev.lanes.map((_, i) => i));
  });

  it('spans the whole Report in time', () => {
    const cols = reportColumns(report);
    const times = [...report.events.map((e) => e.timeUs), ...report.loops.flatMap((l) => [l.startUs, l.endUs])];
    assert.equal(cols.startUs, Math.min(...times));
    assert.ok(cols.endUs >= Math.max(...times));
    assert.equal(cols.sightings, report.loops.reduce((n, l) => n + l.sightings, 0));
  });
});
