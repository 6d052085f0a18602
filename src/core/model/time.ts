/**
 * Instants in the Report. Two forms travel together: an ISO-8601 UTC string with up to 9 fraction digits
 * (exact, what people read and what the schema promises) and microseconds since the Unix epoch as a number
 * (exact below 2^53, i.e. until year 2255; what code sorts, subtracts and plots).
 */

/** Microseconds since 1970-01-01T00:00:00Z. */
export type EpochMicros = number;

/** "2026-11-24T10:00:01.123456789Z": UTC, 'Z' suffix, 0..9 fraction digits. */
export type IsoInstant = string;

/**
 * Days since 1970-01-01 -> proleptic Gregorian year/month/day (H. Hinnant's civil-from-days arithmetic).
 * Written out rather than using Date because capture timestamps can lie far outside Date's ±8.64e15 ms range
 * (pcapng carries 64-bit tick counts) and must still print as a valid instant instead of throwing.
 */
function civilFromDays(days: number): { y: number; m: number; d: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: era * 400 + yoe + (m <= 2 ? 1 : 0), m, d };
}

const two = (n: number): string => String(n).padStart(2, '0');

/** ISO-8601 year: four digits in 0000..9999, else the expanded signed six-digit-or-more form ("+010000", "-000001"). */
function isoYear(y: number): string {
  if (y >= 0 && y <= 9999) return String(y).padStart(4, '0');
  return (y < 0 ? '-' : '+') + String(Math.abs(y)).padStart(6, '0');
}

/**
 * Formats whole seconds + nanoseconds as ISO-8601 UTC, keeping every significant fraction digit (trailing zeros
 * trimmed to groups of 3). Any finite input gives a well-formed instant; nanoseconds outside 0..999999999 carry
 * into the seconds.
 */
export function isoFromSecNsec(sec: number, nsec: number): IsoInstant {
  let wholeSec = Math.floor(sec);
  let ns = Math.round((sec - wholeSec) * 1e9) + Math.floor(nsec);
  if (ns < 0 || ns >= 1e9) {
    const carry = Math.floor(ns / 1e9);
    wholeSec += carry;
    ns -= carry * 1e9;
  }
  const days = Math.floor(wholeSec / 86400);
  const secOfDay = wholeSec - days * 86400;
  const { y, m, d } = civilFromDays(days);
  const hh = Math.floor(secOfDay / 3600);
  const mm = Math.floor((secOfDay % 3600) / 60);
  const ss = secOfDay % 60;
  const base = `${isoYear(y)}-${two(m)}-${two(d)}T${two(hh)}:${two(mm)}:${two(ss)}`;
  if (ns === 0) return `${base}Z`;
  let frac = String(ns).padStart(9, '0');
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
