/**
 * The webview page: receives the Report (from the host, or inlined in an exported snapshot), owns the view
 * state, and wires the timeline, the small multiples and the ladder together. It computes no finding: every
 * number it shows is in the Report.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { Report } from '../src/core/model';
import { parseViewState, type HostToWebview, type WebviewToHost, type WebviewViewState } from '../src/shared/webviewProtocol';
import { reportColumns, type ReportColumns } from './columns';
import { el, setChildren } from './dom';
import { LadderView } from './ladder';
import { MultiplesView } from './multiples';
import { readPalette, watchTheme } from './theme';
import { clearColourCache } from './pixelLayer';
import { TimelineView } from './timeline';
import { host } from './host';
import { exportPng } from './exportImage';

/** What the page drew, for the browser tests and the benchmark (`window.__incidentLens`, `document.body.dataset`). */
export interface DrawnCounts {
  episodes: number;
  multiples: number;
  multiplePoints: number;
  /** Background-band packets and ICMP marks over all small multiples. */
  multipleBackground: number;
  multipleIcmpMarks: number;
  ladderPoints: number;
  ladderMarks: number;
  /** Background packets in the ladder's window and the pixel columns of the band they make. */
  ladderBackground: number;
  ladderBackgroundColumns: number;
  /** ICMP time-exceeded marks on the ladder. */
  ladderIcmpMarks: number;
  timelineEvents: number;
  timelineMarks: number;
  lanes: number;
  loops: number;
  chains: number;
  responses: number;
}

interface PageState {
  cols: ReportColumns;
  timeline: TimelineView;
  ladder: LadderView;
  multiples: MultiplesView;
  episode: number;
  view: WebviewViewState;
}

const app = document.getElementById('app') ?? document.body.appendChild(el('main', { id: 'app' }));
const tooltip = el('div', { class: 'tooltip', role: 'tooltip' });
tooltip.hidden = true;
let page: PageState | null = null;
let firstPaintMs = -1;
/** Where the first paint's time went, ms (the benchmark prints it). */
const phases: Record<string, number> = {};
/** When the Report arrived, until every small multiple is drawn (then -1). */
let completeStart = -1;

function drawn(): DrawnCounts | null {
  if (!page) return null;
  const { timeline: t, ladder: l, multiples: m } = page;
  return {
    episodes: page.cols.episodes.length,
    multiples: m.drawnEpisodes,
    multiplePoints: m.drawnPoints,
    multipleBackground: m.drawnBackground,
    multipleIcmpMarks: m.drawnIcmpMarks,
    ladderPoints: l.stats.points,
    ladderMarks: l.stats.marks,
    ladderBackground: l.contextStats.backgroundPoints,
    ladderBackgroundColumns: l.contextStats.backgroundColumns,
    ladderIcmpMarks: l.contextStats.icmpMarks,
    timelineEvents: t.stats.events,
    timelineMarks: t.stats.marks,
    lanes: t.stats.lanes,
    loops: t.stats.loops,
    chains: t.stats.chains,
    responses: t.stats.responses,
  };
}

function publish(): void {
  const d = drawn();
  if (!d) return;
  if (page!.multiples.complete && completeStart >= 0) {
    phases.complete = performance.now() - completeStart;
    completeStart = -1;
  }
  for (const [k, v] of Object.entries(d)) document.body.dataset[k] = String(v);
  document.body.dataset.firstPaintMs = firstPaintMs.toFixed(1);
  // Ready = everything drawn, including the small multiples that appear over the frames after the first paint.
  document.body.dataset.ready = String(page!.multiples.complete);
}

function saveState(): void {
  if (page) host.setState(page.view);
}

function post(m: WebviewToHost): void {
  host.postMessage(m);
}

/** Shows episode `index` in the big ladder, limited to the selected interval when there is one. */
function showEpisode(index: number): void {
  if (!page) return;
  page.episode = index;
  const c = page.cols.episodes[index] ?? null;
  page.view.episodeId = c?.episode.id;
  const sel = page.view.selectionUs;
  if (c && sel && sel[1] >= c.episode.startUs && sel[0] <= c.episode.endUs) page.ladder.show(c, sel[0], sel[1]);
  else page.ladder.show(c);
  page.multiples.render(page.cols.episodes, index, sel, publish);
  saveState();
  publish();
}

function onSelect(interval: [number, number] | null): void {
  if (!page) return;
  if (interval) {
    page.view.selectionUs = interval;
    post({ type: 'selection', startUs: interval[0], endUs: interval[1] });
    // Follow the selection to an episode inside it when the current one is outside.
    const cur = page.cols.episodes[page.episode]?.episode;
    if (!cur || cur.endUs < interval[0] || cur.startUs > interval[1]) {
      const inside = page.cols.episodes.findIndex((c) => c.episode.endUs >= interval[0] && c.episode.startUs <= interval[1]);
      if (inside >= 0) page.episode = inside;
    }
  } else {
    delete page.view.selectionUs;
    post({ type: 'selection-cleared' });
  }
  page.timeline.setSelection(interval);
  showEpisode(page.episode);
}

function toolbar(cols: ReportColumns, snapshot: boolean): HTMLElement {
  const button = (label: string, title: string, action: () => void): HTMLElement => {
    const b = document.createElement('vscode-button');
    b.textContent = label;
    b.setAttribute('title', title);
    b.setAttribute('secondary', '');
    b.addEventListener('click', action);
    return b;
  };
  const r = cols.report;
  const summary = `${r.loops.length} loop episodes · ${cols.sightings.toLocaleString('en')} sightings · ${r.events.length.toLocaleString('en')} events · ${r.chains.length} chains`;
  const bar = el('header', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Report actions' }, el('span', { class: 'summary' }, summary));
  // The buttons are web components (Lit); their one-time set-up is kept out of the first paint of the charts.
  requestAnimationFrame(() =>
    bar.append(
      button('Reset zoom', 'Show the whole Report and clear the selection (double-click the timeline)', () => page?.timeline.reset()),
      button('Export PNG', 'Save the current view as an image', () => exportPng(app, post, snapshot)),
      button('Export JSON', 'Save the Report as JSON', () => (snapshot ? host.download('incident-lens-report.json', JSON.stringify(r, null, 2), 'application/json') : post({ type: 'export', format: 'json' }))),
      ...(snapshot ? [] : [button('Export HTML', 'Save a self-contained HTML snapshot for an incident review', () => post({ type: 'export', format: 'html' }))]),
    ),
  );
  return bar;
}

function showReport(report: Report, state: WebviewViewState, snapshot: boolean): void {
  const received = performance.now();
  completeStart = received;
  const cols = reportColumns(report);
  phases.columns = performance.now() - received;
  const palette = readPalette();
  const view: WebviewViewState = { ...state, version: 1 };
  const timeline = new TimelineView(cols, palette, tooltip, {
    onSelect,
    onView: (w) => {
      if (page) page.view.viewUs = w;
      saveState();
    },
    onOpenEvent: (e) => post({ type: 'open-location', file: e.source.file, line: e.source.line }),
    onChooseEpisode: showEpisode,
    onCollapse: (groups) => {
      if (page) page.view.collapsedGroups = groups;
      saveState();
    },
    onRendered: publish,
  });
  const ladder = new LadderView(palette, tooltip);
  const multiples = new MultiplesView(palette, showEpisode);
  const episode = Math.max(0, cols.episodes.findIndex((c) => c.episode.id === view.episodeId));
  page = { cols, timeline, ladder, multiples, episode, view };
  const hint = el(
    'p',
    { class: 'hint' },
    'Timeline: wheel zooms, drag pans, Shift+drag selects an interval (filters the ladder), double-click resets; arrows and Enter move between events and open their log line. Ladder: wheel zooms, double-click a packet to see its staircase.',
  );
  setChildren(app, toolbar(cols, snapshot), hint, timeline.root, multiples.root, ladder.root, tooltip);
  if (view.collapsedGroups) timeline.setCollapsed(view.collapsedGroups);
  // First paint is synchronous so it can be timed; later paints go through requestAnimationFrame.
  let t = performance.now();
  timeline.render();
  if (view.viewUs) timeline.zoomTo(view.viewUs[0], view.viewUs[1]);
  if (view.selectionUs) timeline.setSelection(view.selectionUs);
  phases.timeline = performance.now() - t;
  t = performance.now();
  showEpisode(episode);
  phases.ladder = performance.now() - t;
  firstPaintMs = performance.now() - received;
  publish();
  watchTheme(() => {
    if (!page) return;
    clearColourCache();
    const p = readPalette();
    page.timeline.setPalette(p);
    page.ladder.setPalette(p);
    page.multiples.setPalette(p, page.cols.episodes, page.episode, page.view.selectionUs, publish);
  });
}

window.addEventListener('message', (e: MessageEvent<HostToWebview>) => {
  const m = e.data;
  if (!m || typeof m !== 'object') return;
  // The host's state (a focus, the report key) wins over what the page saved; the rest (folded groups...) is kept.
  if (m.type === 'report') {
    const saved = parseViewState(host.getState());
    const given = parseViewState(m.state);
    showReport(m.report, saved.reportKey === given.reportKey ? { ...saved, ...given } : given, false);
  }
  else if (m.type === 'select-interval' && page) page.timeline.selectInterval([m.startUs, m.endUs]);
  else if (m.type === 'unavailable') {
    page = null;
    setChildren(app, el('p', { class: 'empty' }, m.message));
  }
});

new ResizeObserver(() => {
  if (!page) return;
  page.timeline.requestRender();
  page.ladder.render();
}).observe(app);

// For tests and the benchmark: what was drawn, and handles to aim the pointer. Read-only views of the page.
Object.defineProperty(window, '__incidentLens', {
  value: {
    get ready() {
      return page !== null && page.multiples.complete;
    },
    get drawn() {
      return drawn();
    },
    get firstPaintMs() {
      return firstPaintMs;
    },
    get phases() {
      return { ...phases };
    },
    get frameTimes() {
      return page ? page.timeline.frameTimes.slice() : [];
    },
    get window() {
      return page?.timeline.window();
    },
    eventClientPoint: (i: number) => page?.timeline.eventClientPoint(i) ?? null,
    chainStepClientPoint: (id: string, step: number) => page?.timeline.chainStepClientPoint(id, step) ?? null,
    sightingClientPoint: (i: number) => page?.ladder.sightingClientPoint(i) ?? null,
    zoomTo: (a: number, b: number) => page?.timeline.zoomTo(a, b),
    selectInterval: (a: number, b: number) => page?.timeline.selectInterval([a, b]),
    renderNow: () => page?.timeline.render(),
  },
});

const inline = document.getElementById('incident-lens-report');
if (inline?.textContent) showReport(JSON.parse(inline.textContent) as Report, parseViewState(host.getState()), true);
else post({ type: 'ready' });
