/**
 * Screenshots of the webview for the README: the bundled sample (analyzed with the real core) in a light and a
 * dark theme, headless Chromium.
 *
 *   npx tsx test/browser/screenshots.ts [outdir]      (default: docs/screenshots)
 *
 * Outside VS Code nobody sets the `--vscode-*` variables, so the page gets the values of VS Code's default light
 * and dark themes here (the colours the user would see with "Light Modern" / "Dark Modern").
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze } from '../../src/core/analyze';
import { buildWebview, chromiumMissing, launch, openWebview, sendReport } from './harness';

const THEMES: Record<string, Record<string, string>> = {
  light: {
    'editor-background': '#ffffff',
    'editor-foreground': '#3b3b3b',
    foreground: '#3b3b3b',
    descriptionForeground: '#3b3b3b',
    focusBorder: '#005fb8',
    'editorWidget-border': '#e5e5e5',
    'charts-blue': '#1a85ff',
    'charts-orange': '#d18616',
    'charts-green': '#388a34',
    'charts-purple': '#652d90',
    'charts-red': '#e51400',
    'charts-yellow': '#bf8803',
  },
  dark: {
    'editor-background': '#1f1f1f',
    'editor-foreground': '#cccccc',
    foreground: '#cccccc',
    descriptionForeground: '#9d9d9d',
    focusBorder: '#0078d4',
    'editorWidget-border': '#454545',
    'editorWidget-background': '#202020',
    'editorHoverWidget-background': '#202020',
    'editorHoverWidget-foreground': '#cccccc',
    'editor-selectionBackground': '#264f78',
    'list-hoverBackground': '#2a2d2e',
    'charts-blue': '#3794ff',
    'charts-orange': '#d18616',
    'charts-green': '#89d185',
    'charts-purple': '#b180d7',
    'charts-red': '#f14c4c',
    'charts-yellow': '#cca700',
  },
};

async function main(): Promise<void> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const out = resolve(process.argv[2] ?? 'docs/screenshots');
  mkdirSync(out, { recursive: true });
  buildWebview();
  const report = await analyze({ paths: [join(__dirname, '..', '..', 'media', 'samples', 'incident')] });
  const browser = await launch();
  try {
    for (const [name, vars] of Object.entries(THEMES)) {
      const { page } = await openWebview(browser, { width: 1280, height: 900, theme: name === 'dark' ? 'vscode-dark' : 'vscode-light' });
      await page.evaluate((v) => {
        for (const [k, value] of Object.entries(v)) document.documentElement.style.setProperty(`--vscode-${k}`, value);
      }, vars);
      await sendReport(page, report);
      await page.mouse.move(0, 0);
      await page.locator('section.timeline').screenshot({ path: join(out, `timeline-${name}.png`) });
      await page.locator('canvas.ladder-canvas').screenshot({ path: join(out, `ladder-${name}.png`) });
      // Double-click one packet: the ladder zooms to its staircase and lists its sightings.
      await page.locator('canvas.ladder-canvas').scrollIntoViewIfNeeded();
      const p = await page.evaluate(() => (window as any).__incidentLens.sightingClientPoint(40));
      if (p) await page.mouse.dblclick(p.x, p.y);
      await page.mouse.move(0, 0);
      await page.locator('canvas.ladder-canvas').screenshot({ path: join(out, `ladder-packet-${name}.png`) });
      await page.screenshot({ path: join(out, `overview-${name}.png`), fullPage: true });
      await page.close();
      console.log(`${name}: ${out}/{timeline,ladder,ladder-packet,overview}-${name}.png`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
