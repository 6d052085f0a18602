/**
 * Capture timestamps as Report instants, for any timestamp a file can hold. A damaged or synthetic record can
 * carry seconds far beyond anything real; the Report's instants are four-digit-year ISO strings, and
 * model/time's formatter throws past what a Date can hold. Such an instant is clamped to 1970..2255 (where
 * microseconds stay exact in a number, see model/time) instead, so one odd record neither aborts an analysis
 * nor writes an instant the schema rejects.
 */
import { isoFromMicros, type IsoInstant } from '../model/time';

/** The last exact microsecond: 2255-06-05. */
const MAX_US = Number.MAX_SAFE_INTEGER;

export function isoOfCaptureTime(us: number): IsoInstant {
  return isoFromMicros(Math.max(0, Math.min(MAX_US, us)));
}
