/**
 * The webview in headless Chromium (part of `npm test`; the 1,000,000-sighting case is in test/browser/, run by
 * `npm run test:webview`): renders Reports and checks what was drawn (counts the page publishes, and
 * pixels), the hover tooltip, stream selection, brushing, keyboard and click-to-open, and that HTML/script
 * in log messages and host names shows literally and never runs. Skips with a message when Chromium is absent.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { drawn, inkedPixels, LANE_FREE, openWebview, posted, sendReport, tooltipText, useChromium } from '../browser/harness';
import { HOSTILE_HOST, HOSTILE_MESSAGE, syntheticReport } from '../browser/syntheticReport';
import type { Report } from '../../src/core/model';
import { analyze } from '../../src/core/analyze';
import { buildSnapshotHtml, makeNonce } from '../../src/host/webviewHtml';
import { parseWebviewMessage, reportFiles } from '../../src/shared/webviewProtocol';
import { readFileSync } from 'node:fs';
import { ladderMarginUs } from '../../webview/ladderWindow';
import { join } from 'node:path';

/** Pixels of the ladder canvas in exactly the colour `rgb`. */
function ladderPixelsOf(page: Page, rgb: [number, number, number]): Promise<number> {
  return page.evaluate(([r, g, b]) => {
    const c = document.querySelector('canvas.ladder-canvas') as HTMLCanvasElement;
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] === r && px[i + 1] === g && px[i + 2] === b) n++;
    return n;
  }, rgb);
}

describe('webview in headless Chromium', function () {
  this.timeout(120_000);
  const chromium = useChromium('the webview browser tests');

  describe('a realistic Report (3 loops, 6,000 events)', () => {
    let report: Report;
    let page: Page;
    let errors: string[];

    before(async () => {
      report = syntheticReport({ seed: 11, episodes: 3, streamsPerEpisode: 230, events: 6000 });
      ({ page, errors } = await openWebview(chromium()));
      await sendReport(page, report);
    });

    it('draws every episode, every sighting of the shown episode, every lane event and chain', async () => {
      const d = await drawn(page);
      const sightings = report.loops.map((l) => l.ladder.timeUs.length);
      assert.equal(d.episodes, 3);
      assert.equal(d.multiples, 3);
      assert.equal(d.multiplePoints, sightings.reduce((a, b) => a + b, 0));
      assert.equal(d.ladderPoints, sightings[0]);
      assert.ok(d.ladderMarks > 0 && d.ladderMarks <= d.ladderPoints);
      assert.equal(d.timelineEvents, report.events.filter((e) => !LANE_FREE.has(e.kind)).length);
      assert.equal(d.responses, report.events.filter((e) => e.kind === 'request-timeout').length);
      assert.equal(d.loops, 3);
      assert.equal(d.chains, 3);
      assert.ok((await inkedPixels(page, 'canvas.ladder-canvas')) > 2000, 'the ladder canvas has ink');
      assert.ok((await inkedPixels(page, 'canvas.timeline-canvas')) > 2000, 'the timeline canvas has ink');
      assert.deepEqual(errors, [], 'no console errors or CSP violations');
    });

    it('shows the packet under the pointer in a tooltip and lists its stream on click', async () => {
      const l = report.loops[0]!;
      // The 5th sighting of the episode: find it on screen through the page's own mapping.
      const i = 4;
      await page.locator('canvas.ladder-canvas').scrollIntoViewIfNeeded();
      const p = await page.evaluate((k) => (window as any).__incidentLens.sightingClientPoint(k), i);
      assert.ok(p, 'sighting is on screen');
      await page.mouse.move(p.x, p.y);
      const text = await tooltipText(page);
      const stream = l.streams[l.ladder.stream[i]!]!;
      assert.match(text, new RegExp(`Frame ${l.ladder.frame[i]}\\b`));
      assert.match(text, new RegExp(`TTL ${l.ladder.ttl[i]}\\b`));
      assert.match(text, new RegExp(`IP ID ${stream.ipId}\\b`));
      assert.ok(text.includes(`${stream.src}:${stream.srcPort} → ${stream.dst}:${stream.dstPort}`), text);
      await page.mouse.click(p.x, p.y);
      const rows = await page.locator('.sightings-table tbody tr').count();
      assert.equal(rows, stream.sightings);
    });

    it('zooms the ladder to a packet on double-click, drawing its staircase point by point', async () => {
      const l = report.loops[0]!;
      const i = 100;
      const stream = l.streams[l.ladder.stream[i]!]!;
      await page.locator('canvas.ladder-canvas').scrollIntoViewIfNeeded();
      const p = await page.evaluate((k) => (window as any).__incidentLens.sightingClientPoint(k), i);
      await page.mouse.dblclick(p.x, p.y);
      const d = await drawn(page);
      assert.ok(d.ladderPoints >= stream.sightings && d.ladderPoints < l.ladder.timeUs.length / 4, `${d.ladderPoints} points in view`);
      assert.equal(d.ladderMarks, d.ladderPoints, 'few enough to draw each sighting as its own mark');
      assert.equal(await page.locator('.sightings-table tbody tr').count(), stream.sightings);
      // Double-click on empty space (above every TTL) resets the zoom.
      const box = (await page.locator('canvas.ladder-canvas').boundingBox())!;
      await page.mouse.dblclick(box.x + box.width - 20, box.y + 12);
      assert.equal((await drawn(page)).ladderPoints, l.ladder.timeUs.length);
    });

    it('renders HTML and script from logs as literal text and never runs it', async () => {
      const idx = report.events.findIndex((e) => e.message === HOSTILE_MESSAGE);
      assert.ok(idx >= 0);
      const e = report.events[idx]!;
      // Zoom to the event so its mark is alone under the pointer.
      await page.evaluate((t) => (window as any).__incidentLens.zoomTo(t - 2000, t + 2000), e.timeUs);
      await page.evaluate(() => new Promise(requestAnimationFrame));
      await page.evaluate(() => (window as any).__incidentLens.renderNow());
      const p = await page.evaluate((k) => (window as any).__incidentLens.eventClientPoint(k), idx);
      assert.ok(p);
      await page.mouse.move(p.x, p.y);
      const text = await tooltipText(page);
      assert.ok(text.includes(HOSTILE_MESSAGE), `tooltip shows the message literally: ${text}`);
      await page.mouse.click(p.x, p.y);
      const detail = await page.locator('.event-detail pre').innerText();
      assert.equal(detail, HOSTILE_MESSAGE);
      const labels = await page.locator('.timeline-labels').innerText();
      assert.ok(labels.includes(HOSTILE_HOST), 'host name shown literally');
      assert.equal(await page.evaluate(() => (window as any).__pwned), undefined);
      assert.equal(await page.locator('img, b, script:not([src])').count(), 0, 'no element was created from report text');
    });

    it('asks the host to open the log line of a clicked event', async () => {
      const msgs = await posted(page);
      const idx = report.events.findIndex((e) => e.message === HOSTILE_MESSAGE);
      const e = report.events[idx]!;
      assert.deepEqual(msgs.filter((m) => m.type === 'open-location').at(-1), { type: 'open-location', file: e.source.file, line: e.source.line });
    });

    it('Shift+drag selects an interval: posted to the host, ladder filtered to it', async () => {
      await page.dblclick('canvas.timeline-canvas', { position: { x: 5, y: 5 } });
      const l = report.loops[1]!;
      const from = l.startUs + (l.endUs - l.startUs) * 0.25;
      const to = l.startUs + (l.endUs - l.startUs) * 0.5;
      const box = (await page.locator('canvas.timeline-canvas').boundingBox())!;
      const [ws, we] = (await page.evaluate(() => (window as any).__incidentLens.window)) as [number, number];
      const xOf = (t: number): number => box.x + ((t - ws) / (we - ws)) * box.width;
      await page.keyboard.down('Shift');
      await page.mouse.move(xOf(from), box.y + 30);
      await page.mouse.down();
      await page.mouse.move(xOf(to), box.y + 30, { steps: 5 });
      await page.mouse.up();
      await page.keyboard.up('Shift');
      await page.evaluate(() => new Promise(requestAnimationFrame));
      const sel = (await posted(page)).filter((m) => m.type === 'selection').at(-1) as unknown as { startUs: number; endUs: number };
      assert.ok(sel, 'selection posted');
      // Pixel-quantised brush: the ends are within one pixel of the aimed times.
      const usPerPx = (we - ws) / box.width;
      assert.ok(Math.abs(sel.startUs - from) <= 1.5 * usPerPx && Math.abs(sel.endUs - to) <= 1.5 * usPerPx);
      const expected = l.ladder.timeUs.filter((t) => t >= sel.startUs && t <= sel.endUs).length;
      const d = await drawn(page);
      assert.equal(d.ladderPoints, expected);
      assert.ok(expected > 0 && expected < l.ladder.timeUs.length);
    });

    it('is keyboard navigable: arrows reach an event, Enter opens it', async () => {
      await page.dblclick('canvas.timeline-canvas', { position: { x: 5, y: 5 } });
      const before = (await posted(page)).length;
      await page.focus('canvas.timeline-canvas');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      const after = (await posted(page)).slice(before).filter((m) => m.type === 'open-location');
      assert.equal(after.length, 1);
      const files = new Set(report.events.map((e) => e.source.file));
      assert.ok(files.has(after[0]!.file as string));
      assert.equal(await page.locator('.event-detail .detail-title').count(), 1);
    });

    it('draws chains as connectors between their steps, with the lag on hover', async () => {
      const chain = report.chains[1]!;
      await page.evaluate((c) => (window as any).__incidentLens.zoomTo(c.steps[0]!.timeUs - 2_000_000, c.steps[c.steps.length - 1]!.timeUs + 2_000_000), chain);
      await page.evaluate(() => (window as any).__incidentLens.renderNow());
      await page.locator('canvas.timeline-canvas').scrollIntoViewIfNeeded();
      const stepPoint = (): Promise<{ x: number; y: number } | null> => page.evaluate((id) => (window as any).__incidentLens.chainStepClientPoint(id, 1), chain.id);
      // The lanes scroll inside their box: bring the step's lane to the middle of it.
      await page.evaluate((y) => {
        const box = document.querySelector('.timeline-body')!;
        box.scrollTop += y - (box.getBoundingClientRect().top + box.clientHeight / 2);
      }, (await stepPoint())!.y);
      const p = (await stepPoint())!;
      assert.ok(p, 'the peer-down step is drawn');
      // The step sits in the lane of the log event it cites.
      const cited = report.events.findIndex((e) => e.id === (chain.steps[1]!.evidence[0] as { eventId: string }).eventId);
      const mark = await page.evaluate((i) => (window as any).__incidentLens.eventClientPoint(i), cited);
      assert.ok(Math.abs(mark.y - p.y) < 1 && Math.abs(mark.x - p.x) < 1, 'step drawn on its event');
      await page.mouse.move(p.x, p.y);
      const text = await tooltipText(page);
      assert.ok(text.includes(chain.subject), text);
      assert.ok(text.includes('BGP peer down'), text);
      assert.match(text, /\+1\.00 s after the previous step/);
      await page.dblclick('canvas.timeline-canvas', { position: { x: 5, y: 5 } });
    });

    it('exports the view as a PNG the host accepts (toolbar web component, real canvas pixels)', async () => {
      const button = page.locator('vscode-button', { hasText: 'Export PNG' });
      assert.equal(await button.evaluate((b) => b.shadowRoot !== null), true, 'the toolbar button is a live web component');
      await button.click();
      const m = (await posted(page)).filter((x) => x.type === 'export').at(-1);
      assert.ok(m && m.format === 'png');
      const parsed = parseWebviewMessage(m, reportFiles(report));
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
      const png = Buffer.from(String(m.dataUrl).slice('data:image/png;base64,'.length), 'base64');
      assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
      // Width of the image = the widest canvas (the page is 1400 px wide).
      assert.ok(png.readUInt32BE(16) > 1000);
    });

    it('restores the saved view state (the episode shown) when the Report comes again', async () => {
      const state = await page.evaluate(() => (window as any).__state);
      assert.equal(state.version, 1);
      const { page: again } = await openWebview(chromium(), { theme: 'vscode-dark' });
      await page.close();
      await again.evaluate(() => 0);
      const l = report.loops[2]!;
      await sendReport(again, report, { version: 1, episodeId: l.id });
      const d = await drawn(again);
      assert.equal(d.ladderPoints, l.ladder.timeUs.length);
      assert.equal(await again.locator('.ladder-header h2').innerText(), `Loop ${l.id}`);
      await again.close();
    });
  });

  describe('the Report of the lab sample (analyze on media/samples/incident)', () => {
    let report: Report;
    before(async () => {
      report = await analyze({ paths: [join(__dirname, '..', '..', 'media', 'samples', 'incident')] });
      assert.ok(report.loops.length > 0, 'the sample has loops');
    });

    it('draws its loops, sightings, events and chains, in the theme\'s colours', async () => {
      const { page, errors } = await openWebview(chromium(), { theme: 'vscode-dark' });
      // A theme colour no fallback uses: the ladder's first direction must be painted in it.
      await page.evaluate(() => document.body.style.setProperty('--vscode-charts-blue', 'rgb(1, 200, 3)'));
      await sendReport(page, report);
      const d = await drawn(page);
      const sightings = report.loops.map((l) => l.ladder.timeUs.length);
      assert.equal(d.episodes, report.loops.length);
      assert.equal(d.multiplePoints, report.loops.length > 1 ? sightings.reduce((a, b) => a + b, 0) : 0);
      assert.equal(d.ladderPoints, sightings[0]);
      assert.equal(d.timelineEvents, report.events.filter((e) => !LANE_FREE.has(e.kind)).length);
      assert.equal(d.responses, report.events.filter((e) => LANE_FREE.has(e.kind) && e.kind !== 'cpu-throttled').length);
      assert.equal(d.loops, report.loops.length);
      assert.equal(d.chains, report.chains.length);
      const themed = await ladderPixelsOf(page, [1, 200, 3]);
      assert.ok(themed > 100, `${themed} pixels in the theme's chart colour`);
      // Hover the first sighting: its frame number, from the capture.
      const p = await page.evaluate(() => (window as any).__incidentLens.sightingClientPoint(0));
      await page.mouse.move(p.x, p.y);
      const l = report.loops[0]!;
      const text = await tooltipText(page);
      const first = l.ladder.timeUs.indexOf(Math.min(...l.ladder.timeUs));
      assert.match(text, new RegExp(`Frame ${l.ladder.frame[first]}\\b`));
      assert.deepEqual(errors, []);
      await page.close();
    });

    it('draws the ICMP time-exceeded marks and the background band of the shown episode, marks in the theme\'s red', async () => {
      const { page, errors } = await openWebview(chromium());
      await page.evaluate(() => document.body.style.setProperty('--vscode-charts-red', 'rgb(251, 2, 4)'));
      await sendReport(page, report);
      const d = await drawn(page);
      const l = report.loops[0]!;
      // The ladder opens on the episode with a margin of context; count what the Report has inside that window.
      const pad = ladderMarginUs(l.startUs, l.endUs);
      const inView = (t: number): boolean => t >= l.startUs - pad && t <= l.endUs + pad;
      const marks = l.icmpMarks!.timeUs.filter(inView).length;
      const band = l.background!.timeUs.filter(inView).length;
      assert.ok(marks > 0 && band > 0, `${marks} marks and ${band} background packets in view`);
      assert.equal(d.ladderIcmpMarks, marks);
      assert.equal(d.ladderBackground, band);
      assert.ok(d.ladderBackgroundColumns > 0 && d.ladderBackgroundColumns <= band);
      const red = await ladderPixelsOf(page, [251, 2, 4]);
      assert.ok(red >= marks, `${red} pixels in the theme's red for ${marks} marks`);
      const legend = await page.locator('.ladder .legend').innerText();
      assert.match(legend, new RegExp(`ICMP time-exceeded \\(${l.icmpMarks!.timeUs.length}\\)`));
      assert.match(legend, /other traffic to these destinations/);
      // The small multiples (one per episode, when there are several) draw the same layers in the same windows.
      if (report.loops.length > 1) {
        const within = (e: typeof l, ts: number[]): number => ts.filter((t) => t >= e.startUs - ladderMarginUs(e.startUs, e.endUs) && t <= e.endUs + ladderMarginUs(e.startUs, e.endUs)).length;
        assert.equal(d.multipleBackground, report.loops.reduce((n, e) => n + within(e, e.background?.timeUs ?? []), 0));
        assert.equal(d.multipleIcmpMarks, report.loops.reduce((n, e) => n + within(e, e.icmpMarks?.timeUs ?? []), 0));
        assert.ok(d.multipleBackground > 0);
      }
      assert.deepEqual(errors, []);
      await page.close();
    });

    it('shows a Report without loops (the lab\'s quiet control): events drawn, ladder says there is none', async () => {
      const quiet = await analyze({ paths: [join(__dirname, '..', 'fixtures', 'lab', 'quiet', 'input')] });
      assert.equal(quiet.loops.length, 0);
      const { page, errors } = await openWebview(chromium());
      await sendReport(page, quiet);
      const d = await drawn(page);
      assert.equal(d.episodes, 0);
      assert.equal(d.ladderPoints, 0);
      assert.equal(d.loops, 0);
      assert.equal(d.timelineEvents, quiet.events.filter((e) => !LANE_FREE.has(e.kind)).length);
      assert.ok(d.timelineEvents > 0);
      assert.equal(await page.locator('.ladder .empty').innerText(), 'No loop episode in this Report.');
      assert.deepEqual(errors, []);
      await page.close();
    });

    it('draws the lab\'s CPU throttling samples as a series and failed requests in the density strip', async () => {
      const r = await analyze({ paths: [join(__dirname, '..', 'fixtures', 'lab', 'cpu-throttle', 'input')] });
      const throttled = r.events.filter((e) => e.kind === 'cpu-throttled' && (e.throttledMs ?? 0) > 0);
      assert.ok(throttled.length > 0, 'the lab throttled the pod');
      const { page, errors } = await openWebview(chromium());
      await page.evaluate(() => document.body.style.setProperty('--vscode-charts-purple', 'rgb(2, 3, 250)'));
      await sendReport(page, r);
      const d = await drawn(page);
      assert.equal(d.responses, r.events.filter((e) => e.kind === 'request-timeout' || e.kind === 'request-failed' || e.kind === 'slow-response').length);
      assert.ok(d.responses > 0);
      assert.equal(await page.locator('.timeline-labels .throttle-label').innerText(), 'CPU throttling');
      // The throttle row holds bars in the theme's purple (and nothing else draws purple there).
      const bars = await page.evaluate(() => {
        const label = document.querySelector('.timeline-labels .throttle-label') as HTMLElement;
        const c = document.querySelector('canvas.timeline-canvas') as HTMLCanvasElement;
        const top = parseFloat(label.style.top);
        const px = c.getContext('2d')!.getImageData(0, top, c.width, label.offsetHeight).data;
        const columns = new Set<number>();
        for (let i = 0; i < px.length; i += 4) if (px[i] === 2 && px[i + 1] === 3 && px[i + 2] === 250) columns.add((i / 4) % c.width);
        return columns.size;
      });
      assert.ok(bars > 0 && bars <= throttled.length, `${bars} columns with throttling bars for ${throttled.length} samples`);
      assert.deepEqual(errors, []);
      await page.close();
    });

    it('renders the same from a self-contained HTML snapshot (inline script under the same CSP)', async () => {
      const root = join(__dirname, '..', '..');
      const html = buildSnapshotHtml({
        nonce: makeNonce(),
        script: readFileSync(join(root, 'dist', 'webview.js'), 'utf8'),
        style: readFileSync(join(root, 'media', 'webview.css'), 'utf8'),
        report,
        title: 'snapshot',
      });
      const page = await chromium().newPage({ viewport: { width: 1400, height: 1000 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.setContent(html);
      await page.waitForFunction(() => document.body.dataset.ready === 'true');
      const d = await drawn(page);
      assert.equal(d.episodes, report.loops.length);
      assert.equal(d.ladderPoints, report.loops[0]!.ladder.timeUs.length);
      assert.equal(d.timelineEvents, report.events.filter((e) => !LANE_FREE.has(e.kind)).length);
      assert.deepEqual(errors, []);
      await page.close();
    });
  });

});
