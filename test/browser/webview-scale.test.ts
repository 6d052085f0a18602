/**
 * The webview at scale in headless Chromium: a Report of ~1,000,000 sightings and 100,000 events is drawn in full
 * (every sighting binned into the small multiples, every lane event into the timeline). Timing is printed, not
 * asserted (bench/webview.ts measures it properly). Run by `npm run test:webview`; skips without Chromium.
 */
import assert from 'node:assert/strict';
import { drawn, LANE_FREE, openWebview, sendReport, useChromium } from './harness';
import { syntheticReport } from './syntheticReport';

describe('webview in headless Chromium, at scale', function () {
  this.timeout(180_000);
  const chromium = useChromium('the webview scale test');

  it('draws a Report of 1,000,000 sightings and 100,000 events', async () => {
    const report = syntheticReport({ seed: 3, episodes: 16, streamsPerEpisode: 1000, events: 100_000 });
    const total = report.loops.reduce((n, l) => n + l.ladder.timeUs.length, 0);
    assert.ok(total >= 1_000_000, `${total} sightings`);
    const { page, errors } = await openWebview(chromium());
    const wall = await sendReport(page, report);
    const d = await drawn(page);
    assert.equal(d.multiplePoints, total);
    assert.equal(d.ladderPoints, report.loops[0]!.ladder.timeUs.length);
    assert.equal(d.timelineEvents, report.events.filter((e) => !LANE_FREE.has(e.kind)).length);
    assert.equal(d.loops, 16);
    assert.deepEqual(errors, []);
    const first = await page.evaluate(() => (window as any).__incidentLens.firstPaintMs);
    console.log(`      (1M sightings / 100k events: first paint ${first.toFixed(0)} ms in page, ${wall.toFixed(0)} ms from post)`);
    await page.close();
  });
});
