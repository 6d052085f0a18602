/**
 * The TTL ladder of one loop episode: x = time, y = TTL. Hover shows the packet, click selects its replica
 * stream and lists the stream's sightings; arrow keys walk the sightings for keyboard users.
 */
import { select, type Selection } from 'd3-selection';
import { zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior } from 'd3-zoom';
import type { EpisodeColumns } from './columns';
import { el, fitCanvas, placeTooltip, setChildren, tooltipLines } from './dom';
import { ladderMarginUs } from './ladderWindow';
import { drawBackground, drawIcmpMarks, NO_CONTEXT, type LadderContextStats } from './ladderContextDraw';
import { drawLadder, timeToX, ttlToY, type LadderDrawStats, type Rect } from './ladderDraw';
import { lowerBound, nearestPoint, visibleRange } from './lod';
import type { Palette } from './theme';
import { instantLabel, tickCount, timeScale, timeTicks } from './timeAxis';
import { formatDuration } from '../src/host/format';

const MARGIN = { left: 40, right: 10, top: 10, bottom: 22 };
const HEIGHT = 320;
/** Rows listed for a selected stream; a stream is at most 255 sightings per direction, so this is rarely hit. */
const MAX_LISTED = 1000;

export class LadderView {
  readonly root: HTMLElement;
  private readonly header = el('div', { class: 'ladder-header' });
  private readonly canvas = el('canvas', {
    class: 'ladder-canvas',
    tabindex: '0',
    role: 'img',
    'aria-label':
      'TTL ladder: time across, TTL up. Wheel or plus/minus zooms, drag pans. Arrow keys move between sightings, Enter selects the packet, Z zooms to it, Escape clears, 0 resets the zoom.',
  });
  private readonly legend = el('div', { class: 'legend' });
  private readonly list = el('div', { class: 'sightings', 'aria-live': 'polite' });
  private readonly live = el('div', { class: 'visually-hidden', 'aria-live': 'polite' });
  private cols: EpisodeColumns | null = null;
  /** The window given by show() (the whole episode or the timeline's selection). */
  private baseStartUs = 0;
  private baseEndUs = 1;
  /** The window drawn: the base window after the ladder's own zoom and pan. */
  private startUs = 0;
  private endUs = 1;
  private readonly zoomBehavior: ZoomBehavior<HTMLCanvasElement, unknown>;
  private readonly canvasSel: Selection<HTMLCanvasElement, unknown, null, undefined>;
  private plot: Rect = { x: 0, y: 0, width: 1, height: 1 };
  private selectedStream = -1;
  /** Sighting under the keyboard cursor (index into the episode's columns), -1 = none. */
  private cursor = -1;
  stats: LadderDrawStats = { points: 0, marks: 0, detailed: false };
  /** The background band and ICMP marks of the last render. */
  contextStats: LadderContextStats = NO_CONTEXT;

  constructor(
    private palette: Palette,
    private readonly tooltip: HTMLElement,
  ) {
    this.root = el('section', { class: 'ladder', 'aria-label': 'TTL ladder' }, this.header, this.canvas, this.legend, this.list, this.live);
    this.canvas.addEventListener('pointermove', (e) => this.hover(e));
    this.canvas.addEventListener('pointerleave', () => (this.tooltip.hidden = true));
    this.canvas.addEventListener('click', (e) => this.click(e));
    this.canvas.addEventListener('keydown', (e) => this.key(e));
    this.canvasSel = select(this.canvas);
    // A loop's packet makes its 63 passes within milliseconds of a seconds-long episode: the staircases appear
    // only when zoomed in, so the ladder zooms and pans on its own (x only).
    this.zoomBehavior = zoom<HTMLCanvasElement, unknown>().on('zoom', (e: D3ZoomEvent<HTMLCanvasElement, unknown>) => {
      const base = timeScale(this.baseStartUs, this.baseEndUs, this.plot.width).range([this.plot.x, this.plot.x + this.plot.width]);
      const [a, b] = e.transform.rescaleX(base).domain();
      this.startUs = a!;
      this.endUs = b!;
      this.render();
    });
    this.canvasSel.call(this.zoomBehavior).on('dblclick.zoom', null);
    this.canvas.addEventListener('dblclick', (e) => {
      const i = this.pick(e);
      if (i >= 0) this.zoomToStream(this.cols!.stream[i]!);
      else this.resetZoom();
    });
  }

  private configureZoom(): void {
    const p = this.plot;
    const span = Math.max(1, this.baseEndUs - this.baseStartUs);
    this.zoomBehavior
      .extent([[p.x, p.y], [p.x + p.width, p.y + p.height]])
      .translateExtent([[p.x, -Infinity], [p.x + p.width, Infinity]])
      // Down to ~20 µs across the plot: consecutive passes of a fast loop are microseconds apart.
      .scaleExtent([1, Math.max(1, span / 20)]);
  }

  resetZoom(): void {
    this.canvasSel.call(this.zoomBehavior.transform, zoomIdentity);
  }

  /** Zooms to [startUs, endUs] within the base window. */
  zoomTo(startUs: number, endUs: number): void {
    this.configureZoom();
    const base = timeScale(this.baseStartUs, this.baseEndUs, this.plot.width).range([this.plot.x, this.plot.x + this.plot.width]);
    const x0 = base(Math.max(this.baseStartUs, startUs));
    const x1 = base(Math.min(this.baseEndUs, endUs));
    const k = this.plot.width / Math.max(1e-9, x1 - x0);
    this.canvasSel.call(this.zoomBehavior.transform, zoomIdentity.translate(this.plot.x, 0).scale(k).translate(-x0, 0));
  }

  /** Zooms to one packet's sightings (with a margin), so its staircase is readable. */
  private zoomToStream(stream: number): void {
    const c = this.cols;
    if (!c || stream < 0 || stream >= c.streamStart.length - 1) return;
    const a = c.timeUs[c.byStream[c.streamStart[stream]!]!]!;
    const b = c.timeUs[c.byStream[c.streamStart[stream + 1]! - 1]!]!;
    const pad = Math.max(5, (b - a) * 0.1);
    this.select(stream);
    this.zoomTo(a - pad, b + pad);
  }

  setPalette(p: Palette): void {
    this.palette = p;
    this.render();
  }

  /** Shows `cols` within [startUs, endUs] (the timeline's selection, or the whole episode). */
  show(cols: EpisodeColumns | null, startUs?: number, endUs?: number): void {
    if (cols !== this.cols) {
      this.selectedStream = -1;
      this.cursor = -1;
      setChildren(this.list);
    }
    this.cols = cols;
    if (cols) {
      const pad = ladderMarginUs(cols.episode.startUs, cols.episode.endUs);
      this.baseStartUs = this.startUs = startUs ?? cols.episode.startUs - pad;
      this.baseEndUs = this.endUs = endUs ?? cols.episode.endUs + pad;
    }
    this.describe();
    this.layoutPlot();
    this.configureZoom();
    // A new window starts unzoomed; the zoom event paints.
    this.resetZoom();
  }

  private describe(): void {
    const c = this.cols;
    if (!c) {
      setChildren(this.header, el('p', { class: 'empty' }, 'No loop episode in this Report.'));
      setChildren(this.legend);
      return;
    }
    const e = c.episode;
    const facts = [
      `${e.id}: ${formatDuration(e.durationMs)}, TTL step ${e.ttlStep}`,
      `${e.loopedPackets} looped packets, ${e.sightings} sightings (max ${e.maxReplicas} per packet)`,
      `${e.icmpTimeExceeded} ICMP time-exceeded`,
      e.routers.length ? `routers ${e.routers.join(', ')}` : '',
      e.destinationPrefixes.length ? `to ${e.destinationPrefixes.join(', ')}` : '',
      e.ladder.truncated ? 'sightings truncated (cap reached)' : '',
    ].filter(Boolean);
    setChildren(this.header, el('h2', {}, `Loop ${e.id}`), el('p', {}, facts.join(' · ')));
    setChildren(
      this.legend,
      ...e.macPairs.map((m, d) => {
        const swatch = el('span', { class: 'swatch' });
        swatch.style.background = this.colour(d);
        return el('span', { class: 'legend-item' }, swatch, `${m.srcMac} → ${m.dstMac} (${m.sightings})`);
      }),
      ...this.contextLegend(e),
    );
  }

  /** Legend entries for the background band and the ICMP marks, when the episode has them. */
  private contextLegend(e: EpisodeColumns['episode']): HTMLElement[] {
    const out: HTMLElement[] = [];
    const bg = e.background;
    if (bg && bg.timeUs.length > 0) {
      const swatch = el('span', { class: 'swatch' });
      swatch.style.background = this.palette.ladderBackground;
      swatch.style.opacity = '0.3';
      out.push(el('span', { class: 'legend-item' }, swatch, `other traffic to these destinations (${bg.timeUs.length}${bg.truncated ? ', sampled' : ''})`));
    }
    const marks = e.icmpMarks;
    if (marks && marks.timeUs.length > 0) {
      // The same upward triangle as on the plot, made of borders (styles set through the CSSOM pass the CSP).
      const swatch = el('span', { class: 'swatch' });
      Object.assign(swatch.style, { width: '0', height: '0', borderLeft: '5px solid transparent', borderRight: '5px solid transparent', borderBottom: `10px solid ${this.palette.icmpMark}` });
      out.push(el('span', { class: 'legend-item' }, swatch, `ICMP time-exceeded (${marks.timeUs.length})`));
    }
    return out;
  }

  private colour(direction: number): string {
    const d = this.palette.directions;
    return d[direction % d.length]!;
  }

  private layoutPlot(): number {
    const width = this.root.clientWidth || 600;
    this.plot = { x: MARGIN.left, y: MARGIN.top, width: width - MARGIN.left - MARGIN.right, height: HEIGHT - MARGIN.top - MARGIN.bottom };
    return width;
  }

  render(): void {
    const width = this.layoutPlot();
    const { ctx } = fitCanvas(this.canvas, width, HEIGHT);
    this.configureZoom();
    const c = this.cols;
    if (!c) {
      this.stats = { points: 0, marks: 0, detailed: false };
      this.contextStats = NO_CONTEXT;
      return;
    }
    this.drawAxes(ctx, c);
    ctx.save();
    ctx.beginPath();
    ctx.rect(this.plot.x, this.plot.y, this.plot.width, this.plot.height);
    ctx.clip();
    const colours = this.palette.directions.slice(0, Math.max(1, c.episode.macPairs.length));
    const band = drawBackground(ctx, c, this.plot, this.startUs, this.endUs, this.palette.ladderBackground);
    this.stats = drawLadder(ctx, c, this.plot, this.startUs, this.endUs, colours, 4);
    this.contextStats = { ...band, icmpMarks: drawIcmpMarks(ctx, c, this.plot, this.startUs, this.endUs, this.palette.icmpMark, 7) };
    this.drawSelection(ctx, c);
    ctx.restore();
    this.canvas.dataset.points = String(this.stats.points);
    this.canvas.dataset.marks = String(this.stats.marks);
    this.canvas.dataset.backgroundPoints = String(this.contextStats.backgroundPoints);
    this.canvas.dataset.icmpMarks = String(this.contextStats.icmpMarks);
  }

  private drawAxes(ctx: CanvasRenderingContext2D, c: EpisodeColumns): void {
    const p = this.plot;
    ctx.font = this.palette.font;
    ctx.fillStyle = this.palette.muted;
    ctx.strokeStyle = this.palette.grid;
    ctx.lineWidth = 1;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    const step = Math.max(1, Math.ceil((c.maxTtl - c.minTtl + 1) / (p.height / 18)));
    for (let t = c.minTtl; t <= c.maxTtl; t += step) {
      const y = Math.round(ttlToY(c, p, t)) + 0.5;
      ctx.fillText(String(t), p.x - 6, y);
      ctx.beginPath();
      ctx.moveTo(p.x, y);
      ctx.lineTo(p.x + p.width, y);
      ctx.globalAlpha = 0.3;
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const tick of timeTicks(this.startUs, this.endUs, tickCount(ctx, p.width))) {
      const x = Math.round(timeToX(p, this.startUs, this.endUs, tick.us)) + 0.5;
      ctx.fillText(tick.label, x, p.y + p.height + 4);
    }
    ctx.save();
    ctx.translate(10, p.y + p.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText('TTL', 0, -6);
    ctx.restore();
  }

  private drawSelection(ctx: CanvasRenderingContext2D, c: EpisodeColumns): void {
    const x = (i: number): number => timeToX(this.plot, this.startUs, this.endUs, c.timeUs[i]!);
    const y = (i: number): number => ttlToY(c, this.plot, c.ttl[i]!);
    if (this.selectedStream >= 0) {
      ctx.strokeStyle = this.palette.focus;
      ctx.fillStyle = this.palette.focus;
      ctx.lineWidth = 2;
      ctx.beginPath();
      for (let k = c.streamStart[this.selectedStream]!; k < c.streamStart[this.selectedStream + 1]!; k++) {
        const i = c.byStream[k]!;
        ctx.moveTo(x(i) + 4, y(i));
        ctx.arc(x(i), y(i), 4, 0, Math.PI * 2);
      }
      ctx.stroke();
    }
    if (this.cursor >= 0) {
      ctx.strokeStyle = this.palette.focus;
      ctx.lineWidth = 2;
      ctx.strokeRect(x(this.cursor) - 6, y(this.cursor) - 6, 12, 12);
    }
  }

  /** The sighting nearest to a pointer position, -1 when none within 8 px. */
  private pick(e: MouseEvent): number {
    const c = this.cols;
    if (!c) return -1;
    const rect = this.canvas.getBoundingClientRect();
    const px = e.clientX - rect.left;
    const py = e.clientY - rect.top;
    const [from, to] = visibleRange(c.timeUs, { startUs: this.startUs, endUs: this.endUs, columns: 1 });
    const usPerPx = (this.endUs - this.startUs) / this.plot.width;
    return nearestPoint(
      c.timeUs,
      from,
      to,
      px - this.plot.x,
      py,
      8,
      usPerPx,
      (i) => timeToX(this.plot, this.startUs, this.endUs, c.timeUs[i]!) - this.plot.x,
      (i) => ttlToY(c, this.plot, c.ttl[i]!),
      this.startUs,
    );
  }

  /** Tooltip text of a sighting: the packet, its TTL, and how long after the packet's first sighting. */
  describeSighting(i: number): string[] {
    const c = this.cols!;
    const s = c.stream[i]!;
    const stream = c.episode.streams[s];
    const first = s >= 0 && c.streamStart[s + 1]! > c.streamStart[s]! ? c.timeUs[c.byStream[c.streamStart[s]!]!]! : c.timeUs[i]!;
    const mac = c.episode.macPairs[c.direction[i]!];
    const lines = [`Frame ${c.frame[i]}`];
    if (stream) {
      const port = (p?: number): string => (p === undefined ? '' : `:${p}`);
      lines.push(`${stream.src}${port(stream.srcPort)} → ${stream.dst}${port(stream.dstPort)} (protocol ${stream.protocol})`);
      lines.push(stream.ipId === null ? 'no IP ID (IPv6)' : `IP ID ${stream.ipId} (0x${stream.ipId.toString(16).padStart(4, '0')})`);
    }
    lines.push(`TTL ${c.ttl[i]}`);
    lines.push(`${formatDuration((c.timeUs[i]! - first) / 1000)} since first sighting`);
    if (mac) lines.push(`${mac.srcMac} → ${mac.dstMac}`);
    lines.push(instantLabel(c.timeUs[i]!));
    return lines;
  }

  private hover(e: PointerEvent): void {
    const i = this.pick(e);
    if (i < 0) {
      this.tooltip.hidden = true;
      return;
    }
    tooltipLines(this.tooltip, this.describeSighting(i));
    placeTooltip(this.tooltip, e.clientX, e.clientY);
  }

  private click(e: MouseEvent): void {
    const i = this.pick(e);
    this.cursor = i;
    this.select(i < 0 ? -1 : this.cols!.stream[i]!);
  }

  private select(stream: number): void {
    const c = this.cols;
    this.selectedStream = c && stream >= 0 && stream < c.streamStart.length - 1 ? stream : -1;
    this.render();
    if (!c || this.selectedStream < 0) {
      setChildren(this.list);
      return;
    }
    const a = c.streamStart[this.selectedStream]!;
    const b = c.streamStart[this.selectedStream + 1]!;
    const first = c.timeUs[c.byStream[a]!]!;
    const rows: HTMLElement[] = [];
    for (let k = a; k < Math.min(b, a + MAX_LISTED); k++) {
      const i = c.byStream[k]!;
      const mac = c.episode.macPairs[c.direction[i]!];
      rows.push(
        el('tr', {}, el('td', {}, String(c.frame[i])), el('td', {}, `+${formatDuration((c.timeUs[i]! - first) / 1000)}`), el('td', {}, String(c.ttl[i])), el('td', {}, mac ? `${mac.srcMac} → ${mac.dstMac}` : '?')),
      );
    }
    const head = el('tr', {}, el('th', {}, 'Frame'), el('th', {}, 'Since first'), el('th', {}, 'TTL'), el('th', {}, 'Direction'));
    const title = this.describeSighting(c.byStream[a]!).slice(1, 3).join(', ');
    setChildren(
      this.list,
      el('h3', {}, `Packet: ${title} — ${b - a} sightings`),
      el('table', { class: 'sightings-table' }, el('thead', {}, head), el('tbody', {}, ...rows)),
      b - a > MAX_LISTED ? el('p', {}, `… ${b - a - MAX_LISTED} more`) : '',
    );
  }

  private key(e: KeyboardEvent): void {
    const c = this.cols;
    if (!c) return;
    const [from, to] = visibleRange(c.timeUs, { startUs: this.startUs, endUs: this.endUs, columns: 1 });
    if (to <= from) return;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const next = this.cursor < 0 ? from : this.cursor + (e.key === 'ArrowRight' ? 1 : -1);
      this.cursor = Math.min(to - 1, Math.max(from, next));
    } else if (e.key === 'Home') this.cursor = from;
    else if (e.key === 'End') this.cursor = to - 1;
    else if (e.key === 'Enter' && this.cursor >= 0) return void this.select(c.stream[this.cursor]!);
    else if ((e.key === 'z' || e.key === 'Z') && this.cursor >= 0) return void this.zoomToStream(c.stream[this.cursor]!);
    else if (e.key === '+' || e.key === '=') return void this.canvasSel.call(this.zoomBehavior.scaleBy, 2);
    else if (e.key === '-') return void this.canvasSel.call(this.zoomBehavior.scaleBy, 0.5);
    else if (e.key === '0') return void this.resetZoom();
    else if (e.key === 'Escape') {
      this.cursor = -1;
      this.tooltip.hidden = true;
      return void this.select(-1);
    } else return;
    e.preventDefault();
    this.render();
    const lines = this.describeSighting(this.cursor);
    this.live.textContent = lines.join(', ');
    tooltipLines(this.tooltip, lines);
    const rect = this.canvas.getBoundingClientRect();
    placeTooltip(this.tooltip, rect.left + timeToX(this.plot, this.startUs, this.endUs, c.timeUs[this.cursor]!), rect.top + ttlToY(c, this.plot, c.ttl[this.cursor]!));
  }

  /** Index of the first sighting at or after `us` (tests and the benchmark use it to aim the pointer). */
  firstSightingAt(us: number): number {
    return this.cols ? lowerBound(this.cols.timeUs, us) : -1;
  }

  /** Pixel position (client coordinates) of a sighting, for tests. */
  sightingClientPoint(i: number): { x: number; y: number } | null {
    const c = this.cols;
    if (!c || i < 0 || i >= c.timeUs.length) return null;
    const rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + timeToX(this.plot, this.startUs, this.endUs, c.timeUs[i]!), y: rect.top + ttlToY(c, this.plot, c.ttl[i]!) };
  }
}
