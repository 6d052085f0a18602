/** Drives the VS Code workbench in Chromium the way a person does: palette, explorer menus, notifications, webviews. */
import { chromium, type Browser, type Page, type FrameLocator } from 'playwright-core';
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
  return { browser, page, close: () => browser.close() };
}

/** Runs a command by its palette title, e.g. "Incident Lens: Analyze Capture". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
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
