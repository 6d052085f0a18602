/**
 * Drawing one episode's sightings into a rectangle of a canvas: the aggregated grid (one mark per pixel column
 * and TTL, coloured by direction) when there are many, individual points joined into per-stream staircases when
 * few. Shared by the big ladder and the small multiples.
 */
import type { EpisodeColumns } from './columns';
import { binLadder, visibleRange } from './lod';
import { PixelLayer, pixelColour } from './pixelLayer';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Up to this many visible sightings are drawn one by one with their staircases; above, per pixel. */
export const DETAIL_LIMIT = 20_000;

export interface LadderDrawStats {
  /** Sightings inside the window (each drawn or aggregated into a mark). */
  points: number;
  /** Marks actually painted (pixel cells in aggregated mode, points in detailed mode). */
  marks: number;
  detailed: boolean;
}

let gridBuffer = new Uint8Array(0);
let layer: PixelLayer | null = null;

function grid(size: number): Uint8Array {
  if (gridBuffer.length < size) gridBuffer = new Uint8Array(size);
  return gridBuffer;
}

/** TTL -> y inside the rectangle; the highest TTL at the top. */
export function ttlToY(c: EpisodeColumns, r: Rect, ttl: number): number {
  const lo = c.minTtl - 1;
  const hi = c.maxTtl + 1;
  return r.y + ((hi - ttl) / (hi - lo)) * r.height;
}

export function timeToX(r: Rect, startUs: number, endUs: number, t: number): number {
  return r.x + ((t - startUs) / (endUs - startUs)) * r.width;
}

export function drawLadder(
  ctx: CanvasRenderingContext2D,
  c: EpisodeColumns,
  r: Rect,
  startUs: number,
  endUs: number,
  colours: string[],
  pointSize: number,
): LadderDrawStats {
  const [from, to] = visibleRange(c.timeUs, { startUs, endUs, columns: 1 });
  const points = to - from;
  if (points === 0 || endUs <= startUs) return { points: 0, marks: 0, detailed: false };
  if (points <= DETAIL_LIMIT && r.width > 200) return drawDetailed(ctx, c, r, startUs, endUs, colours, pointSize, from, to);
  const columns = Math.max(1, Math.floor(r.width));
  const rows = c.maxTtl - c.minTtl + 1;
  const g = grid(columns * rows);
  binLadder(c.timeUs, c.ttl, c.direction, from, to, { startUs, endUs, columns }, c.minTtl, rows, g);
  const rowH = r.height / (rows + 2);
  const h = Math.max(1, Math.min(pointSize, rowH));
  const pix = colours.map(pixelColour);
  layer ??= new PixelLayer();
  layer.begin(r.width, r.height);
  let marks = 0;
  for (let col = 0; col < columns; col++) {
    const base = col * rows;
    for (let row = 0; row < rows; row++) {
      const bits = g[base + row]!;
      if (bits === 0) continue;
      const y = ttlToY(c, r, row + c.minTtl) - r.y - h / 2;
      for (let d = 0; d < 8; d++) {
        if (bits & (1 << d)) {
          layer.rect(col, y, 1, h, pix[d % pix.length]!);
          marks++;
        }
      }
    }
  }
  layer.end(ctx, r.x, r.y);
  return { points, marks, detailed: false };
}

function drawDetailed(
  ctx: CanvasRenderingContext2D,
  c: EpisodeColumns,
  r: Rect,
  startUs: number,
  endUs: number,
  colours: string[],
  pointSize: number,
  from: number,
  to: number,
): LadderDrawStats {
  const x = (t: number): number => timeToX(r, startUs, endUs, t);
  const y = (ttl: number): number => ttlToY(c, r, ttl);
  // Staircases: each stream, each direction, step-after lines between consecutive sightings.
  const lines = colours.map(() => new Path2D());
  const streams = c.streamStart.length - 1;
  for (let s = 0; s < streams; s++) {
    const a = c.streamStart[s]!;
    const b = c.streamStart[s + 1]!;
    if (b - a < 2) continue;
    if (c.timeUs[c.byStream[b - 1]!]! < startUs || c.timeUs[c.byStream[a]!]! > endUs) continue;
    const lastOfDir = new Map<number, number>();
    for (let k = a; k < b; k++) {
      const i = c.byStream[k]!;
      const d = c.direction[i]!;
      const prev = lastOfDir.get(d);
      lastOfDir.set(d, i);
      if (prev === undefined) continue;
      const p = lines[d % lines.length]!;
      p.moveTo(x(c.timeUs[prev]!), y(c.ttl[prev]!));
      p.lineTo(x(c.timeUs[i]!), y(c.ttl[prev]!));
      p.lineTo(x(c.timeUs[i]!), y(c.ttl[i]!));
    }
  }
  ctx.save();
  ctx.globalAlpha = 0.45;
  ctx.lineWidth = 1;
  lines.forEach((p, d) => {
    ctx.strokeStyle = colours[d]!;
    ctx.stroke(p);
  });
  ctx.restore();
  const dots = colours.map(() => new Path2D());
  const half = pointSize / 2;
  for (let i = from; i < to; i++) dots[c.direction[i]! % dots.length]!.rect(x(c.timeUs[i]!) - half, y(c.ttl[i]!) - half, pointSize, pointSize);
  dots.forEach((p, d) => {
    ctx.fillStyle = colours[d]!;
    ctx.fill(p);
  });
  return { points: to - from, marks: to - from, detailed: true };
}
