/** Drives the VS Code workbench in Chromium the way a person does: palette, explorer menus, notifications, webviews. */
import { chromium, type Browser, type Frame, type Page, type FrameLocator } from 'playwright-core';
import { existsSync } from 'node:fs';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export interface Workbench {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function openWorkbench(url: string, folder: string): Promise<Workbench> {
  if (!CHROMIUM) throw new Error('chromium is not installed (apt-get install chromium): the e2e tests drive VS Code through it');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  // The explorer is populated when the workbench has restored the folder.
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
  // The extension's menus and commands exist once the workbench has read its contributions; its view container
  // in the activity bar is the visible sign.
  await page.locator('.activitybar .action-item .action-label[aria-label^="Incident Lens"]').waitFor({ state: 'attached', timeout: 60_000 });
  return { browser, page, close: () => browser.close() };
}

/** Runs a command by its palette title, e.g. "Incident Lens: Analyze Capture". */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // F1 is sometimes swallowed right after a hover or a webview had focus: Escape, then ask again.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 5000 });
      break;
    } catch (err) {
      if (attempt === 3) throw new Error(`the command palette did not open for "${title}"`, { cause: err });
      await page.keyboard.press('Escape');
    }
  }
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** Picks an item in an open quick pick by its label. */
export async function pickQuickItem(page: Page, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(label);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
}

export async function explorerRow(page: Page, name: string) {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  return row;
}

/** Right-clicks an explorer entry and runs a context-menu item by its label. */
export async function explorerContextAction(page: Page, name: string, action: string): Promise<void> {
  const row = await explorerRow(page, name);
  await row.click({ button: 'right' });
  const item = page.locator('.monaco-menu .action-item .action-label', { hasText: action }).first();
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  await item.click();
}

export async function expandFolder(page: Page, name: string): Promise<void> {
  const row = await explorerRow(page, name);
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
}

/** Text of every visible notification toast. */
export async function notifications(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts .notification-toast').allInnerTexts();
}

export async function waitForNotification(page: Page, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await notifications(page)).find((t) => pattern.test(t));
    if (found) return found;
    await page.waitForTimeout(250);
  }
  throw new Error(`no notification matching ${pattern} within ${timeoutMs} ms; visible: ${JSON.stringify(await notifications(page))}`);
}

/** The active webview's document (VS Code nests it in two iframes). */
export function activeWebview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
}

/**
 * Starts recording every notification toast that appears, even one that is gone before the test looks
 * (a fast analysis shows its progress for a fraction of a second). Read with seenNotifications().
 */
export async function recordNotifications(page: Page): Promise<void> {
  // A string, not a function: tsx's transform would add helpers (`__name`) that do not exist in the page.
  await page.evaluate(`(() => {
    if (window.__seenToasts) return;
    const seen = (window.__seenToasts = []);
    new MutationObserver(() => {
      for (const t of document.querySelectorAll('.notifications-toasts .notification-toast')) {
        const text = t.innerText.replace(/\\s+/g, ' ').trim();
        if (text && !seen.includes(text)) seen.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
}

export async function seenNotifications(page: Page): Promise<string[]> {
  return page.evaluate('window.__seenToasts ?? []') as Promise<string[]>;
}

/** Polls `probe` until it returns something other than undefined; the error names what was awaited and what was last seen. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, last?: () => Promise<unknown>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `; last seen: ${JSON.stringify(await last())}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The frame (of any webview) for which `test` is true inside the page, e.g. the Report panel's. */
export async function findFrame(page: Page, what: string, test: string, timeoutMs = 60_000): Promise<Frame> {
  return waitFor(
    what,
    async () => {
      for (const f of page.frames()) {
        try {
          if (await f.evaluate(test)) return f;
        } catch {
          // a frame that is navigating or gone
        }
      }
      return undefined;
    },
    timeoutMs,
  );
}

/** Rows of a tree in the side bar as text ("label description"), top to bottom. */
export async function sideBarRows(page: Page): Promise<string[]> {
  // Label and description are separate elements with no space between them in innerText.
  const texts = await page
    .locator('.part.sidebar .monaco-list-row')
    .evaluateAll((rows) =>
      rows.map((r) => {
        const parts = [...r.querySelectorAll('.label-name, .label-description')].map((e) => e.textContent ?? '');
        return parts.length ? parts.join(' ') : (r as HTMLElement).innerText;
      }),
    );
  return texts.map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Clicks the side-bar row whose text matches and waits for nothing else: the caller waits for the effect. */
export async function clickSideBarRow(page: Page, pattern: RegExp): Promise<void> {
  const row = page.locator('.part.sidebar .monaco-list-row').filter({ hasText: pattern }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
}

/**
 * Selects exactly these explorer entries: a click, then Ctrl+clicks (which toggle), repeated on whatever the
 * explorer shows as wrongly (un)selected, since it may re-select the active editor's file meanwhile.
 */
export async function selectInExplorer(page: Page, names: string[]): Promise<void> {
  const selected = async () =>
    (await page.locator('.explorer-folders-view .monaco-list-row.selected').allInnerTexts()).map((t) => t.trim()).sort();
  const want = [...names].sort();
  await (await explorerRow(page, names[0]!)).click();
  for (let round = 1; ; round++) {
    const now = await selected();
    const toggle = [...want.filter((n) => !now.includes(n)), ...now.filter((n) => !want.includes(n))];
    if (toggle.length === 0) return;
    if (round > 3) throw new Error(`the explorer selection is ${JSON.stringify(now)}, not ${JSON.stringify(want)}`);
    for (const name of toggle) await (await explorerRow(page, name)).click({ modifiers: ['Control'] });
    await page.waitForTimeout(300);
  }
}
