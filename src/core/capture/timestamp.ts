import type { Frame } from './types';

const TWO_32 = 4294967296;
/** Below this, `hi * 2^32 + lo`, `sec * units` and `rem * 1953125` are exact doubles. */
const EXACT_LIMIT = 2 ** 53;
const NS_PER_SEC = 1_000_000_000;

/**
 * Turns a pcapng interface's 64-bit tick count into seconds + nanoseconds, exactly (sub-nanosecond ticks are
 * truncated, as tshark does). Everything that depends on the resolution is computed once per interface so the
 * per-packet path is plain double arithmetic; BigInt is used only when a tick count exceeds 2^52 or for
 * sub-nanosecond power-of-two resolutions whose products would lose precision.
 */
export class TickClock {
  /** "10^-6", "2^-8"... as written in the file (for InterfaceInfo). */
  readonly label: string;
  private readonly units: number;
  private readonly unitsBig: bigint;
  /** Nanoseconds per tick when that is a whole number (10^-e and 2^-e with e <= 9), else 0. */
  private readonly nsPerTick: number;
  /** Sub-nanosecond decimal resolutions: ticks per nanosecond (10^(e-9)), else 0. */
  private readonly ticksPerNs: number;
  /** Sub-nanosecond binary resolutions: 2^(e-9) (ns = rem * 1953125 / 2^(e-9), since 10^9 = 2^9 * 1953125). */
  private readonly binaryDivisor: number;
  /** Decimal resolutions 10^-e with e <= 9: e, 2^e and 5^e (10^e = 2^e * 5^e, for tick counts above 2^53), else 0. */
  private readonly decimalExponent: number;
  private readonly twoPow: number;
  private readonly fivePow: number;
  /** 2^(21+e): below it the split below stays exact; 2^(32-e): the high word's weight after dividing by 2^e. */
  private readonly hiLimit: number;
  private readonly hiScale: number;

  private constructor(base: 2 | 10, exponent: number, private readonly offsetSec: number) {
    this.label = `${base}^-${exponent}`;
    this.unitsBig = BigInt(base) ** BigInt(exponent);
    this.units = Number(this.unitsBig);
    this.nsPerTick = exponent <= 9 ? NS_PER_SEC / this.units : 0;
    this.ticksPerNs = base === 10 && exponent > 9 ? 10 ** (exponent - 9) : 0;
    this.binaryDivisor = base === 2 && exponent > 9 ? 2 ** (exponent - 9) : 0;
    this.decimalExponent = base === 10 && exponent >= 1 && exponent <= 9 ? exponent : 0;
    this.twoPow = 2 ** this.decimalExponent;
    this.fivePow = 5 ** this.decimalExponent;
    this.hiLimit = 2 ** (21 + this.decimalExponent);
    this.hiScale = 2 ** (32 - this.decimalExponent);
  }

  static readonly MICROSECONDS = new TickClock(10, 6, 0);

  /**
   * From an if_tsresol byte (undefined = option absent = 10^-6) and if_tsoffset seconds. Returns an error text
   * for resolutions that cannot be represented (more than 2^63 ticks per second would not fit a 64-bit count).
   */
  static fromTsresol(tsresol: number | undefined, offsetSec = 0): TickClock | string {
    if (tsresol === undefined) return offsetSec === 0 ? TickClock.MICROSECONDS : new TickClock(10, 6, offsetSec);
    const binary = (tsresol & 0x80) !== 0;
    const exponent = tsresol & 0x7f;
    if (binary ? exponent > 63 : exponent > 19) {
      return `if_tsresol 0x${tsresol.toString(16).padStart(2, '0')} (${binary ? 2 : 10}^-${exponent} s) is finer than a 64-bit tick count can use`;
    }
    return new TickClock(binary ? 2 : 10, exponent, offsetSec);
  }

  /** Sets frame.timeSec / timeNsec from the two 32-bit halves of the tick count. */
  set(frame: Frame, hi: number, lo: number): void {
    const ticks = hi * TWO_32 + lo;
    if (ticks >= EXACT_LIMIT) {
      // Nanosecond counts since 1970 are above 2^53. For 10^-e, divide by 2^e first (a shift, exact) and then by
      // 5^e: both steps stay below 2^53 until hi reaches 2^(21+e), the year 2514 for nanoseconds. BigInt beyond.
      const e = this.decimalExponent;
      if (e !== 0 && hi < this.hiLimit) {
        // lo is a uint32 and e <= 9: the shift and the mask are the exact quotient and remainder by 2^e.
        const shifted = hi * this.hiScale + (lo >>> e);
        const sec = Math.floor(shifted / this.fivePow);
        const rem = (shifted - sec * this.fivePow) * this.twoPow + (lo & (this.twoPow - 1));
        frame.timeSec = sec + this.offsetSec;
        frame.timeNsec = rem * this.nsPerTick;
        return;
      }
      this.setBig(frame, hi, lo);
      return;
    }
    // For integers a, b below 2^53, Math.floor(a / b) is the exact floor: the correctly rounded quotient is
    // within a/b * 2^-53 < 1/b of the true one, closer than any integer it could wrongly reach.
    const units = this.units;
    const sec = Math.floor(ticks / units);
    const rem = ticks - sec * units;
    let nsec: number;
    if (this.nsPerTick !== 0) nsec = rem * this.nsPerTick;
    else if (this.ticksPerNs !== 0) nsec = Math.floor(rem / this.ticksPerNs);
    else if (rem * 1953125 < EXACT_LIMIT) nsec = Math.floor((rem * 1953125) / this.binaryDivisor);
    else nsec = Number((BigInt(rem) * 1_000_000_000n) / this.unitsBig);
    frame.timeSec = sec + this.offsetSec;
    frame.timeNsec = nsec;
  }

  private setBig(frame: Frame, hi: number, lo: number): void {
    const ticks = (BigInt(hi) << 32n) | BigInt(lo);
    frame.timeSec = Number(ticks / this.unitsBig) + this.offsetSec;
    frame.timeNsec = Number(((ticks % this.unitsBig) * 1_000_000_000n) / this.unitsBig);
  }
}
