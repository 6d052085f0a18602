/**
 * Instants in the Report. Two forms travel together: an ISO-8601 UTC string with up to 9 fraction digits
 * (exact, what people read and what the schema promises) and microseconds since the Unix epoch as a number
 * (exact below 2^53, i.e. until year 2255; what code sorts, subtracts and plots).
 */

/** Microseconds since 1970-01-01T00:00:00Z. */
export type EpochMicros = number;

/** "2026-11-24T10:00:01.123456789Z": UTC, 'Z' suffix, 0..9 fraction digits. */
export type IsoInstant = string;

/** Formats whole seconds + nanoseconds as ISO-8601 UTC, keeping every significant fraction digit (trailing zeros trimmed to groups of 3). */
export function isoFromSecNsec(sec: number, nsec: number): IsoInstant {
  const base = new Date(sec * 1000).toISOString().slice(0, 19);
  if (nsec === 0) return `${base}Z`;
  let frac = String(nsec).padStart(9, '0');
  if (frac.endsWith('000000')) frac = frac.slice(0, 3);
  else if (frac.endsWith('000')) frac = frac.slice(0, 6);
  return `${base}.${frac}Z`;
}

export function microsFromSecNsec(sec: number, nsec: number): EpochMicros {
  return sec * 1_000_000 + Math.floor(nsec / 1000);
}

export function isoFromMicros(us: EpochMicros): IsoInstant {
  const sec = Math.floor(us / 1_000_000);
  return isoFromSecNsec(sec, (us - sec * 1_000_000) * 1000);
}
