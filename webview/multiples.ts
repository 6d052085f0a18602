/**
 * Small multiples: one small ladder per loop episode, so a Report with dozens of loops reads at a glance.
 * Each is a button (keyboard reachable); choosing one shows it in the big ladder.
 */
import type { EpisodeColumns } from './columns';
import { el, fitCanvas, setChildren } from './dom';
import { drawBackground, drawIcmpMarks } from './ladderContextDraw';
import { drawLadder } from './ladderDraw';
import { ladderMarginUs } from './ladderWindow';
import type { Palette } from './theme';
import { formatDuration } from '../src/host/format';

/** Beyond this many episodes the overview lists the rest by name only (each small ladder is a canvas). */
export const MAX_MULTIPLES = 120;
/** Time spent drawing small ladders per animation frame, so the page stays responsive while they appear. */
const FRAME_BUDGET_MS = 8;
const W = 168;
const H = 56;

export class MultiplesView {
  readonly root = el('section', { class: 'multiples', 'aria-label': 'Loop episodes' });
  drawnEpisodes = 0;
  /** Background-band packets and ICMP marks drawn over all small ladders (for tests). */
  drawnBackground = 0;
  drawnIcmpMarks = 0;
  drawnPoints = 0;
  /** All small ladders of the last render are drawn. */
  complete = false;
  private generation = 0;
  private buttons: HTMLButtonElement[] = [];

  constructor(
    private palette: Palette,
    private readonly onChoose: (index: number) => void,
  ) {}

  setPalette(p: Palette, episodes: EpisodeColumns[], selected: number, windowUs?: [number, number], onDone?: () => void): void {
    this.palette = p;
    this.render(episodes, selected, windowUs, onDone);
  }

  /**
   * Lays out one button per episode and draws their small ladders progressively, a few per animation frame
   * (a million sightings spread over many episodes would otherwise delay the first paint). `onDone` runs when
   * every small ladder is drawn.
   */
  render(episodes: EpisodeColumns[], selected: number, windowUs?: [number, number], onDone?: () => void): void {
    this.root.hidden = episodes.length < 2;
    this.buttons = [];
    this.drawnEpisodes = 0;
    this.drawnPoints = 0;
    this.drawnBackground = 0;
    this.drawnIcmpMarks = 0;
    this.complete = false;
    const generation = ++this.generation;
    const items: HTMLElement[] = [];
    const pending: (() => void)[] = [];
    (this.root.hidden ? [] : episodes.slice(0, MAX_MULTIPLES)).forEach((c, index) => {
      const e = c.episode;
      const canvas = el('canvas', { 'aria-hidden': 'true' });
      const outside = windowUs !== undefined && (e.endUs < windowUs[0] || e.startUs > windowUs[1]);
      const button = el(
        'button',
        { class: `multiple${index === selected ? ' selected' : ''}${outside ? ' outside' : ''}`, 'aria-pressed': String(index === selected), title: `${e.id}: ${e.start} – ${e.end}` },
        canvas,
        el('span', { class: 'multiple-label' }, `${e.id} · ${formatDuration(e.durationMs)} · step ${e.ttlStep} · ${e.loopedPackets} pkts`),
      );
      button.addEventListener('click', () => this.onChoose(index));
      button.addEventListener('keydown', (ev) => this.arrow(ev, index));
      this.buttons.push(button);
      items.push(button);
      fitCanvas(canvas, W, H);
      pending.push(() => {
        const { ctx } = fitCanvas(canvas, W, H);
        // The same window and layers as the big ladder opens with: the ordinary traffic's band behind, the
        // staircases, the ICMP time-exceeded marks on the floor.
        const pad = ladderMarginUs(e.startUs, e.endUs);
        const rect = { x: 0, y: 0, width: W, height: H };
        const band = drawBackground(ctx, c, rect, e.startUs - pad, e.endUs + pad, this.palette.ladderBackground);
        const stats = drawLadder(ctx, c, rect, e.startUs - pad, e.endUs + pad, this.palette.directions.slice(0, Math.max(1, e.macPairs.length)), 2);
        const marks = drawIcmpMarks(ctx, c, rect, e.startUs - pad, e.endUs + pad, this.palette.icmpMark, 4);
        this.drawnEpisodes++;
        this.drawnPoints += stats.points;
        this.drawnBackground += band.backgroundPoints;
        this.drawnIcmpMarks += marks;
      });
    });
    if (episodes.length > MAX_MULTIPLES && !this.root.hidden) {
      items.push(el('p', { class: 'more' }, `${episodes.length - MAX_MULTIPLES} more episodes: select an interval on the timeline to reach them.`));
    }
    setChildren(this.root, el('h2', {}, `Loop episodes (${episodes.length})`), el('div', { class: 'multiples-grid' }, ...items));
    const drawSome = (): void => {
      if (generation !== this.generation) return;
      const until = performance.now() + FRAME_BUDGET_MS;
      while (pending.length && performance.now() < until) pending.shift()!();
      if (pending.length) requestAnimationFrame(drawSome);
      else {
        this.complete = true;
        onDone?.();
      }
    };
    drawSome();
  }

  private arrow(ev: KeyboardEvent, index: number): void {
    const step = ev.key === 'ArrowRight' || ev.key === 'ArrowDown' ? 1 : ev.key === 'ArrowLeft' || ev.key === 'ArrowUp' ? -1 : 0;
    if (!step) return;
    ev.preventDefault();
    this.buttons[Math.min(this.buttons.length - 1, Math.max(0, index + step))]?.focus();
  }
}
