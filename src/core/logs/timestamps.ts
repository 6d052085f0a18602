/**
 * Timestamps as logs write them, and how they become UTC instants.
 *
 * A log line gives a civil time (year maybe missing, zone maybe missing, fraction of any length). This module keeps
 * the fraction to the nanosecond, resolves zones (IANA names through Intl, numeric offsets, a few unambiguous
 * abbreviations), infers missing years for a whole file (with December -> January rollover) and applies clock offsets.
 */
import { isoFromSecNsec, microsFromSecNsec } from '../model/time';
import type { EpochMicros, IsoInstant } from '../model/time';

/** A time as written. `year` undefined = the line did not say (klog, RFC 3164, Cisco). */
export interface Stamp {
  year: number | undefined;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0..999_999_999 */
  nanos: number;
  /** Minutes east of UTC when the text gave an offset (or 'Z'). */
  offsetMin?: number;
  /** A zone name or abbreviation written in the line (e.g. 'HKT') that is not a numeric offset. */
  zoneText?: string;
  /** Only a time of day was written (logback's default `HH:mm:ss.SSS`): month and day are placeholders. */
  dateless?: boolean;
}

export interface Instant {
  sec: number;
  nanos: number;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

/** 'Nov' / 'nov' / 'November' -> 11; undefined for anything else. */
export function monthFromName(name: string): number | undefined {
  return MONTHS[name.slice(0, 3).toLowerCase()];
}

/** "123" -> 123_000_000 ns; digits beyond 9 are dropped (no rounding: the written value is never moved forward). */
export function nanosFromFraction(digits: string | undefined): number {
  return digits ? nanosAt(digits, 0, digits.length) : 0;
}

/** nanosFromFraction(t.slice(start, end)) without the substring (line formats that know where the fraction is). */
export function nanosAt(t: string, start: number, end: number): number {
  let n = 0;
  for (let i = 0; i < 9; i++) {
    const d = start + i < end ? t.charCodeAt(start + i) - 48 : 0;
    n = n * 10 + (d >= 0 && d <= 9 ? d : 0);
  }
  return n;
}

/** "Z", "+08:00", "+0800", "-05", "UTC+2" -> minutes east of UTC; undefined if not an offset. */
export function offsetMinutes(text: string | undefined): number | undefined {
  if (!text) return undefined;
  if (text === 'Z' || text === 'z') return 0;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(text);
  if (!m) return undefined;
  const v = Number(m[2]) * 60 + (m[3] ? Number(m[3]) : 0);
  if (v > 18 * 60) return undefined;
  return m[1] === '-' ? -v : v;
}

/** Zone abbreviations that mean exactly one offset everywhere. Others (CST, IST, HKT...) are ambiguous or regional: the file's zone is used and a note says so. */
const FIXED_ABBREVIATIONS: Record<string, number> = { UTC: 0, GMT: 0, UT: 0, Z: 0 };

/** ISO-8601 / RFC 3339 date-time, 'T' or space separated, '.' or ',' fraction, optional zone. */
export function parseIsoStamp(text: string): Stamp | undefined {
  const r = scanIsoStamp(text, 0);
  return r && r.end === text.length ? r.stamp : undefined;
}

const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

/** Two ASCII digits at i as a number, or -1. */
export function digits2(t: string, i: number): number {
  const a = t.charCodeAt(i) - 48;
  const b = t.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Reads an ISO-8601 date-time starting at `start` (what ISO_STAMP_SRC matches) and says where it ends.
 * Hand-written because it runs once per line of most logs: no regular expression, no substrings.
 */
export function scanIsoStamp(t: string, start: number): { stamp: Stamp; end: number } | undefined {
  const i = start;
  const c1 = digits2(t, i);
  const c2 = digits2(t, i + 2);
  if (c1 < 0 || c2 < 0 || t.charCodeAt(i + 4) !== 45 || t.charCodeAt(i + 7) !== 45) return undefined;
  const month = digits2(t, i + 5);
  const day = digits2(t, i + 8);
  const sep = t.charCodeAt(i + 10);
  if (month < 0 || day < 0 || (sep !== 84 && sep !== 32)) return undefined;
  const hour = digits2(t, i + 11);
  const minute = digits2(t, i + 14);
  const second = digits2(t, i + 17);
  if (hour < 0 || minute < 0 || second < 0 || t.charCodeAt(i + 13) !== 58 || t.charCodeAt(i + 16) !== 58) return undefined;
  let p = i + 19;
  let nanos = 0;
  const fc = t.charCodeAt(p);
  if (fc === 46 || fc === 44) {
    let q = p + 1;
    // The first nine digits as an integer, scaled to nanoseconds: the rest are dropped (never rounded up).
    let n = 0;
    let kept = 0;
    while (q < t.length && q - p <= 12) {
      const d = t.charCodeAt(q) - 48;
      if (d < 0 || d > 9) break;
      if (kept < 9) {
        n = n * 10 + d;
        kept++;
      }
      q++;
    }
    if (q === p + 1 || q - p > 13) return undefined;
    nanos = n * POW10[9 - kept];
    p = q;
  }
  const s: Stamp = { year: c1 * 100 + c2, month, day, hour, minute, second, nanos };
  // Zone: 'Z', or ±hh, ±hhmm, ±hh:mm, maybe after one space.
  let z = p;
  if (t.charCodeAt(z) === 32) z++;
  const zc = t.charCodeAt(z);
  if (zc === 90) {
    s.offsetMin = 0;
    p = z + 1;
  } else if (zc === 43 || zc === 45) {
    const hh = digits2(t, z + 1);
    if (hh >= 0 && hh <= 18) {
      let q = z + 3;
      let mm = 0;
      const colon = t.charCodeAt(q) === 58 ? 1 : 0;
      const m2 = digits2(t, q + colon);
      if (m2 >= 0 && m2 < 60) {
        mm = m2;
        q += colon + 2;
      }
      s.offsetMin = (zc === 45 ? -1 : 1) * (hh * 60 + mm);
      p = q;
    }
  }
  return validStamp(s) ? { stamp: s, end: p } : undefined;
}

/** A regular-expression source matching what parseIsoStamp accepts (for use inside line patterns). */
export const ISO_STAMP_SRC = String.raw`\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,12})?(?:\s?(?:Z|[+-]\d\d(?::?\d\d)?))?`;

/** Builds a Stamp from parts of a line; returns undefined when a field is out of range (e.g. month 13). */
export function stampOf(
  year: number | undefined, month: number | undefined, day: number, hour: number, minute: number, second: number,
  fraction?: string, offset?: string,
): Stamp | undefined {
  return stampOfNanos(year, month, day, hour, minute, second, nanosFromFraction(fraction), offset);
}

/** stampOf with the fraction already in nanoseconds. */
export function stampOfNanos(
  year: number | undefined, month: number | undefined, day: number, hour: number, minute: number, second: number,
  nanos: number, offset?: string,
): Stamp | undefined {
  if (month === undefined) return undefined;
  const s: Stamp = { year, month, day, hour, minute, second, nanos };
  if (offset) {
    const o = offsetMinutes(offset);
    if (o !== undefined) s.offsetMin = o;
    else if (FIXED_ABBREVIATIONS[offset] !== undefined) s.offsetMin = FIXED_ABBREVIATIONS[offset];
    else s.zoneText = offset;
  }
  return validStamp(s) ? s : undefined;
}

function validStamp(s: Stamp): boolean {
  return s.month >= 1 && s.month <= 12 && s.day >= 1 && s.day <= 31 && s.hour <= 24 && s.minute <= 59 && s.second <= 60;
}

/** Seconds + nanoseconds since the epoch (journald's µs, Prometheus' ms, ...) as a UTC stamp. */
export function stampFromEpoch(sec: number, nanos: number): Stamp {
  const d = new Date(sec * 1000);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), nanos, offsetMin: 0,
  };
}

/** "1732442401123456" (µs, as journald writes __REALTIME_TIMESTAMP) -> stamp, exact. */
export function stampFromEpochDigits(digits: string, unit: 's' | 'ms' | 'us' | 'ns'): Stamp | undefined {
  const m = /^(\d{1,19})(?:\.(\d{1,9}))?$/.exec(digits);
  if (!m) return undefined;
  const places = { s: 0, ms: 3, us: 6, ns: 9 }[unit];
  const whole = m[1];
  if (whole.length <= places) return stampFromEpoch(0, nanosFromFraction(whole.padStart(places, '0')));
  const sec = Number(whole.slice(0, whole.length - places));
  const fracDigits = whole.slice(whole.length - places) + (m[2] ?? '');
  return stampFromEpoch(sec, nanosFromFraction(fracDigits));
}

// ---- zones ----

export interface Zone {
  /** As given: 'UTC', 'Europe/Berlin', '+05:30'. */
  name: string;
  /** Offset in minutes east of UTC at the given UTC instant (ms). */
  offsetAt(utcMs: number): number;
}

const zoneCache = new Map<string, Zone>();

/** 'UTC', an IANA name ('Europe/Berlin') or a numeric offset ('+02:00'). Throws a RangeError naming the zone when unknown. */
export function zoneFor(spec: string | undefined): Zone {
  const name = spec && spec.trim() ? spec.trim() : 'UTC';
  const cached = zoneCache.get(name);
  if (cached) return cached;
  let zone: Zone;
  const fixed = FIXED_ABBREVIATIONS[name.toUpperCase()] ?? offsetMinutes(name);
  if (fixed !== undefined) {
    zone = { name, offsetAt: () => fixed };
  } else {
    let fmt: Intl.DateTimeFormat;
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
        hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      throw new RangeError(`unknown time zone '${name}' (use an IANA name such as Europe/Berlin, or an offset such as +02:00)`);
    }
    // Offsets change at most a few times a year, on quarter hours: cache per 15-minute bucket.
    const buckets = new Map<number, number>();
    zone = {
      name,
      offsetAt(utcMs: number): number {
        const key = Math.floor(utcMs / 900_000);
        let v = buckets.get(key);
        if (v === undefined) {
          const p: Record<string, number> = {};
          for (const part of fmt.formatToParts(new Date(key * 900_000))) p[part.type] = Number(part.value);
          const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
          v = Math.round((asUtc - key * 900_000) / 60_000);
          if (buckets.size > 4096) buckets.clear();
          buckets.set(key, v);
        }
        return v;
      },
    };
  }
  zoneCache.set(name, zone);
  return zone;
}

/**
 * The UTC instant of a stamp whose year is known. A written offset wins; otherwise the zone's offset at that
 * local time (for a local time that occurs twice at a DST change, the first occurrence).
 */
export function instantOf(s: Stamp, year: number, zone: Zone): Instant {
  const localMs = Date.UTC(year, s.month - 1, s.day, s.hour, s.minute, s.second);
  let offset = s.offsetMin;
  if (offset === undefined) {
    const first = zone.offsetAt(localMs - zone.offsetAt(localMs) * 60_000);
    offset = first;
    const second = zone.offsetAt(localMs - first * 60_000);
    if (second !== first) offset = Math.max(first, second);
  }
  return { sec: Math.floor((localMs - offset * 60_000) / 1000), nanos: s.nanos };
}

export function addMillis(t: Instant, ms: number): Instant {
  if (!ms) return t;
  const totalNs = t.nanos + Math.round((ms % 1000) * 1e6);
  const carry = Math.floor(totalNs / 1e9);
  return { sec: t.sec + Math.trunc(ms / 1000) + carry, nanos: totalNs - carry * 1e9 };
}

export function isoOf(t: Instant): IsoInstant {
  return isoFromSecNsec(t.sec, t.nanos);
}

export function microsOf(t: Instant): EpochMicros {
  return microsFromSecNsec(t.sec, t.nanos);
}

// ---- years ----

/** How a file's missing years were settled. */
export type YearSource = 'dated lines' | 'setting' | 'reference time' | 'current date';

/**
 * Infers the year of stamps that lack one, for one file, from the order of its lines.
 *
 * Every stamp of the file (event or not) is observed in file order. Each year-less stamp gets a year index
 * relative to the first one: +1 when the month falls by more than six (December -> January), -1 when it rises by
 * more than six (a line written out of order across New Year). The base year comes from, in order: a line of the
 * same file that does carry a year, the caller's setting, a reference time (file mtime: the last line cannot be
 * later than it), the current date.
 */
export class YearInference {
  private rel = 0;
  private prevMonth = 0;
  // The last year-less stamp and its index, and the last dated stamp's year and month: plain fields, not objects,
  // because observe() runs for every line of a file.
  private lastStamp: Stamp | undefined;
  private lastRel = 0;
  private lastDatedYear: number | undefined;
  private lastDatedMonth = 0;
  private baseFromDated: number | undefined;

  /** Returns the stamp's relative year index (year-less stamps) or undefined (dated stamps). */
  observe(s: Stamp): number | undefined {
    if (s.dateless) return undefined;
    if (s.year !== undefined) {
      this.lastDatedYear = s.year;
      this.lastDatedMonth = s.month;
      if (this.baseFromDated === undefined && this.lastStamp) {
        // A dated line after year-less ones: the last year-less line is in the dated line's year, or the one before.
        const implied = s.year + yearStep(s.month, this.lastStamp.month);
        this.baseFromDated = implied - this.lastRel;
      }
      return undefined;
    }
    if (this.prevMonth) this.rel += yearStep(this.prevMonth, s.month);
    this.prevMonth = s.month;
    this.lastStamp = s;
    this.lastRel = this.rel;
    if (this.baseFromDated === undefined && this.lastDatedYear !== undefined) {
      this.baseFromDated = this.lastDatedYear + yearStep(this.lastDatedMonth, s.month) - this.rel;
    }
    return this.rel;
  }

  /** The year of relative index 0, and where it came from. */
  baseYear(settingYear: number | undefined, referenceTimeUs: number | undefined, nowMs: number): { year: number; source: YearSource } {
    if (this.baseFromDated !== undefined) return { year: this.baseFromDated, source: 'dated lines' };
    if (settingYear !== undefined) return { year: settingYear, source: 'setting' };
    const ref = referenceTimeUs !== undefined ? referenceTimeUs / 1000 : nowMs;
    const source: YearSource = referenceTimeUs !== undefined ? 'reference time' : 'current date';
    const refYear = new Date(ref).getUTCFullYear();
    const s = this.lastStamp;
    if (!s) return { year: refYear, source };
    // The last line is at or before the reference; a day of slack covers any zone.
    const lastYear = Date.UTC(refYear, s.month - 1, s.day, s.hour, s.minute) > ref + 86_400_000 ? refYear - 1 : refYear;
    return { year: lastYear - this.lastRel, source };
  }
}

/** +1 when going from month a to month b crosses New Year forwards, -1 backwards, else 0. */
function yearStep(a: number, b: number): number {
  if (a - b > 6) return 1;
  if (b - a > 6) return -1;
  return 0;
}

// ---- dates (lines with a time of day only) ----

export type DateSource = 'dated lines' | 'reference time' | 'current date';

const DAY_MS = 86_400_000;

function secondOfDay(s: Stamp): number {
  return s.hour * 3600 + s.minute * 60 + s.second;
}

/**
 * Infers the date of time-only stamps, like YearInference does years: the day index moves +1 when the time of
 * day falls by more than 12 hours (past midnight), -1 when it rises by more than 12 hours (a line out of order
 * across midnight). The base date comes from a line of the file with a full date, else from the reference time
 * (the last line is not after it), else the current date. Dates are local to the file's zone.
 */
export class DayInference {
  private rel = 0;
  private prev: number | undefined;
  // The last time-only stamp's second of day and index, the last dated stamp's date and second of day: plain
  // fields (observe() runs for every line), the dated day's number computed only when a base is taken from it.
  private lastSod: number | undefined;
  private lastRel = 0;
  private lastDatedYear: number | undefined;
  private lastDatedMonth = 0;
  private lastDatedDay = 0;
  private lastDatedSod = 0;
  private baseFromDated: number | undefined;

  observe(s: Stamp): number | undefined {
    if (!s.dateless) {
      if (s.year === undefined) return undefined;
      this.lastDatedYear = s.year;
      this.lastDatedMonth = s.month;
      this.lastDatedDay = s.day;
      this.lastDatedSod = secondOfDay(s);
      if (this.baseFromDated === undefined && this.lastSod !== undefined) {
        this.baseFromDated = this.lastDatedDayMs() + dayStep(this.lastDatedSod, this.lastSod) * DAY_MS - this.lastRel * DAY_MS;
      }
      return undefined;
    }
    const sod = secondOfDay(s);
    if (this.prev !== undefined) this.rel += dayStep(this.prev, sod);
    this.prev = sod;
    this.lastSod = sod;
    this.lastRel = this.rel;
    if (this.baseFromDated === undefined && this.lastDatedYear !== undefined) {
      this.baseFromDated = this.lastDatedDayMs() + dayStep(this.lastDatedSod, sod) * DAY_MS - this.rel * DAY_MS;
    }
    return this.rel;
  }

  private lastDatedDayMs(): number {
    return Date.UTC(this.lastDatedYear ?? 0, this.lastDatedMonth - 1, this.lastDatedDay);
  }

  /** Midnight (as a UTC-based day number in ms) of relative day 0, and where it came from. */
  baseDay(referenceTimeUs: number | undefined, nowMs: number, zone: Zone): { dayMs: number; source: DateSource } {
    if (this.baseFromDated !== undefined) return { dayMs: this.baseFromDated, source: 'dated lines' };
    const refUtc = referenceTimeUs !== undefined ? referenceTimeUs / 1000 : nowMs;
    const source: DateSource = referenceTimeUs !== undefined ? 'reference time' : 'current date';
    const local = refUtc + zone.offsetAt(refUtc) * 60_000;
    let day = Math.floor(local / DAY_MS) * DAY_MS;
    // The last line is at or before the reference; an hour of slack for clocks and flushes.
    if (this.lastSod !== undefined && this.lastSod * 1000 > local - day + 3_600_000) day -= DAY_MS;
    return { dayMs: day - (this.lastSod !== undefined ? this.lastRel : 0) * DAY_MS, source };
  }
}

/** +1 when the time of day going from a to b passed midnight, -1 when it went back over it, else 0. */
function dayStep(a: number, b: number): number {
  if (a - b > 43_200) return 1;
  if (b - a > 43_200) return -1;
  return 0;
}

/** A time-only stamp placed on the day `dayMs` (midnight, UTC-based day number). */
export function onDay(s: Stamp, dayMs: number): Stamp {
  const d = new Date(dayMs);
  return { ...s, dateless: false, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

// ---- relative ages (kubectl describe) ----

/** kubectl's short ages: "45s", "5m", "2m30s", "3h", "3h12m", "2d", "2d3h", "3y". Returns ms or undefined. */
export function parseAge(text: string): number | undefined {
  const m = /^(?:(\d+)y)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (!m || text.trim() === '') return undefined;
  const [y, d, h, mi, s] = m.slice(1).map((v) => (v ? Number(v) : 0));
  return ((((y * 365 + d) * 24 + h) * 60 + mi) * 60 + s) * 1000;
}
