/**
 * The event timeline: everything in the Report on one time axis. Wheel zooms, drag pans, Shift+drag brushes an
 * interval (zooms to it and filters the ladder), double-click resets. Events are aggregated per lane and pixel
 * column every frame (typed arrays), so 100,000 events cost one pass, not 100,000 DOM nodes.
 * Keyboard: arrows move between events (left/right in time, up/down between lanes), Enter opens the log line,
 * +/- zoom, Escape clears the selection.
 */
import { select, type Selection } from 'd3-selection';
import { zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import type { LogEvent } from '../src/core/model';
import { eventKindLabel, formatDuration, stepKindLabel } from '../src/host/format';
import type { Chain, ChainStep } from '../src/core/model';
import { MAX_RANK, type ReportColumns } from './columns';
import { el, fitCanvas, placeTooltip, setChildren, tooltipLines } from './dom';
import { binColumns, binLanes, lowerBound } from './lod';
import { PixelLayer, pixelColour } from './pixelLayer';
import type { Palette } from './theme';
import { instantLabel, tickCount, timeScale, timeTicks } from './timeAxis';
import { layoutRows, rowAt, rowOfLane, totalHeight, type Row } from './timelineLayout';

const LABEL_WIDTH = 190;
/** Smallest window, µs: one pixel per microsecond is as far as Report instants go. */
const MIN_SPAN_US = 50;

export interface TimelineCallbacks {
  /** The user selected an interval (brush) or cleared it (null). */
  onSelect(interval: [number, number] | null): void;
  /** The visible window changed (persisted in the view state). */
  onView(window: [number, number]): void;
  onOpenEvent(event: LogEvent): void;
  onChooseEpisode(index: number): void;
  onCollapse(collapsed: string[]): void;
  /** After every paint (the page publishes what was drawn). */
  onRendered(): void;
}

export interface TimelineStats {
  events: number;
  marks: number;
  lanes: number;
  loops: number;
  chains: number;
  responses: number;
  renderMs: number;
}

export class TimelineView {
  readonly root: HTMLElement;
  private readonly labels = el('div', { class: 'timeline-labels' });
  private readonly canvas = el('canvas', {
    class: 'timeline-canvas',
    tabindex: '0',
    role: 'application',
    'aria-roledescription': 'event timeline',
    'aria-label': 'Event timeline. Arrow keys move between events, Enter opens the log line, plus and minus zoom, Shift+drag selects an interval, double-click resets.',
  });
  private readonly live = el('div', { class: 'visually-hidden', 'aria-live': 'polite' });
  private readonly detail = el('div', { class: 'event-detail', 'aria-live': 'polite' });
  private rows: Row[] = [];
  private collapsed = new Set<string>();
  private width = 600;
  /** The plot width the zoom behaviour's extents were set for (-1: not yet). */
  private zoomWidth = -1;
  private transform: ZoomTransform = zoomIdentity;
  private zoomBehavior: ZoomBehavior<HTMLCanvasElement, unknown>;
  private canvasSel: Selection<HTMLCanvasElement, unknown, null, undefined>;
  private selection: [number, number] | null = null;
  private brush: { fromX: number; toX: number } | null = null;
  private focusLane = -1;
  /** Index into the lane-major event arrays of the focused event, -1 none. */
  private focusIndex = -1;
  private frame = 0;
  private cells = new Uint8Array(0);
  private counts = new Uint32Array(0);
  private colBuf = new Float64Array(0);
  private eventById = new Map<string, number>();
  private readonly marks = new PixelLayer();
  /** Where the last paint put each chain step (a few dozen at most), for hovering them. */
  private stepPoints: { x: number; y: number; chain: Chain; step: ChainStep }[] = [];
  stats: TimelineStats = { events: 0, marks: 0, lanes: 0, loops: 0, chains: 0, responses: 0, renderMs: 0 };
  /** Durations of the last renders, ms (the benchmark reads them). */
  readonly frameTimes: number[] = [];

  constructor(
    private cols: ReportColumns,
    private palette: Palette,
    private readonly tooltip: HTMLElement,
    private readonly cb: TimelineCallbacks,
  ) {
    const plot = el('div', { class: 'timeline-plot' }, this.canvas);
    this.root = el('section', { class: 'timeline', 'aria-label': 'Event timeline' }, el('div', { class: 'timeline-body' }, this.labels, plot), this.detail, this.live);
    this.canvasSel = select(this.canvas);
    this.zoomBehavior = zoom<HTMLCanvasElement, unknown>()
      // Shift+drag is the brush; everything else (wheel, drag, touch) pans and zooms.
      .filter((e: Event) => !(e as MouseEvent).shiftKey && (!(e as MouseEvent).ctrlKey || e.type === 'wheel') && !(e as MouseEvent).button)
      .on('zoom', (e: D3ZoomEvent<HTMLCanvasElement, unknown>) => {
        this.transform = e.transform;
        this.requestRender();
        this.cb.onView(this.window());
      });
    this.canvasSel.call(this.zoomBehavior).on('dblclick.zoom', null);
    this.canvas.addEventListener('dblclick', () => this.reset());
    this.canvas.addEventListener('pointerdown', (e) => this.brushStart(e));
    this.canvas.addEventListener('pointermove', (e) => this.pointerMove(e));
    this.canvas.addEventListener('pointerup', (e) => this.brushEnd(e));
    this.canvas.addEventListener('pointerleave', () => (this.tooltip.hidden = true));
    this.canvas.addEventListener('click', (e) => this.click(e));
    this.canvas.addEventListener('keydown', (e) => this.key(e));
    this.setColumns(cols);
  }

  setColumns(cols: ReportColumns): void {
    this.cols = cols;
    // Only the events that chains point at need a lookup by id; a Map of all 100,000 would cost the first paint.
    const wanted = new Set<string>();
    for (const c of cols.report.chains) for (const s of c.steps) for (const ev of s.evidence) if (ev.kind === 'log') wanted.add(ev.eventId);
    this.eventById = new Map();
    if (wanted.size) cols.report.events.forEach((e, i) => wanted.has(e.id) && this.eventById.set(e.id, i));
    this.layout();
  }

  setPalette(p: Palette): void {
    this.palette = p;
    this.requestRender();
  }

  setCollapsed(groups: string[]): void {
    this.collapsed = new Set(groups);
    this.layout();
  }

  private layout(): void {
    this.rows = layoutRows({ events: this.cols.events, hasLoops: this.cols.episodes.length > 0, hasStalls: this.cols.stallStartUs.length > 0 }, this.collapsed);
    const children = this.rows.map((r) => {
      let node: HTMLElement;
      if (r.kind === 'group') {
        node = el('button', { class: 'row-label group-label', 'aria-expanded': String(!r.collapsed), title: r.label }, `${r.collapsed ? '▸' : '▾'} ${r.label}`);
        node.addEventListener('click', () => this.toggle(r.group));
      } else node = el('div', { class: `row-label ${r.kind}-label`, title: r.label }, r.label);
      node.style.top = `${r.y}px`;
      node.style.height = `${r.height}px`;
      return node;
    });
    setChildren(this.labels, ...children);
    this.labels.style.height = `${totalHeight(this.rows)}px`;
    this.requestRender();
  }

  private toggle(group: number): void {
    const key = this.cols.events.groups[group]!.key;
    if (this.collapsed.has(key)) this.collapsed.delete(key);
    else this.collapsed.add(key);
    this.cb.onCollapse([...this.collapsed]);
    this.layout();
  }

  /** The visible window, epoch µs. */
  window(): [number, number] {
    const [a, b] = this.transform.rescaleX(this.baseScale()).domain();
    return [a!, b!];
  }

  private baseScale() {
    return timeScale(this.cols.startUs, this.cols.endUs, this.width);
  }

  private maxZoom(): number {
    return Math.max(1, (this.cols.endUs - this.cols.startUs) / MIN_SPAN_US);
  }

  /** Shows [startUs, endUs] (clamped to the Report). */
  zoomTo(startUs: number, endUs: number): void {
    const base = this.baseScale();
    const x0 = base(Math.max(this.cols.startUs, startUs));
    const x1 = base(Math.min(this.cols.endUs, endUs));
    const k = Math.min(this.maxZoom(), this.width / Math.max(1e-9, x1 - x0));
    this.canvasSel.call(this.zoomBehavior.transform, zoomIdentity.scale(k).translate(-x0, 0));
  }

  setSelection(interval: [number, number] | null): void {
    this.selection = interval;
    this.requestRender();
  }

  reset(): void {
    this.selection = null;
    this.canvasSel.call(this.zoomBehavior.transform, zoomIdentity);
    this.cb.onSelect(null);
  }

  requestRender(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  render(): void {
    const t0 = performance.now();
    // The plot cell's width (the lanes box may show a vertical scrollbar, which the root's width would include).
    const plotWidth = Math.max(100, this.canvas.parentElement?.clientWidth || (this.root.clientWidth || 800) - LABEL_WIDTH);
    if (plotWidth !== this.zoomWidth) {
      this.width = this.zoomWidth = plotWidth;
      const h = totalHeight(this.rows);
      this.zoomBehavior.extent([[0, 0], [plotWidth, h]]).translateExtent([[0, 0], [plotWidth, h]]).scaleExtent([1, this.maxZoom()]);
    }
    const { ctx, height } = fitCanvas(this.canvas, this.width, totalHeight(this.rows));
    const [startUs, endUs] = this.window();
    const x = timeScale(startUs, endUs, this.width);
    ctx.font = this.palette.font;
    this.drawLoopBands(ctx, x, height);
    this.drawGrid(ctx, startUs, endUs, x, height);
    const stats: TimelineStats = { events: 0, marks: 0, lanes: 0, loops: 0, chains: 0, responses: 0, renderMs: 0 };
    for (const row of this.rows) {
      if (row.kind === 'loops') stats.loops = this.drawLoops(ctx, row, x, startUs, endUs);
      else if (row.kind === 'responses') stats.responses = this.drawDensity(ctx, row, startUs, endUs);
      else if (row.kind === 'stalls') this.drawStalls(ctx, row, x, startUs, endUs);
      else if (row.kind === 'throttle') this.drawThrottle(ctx, row, startUs, endUs);
    }
    const ev = this.drawEvents(ctx, startUs, endUs);
    stats.events = ev.events;
    stats.marks = ev.marks;
    stats.lanes = this.cols.events.lanes.length;
    stats.chains = this.drawChains(ctx, x, startUs, endUs);
    this.drawSelectionAndFocus(ctx, x, height);
    stats.renderMs = performance.now() - t0;
    this.stats = stats;
    this.frameTimes.push(stats.renderMs);
    if (this.frameTimes.length > 600) this.frameTimes.splice(0, this.frameTimes.length - 600);
    this.cb.onRendered();
  }

  private drawGrid(ctx: CanvasRenderingContext2D, startUs: number, endUs: number, x: (t: number) => number, height: number): void {
    ctx.fillStyle = this.palette.muted;
    ctx.strokeStyle = this.palette.grid;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const tick of timeTicks(startUs, endUs, tickCount(ctx, this.width))) {
      const px = Math.round(x(tick.us)) + 0.5;
      ctx.moveTo(px, 16);
      ctx.lineTo(px, height);
      ctx.fillText(tick.label, px + 3, 10);
    }
    ctx.globalAlpha = 0.35;
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.beginPath();
    for (const r of this.rows) if (r.kind === 'group') {
      ctx.moveTo(0, r.y + 0.5);
      ctx.lineTo(this.width, r.y + 0.5);
    }
    ctx.stroke();
  }

  private drawLoopBands(ctx: CanvasRenderingContext2D, x: (t: number) => number, height: number): void {
    ctx.fillStyle = this.palette.loopBand;
    ctx.globalAlpha = this.palette.highContrast ? 0.25 : 0.1;
    for (const c of this.cols.episodes) {
      const a = Math.max(0, x(c.episode.startUs));
      const b = Math.min(this.width, x(c.episode.endUs));
      if (b >= 0 && a <= this.width) ctx.fillRect(a, 0, Math.max(1, b - a), height);
    }
    ctx.globalAlpha = 1;
  }

  private drawLoops(ctx: CanvasRenderingContext2D, row: Row, x: (t: number) => number, startUs: number, endUs: number): number {
    let drawn = 0;
    ctx.textBaseline = 'middle';
    for (const c of this.cols.episodes) {
      const e = c.episode;
      if (e.endUs < startUs || e.startUs > endUs) continue;
      const a = Math.max(0, x(e.startUs));
      const b = Math.min(this.width, x(e.endUs));
      ctx.fillStyle = this.palette.loopBand;
      ctx.fillRect(a, row.y + 3, Math.max(2, b - a), row.height - 6);
      const label = `${e.id} ${formatDuration(e.durationMs)}`;
      if (b - a > ctx.measureText(label).width + 6) {
        ctx.fillStyle = this.palette.background;
        ctx.fillText(label, a + 3, row.y + row.height / 2);
      }
      drawn++;
    }
    return drawn;
  }

  private columnBuffer(): Float64Array {
    if (this.colBuf.length < this.width) this.colBuf = new Float64Array(this.width);
    return this.colBuf;
  }

  private drawDensity(ctx: CanvasRenderingContext2D, row: Row, startUs: number, endUs: number): number {
    const buf = this.columnBuffer();
    const w = { startUs, endUs, columns: this.width };
    const max = binColumns(this.cols.events.responseTimeUs, w, buf);
    if (max === 0) return 0;
    ctx.fillStyle = this.palette.density;
    let n = 0;
    const bars = new Path2D();
    for (let col = 0; col < this.width; col++) {
      const v = buf[col]!;
      if (!v) continue;
      n += v;
      const h = Math.max(2, Math.sqrt(v / max) * (row.height - 4));
      bars.rect(col, row.y + row.height - 2 - h, 1, h);
    }
    ctx.fill(bars);
    return n;
  }

  private drawThrottle(ctx: CanvasRenderingContext2D, row: Row, startUs: number, endUs: number): void {
    const buf = this.columnBuffer();
    const max = binColumns(this.cols.events.throttleTimeUs, { startUs, endUs, columns: this.width }, buf, this.cols.events.throttleValue);
    if (max <= 0) return;
    ctx.fillStyle = this.palette.throttle;
    const bars = new Path2D();
    for (let col = 0; col < this.width; col++) {
      const v = buf[col]!;
      if (v > 0) {
        const h = Math.max(1, (v / max) * (row.height - 4));
        bars.rect(col, row.y + row.height - 2 - h, 1, h);
      }
    }
    ctx.fill(bars);
  }

  private drawStalls(ctx: CanvasRenderingContext2D, row: Row, x: (t: number) => number, startUs: number, endUs: number): void {
    const { stallStartUs: s, stallEndUs: e } = this.cols;
    ctx.fillStyle = this.palette.stall;
    const bars = new Path2D();
    for (let i = 0; i < s.length; i++) {
      if (e[i]! < startUs || s[i]! > endUs) continue;
      const a = Math.max(0, x(s[i]!));
      bars.rect(a, row.y + 3, Math.max(1, Math.min(this.width, x(e[i]!)) - a), row.height - 6);
    }
    ctx.fill(bars);
  }

  private drawEvents(ctx: CanvasRenderingContext2D, startUs: number, endUs: number): { events: number; marks: number } {
    const ev = this.cols.events;
    const size = ev.lanes.length * this.width;
    if (this.cells.length < size) {
      this.cells = new Uint8Array(size);
      this.counts = new Uint32Array(size);
    }
    const events = binLanes(ev.timeUs, ev.rank, ev.laneStart, { startUs, endUs, columns: this.width }, this.cells, this.counts);
    const colours = this.palette.ranks.map(pixelColour);
    this.marks.begin(this.width, totalHeight(this.rows));
    let marks = 0;
    for (const row of this.rows) {
      for (const lane of row.lanes) {
        const base = lane * this.width;
        for (let col = 0; col < this.width; col++) {
          const rank = this.cells[base + col]!;
          if (!rank) continue;
          this.marks.rect(col - 0.5, row.y + 3, 2, row.height - 6, colours[Math.min(rank, MAX_RANK)]!);
          marks++;
        }
      }
    }
    this.marks.end(ctx);
    return { events, marks };
  }

  /** The y centre of where a chain step is drawn: its log event's lane, or the strip of its kind. */
  private stepY(kind: string, eventId: string | undefined): number | undefined {
    if (eventId !== undefined) {
      const i = this.eventById.get(eventId);
      const lane = i === undefined ? -1 : this.cols.events.laneOfEvent[i]!;
      const row = lane >= 0 ? rowOfLane(this.rows, lane) : undefined;
      if (row) return row.y + row.height / 2;
    }
    const strip = kind === 'timeouts' ? 'responses' : kind === 'stalls' ? 'stalls' : 'loops';
    const row = this.rows.find((r) => r.kind === strip) ?? this.rows.find((r) => r.kind === 'loops');
    return row ? row.y + row.height / 2 : undefined;
  }

  private drawChains(ctx: CanvasRenderingContext2D, x: (t: number) => number, startUs: number, endUs: number): number {
    let drawn = 0;
    this.stepPoints = [];
    ctx.strokeStyle = this.palette.chain;
    ctx.fillStyle = this.palette.chain;
    ctx.lineWidth = 1.5;
    ctx.textBaseline = 'bottom';
    ctx.textAlign = 'center';
    for (const chain of this.cols.report.chains) {
      const steps = chain.steps;
      if (!steps.length || steps[steps.length - 1]!.timeUs < startUs || steps[0]!.timeUs > endUs) continue;
      let prev: { x: number; y: number } | null = null;
      ctx.beginPath();
      const labels: { x: number; y: number; text: string }[] = [];
      for (const step of steps) {
        const ev = step.evidence.find((e) => e.kind === 'log');
        const y = this.stepY(step.kind, ev && ev.kind === 'log' ? ev.eventId : undefined);
        if (y === undefined) continue;
        const p = { x: x(step.timeUs), y };
        this.stepPoints.push({ ...p, chain, step });
        if (prev) {
          ctx.moveTo(prev.x, prev.y);
          ctx.bezierCurveTo((prev.x + p.x) / 2, prev.y, (prev.x + p.x) / 2, p.y, p.x, p.y);
          if (Math.abs(p.x - prev.x) > 44) labels.push({ x: (prev.x + p.x) / 2, y: (prev.y + p.y) / 2 - 2, text: `+${formatDuration(step.lagMs)}` });
        }
        ctx.moveTo(p.x + 3, p.y);
        ctx.arc(p.x, p.y, 3, 0, Math.PI * 2);
        prev = p;
      }
      ctx.globalAlpha = 0.7;
      ctx.stroke();
      ctx.globalAlpha = 1;
      for (const l of labels) ctx.fillText(l.text, l.x, l.y);
      drawn++;
    }
    ctx.textAlign = 'left';
    return drawn;
  }

  private drawSelectionAndFocus(ctx: CanvasRenderingContext2D, x: (t: number) => number, height: number): void {
    const band = this.brush ? [Math.min(this.brush.fromX, this.brush.toX), Math.max(this.brush.fromX, this.brush.toX)] : this.selection ? [x(this.selection[0]), x(this.selection[1])] : null;
    if (band) {
      ctx.fillStyle = this.palette.selection;
      ctx.globalAlpha = 0.35;
      ctx.fillRect(band[0]!, 0, Math.max(1, band[1]! - band[0]!), height);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = this.palette.focus;
      ctx.strokeRect(band[0]! + 0.5, 0.5, Math.max(1, band[1]! - band[0]!), height - 1);
    }
    if (this.focusIndex >= 0) {
      const row = rowOfLane(this.rows, this.focusLane);
      if (row) {
        ctx.strokeStyle = this.palette.focus;
        ctx.lineWidth = 2;
        ctx.strokeRect(x(this.cols.events.timeUs[this.focusIndex]!) - 4, row.y + 1, 8, row.height - 2);
      }
    }
  }

  // ---- pointer -------------------------------------------------------------------------------------------

  private localPoint(e: MouseEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  /** The event (lane-major index) nearest to a point within 5 px, or -1. */
  private pickEvent(px: number, py: number): number {
    const row = rowAt(this.rows, py);
    if (!row || !row.lanes.length) return -1;
    const [startUs, endUs] = this.window();
    const usPerPx = (endUs - startUs) / this.width;
    const t = startUs + px * usPerPx;
    const ev = this.cols.events;
    let best = -1;
    let bestD = 5 * usPerPx;
    for (const lane of row.lanes) {
      const a = ev.laneStart[lane]!;
      const b = ev.laneStart[lane + 1]!;
      const i = lowerBound(ev.timeUs, t, a, b);
      for (const j of [i - 1, i]) {
        if (j < a || j >= b) continue;
        const d = Math.abs(ev.timeUs[j]! - t);
        if (d <= bestD) {
          bestD = d;
          best = j;
        }
      }
    }
    return best;
  }

  private laneOfIndex(i: number): number {
    const ls = this.cols.events.laneStart;
    return Math.max(0, lowerBound(ls, i + 1) - 1);
  }

  private episodeAt(px: number, py: number): number {
    const row = rowAt(this.rows, py);
    if (!row || row.kind !== 'loops') return -1;
    const [startUs, endUs] = this.window();
    const t = startUs + (px / this.width) * (endUs - startUs);
    const slack = 3 * ((endUs - startUs) / this.width);
    return this.cols.episodes.findIndex((c) => c.episode.startUs - slack <= t && t <= c.episode.endUs + slack);
  }

  eventLines(i: number): string[] {
    const e = this.cols.report.events[this.cols.events.eventIndex[i]!]!;
    const who = [e.host, e.pod, e.process ?? e.container].filter(Boolean).join(' / ');
    const lines = [`${eventKindLabel(e.kind)}${e.peer ? ` — peer ${e.peer}` : ''}`, instantLabel(e.timeUs)];
    if (who) lines.push(who);
    lines.push(`${e.source.file}:${e.source.line}`);
    lines.push(e.message);
    return lines;
  }

  private pointerMove(e: PointerEvent): void {
    const p = this.localPoint(e);
    if (this.brush) {
      this.brush.toX = p.x;
      this.requestRender();
      return;
    }
    // A chain step drawn on its log event shows both: the event, then the chain and the lag.
    const step = this.stepPoints.find((s) => Math.abs(s.x - p.x) <= 5 && Math.abs(s.y - p.y) <= 5);
    const chainLines = step
      ? [`Chain: ${step.chain.subject}`, `${stepKindLabel(step.step.kind)}${step.step.lagMs ? ` (+${formatDuration(step.step.lagMs)} after the previous step)` : ''}: ${step.step.summary}`]
      : [];
    const i = this.pickEvent(p.x, p.y);
    if (i >= 0 || step) {
      tooltipLines(this.tooltip, i >= 0 ? [...this.eventLines(i), ...chainLines] : [...chainLines, instantLabel(step!.step.timeUs)]);
      placeTooltip(this.tooltip, e.clientX, e.clientY);
      return;
    }
    const ep = this.episodeAt(p.x, p.y);
    if (ep >= 0) {
      const l = this.cols.episodes[ep]!.episode;
      tooltipLines(this.tooltip, [`Loop ${l.id}`, `${formatDuration(l.durationMs)}, TTL step ${l.ttlStep}`, `${l.loopedPackets} looped packets`, instantLabel(l.startUs)]);
      placeTooltip(this.tooltip, e.clientX, e.clientY);
      return;
    }
    this.tooltip.hidden = true;
  }

  private brushStart(e: PointerEvent): void {
    if (!e.shiftKey || e.button !== 0) return;
    const p = this.localPoint(e);
    this.brush = { fromX: p.x, toX: p.x };
    this.canvas.setPointerCapture(e.pointerId);
  }

  private brushEnd(e: PointerEvent): void {
    if (!this.brush) return;
    const b = this.brush;
    this.brush = null;
    this.canvas.releasePointerCapture(e.pointerId);
    if (Math.abs(b.toX - b.fromX) < 3) return this.requestRender();
    const [startUs, endUs] = this.window();
    const t = (px: number): number => startUs + (Math.max(0, Math.min(this.width, px)) / this.width) * (endUs - startUs);
    const interval: [number, number] = [t(Math.min(b.fromX, b.toX)), t(Math.max(b.fromX, b.toX))];
    this.selectInterval(interval);
  }

  /** Selects an interval: highlights it, zooms to it and tells the page (which filters the ladder). */
  selectInterval(interval: [number, number]): void {
    this.selection = interval;
    this.cb.onSelect(interval);
    this.zoomTo(interval[0], interval[1]);
  }

  private click(e: MouseEvent): void {
    if (e.shiftKey) return;
    const p = this.localPoint(e);
    const i = this.pickEvent(p.x, p.y);
    if (i >= 0) {
      this.focus(i);
      this.open();
      return;
    }
    const ep = this.episodeAt(p.x, p.y);
    if (ep >= 0) this.cb.onChooseEpisode(ep);
  }

  private focus(i: number): void {
    this.focusIndex = i;
    this.focusLane = this.laneOfIndex(i);
    // Keyboard focus may move to an event outside the window: bring it to the middle.
    const t = this.cols.events.timeUs[i]!;
    const [a, b] = this.window();
    if (t < a || t > b) this.zoomTo(t - (b - a) / 2, t + (b - a) / 2);
    const lines = this.eventLines(i);
    this.live.textContent = lines.join(', ');
    setChildren(this.detail, ...lines.map((l, k) => el(k === lines.length - 1 ? 'pre' : 'div', { class: k === 0 ? 'detail-title' : '' }, l)));
    this.requestRender();
  }

  private open(): void {
    if (this.focusIndex < 0) return;
    this.cb.onOpenEvent(this.cols.report.events[this.cols.events.eventIndex[this.focusIndex]!]!);
  }

  /** Lanes in display order (a folded group's lanes count as one stop). */
  private laneStops(): number[] {
    return this.rows.filter((r) => r.lanes.length).map((r) => r.lanes[0]!);
  }

  private key(e: KeyboardEvent): void {
    const ev = this.cols.events;
    const [startUs, endUs] = this.window();
    const mid = (startUs + endUs) / 2;
    switch (e.key) {
      case 'ArrowLeft':
      case 'ArrowRight': {
        if (this.focusIndex < 0) {
          const stops = this.laneStops();
          if (!stops.length) return;
          this.focusLane = stops[0]!;
        }
        const row = rowOfLane(this.rows, this.focusLane);
        if (!row) return;
        const t = this.focusIndex >= 0 ? ev.timeUs[this.focusIndex]! : e.key === 'ArrowRight' ? startUs : endUs;
        const next = this.neighbour(row.lanes, t, e.key === 'ArrowRight' ? 1 : -1, this.focusIndex);
        if (next >= 0) this.focus(next);
        break;
      }
      case 'ArrowUp':
      case 'ArrowDown': {
        const stops = this.laneStops();
        const row = rowOfLane(this.rows, this.focusLane);
        const at = row ? stops.indexOf(row.lanes[0]!) : -1;
        const lane = stops[Math.max(0, Math.min(stops.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
        if (lane === undefined) return;
        const target = rowOfLane(this.rows, lane)!;
        const t = this.focusIndex >= 0 ? ev.timeUs[this.focusIndex]! : mid;
        const next = this.neighbour(target.lanes, t, 0, -1);
        this.focusLane = lane;
        if (next >= 0) this.focus(next);
        break;
      }
      case 'Enter':
        this.open();
        break;
      case '+':
      case '=':
        this.canvasSel.call(this.zoomBehavior.scaleBy, 2);
        break;
      case '-':
        this.canvasSel.call(this.zoomBehavior.scaleBy, 0.5);
        break;
      case 'Escape':
        this.selection = null;
        this.cb.onSelect(null);
        this.requestRender();
        break;
      case 'Home':
        this.reset();
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  /**
   * The nearest event to time t in the given lanes: strictly after (dir 1), strictly before (-1) or either (0);
   * `current` is skipped so repeated presses advance through events at the same instant.
   */
  private neighbour(lanes: number[], t: number, dir: number, current: number): number {
    const ev = this.cols.events;
    let best = -1;
    let bestD = Infinity;
    for (const lane of lanes) {
      const a = ev.laneStart[lane]!;
      const b = ev.laneStart[lane + 1]!;
      const i = lowerBound(ev.timeUs, t, a, b);
      for (const j of [i - 2, i - 1, i, i + 1]) {
        if (j < a || j >= b || j === current) continue;
        const d = ev.timeUs[j]! - t;
        if ((dir > 0 && (d < 0 || (d === 0 && j < current))) || (dir < 0 && (d > 0 || (d === 0 && j > current)))) continue;
        if (Math.abs(d) < bestD) {
          bestD = Math.abs(d);
          best = j;
        }
      }
    }
    return best;
  }

  /** Client coordinates of a chain step as last painted (tests aim the pointer with it), or null. */
  chainStepClientPoint(chainId: string, stepIndex: number): { x: number; y: number } | null {
    const chain = this.cols.report.chains.find((c) => c.id === chainId);
    const step = chain?.steps[stepIndex];
    const p = this.stepPoints.find((s) => s.chain === chain && s.step === step);
    if (!p) return null;
    const r = this.canvas.getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }

  /** Client coordinates of a Report event's mark (tests use it to aim the pointer), or null when not drawn. */
  eventClientPoint(reportIndex: number): { x: number; y: number } | null {
    const lane = this.cols.events.laneOfEvent[reportIndex];
    if (lane === undefined || lane < 0) return null;
    const row = rowOfLane(this.rows, lane);
    if (!row) return null;
    const [startUs, endUs] = this.window();
    const r = this.canvas.getBoundingClientRect();
    const e = this.cols.report.events[reportIndex]!;
    return { x: r.left + ((e.timeUs - startUs) / (endUs - startUs)) * this.width, y: r.top + row.y + row.height / 2 };
  }

}
