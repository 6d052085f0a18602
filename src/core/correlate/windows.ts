/** Symptom windows: the stretches of time in which requests timed out or were slow (what the hypotheses explain). */
import type { LogEvent } from '../model/events';
import { inFlight, isSymptom } from './eventKinds';
import { WINDOWS } from './options';
import type { Interval } from './time';

export interface SymptomWindow extends Interval {
  events: LogEvent[];
}

/** Symptom events' in-flight intervals, merged when closer than WINDOWS.symptomGapUs. `events` sorted by time. */
export function symptomWindows(events: readonly LogEvent[]): SymptomWindow[] {
  const list = events.filter(isSymptom).map((e) => ({ e, ...inFlight(e) }));
  list.sort((a, b) => a.start - b.start);
  const out: SymptomWindow[] = [];
  for (const f of list) {
    const last = out[out.length - 1];
    if (last && f.start <= last.end + WINDOWS.symptomGapUs) {
      if (f.end > last.end) last.end = f.end;
      last.events.push(f.e);
    } else out.push({ start: f.start, end: f.end, events: [f.e] });
  }
  return out;
}
