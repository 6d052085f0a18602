/**
 * Webview benchmark: first paint and pan/zoom frame times for a Report of ~1,000,000 sightings and 100,000
 * events, in Debian's headless Chromium through playwright-core. Prints the figures; asserts nothing.
 *
 *   npx tsx bench/webview.ts [--runs 3] [--episodes 16] [--streams 1000] [--events 100000]
 *
 * "first paint" is measured in the page from the moment the 'report' message arrives to the end of the first
 * synchronous paint of the timeline, the ladder and the small multiples; "from post" adds the browser's
 * structured clone of the message (what VS Code's postMessage also pays). Frame times are the timeline's own
 * render durations while it is zoomed and panned every animation frame, and while real wheel events arrive.
 */
import { buildWebview, chromiumMissing, launch, openWebview, sendReport } from '../test/browser/harness';
import { syntheticReport } from '../test/browser/syntheticReport';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function summary(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${s[s.length - 1]!.toFixed(1)} ms (n=${s.length})`;
}

async function main(): Promise<void> {
  const missing = chromiumMissing();
  if (missing) {
    console.log(`webview benchmark skipped: ${missing}`);
    return;
  }
  const runs = arg('runs', 3);
  const episodes = arg('episodes', 16);
  const streams = arg('streams', 1000);
  const eventCount = arg('events', 100_000);
  buildWebview();
  const t0 = performance.now();
  const report = syntheticReport({ seed: 3, episodes, streamsPerEpisode: streams, events: eventCount });
  const sightings = report.loops.reduce((n, l) => n + l.ladder.timeUs.length, 0);
  console.log(`Report: ${episodes} episodes, ${sightings.toLocaleString('en')} sightings, ${report.events.length.toLocaleString('en')} events (generated in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const browser = await launch();
  try {
    const first: number[] = [];
    const wall: number[] = [];
    let page = null;
    for (let r = 0; r < runs; r++) {
      await page?.close();
      ({ page } = await openWebview(browser));
      wall.push(await sendReport(page, report));
      const info = await page.evaluate(() => {
        const lens = (window as any).__incidentLens;
        return { first: lens.firstPaintMs as number, phases: lens.phases as Record<string, number>, drawn: lens.drawn as Record<string, number> };
      });
      first.push(info.first);
      const phases = Object.entries(info.phases).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
      console.log(`run ${r + 1}: first paint ${info.first.toFixed(0)} ms (${phases}); from post ${wall[r]!.toFixed(0)} ms; drawn ${JSON.stringify(info.drawn)}`);
    }
    console.log(`load average while measuring: ${(await import('node:os')).loadavg()[0]!.toFixed(1)} on ${(await import('node:os')).cpus().length} cores`);
    console.log(`first paint: ${summary(first)}, best ${Math.min(...first).toFixed(0)} ms`);
    console.log(`from post (incl. structured clone of typed ladder columns, as the panel posts them): ${summary(wall)}`);
    await page?.close();
    ({ page } = await openWebview(browser));
    const plainWall = await sendReport(page, report, undefined, { plainArrays: true });
    const plainFirst = (await page.evaluate(() => (window as any).__incidentLens.firstPaintMs)) as number;
    console.log(`same Report with plain-array ladders (the Report's JSON shape): first paint ${plainFirst.toFixed(0)} ms, from post ${plainWall.toFixed(0)} ms`);

    // Programmatic zoom/pan: a new window every animation frame; the timeline re-aggregates and repaints each time.
    const frames = await page!.evaluate(
      ([start, end]) =>
        new Promise<{ render: number[]; interval: number[] }>((resolve) => {
          const lens = (window as any).__incidentLens;
          const render: number[] = [];
          const interval: number[] = [];
          const span = end - start;
          let k = 0;
          let last = 0;
          const step = (now: number): void => {
            if (last) interval.push(now - last);
            last = now;
            const before = lens.frameTimes.length;
            // Zoom from the whole Report in to 1/200th of it, panning across.
            const f = k / 120;
            const width = span * Math.pow(1 / 200, f);
            const from = start + (span - width) * ((k * 37) % 120) / 120;
            lens.zoomTo(from, from + width);
            lens.renderNow();
            render.push(lens.frameTimes.slice(before).at(-1) ?? NaN);
            if (++k < 120) requestAnimationFrame(step);
            else resolve({ render, interval });
          };
          requestAnimationFrame(step);
        }),
      [report.loops[0]!.startUs - 6_000_000, report.loops.at(-1)!.endUs + 30_000_000] as const,
    );
    console.log(`zoom/pan render per frame: ${summary(frames.render)}`);
    console.log(`zoom/pan frame interval: ${summary(frames.interval)}`);

    // Real wheel events over the timeline canvas (d3-zoom handles them; render happens on the next frame).
    await page!.evaluate(() => (window as any).__incidentLens.zoomTo(0, Number.MAX_SAFE_INTEGER));
    const box = (await page!.locator('canvas.timeline-canvas').boundingBox())!;
    await page!.mouse.move(box.x + box.width / 2, box.y + 40);
    const before = (await page!.evaluate(() => (window as any).__incidentLens.frameTimes.length)) as number;
    const t = performance.now();
    for (let i = 0; i < 60; i++) {
      await page!.mouse.wheel(0, i < 30 ? -120 : 120);
      await page!.evaluate(() => new Promise(requestAnimationFrame));
    }
    const wheelMs = performance.now() - t;
    const wheel = ((await page!.evaluate(() => (window as any).__incidentLens.frameTimes)) as number[]).slice(before);
    console.log(`wheel zoom render per frame: ${summary(wheel)}; 60 wheel events end to end ${wheelMs.toFixed(0)} ms (includes CDP round trips)`);

    // The ladder of the whole Report in one episode: every sighting aggregated per pixel.
    const one = syntheticReport({ seed: 5, episodes: 1, streamsPerEpisode: Math.round(sightings / 63), events: 1000 });
    await page!.close();
    ({ page } = await openWebview(browser));
    const w1 = await sendReport(page, one);
    const info1 = await page.evaluate(() => [(window as any).__incidentLens.firstPaintMs, (window as any).__incidentLens.phases, (window as any).__incidentLens.drawn.ladderPoints]);
    console.log(`one episode of ${one.loops[0]!.ladder.timeUs.length.toLocaleString('en')} sightings: first paint ${(info1[0] as number).toFixed(0)} ms ${JSON.stringify(info1[1])}, from post ${w1.toFixed(0)} ms, ladder points ${info1[2]}`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
