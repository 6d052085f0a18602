/**
 * The end of a file: its events get their UTC instants. Years come from the file's year inference, zones from
 * the line (offset or an unambiguous zone name) or the file's setting, relative ages (kubectl describe) from the
 * reference time, and the clock offset is added; each event says in timeNote what was assumed. Then events are
 * sorted by time (lines out of order included) and numbered.
 */
import type { LogEvent } from '../model/events';
import type { LogReadOptions } from './read';
import type { LogRecord } from './types';
import { capMessage } from './formats/common';
import { addMillis, instantOf, isoOf, microsOf, onDay, zoneFor } from './timestamps';
import type { DayInference, Instant, Stamp, YearInference, Zone } from './timestamps';

/** An entry that is an event, waiting for its instant. */
export interface Candidate {
  rec: LogRecord;
  message: string;
  line: number;
  byteOffset: number;
  lines: number;
  /** Relative year index for year-less stamps (see YearInference). */
  rel?: number;
  lastRel?: number;
  /** Relative day index for time-only stamps (see DayInference). */
  dayRel?: number;
}

/**
 * Zones a line may name that mean one zone only: IANA's own legacy zones (CET, EST, EST5EDT...). Abbreviations
 * such as IST or CST mean different zones in different countries (ICU would still accept them, as one arbitrary
 * choice): they stay unknown and the file's zone is used, with a note.
 */
const IANA_ABBREVIATION_ZONES = new Set(['CET', 'MET', 'EET', 'WET', 'EST', 'MST', 'HST', 'EST5EDT', 'CST6CDT', 'MST7MDT', 'PST8PDT']);

const YEAR_NOTES = {
  'dated lines': 'year inferred from other lines of the file',
  setting: 'year from the setting',
  'reference time': 'year inferred from the reference time (file mtime)',
  'current date': 'year assumed from the current date',
} as const;

const DATE_NOTES = {
  'dated lines': 'date inferred from other lines of the file',
  'reference time': 'date inferred from the reference time (file mtime)',
  'current date': 'date assumed from the current date',
} as const;

const FIELD_KEYS = [
  'host', 'pod', 'namespace', 'container', 'process', 'peer', 'peerAs', 'peerName', 'fromState', 'toState', 'latencyMs',
  'throttledPeriods', 'throttledMs', 'periods', 'intervalMs', 'count', 'httpStatus',
] as const;

export function settleEvents(
  candidates: Candidate[], file: string, zone: Zone, opts: LogReadOptions, years: YearInference, days: DayInference,
): LogEvent[] {
  const nowMs = Date.now();
  const base = years.baseYear(opts.year, opts.referenceTimeUs, nowMs);
  const yearNote = YEAR_NOTES[base.source];
  const baseDay = days.baseDay(opts.referenceTimeUs, nowMs, zone);
  const dateNote = DATE_NOTES[baseDay.source];
  const zoneNote = opts.timeZone ? `zone ${zone.name} (setting)` : 'zone UTC assumed';
  const refMs = opts.referenceTimeUs !== undefined ? opts.referenceTimeUs / 1000 : nowMs;
  const refNote = opts.referenceTimeUs !== undefined ? 'the reference time (file mtime)' : 'the current time';
  const offset = opts.clockOffsetMs ?? 0;

  const instant = (stamp: Stamp, rel: number | undefined, notes: string[], dayRel?: number): Instant => {
    let s = stamp;
    if (s.dateless) {
      s = onDay(s, baseDay.dayMs + (dayRel ?? 0) * 86_400_000);
      notes.push(dateNote);
    }
    let year = s.year;
    if (year === undefined) {
      year = base.year + (rel ?? 0);
      notes.push(yearNote);
    }
    let z = zone;
    if (s.offsetMin === undefined) {
      if (s.zoneText && IANA_ABBREVIATION_ZONES.has(s.zoneText)) z = zoneFor(s.zoneText);
      else notes.push(s.zoneText ? `zone '${s.zoneText}' not known: ${zone.name} used` : zoneNote);
    }
    return instantOf(s, year, z);
  };

  const out: LogEvent[] = [];
  for (const c of candidates) {
    const r = c.rec;
    const notes: string[] = [];
    let t: Instant;
    if (r.stamp) {
      t = instant(r.stamp, c.rel, notes, c.dayRel);
    } else if (r.ageMs !== undefined) {
      t = { sec: Math.floor((refMs - r.ageMs) / 1000), nanos: 0 };
      notes.push(`${r.timeText} before ${refNote}`);
    } else {
      continue;
    }
    t = addMillis(t, offset);
    if (offset) notes.push(`clock offset ${offset} ms applied`);
    const ev: LogEvent = {
      id: '', kind: r.kind ?? 'other', time: isoOf(t), timeUs: microsOf(t), timeText: r.timeText,
      source: { file, line: c.line, byteOffset: c.byteOffset, format: r.format },
      severity: r.severity ?? 'info', message: capMessage(c.message),
    };
    if (notes.length) ev.timeNote = notes.join('; ');
    let last: Instant | undefined;
    if (r.lastStamp) last = instant(r.lastStamp, c.lastRel, []);
    else if (r.lastAgeMs !== undefined) last = { sec: Math.floor((refMs - r.lastAgeMs) / 1000), nanos: 0 };
    if (last) {
      last = addMillis(last, offset);
      ev.lastTime = isoOf(last);
      ev.lastTimeUs = microsOf(last);
    }
    copyFields(r, ev);
    out.push(ev);
  }
  out.sort((a, b) => a.timeUs - b.timeUs || a.source.line - b.source.line);
  out.forEach((e, i) => (e.id = `ev-${i + 1}`));
  return out;
}

function copyFields(r: LogRecord, ev: LogEvent): void {
  const target = ev as unknown as Record<string, unknown>;
  for (const k of FIELD_KEYS) {
    const v = r[k];
    if (v !== undefined && v !== '') target[k] = v;
  }
}
