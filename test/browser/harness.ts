/**
 * Loads the built webview (dist/webview.js + media/webview.css) into Debian's headless Chromium through
 * playwright-core, in the same HTML and CSP the extension serves (src/host/webviewHtml.ts). The files are served
 * from a fake origin by request interception, so nothing listens on a port, and `acquireVsCodeApi` is a stub
 * that records what the page posts to the "host".
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Report } from '../../src/core/model';
import { buildPanelHtml, makeNonce } from '../../src/host/webviewHtml';
import type { WebviewViewState } from '../../src/shared/webviewProtocol';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..');
const ORIGIN = 'https://incident-lens.test';

export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
}

/** Rebuilds just the webview bundle, so the test never runs a stale one. */
export function buildWebview(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--only=webview'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * Registers before/after hooks in the current suite: build the webview, launch Chromium (or skip the suite with a
 * message when it is absent), close it at the end. Returns a getter for the browser.
 */
export function useChromium(what: string): () => Browser {
  let browser: Browser | undefined;
  before(async function () {
    const missing = chromiumMissing();
    if (missing) {
      console.warn(`    skipping ${what}: ${missing}`);
      this.skip();
    }
    buildWebview();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });
  return () => browser!;
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu-sandbox'] });
}

export interface LoadedPage {
  page: Page;
  /** Console errors and page errors (CSP violations show up here). */
  errors: string[];
}

/** Opens the webview page with a theme class on <body> ('vscode-light' | 'vscode-dark' | 'vscode-high-contrast'). */
export async function openWebview(browser: Browser, opts: { width?: number; height?: number; theme?: string } = {}): Promise<LoadedPage> {
  const page = await browser.newPage({ viewport: { width: opts.width ?? 1400, height: opts.height ?? 1000 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  const html = buildPanelHtml({
    nonce: makeNonce(),
    cspSource: ORIGIN,
    scriptUri: `${ORIGIN}/dist/webview.js`,
    styleUri: `${ORIGIN}/media/webview.css`,
    title: 'Incident Lens',
  });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/' || path === '/index.html') return route.fulfill({ body: html, contentType: 'text/html' });
    const file = join(ROOT, path);
    if (!file.startsWith(ROOT) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ body: readFileSync(file), contentType: path.endsWith('.css') ? 'text/css' : 'text/javascript' });
  });
  // tsx (esbuild keepNames) wraps named functions in `__name(...)`; functions shipped to the page need it defined.
  await page.addInitScript('window.__name = (f) => f;');
  await page.addInitScript((theme: string) => {
    const w = window as unknown as { __posted: unknown[]; __state: unknown; acquireVsCodeApi: () => unknown };
    w.__posted = [];
    w.__state = null;
    w.acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => w.__posted.push(m),
      getState: () => w.__state,
      setState: (s: unknown) => (w.__state = s),
    });
    document.addEventListener('DOMContentLoaded', () => document.body.classList.add(theme));
  }, opts.theme ?? 'vscode-light');
  await page.goto(`${ORIGIN}/index.html`);
  try {
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'), null, { timeout: 15_000 });
  } catch (e) {
    throw new Error(`the webview did not post 'ready': ${errors.join('\n') || String(e)}`);
  }
  return { page, errors };
}

/**
 * Posts the Report the way the host does (a 'report' message), from one JSON string so a million sightings cross
 * the CDP bridge quickly; resolves when the page has painted. Returns the wall time from post to first paint, ms.
 */
export async function sendReport(page: Page, report: Report, state?: WebviewViewState, opts: { plainArrays?: boolean } = {}): Promise<number> {
  const json = JSON.stringify(report);
  return page.evaluate(
    ([text, st, plain]) =>
      new Promise<number>((resolve) => {
        const report = JSON.parse(text);
        // What the panel does (reportForWebview): ladder columns as typed arrays, unless asked for plain arrays.
        if (!plain) {
          for (const l of report.loops) {
            const d = l.ladder;
            Object.assign(d, { timeUs: Float64Array.from(d.timeUs), ttl: Uint8Array.from(d.ttl), frame: Float64Array.from(d.frame), stream: Int32Array.from(d.stream), direction: Uint8Array.from(d.direction) });
          }
        }
        const t0 = performance.now();
        window.postMessage({ type: 'report', report, state: st }, '*');
        const wait = (): void => {
          if (document.body.dataset.ready === 'true') resolve(performance.now() - t0);
          else setTimeout(wait, 1);
        };
        wait();
      }),
    [json, state ?? null, opts.plainArrays ?? false] as const,
  );
}

export async function drawn(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => (window as unknown as { __incidentLens: { drawn: Record<string, number> } }).__incidentLens.drawn);
}

export async function posted(page: Page): Promise<{ type: string; [k: string]: unknown }[]> {
  return page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted);
}

/** Event kinds drawn outside the source lanes (density strip, throttling series). */
export const LANE_FREE = new Set(['request-timeout', 'request-failed', 'slow-response', 'cpu-throttled']);

/** Non-transparent pixels of the first canvas matching `selector`. */
export async function inkedPixels(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const c = document.querySelector(sel) as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
    return n;
  }, selector);
}

export async function tooltipText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const t = document.querySelector('.tooltip') as HTMLElement;
    return t.hidden ? '' : t.innerText;
  });
}

