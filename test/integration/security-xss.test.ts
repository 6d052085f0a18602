/**
 * Hostile text through the whole pipeline into real pages: an incident folder whose log messages, host names, file
 * names, pcapng interface names/descriptions and packet payloads carry HTML, script, `</script>` and bidi controls
 * (securityHostileIncident.ts) is analysed by the real core; the Report is then shown in headless Chromium as the
 * Report panel, as the exported HTML snapshot and as the capture editor page, and its hovers are rendered by the
 * Markdown library VS Code uses. Each page must show the text literally, create no element from it, run none of it
 * (every payload sets window.__pwned) and raise no CSP violation. Skips with a message when Chromium is absent.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { marked } from 'marked';
import type { Page } from 'playwright-core';
import { analyze } from '../../src/core/analyze';
import { readCaptureFile } from '../../src/core/capture/open';
import type { LogEvent, Report } from '../../src/core/model';
import { annotationsFor, buildAnnotations, HOVER_COMMANDS } from '../../src/host/annotationModel';
import { captureEditorHtml } from '../../src/host/captureEditorHtml';
import { buildSnapshotHtml, makeNonce } from '../../src/host/webviewHtml';
import { openWebview, sendReport, tooltipText, useChromium } from '../browser/harness';
import {
  CUSTOM_FORMAT, HOSTILE_CAPTURE_NAME, HOSTILE_HOST, HOSTILE_IF_DESCRIPTION, HOSTILE_IF_NAME, HOSTILE_LOG_NAME, HOSTILE_MESSAGE,
  writeHostileIncident, XSS_PAYLOADS,
} from './securityHostileIncident';

const root = join(__dirname, '..', '..');
/** Elements and attributes only injected markup would bring (the pages themselves use none of them). */
const INJECTED = 'img, svg, iframe, b, script:not([src]):not([nonce]):not([type="application/json"]), [onerror], [onload], [onmouseover]';

/** Starts recording CSP violations: a blocked inline handler is still a violation, i.e. markup got through. */
async function watchCsp(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective}: ${e.sample}`));
  });
}

/** Nothing ran, nothing was injected, nothing was blocked. */
async function assertInert(page: Page, what: string): Promise<void> {
  const state = await page.evaluate((sel) => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
    violations: (window as unknown as { __violations?: string[] }).__violations ?? ['the CSP recorder was not installed'],
    injected: [...document.querySelectorAll(sel)].map((e) => e.outerHTML.slice(0, 120)),
  }), INJECTED);
  assert.equal(state.pwned, null, `${what}: a payload ran`);
  assert.deepEqual(state.injected, [], `${what}: elements created from report text`);
  assert.deepEqual(state.violations, [], `${what}: CSP violations (markup reached the page)`);
}

const ORIGIN = 'https://incident-lens.test';

/**
 * Opens `html` as a page of a fake origin (served by request interception, as the harness does), with the recorders
 * installed before any of its scripts: `__violations` (CSP) and, as a stub of VS Code's, `acquireVsCodeApi` -> `__posted`.
 */
async function openHtml(browser: ReturnType<ReturnType<typeof useChromium>>, html: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  // tsx wraps named functions in `__name(...)`; functions shipped to the page need it defined (as in the harness).
  await page.addInitScript('window.__name = (f) => f;');
  await page.addInitScript(() => {
    const w = window as unknown as { __posted: unknown[]; __violations: string[]; acquireVsCodeApi: () => unknown };
    w.__posted = [];
    w.__violations = [];
    w.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => w.__posted.push(m), getState: () => null, setState: () => {} });
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective}: ${e.sample}`));
  });
  await page.route(`${ORIGIN}/**`, (route) => route.fulfill({ body: html, contentType: 'text/html' }));
  await page.goto(`${ORIGIN}/page.html`);
  return { page, errors };
}

describe('security: hostile capture and log text through analyze into the pages', function () {
  this.timeout(120_000);
  const chromium = useChromium('the XSS tests');
  let dir = '';
  let report: Report;
  let hostileEvents: LogEvent[];

  before(async () => {
    dir = writeHostileIncident();
    report = await analyze({ paths: [dir], customLogFormats: [CUSTOM_FORMAT] });
    hostileEvents = report.events.filter((e) => e.host === HOSTILE_HOST);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the Report keeps every hostile string verbatim (escaping is the pages\' job, and it is tested on real text)', () => {
    assert.equal(hostileEvents.length, XSS_PAYLOADS.length, 'one event per line of the custom-format log');
    for (const p of XSS_PAYLOADS) assert.ok(hostileEvents.some((e) => e.message.startsWith(p)), `message starting with ${p}`);
    assert.ok(report.events.some((e) => e.source.file.endsWith(HOSTILE_LOG_NAME)));
    assert.ok(report.events.filter((e) => e.source.format === 'gobgp-text').every((e) => e.message.includes('__pwned')), 'GoBGP lines carry the payloads');
    assert.ok(report.loops.length >= 3 && report.loops.every((l) => l.capture.endsWith(HOSTILE_CAPTURE_NAME)), 'the loops of the sample, plus the hostile packet\'s');
    assert.ok(report.chains.length > 0, 'the hostile GoBGP lines still make chains');
  });

  it('Report panel: messages, host names and file names show literally in the tooltip, detail and lanes; nothing runs', async () => {
    const { page, errors } = await openWebview(chromium());
    await watchCsp(page);
    await sendReport(page, report);
    const labels = await page.locator('.timeline-labels').innerText();
    assert.ok(labels.includes(HOSTILE_HOST), `host lane label shown literally: ${labels}`);
    let checked = 0;
    for (const e of hostileEvents) {
      const idx = report.events.indexOf(e);
      await page.evaluate((t) => (window as any).__incidentLens.zoomTo(t - 300, t + 300), e.timeUs);
      await page.evaluate(() => (window as any).__incidentLens.renderNow());
      const p = await page.evaluate((k) => (window as any).__incidentLens.eventClientPoint(k), idx);
      assert.ok(p, `event ${e.id} is on screen`);
      await page.mouse.move(p.x, p.y);
      assert.ok((await tooltipText(page)).includes(e.message), `tooltip shows ${JSON.stringify(e.message.slice(0, 40))} literally`);
      await page.mouse.click(p.x, p.y);
      assert.equal(await page.locator('.event-detail pre').innerText(), e.message);
      checked++;
    }
    assert.equal(checked, XSS_PAYLOADS.length);
    // The click asked the host to open the hostile file: the exact path, which the host checks against the Report.
    const posted = await page.evaluate(() => (window as any).__posted as Array<{ type: string; file?: string }>);
    assert.ok(posted.some((m) => m.type === 'open-location' && m.file?.endsWith(HOSTILE_LOG_NAME)));
    await assertInert(page, 'panel');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('exported HTML snapshot: the embedded Report survives `</script>` byte for byte and renders inert', async () => {
    const html = buildSnapshotHtml({
      nonce: makeNonce(),
      script: readFileSync(join(root, 'dist', 'webview.js'), 'utf8'),
      style: readFileSync(join(root, 'media', 'webview.css'), 'utf8'),
      report,
      title: `snapshot ${HOSTILE_CAPTURE_NAME}`,
    });
    const { page, errors } = await openHtml(chromium(), html);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    const embedded = await page.evaluate(() => document.getElementById('incident-lens-report')!.textContent!);
    assert.deepEqual(JSON.parse(embedded), JSON.parse(JSON.stringify(report)));
    assert.equal(await page.title(), `snapshot ${HOSTILE_CAPTURE_NAME}`);
    assert.ok((await page.locator('.timeline-labels').innerText()).includes(HOSTILE_HOST));
    await assertInert(page, 'snapshot');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('capture editor page: interface name and description from the file, and the file name, show literally; its own buttons still work', async () => {
    const capture = report.inputs.find((i) => i.kind === 'capture')!;
    const summary = await readCaptureFile(capture.path, () => {});
    assert.ok(summary.interfaces.some((i) => i.name === HOSTILE_IF_NAME && i.description === HOSTILE_IF_DESCRIPTION), 'the reader kept the hostile options');
    const loops = report.loops.filter((l) => l.capture === capture.path);
    const states = [
      { status: 'ready' as const, fileName: HOSTILE_CAPTURE_NAME, summary, analysed: true, loops },
      { status: 'error' as const, fileName: HOSTILE_CAPTURE_NAME, message: `cannot read capture file ${capture.path}: ${HOSTILE_IF_DESCRIPTION}` },
    ];
    for (const state of states) {
      const { page, errors } = await openHtml(chromium(), captureEditorHtml(state, makeNonce(), ORIGIN));
      assert.equal(await page.locator('h1').innerText(), HOSTILE_CAPTURE_NAME);
      assert.equal(await page.title(), HOSTILE_CAPTURE_NAME);
      if (state.status === 'ready') {
        assert.deepEqual(await page.locator('li code').allInnerTexts(), [HOSTILE_IF_NAME]);
        assert.ok((await page.locator('body').innerText()).includes(HOSTILE_IF_DESCRIPTION));
        await page.click('button[data-msg="analyze"]');
        assert.deepEqual(await page.evaluate(() => (window as any).__posted), [{ type: 'analyze' }], 'the nonce\'d script runs (the CSP is not just blocking everything)');
      } else {
        assert.equal(await page.locator('p.error').innerText(), state.message);
      }
      await assertInert(page, `capture editor (${state.status})`);
      assert.deepEqual(errors, []);
      await page.close();
    }
  });

  it('hovers: rendered by marked with raw HTML allowed, log text stays text and the only link is the timeline command', async () => {
    const index = buildAnnotations(report, 'analysis-1');
    const hovers = [
      ...annotationsFor(index, join(dir, HOSTILE_LOG_NAME)),
      ...annotationsFor(index, join(dir, 'node-gobgpd.log')),
    ].map((a) => a.hoverMarkdown);
    assert.ok(hovers.length >= XSS_PAYLOADS.length, `${hovers.length} hovers`);
    // No CSP here: the hover renderer is trusted to escape nothing, so the Markdown itself must carry no markup.
    const { page } = await openHtml(chromium(), `<!DOCTYPE html><meta charset="utf-8"><body>${hovers.map((h) => `<section>${marked.parse(h, { async: false })}</section>`).join('<hr>')}</body>`);
    const text = await page.locator('body').innerText();
    assert.ok(text.includes(HOSTILE_HOST), `the host name reads as written: ${text.slice(0, 600)}`);
    const links = await page.evaluate(() => [...document.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? ''));
    assert.ok(links.length > 0);
    for (const href of links) assert.ok(HOVER_COMMANDS.some((c) => href.startsWith(`command:${c}?`)), `unexpected link ${href}`);
    await assertInert(page, 'hovers');
    await page.close();
  });

  it('the messages with bidi controls keep them as characters (nothing dropped or reordered in the data)', () => {
    const bidi = hostileEvents.find((e) => e.message.includes('\u202E'));
    assert.ok(bidi && bidi.message.includes('\u202Egnp.exe\u202C'));
    assert.ok(HOSTILE_MESSAGE.includes('\u2066isolate\u2069'));
  });
});
