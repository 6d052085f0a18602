/**
 * Time ticks for the axes. Report instants are epoch microseconds; d3's UTC time scale picks calendar-aligned
 * ticks and labels down to milliseconds, and below that a linear scale over microseconds takes over
 * (loops step every few hundred µs, so a zoomed ladder needs sub-millisecond ticks).
 */
import { scaleLinear, scaleUtc } from 'd3-scale';
import { utcFormat } from 'd3-time-format';

export interface Tick {
  us: number;
  label: string;
}

const clockMs = utcFormat('%H:%M:%S.%L');
const clockS = utcFormat('%H:%M:%S');
const clockMin = utcFormat('%H:%M');
const dayMinute = utcFormat('%b %d %H:%M');

/** Below this span the UTC scale would repeat millisecond labels. */
const SUB_MS_SPAN_US = 20_000;

export function timeTicks(startUs: number, endUs: number, count: number): Tick[] {
  if (!(endUs > startUs) || count < 1) return [];
  if (endUs - startUs >= SUB_MS_SPAN_US) {
    const ticks = scaleUtc().domain([new Date(startUs / 1000), new Date(endUs / 1000)]).ticks(count);
    // Every label complete at the precision of the tick step (d3's contextual ".500" labels read ambiguously here).
    const stepMs = ticks.length > 1 ? ticks[1]!.getTime() - ticks[0]!.getTime() : 1;
    const format = stepMs < 1000 ? clockMs : stepMs < 60_000 ? clockS : endUs - startUs > 86_400e6 ? dayMinute : clockMin;
    return ticks.map((d) => ({ us: d.getTime() * 1000, label: format(d) }));
  }
  return scaleLinear()
    .domain([startUs, endUs])
    .ticks(count)
    .map((us) => ({ us, label: microLabel(us) }));
}

/** How many ticks fit across `width` px when each label is as wide as the widest form (µs) plus a gap. */
export function tickCount(ctx: CanvasRenderingContext2D, width: number): number {
  return Math.max(2, Math.floor(width / (ctx.measureText('00:00:00.000000').width + 28)));
}

/** "10:00:01.123456" */
export function microLabel(us: number): string {
  const ms = Math.floor(us / 1000);
  const micro = Math.round(us - ms * 1000);
  return `${clockMs(new Date(ms))}${String(micro).padStart(3, '0')}`;
}

/** The full UTC instant of a time, for tooltips: "2026-11-24 10:00:01.123456 UTC". */
export function instantLabel(us: number): string {
  const ms = Math.floor(us / 1000);
  return `${utcFormat('%Y-%m-%d')(new Date(ms))} ${microLabel(us)} UTC`;
}

/** A linear map from epoch µs to pixels over a window (what every view draws with). */
export function timeScale(startUs: number, endUs: number, width: number) {
  return scaleLinear().domain([startUs, endUs]).range([0, width]);
}
