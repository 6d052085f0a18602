import assert from 'node:assert/strict';
import { eventColumns } from '../../../webview/columns';
import { layoutRows, rowAt, rowOfLane, totalHeight } from '../../../webview/timelineLayout';
import { syntheticReport } from '../../browser/syntheticReport';

describe('webview timeline layout', () => {
  const events = eventColumns(syntheticReport({ seed: 4, episodes: 2, streamsPerEpisode: 5, events: 500 }).events);

  it('stacks strips, then a header and one row per lane for each group', () => {
    const rows = layoutRows({ events, hasLoops: true, hasStalls: true }, new Set());
    assert.deepEqual(rows.slice(0, 5).map((r) => r.kind), ['axis', 'loops', 'responses', 'stalls', 'throttle']);
    assert.equal(rows.filter((r) => r.kind === 'group').length, events.groups.length);
    assert.equal(rows.filter((r) => r.kind === 'lane').length, events.lanes.length);
    for (let i = 1; i < rows.length; i++) assert.equal(rows[i]!.y, rows[i - 1]!.y + rows[i - 1]!.height);
    for (let l = 0; l < events.lanes.length; l++) assert.deepEqual(rowOfLane(rows, l)!.lanes, [l]);
  });

  it('folds a collapsed group into its header row', () => {
    const g = events.groups.find((x) => x.lanes.length > 1)!;
    const open = layoutRows({ events, hasLoops: false, hasStalls: false }, new Set());
    const folded = layoutRows({ events, hasLoops: false, hasStalls: false }, new Set([g.key]));
    assert.equal(folded.length, open.length - g.lanes.length);
    const header = folded.find((r) => r.kind === 'group' && r.label === g.label)!;
    assert.equal(header.collapsed, true);
    assert.deepEqual(header.lanes, g.lanes);
    for (const l of g.lanes) assert.equal(rowOfLane(folded, l), header);
    assert.equal(rowAt(folded, header.y + 1), header);
    assert.equal(rowAt(folded, totalHeight(folded) + 1), undefined);
  });
});
