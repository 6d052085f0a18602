/** Time helpers for the correlator: ISO instants to microseconds, timestamp precision, sorted-array search. */
import type { EpochMicros, IsoInstant } from '../model/time';
import type { LogEvent } from '../model/events';

const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/** Exact microseconds of a Report instant ("...T10:00:01.123456789Z"); null when it is not one. */
export function microsFromIso(iso: IsoInstant | null | undefined): EpochMicros | null {
  if (!iso) return null;
  const m = ISO.exec(iso);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(ms)) return null;
  const frac = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return ms * 1000 + Number(frac);
}

export const US_PER_MS = 1000;
export const US_PER_S = 1_000_000;

/**
 * How far an event's instant may be from the real moment because of how the line wrote it: a whole-second stamp
 * ("2026/11/24 10:00:01") may be up to 1 s early; a stamp with a fraction of a second is taken as precise to
 * `preciseToleranceUs` (clock skew between the hosts of one lab or cluster).
 */
export function timeToleranceUs(e: LogEvent, preciseToleranceUs: number): number {
  const t = e.timeText;
  if (/\d{2}:\d{2}:\d{2}[.,:]\d/.test(t)) return preciseToleranceUs;
  if (/^\d{13,}$/.test(t.trim())) return preciseToleranceUs; // epoch ms/µs/ns (journald JSON)
  if (/^\d{9,}[.,]\d+$/.test(t.trim())) return preciseToleranceUs; // epoch seconds with a fraction
  if (/T\d{2}:\d{2}:\d{2}\.\d/.test(t)) return preciseToleranceUs;
  return US_PER_S;
}

/** First index i with values[i] >= x in an ascending array (values.length when none). */
export function lowerBound(values: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** [start, end] intervals in µs, merged and sorted. */
export interface Interval {
  start: EpochMicros;
  end: EpochMicros;
}

export function mergeIntervals(list: Interval[], gapUs = 0): Interval[] {
  const sorted = [...list].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && iv.start <= last.end + gapUs) last.end = Math.max(last.end, iv.end);
    else out.push({ start: iv.start, end: iv.end });
  }
  return out;
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Total length of the parts of `a` inside any of the (merged, sorted) intervals `within`. */
export function overlapLength(a: Interval, within: Interval[]): number {
  let sum = 0;
  for (const w of within) {
    const s = Math.max(a.start, w.start);
    const e = Math.min(a.end, w.end);
    if (e > s) sum += e - s;
  }
  return sum;
}

/** Sorts in place by time, ascending; returns the list. */
export function byTime<T extends { timeUs: number }>(list: T[]): T[] {
  return list.sort((a, b) => a.timeUs - b.timeUs);
}
