/**
 * What the TTL ladder draws around the looped packets (LoopEpisode.background and .icmpMarks, computed by the
 * core): ordinary traffic as a faint band, one vertical span per pixel column from the lowest to the highest TTL
 * seen there, and ICMP time-exceeded messages as small triangles on the plot's floor (where a TTL runs out).
 * Both are a few thousand points at most, so one pass over the visible ones per frame; no DOM per point.
 */
import type { EpisodeColumns } from './columns';
import { timeToX, ttlToY, type Rect } from './ladderDraw';

export interface LadderContextStats {
  /** Background packets inside the window. */
  backgroundPoints: number;
  /** Pixel columns of the band painted. */
  backgroundColumns: number;
  /** ICMP time-exceeded marks painted. */
  icmpMarks: number;
}

export const NO_CONTEXT: LadderContextStats = { backgroundPoints: 0, backgroundColumns: 0, icmpMarks: 0 };

let columnLow = new Float64Array(0);
let columnHigh = new Float64Array(0);

/** The band behind the staircases. A TTL outside the ladder's range sits on the plot's top or bottom edge. */
export function drawBackground(ctx: CanvasRenderingContext2D, c: EpisodeColumns, r: Rect, startUs: number, endUs: number, colour: string): Pick<LadderContextStats, 'backgroundPoints' | 'backgroundColumns'> {
  const bg = c.episode.background;
  if (!bg || bg.timeUs.length === 0 || endUs <= startUs) return { backgroundPoints: 0, backgroundColumns: 0 };
  const columns = Math.max(1, Math.floor(r.width));
  if (columnLow.length < columns) {
    columnLow = new Float64Array(columns);
    columnHigh = new Float64Array(columns);
  }
  columnLow.fill(Infinity, 0, columns);
  columnHigh.fill(-Infinity, 0, columns);
  let points = 0;
  for (let i = 0; i < bg.timeUs.length; i++) {
    const t = bg.timeUs[i]!;
    if (t < startUs || t > endUs) continue;
    points++;
    const col = Math.min(columns - 1, Math.floor(timeToX(r, startUs, endUs, t) - r.x));
    const y = Math.min(r.y + r.height - 1, Math.max(r.y + 1, ttlToY(c, r, bg.ttl[i]!)));
    if (y < columnLow[col]!) columnLow[col] = y;
    if (y > columnHigh[col]!) columnHigh[col] = y;
  }
  const band = new Path2D();
  let painted = 0;
  for (let col = 0; col < columns; col++) {
    if (columnHigh[col]! < columnLow[col]!) continue;
    band.rect(r.x + col, columnLow[col]! - 1.5, 1, columnHigh[col]! - columnLow[col]! + 3);
    painted++;
  }
  ctx.save();
  ctx.globalAlpha = 0.3;
  ctx.fillStyle = colour;
  ctx.fill(band);
  ctx.restore();
  return { backgroundPoints: points, backgroundColumns: painted };
}

/** Upward triangles on the plot's floor at each time-exceeded message in the window. */
export function drawIcmpMarks(ctx: CanvasRenderingContext2D, c: EpisodeColumns, r: Rect, startUs: number, endUs: number, colour: string, size: number): number {
  const marks = c.episode.icmpMarks;
  if (!marks || marks.timeUs.length === 0 || endUs <= startUs) return 0;
  const floor = r.y + r.height;
  const path = new Path2D();
  let n = 0;
  for (const t of marks.timeUs) {
    if (t < startUs || t > endUs) continue;
    const x = timeToX(r, startUs, endUs, t);
    path.moveTo(x, floor - size);
    path.lineTo(x + size / 2, floor);
    path.lineTo(x - size / 2, floor);
    path.closePath();
    n++;
  }
  ctx.fillStyle = colour;
  ctx.fill(path);
  return n;
}
