/**
 * The extension in a real VS Code (code-server, installed from the packaged .vsix), driven through Chromium the
 * way a person uses it: explorer menus, the command palette, notifications, the Results view, the webviews and
 * the log editor. The steps are issue 10's; they run in order in one window, as one session would.
 *
 * What is expected comes from outside the extension: the lab's record of the sample (loops, TTL step), the
 * corpus' description of the damaged file (where it is cut), the log file itself (which line says "Down"), and
 * command titles from package.json.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { findVsix, repoRoot, startCodeServer, type CodeServer } from './codeServer';
import { screenshot } from './screenshots';
import { extensionHostCpuSeconds } from './processes';
import {
  explorerRow,
  findFrame,
  notifications,
  openWorkbench,
  recordNotifications,
  runCommand,
  seenNotifications,
  selectInExplorer,
  sideBarRows,
  waitFor,
  waitForNotification,
  type Workbench,
} from './workbench';
import { analysisLabel } from '../../src/host/analysisRegistry';
import { DAMAGED_CAPTURE, LONG_CAPTURE, prepareWorkspace, SAMPLE_CAPTURE, SAMPLE_DIR, type E2eWorkspace } from './workspace';

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { commands: ContributedCommand[] } };

/** A contributed command's menu label and palette title, as VS Code shows them. */
function command(id: string): { menu: string; palette: string } {
  const c = manifest.contributes.commands.find((x) => x.command === id);
  if (!c) throw new Error(`package.json contributes no command ${id}`);
  return { menu: c.title, palette: c.category ? `${c.category}: ${c.title}` : c.title };
}

const ANALYZE_CAPTURE = command('incidentLens.analyzeCapture');
const ANALYZE_LOGS = command('incidentLens.analyzeLogs');
const SHOW_TIMELINE = command('incidentLens.showTimeline');
const LOG_FILE = 'access-bgpd.log';

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const progressOf = (file: string) => new RegExp(`Incident Lens: analysing ${escapeRe(file)}`);

/** Right-clicks an explorer entry, optionally photographs the open menu, and runs the item. */
async function explorerMenu(page: Page, file: string, item: string, shot?: string, showExplorer = true): Promise<void> {
  if (showExplorer) await runCommand(page, 'View: Show Explorer');
  const row = await explorerRow(page, file);
  await row.click({ button: 'right' });
  const action = page.locator('.monaco-menu .action-item .action-label', { hasText: item }).first();
  await action.waitFor({ state: 'visible', timeout: 10_000 });
  if (shot) await screenshot(page, shot, { forReadme: true });
  // A click that lands while the menu is still settling is sometimes ignored (the menu stays open, nothing ran):
  // click again only then, so an item can never run twice.
  const menu = page.locator('.monaco-menu').first();
  for (let attempt = 1; ; attempt++) {
    await action.click();
    try {
      await menu.waitFor({ state: 'hidden', timeout: 3000 });
      return;
    } catch (err) {
      if (attempt === 3) throw new Error(`the explorer menu stayed open after clicking "${item}" ${attempt} times`, { cause: err });
    }
  }
}

/** Waits until an analysis' progress notification has been shown and is gone again. */
async function progressShownAndClosed(page: Page, file: string, timeoutMs = 90_000): Promise<string> {
  const re = progressOf(file);
  const shown = await waitFor(`the progress notification of ${file}`, async () => (await seenNotifications(page)).find((t) => re.test(t)), 30_000, () =>
    seenNotifications(page),
  );
  await waitFor(`the progress notification of ${file} to close`, async () => ((await notifications(page)).some((t) => re.test(t)) ? undefined : true), timeoutMs, () =>
    notifications(page),
  );
  return shown;
}

async function showResults(page: Page): Promise<void> {
  await runCommand(page, 'Incident Lens: Focus on Results View');
}

/** The Results view's row of an analysis of `label` once it has finished (its description counts loops). */
async function analysisRow(page: Page, label: string, status: RegExp): Promise<string> {
  await showResults(page);
  const re = new RegExp(`^${escapeRe(label)} ${status.source}`);
  return waitFor(`the Results row "${label}" matching ${status}`, async () => (await sideBarRows(page)).find((r) => re.test(r)), 60_000, () => sideBarRows(page));
}

/** Opens a workspace file with a click in the explorer and waits for its editor tab. */
async function openFromExplorer(page: Page, name: string): Promise<void> {
  await runCommand(page, 'View: Show Explorer');
  await (await explorerRow(page, name)).click();
  // The tab's own name, not a panel titled "Incident Lens: <name>".
  await page.locator(`.tab.active[aria-label^=${JSON.stringify(name)}]`).waitFor({ state: 'visible', timeout: 15_000 });
}

/** Text the editor draws after a line (decorations' `after` content is CSS generated content). */
async function afterTextOfLine(page: Page, lineText: string): Promise<string[]> {
  // A string, not a function: tsx's transform would add helpers (`__name`) that do not exist in the page.
  return page.evaluate(`(() => {
    const out = [];
    for (const line of document.querySelectorAll('.editor-instance .monaco-editor .view-line')) {
      if (!line.textContent.replace(/\\u00a0/g, ' ').includes(${JSON.stringify(lineText)})) continue;
      for (const el of line.querySelectorAll('*')) {
        const c = getComputedStyle(el, '::after').content;
        if (c && c !== 'none' && c !== 'normal' && c !== '""') out.push(c.replace(/^"|"$/g, '').trim());
      }
    }
    return out;
  })()`) as Promise<string[]>;
}

/** Puts the cursor at the end of a line of the active text editor (Go to Line, then End), checked in the status bar. */
async function goToLineEnd(page: Page, line: number): Promise<void> {
  const position = page.locator('.statusbar-item', { hasText: /^Ln \d+, Col \d+/ }).first();
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // Focus the editor first: a file opened from the explorer leaves the focus in the explorer.
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  await waitFor('the Go to Line box', async () => ((await input.isVisible()) && (await input.inputValue()).startsWith(':') ? true : undefined), 10_000);
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await waitFor(`the cursor on line ${line}`, async () => (new RegExp(`^Ln ${line},`).test(await position.innerText()) ? true : undefined), 10_000, () => position.innerText());
  await page.keyboard.press('End');
}

/**
 * Opens a log, goes to a line and returns the text drawn after it and the hover shown there (Show or Focus
 * Hover with the cursor at the end of the line), once the hover contains `hoverHas`.
 */
async function annotationOf(page: Page, file: string, line: number, hoverHas: string): Promise<{ after: string[]; hoverText: string }> {
  await openFromExplorer(page, basename(file));
  const lineText = readFileSync(file, 'utf8').split('\n')[line - 1]!;
  await goToLineEnd(page, line);
  const after = await waitFor(`the annotation after line ${line} of ${file}`, async () => {
    const t = await afterTextOfLine(page, lineText.slice(0, 40));
    return t.length ? t : undefined;
  }, 15_000);
  await runCommand(page, 'Show or Focus Hover');
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: hoverHas }).first();
  await hover.waitFor({ state: 'visible', timeout: 15_000 });
  return { after, hoverText: await hover.innerText() };
}

describe('Incident Lens in a real VS Code (code-server + Chromium)', function () {
  let ws: E2eWorkspace;
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  let page: Page;

  before(async function () {
    this.timeout(240_000);
    ws = prepareWorkspace();
    server = await startCodeServer({ workspace: ws.dir, vsix: findVsix() });
    wb = await openWorkbench(server.url, ws.dir);
    page = wb.page;
    await recordNotifications(page);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await screenshot(page, `failed-${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => undefined);
      // What the extension itself logged (analyses, cancels, worker errors): the first thing to read on a failure.
      const log = server?.extensionLog().trim().split('\n').slice(-40).join('\n');
      if (log) console.log(`      last lines of the "Incident Lens" output channel:\n${log.replace(/^/gm, '        ')}`);
    }
  });

  after(async function () {
    this.timeout(30_000);
    await wb?.close();
    if (server && process.env.E2E_KEEP_LOG === '1') console.log(server.log());
    await server?.stop();
    ws?.dispose();
  });

  it(`1. right-click the sample capture in the explorer and run "${ANALYZE_CAPTURE.menu}"`, async () => {
    await explorerMenu(page, SAMPLE_CAPTURE, ANALYZE_CAPTURE.menu, 'vscode-explorer-menu');
  });

  it('2. the progress notification finishes and the Results view lists the loop episodes', async () => {
    await progressShownAndClosed(page, SAMPLE_CAPTURE);
    const row = await analysisRow(page, SAMPLE_CAPTURE, /\d+ loops? ·/);
    assert.match(row, new RegExp(`\\b${ws.truth.loops} loops\\b`), `the analysis row says how many loops: ${row}`);
    const group = page.locator('.part.sidebar .monaco-list-row').filter({ hasText: /^Loop episodes/ }).first();
    await group.waitFor({ state: 'visible', timeout: 15_000 });
    if ((await group.getAttribute('aria-expanded')) !== 'true') await group.click();
    const loops = await waitFor(
      `${ws.truth.loops} loop rows`,
      async () => {
        const rows = (await sideBarRows(page)).filter((r) => /^loop-\d+ · /.test(r));
        return rows.length >= ws.truth.loops ? rows : undefined;
      },
      15_000,
      () => sideBarRows(page),
    );
    assert.equal(loops.length, ws.truth.loops, loops.join('\n'));
    for (const l of loops) assert.match(l, new RegExp(`· TTL step ${ws.truth.ttlStep}\\b`), l);
    await screenshot(page, 'results-tree');
  });

  it('3. the timeline and the ladder draw the episodes (what the page reports), screenshot', async () => {
    await runCommand(page, SHOW_TIMELINE.palette);
    const frame = await findFrame(page, 'the Report panel with everything drawn', `document.body.dataset.ready === 'true' && !!window.__incidentLens`);
    const drawn = (await frame.evaluate('window.__incidentLens.drawn')) as Record<string, number>;
    assert.equal(drawn.episodes, ws.truth.loops, JSON.stringify(drawn));
    assert.equal(drawn.loops, ws.truth.loops, `timeline loops: ${JSON.stringify(drawn)}`);
    assert.equal(drawn.multiples, ws.truth.loops, `small multiples: ${JSON.stringify(drawn)}`);
    assert.ok(drawn.ladderPoints > 0, `the ladder drew sightings: ${JSON.stringify(drawn)}`);
    const summary = (await frame.evaluate(`document.querySelector('.toolbar .summary')?.textContent ?? ''`)) as string;
    assert.match(summary, new RegExp(`^${ws.truth.loops} loop episodes`), summary);
    await screenshot(page, 'vscode-loops', { forReadme: true });
  });

  it(`4. "${ANALYZE_LOGS.palette}" from the palette annotates a BGP peer-down line (decoration text and hover)`, async () => {
    await runCommand(page, ANALYZE_LOGS.palette);
    // code-server's open dialog is VS Code's own (a quick input that takes a path).
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Analyze logs' }).waitFor({ state: 'visible', timeout: 15_000 });
    // It opens in the workspace folder (the command's defaultUri) and fills in its path once listed: wait for that,
    // then type the file name after it, as a person would.
    await waitFor(`the open dialog to show ${ws.dir}/`, async () => ((await input.inputValue()) === `${ws.dir}/` ? true : undefined), 15_000, () => input.inputValue());
    await input.press('End');
    await page.keyboard.type(LOG_FILE);
    await waitFor(`the open dialog to take ${LOG_FILE}`, async () => ((await input.inputValue()) === join(ws.dir, LOG_FILE) ? true : undefined), 15_000, () => input.inputValue());
    await page.keyboard.press('Enter');
    await progressShownAndClosed(page, LOG_FILE);
    await analysisRow(page, LOG_FILE, /0 loops · \d+ chains? · \d+ events/);
    // The analysis opens its timeline when done; wait for it, so it does not cover the log opened next.
    await page.locator('.tab', { hasText: `Incident Lens: ${LOG_FILE}` }).waitFor({ state: 'visible', timeout: 30_000 });

    const { after, hoverText } = await annotationOf(page, join(ws.dir, LOG_FILE), ws.peerDownLine, 'Incident Lens: BGP peer down');
    assert.ok(after.some((t) => /BGP peer down/.test(t)), `after-line text: ${JSON.stringify(after)}`);
    assert.match(hoverText, /Show in timeline/, hoverText);
    assert.match(hoverText, /peer 10\.0\.23\.2/, hoverText);
    await screenshot(page, 'annotations-hover');
    await page.keyboard.press('Escape');
  });

  it('5. a damaged capture: the message names the file and the byte offset; its editor shows the same place', async () => {
    await explorerMenu(page, DAMAGED_CAPTURE, ANALYZE_CAPTURE.menu);
    const place = `${DAMAGED_CAPTURE}, byte ${ws.damagedOffset.toLocaleString('en-US')}`;
    const msg = await waitForNotification(page, new RegExp(escapeRe(place)), 60_000);
    assert.match(msg, /cut short|truncated|ends/i, msg);

    // Opening it shows the capture editor, which names the same offset.
    await runCommand(page, 'View: Show Explorer');
    await (await explorerRow(page, DAMAGED_CAPTURE)).dblclick();
    const frame = await findFrame(
      page,
      `the capture editor of ${DAMAGED_CAPTURE}`,
      `document.querySelector('h1')?.textContent === ${JSON.stringify(DAMAGED_CAPTURE)} && !!document.querySelector('.problems')`,
    );
    const problems = (await frame.evaluate(`document.querySelector('.problems').innerText`)) as string;
    assert.match(problems, new RegExp(`byte ${ws.damagedOffset.toLocaleString('en-US')}:`), problems);
  });

  it('6. cancelling a long analysis stops it', async () => {
    await explorerMenu(page, LONG_CAPTURE, ANALYZE_CAPTURE.menu);
    const re = progressOf(LONG_CAPTURE);
    await waitForNotification(page, re, 30_000);
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: re }).first();
    await toast.hover();
    await toast.getByRole('button', { name: 'Cancel' }).click();
    await waitFor('the progress notification to close after Cancel', async () => ((await notifications(page)).some((t) => re.test(t)) ? undefined : true), 30_000, () =>
      notifications(page),
    );
    // "cancelled" only if the job was cancelled before it finished (a finished one says how many loops).
    await analysisRow(page, LONG_CAPTURE, /cancelled/);
    // Stopped, not merely hidden: the extension host (where the analysis worker thread runs) goes quiet, and no
    // result arrives later.
    await new Promise((r) => setTimeout(r, 1000));
    const idle = await extensionHostCpuSeconds(server!.pgid, 2000);
    assert.ok(idle < 0.3, `the extension host still used ${idle.toFixed(2)} s of CPU in the 2 s after the cancel`);
    await analysisRow(page, LONG_CAPTURE, /cancelled/);
    // The extension's log agrees: this analysis was cancelled and never finished. (VS Code writes the output
    // channel to disk with a short delay, hence the wait.)
    const idRe = new RegExp(`(analysis-\\d+): analysing .*${escapeRe(LONG_CAPTURE)}`);
    const log = await waitFor(
      `the log to say the analysis of ${LONG_CAPTURE} was cancelled`,
      async () => {
        const text = server!.extensionLog();
        const id = idRe.exec(text)?.[1];
        return id && new RegExp(`${id}: cancelled`).test(text) ? text : undefined;
      },
      10_000,
      async () => server!.extensionLog(),
    );
    assert.doesNotMatch(log, new RegExp(`${idRe.exec(log)![1]}: done in`), log);
  });
  it('7. the capture and all its logs selected together: the restart chains in the tree, the timeline and on the log line', async () => {
    const files = readdirSync(SAMPLE_DIR).filter((f) => f !== 'README.md');
    await runCommand(page, 'View: Show Explorer');
    await selectInExplorer(page, [SAMPLE_CAPTURE, ...files.filter((f) => f !== SAMPLE_CAPTURE)]);
    await explorerMenu(page, SAMPLE_CAPTURE, ANALYZE_CAPTURE.menu, undefined, false);
    const label = analysisLabel(files.map((f) => join(ws.dir, f)));
    await progressShownAndClosed(page, label);
    // One chain per restart that opened a loop (the lab's record).
    const row = await analysisRow(page, label, new RegExp(`${ws.truth.loops} loops · ${ws.truth.loops} chains · \\d+ events`));
    assert.match(row, /· [1-9]\d* events/, row);
    const chains = page.locator('.part.sidebar .monaco-list-row').filter({ hasText: /^Chains/ }).first();
    await chains.waitFor({ state: 'visible', timeout: 15_000 });
    if ((await chains.getAttribute('aria-expanded')) !== 'true') await chains.click();
    await screenshot(page, 'results-chains');

    await page.locator('.tab', { hasText: `Incident Lens: ${label}` }).waitFor({ state: 'visible', timeout: 30_000 });
    const frame = await findFrame(
      page,
      'the Report panel of the whole incident',
      `document.body.dataset.ready === 'true' && document.body.dataset.chains === '${ws.truth.loops}'`,
    );
    const drawn = (await frame.evaluate('window.__incidentLens.drawn')) as Record<string, number>;
    assert.equal(drawn.loops, ws.truth.loops, JSON.stringify(drawn));
    assert.ok(drawn.timelineEvents > 0 && drawn.lanes > 1, `events on several lanes: ${JSON.stringify(drawn)}`);
    await screenshot(page, 'vscode-incident', { forReadme: true });

    // The peer-down line is now evidence of a chain: the text after it names the step before and after it.
    const { after, hoverText } = await annotationOf(page, join(ws.dir, LOG_FILE), ws.peerDownLine, 'Chain:');
    assert.ok(after.some((t) => /^Bgp peer down · .* after restart · /i.test(t)), `after-line text: ${JSON.stringify(after)}`);
    assert.match(hoverText, /Show chain in timeline/, hoverText);
    await screenshot(page, 'vscode-annotations-hover', { forReadme: true });
    await page.keyboard.press('Escape');
  });
});
