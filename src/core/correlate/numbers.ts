/** Small numeric helpers that never spread an array into arguments (a 100k-event outage would overflow the stack). */

export function minOf<T>(items: Iterable<T>, value: (x: T) => number): number {
  let m = Number.POSITIVE_INFINITY;
  for (const x of items) {
    const v = value(x);
    if (v < m) m = v;
  }
  return m;
}

export function maxOf<T>(items: Iterable<T>, value: (x: T) => number): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const x of items) {
    const v = value(x);
    if (v > m) m = v;
  }
  return m;
}

/** For minOf/maxOf over plain numbers. */
export const identity = (x: number): number => x;

/** Median (mean of the two middle values for an even count); 0 for none. */
export function median(values: readonly number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
