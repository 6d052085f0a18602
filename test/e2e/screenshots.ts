/**
 * Screenshots of the end-to-end run. Every run writes them to test-results/e2e/ (CI keeps that folder as an
 * artifact); with E2E_UPDATE_SCREENSHOTS=1 the README's copies in docs/screenshots/ are replaced too, so an
 * ordinary run never leaves the working tree changed.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from './codeServer';

export const RESULTS_DIR = join(repoRoot, 'test-results', 'e2e');
const README_DIR = join(repoRoot, 'docs', 'screenshots');

export async function screenshot(page: Page, name: string, opts: { forReadme?: boolean } = {}): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  if (opts.forReadme && process.env.E2E_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(README_DIR, { recursive: true });
    copyFileSync(file, join(README_DIR, `${name}.png`));
  }
  return file;
}
