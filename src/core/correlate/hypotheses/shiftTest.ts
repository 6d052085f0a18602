/**
 * Could the windows catch this much of a series at any offset? The windows are shifted together by a random
 * offset, circularly over the series' span (keeping their lengths and spacing), and the series' sum inside them
 * is compared with the real one. p = (1 + #{shifted sum >= real sum}) / (1 + permutations).
 * Bursts that recur regardless of the windows (a periodic sidecar) fill shifted windows as often as the real
 * ones: p stays high. Throttling that comes with the timeouts fills only the real windows: p is small.
 */
import { lowerBound, type Interval } from '../time';

export function windowShiftTest(
  times: number[],
  values: number[],
  span: Interval,
  windows: Interval[],
  random: () => number,
  permutations: number,
): number {
  const prefix = new Float64Array(values.length + 1);
  values.forEach((v, i) => (prefix[i + 1] = prefix[i]! + v));
  // Samples at or after `start` and at or before `end` (times are integer µs).
  const sumIn = (start: number, end: number) => prefix[lowerBound(times, end + 1)]! - prefix[lowerBound(times, start)]!;
  const length = span.end - span.start;
  const observed = windows.reduce((s, w) => s + sumIn(w.start, w.end), 0);
  let asHigh = 0;
  for (let p = 0; p < permutations; p++) {
    const shift = random() * length;
    let sum = 0;
    for (const w of windows) {
      let start = w.start + shift;
      let end = w.end + shift;
      if (start > span.end) {
        start -= length;
        end -= length;
      }
      if (end > span.end) sum += sumIn(start, span.end) + sumIn(span.start, end - length);
      else sum += sumIn(start, end);
    }
    if (sum >= observed) asHigh++;
  }
  return (1 + asHigh) / (1 + permutations);
}
