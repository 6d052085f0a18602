/**
 * Level-of-detail aggregation: a million points become at most one mark per pixel column and row.
 * Everything here works on typed arrays sorted by time and writes into caller-owned buffers, so a frame
 * allocates nothing proportional to the data. Pure functions, unit-tested under Node.
 */

/** First index i in [lo, hi) with sorted[i] >= value (hi when none). */
export function lowerBound(sorted: ArrayLike<number>, value: number, lo = 0, hi = sorted.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A time window mapped onto `columns` pixel columns: column = floor((t - startUs) * columns / (endUs - startUs)). */
export interface PixelWindow {
  startUs: number;
  endUs: number;
  columns: number;
}

/** The index range [from, to) of a sorted time column inside the window (both ends inclusive in time). */
export function visibleRange(timeUs: Float64Array, w: PixelWindow, lo = 0, hi = timeUs.length): [number, number] {
  const from = lowerBound(timeUs, w.startUs, lo, hi);
  let to = lowerBound(timeUs, w.endUs, from, hi);
  while (to < hi && timeUs[to] === w.endUs) to++;
  return [from, to];
}

function columnScale(w: PixelWindow): number {
  const span = w.endUs - w.startUs;
  return span > 0 ? w.columns / span : 0;
}

/**
 * The ladder's occupancy grid: `grid[column * rows + (ttl - minTtl)]` gets bit `direction & 7` set for every
 * sighting in [from, to). `grid` must hold columns * rows bytes; it is cleared first. Returns how many sightings
 * were binned (those inside the window and the TTL range).
 */
export function binLadder(
  timeUs: Float64Array,
  ttl: Uint8Array,
  direction: Uint8Array,
  from: number,
  to: number,
  w: PixelWindow,
  minTtl: number,
  rows: number,
  grid: Uint8Array,
): number {
  const cells = w.columns * rows;
  grid.fill(0, 0, cells);
  const k = columnScale(w);
  const last = w.columns - 1;
  let binned = 0;
  for (let i = from; i < to; i++) {
    const t = timeUs[i]!;
    if (t < w.startUs || t > w.endUs) continue;
    const row = ttl[i]! - minTtl;
    if (row < 0 || row >= rows) continue;
    let col = ((t - w.startUs) * k) | 0;
    if (col > last) col = last;
    grid[col * rows + row]! |= 1 << (direction[i]! & 7);
    binned++;
  }
  return binned;
}

/**
 * Event marks per (lane, column): `cells[lane * columns + column]` keeps the highest `rank` among the events
 * that fall there (0 = empty), `counts` how many. Events are given lane by lane: `laneStart[l]..laneStart[l+1]`
 * indexes `timeUs`/`rank`, each lane sorted by time. Returns how many events were binned.
 */
export function binLanes(
  timeUs: Float64Array,
  rank: Uint8Array,
  laneStart: Uint32Array,
  w: PixelWindow,
  cells: Uint8Array,
  counts: Uint32Array,
): number {
  const lanes = laneStart.length - 1;
  const size = lanes * w.columns;
  cells.fill(0, 0, size);
  counts.fill(0, 0, size);
  const k = columnScale(w);
  const last = w.columns - 1;
  let binned = 0;
  for (let lane = 0; lane < lanes; lane++) {
    const [from, to] = visibleRange(timeUs, w, laneStart[lane]!, laneStart[lane + 1]!);
    const base = lane * w.columns;
    for (let i = from; i < to; i++) {
      let col = ((timeUs[i]! - w.startUs) * k) | 0;
      if (col > last) col = last;
      const c = base + col;
      if (rank[i]! > cells[c]!) cells[c] = rank[i]!;
      counts[c]!++;
    }
    binned += to - from;
  }
  return binned;
}

/**
 * A histogram of [from, to) per column (`out[column]` = count); with `values`, the column's maximum value instead.
 * Returns the largest column value (for scaling bars).
 */
export function binColumns(
  timeUs: Float64Array,
  w: PixelWindow,
  out: Float64Array,
  values?: Float64Array,
): number {
  out.fill(0, 0, w.columns);
  const [from, to] = visibleRange(timeUs, w);
  const k = columnScale(w);
  const last = w.columns - 1;
  let max = 0;
  for (let i = from; i < to; i++) {
    let col = ((timeUs[i]! - w.startUs) * k) | 0;
    if (col > last) col = last;
    const v = values ? Math.max(out[col]!, values[i]!) : out[col]! + 1;
    out[col] = v;
    if (v > max) max = v;
  }
  return max;
}

/**
 * Nearest point to (x, y) in pixels among [from, to), within `radius` px; -1 when none. `xOf`/`yOf` map a
 * point index to pixels. Only the points whose time lies within the radius are scanned (binary search), so a
 * hover over a dense column costs that column, not the episode.
 */
export function nearestPoint(
  timeUs: Float64Array,
  from: number,
  to: number,
  x: number,
  y: number,
  radius: number,
  usPerPx: number,
  xOf: (i: number) => number,
  yOf: (i: number) => number,
  startUs: number,
): number {
  const t = startUs + x * usPerPx;
  const lo = lowerBound(timeUs, t - radius * usPerPx, from, to);
  const hi = lowerBound(timeUs, t + radius * usPerPx + 1e-9, lo, to);
  let best = -1;
  let bestD = radius * radius;
  for (let i = lo; i < hi; i++) {
    const dx = xOf(i) - x;
    const dy = yOf(i) - y;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}
