/**
 * logrus / logfmt text: key=value and key="quoted \"value\"" pairs, left to right. Keys keep their case; a later
 * key replaces an earlier one's value (and keeps the earlier one's position).
 *
 * Hand-written because it runs on every line of a GoBGP/logrus text log (a regular expression with its match
 * arrays, and a Map of every key and value, were the largest cost of such a file). It reads exactly what
 * /([A-Za-z_][\w.-]*)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/g would: a key is the longest run of [\w.-] before an '=' from
 * its first [A-Za-z_]; a quoted value ends at the first unescaped '"' (an escape is a backslash and any character
 * but a line terminator), else the value is the run of non-space characters from the '"' on.
 * The pairs are kept as offsets into the line: only the values asked for become strings.
 */
import { isJsSpace } from './common';

/** What a logrus record is read from: the text fields, or a JSON object's fields as strings. */
export interface LogFields extends Iterable<[string, string]> {
  get(key: string): string | undefined;
  has(key: string): boolean;
}

/** Numbers kept per pair: key start, key end (its '='), value start, value end, 0 / 1 / 2: bare / quoted / quoted with escapes. */
const STRIDE = 5;
/** Pairs are collected here, then copied at their exact size (no growing array per line); emptied after a huge line. */
const SCRATCH: number[] = [];
const SCRATCH_KEPT = 1000;

export class LogfmtFields implements LogFields {
  private readonly at: number[];

  constructor(private readonly text: string) {
    const n = text.length;
    let from = 0;
    // The next backslash at or after `from` (most lines have none: then a quoted value ends at the next '"').
    let backslash = text.indexOf('\\');
    const at = SCRATCH;
    let count = 0;
    while (from < n) {
      const eq = text.indexOf('=', from);
      if (eq < 0) break;
      let start = eq;
      while (start > from && isKeyChar(text.charCodeAt(start - 1))) start--;
      while (start < eq && !isKeyStart(text.charCodeAt(start))) start++;
      if (start === eq) {
        // No key before this '=': the next pair starts after it.
        from = eq + 1;
        continue;
      }
      const v = eq + 1;
      let close = -1;
      if (text.charCodeAt(v) === 34 /* " */) {
        if (backslash >= 0 && backslash <= v) backslash = text.indexOf('\\', v + 1);
        close = text.indexOf('"', v + 1);
        if (backslash >= 0 && close > backslash) close = closingQuote(text, v + 1);
      }
      if (close >= 0) {
        count = put(at, count, start, eq, v + 1, close, backslash >= 0 && backslash < close ? 2 : 1);
        from = close + 1;
      } else {
        let j = v;
        while (j < n && !isJsSpace(text.charCodeAt(j))) j++;
        count = put(at, count, start, eq, v, j, 0);
        from = j;
      }
    }
    this.at = at.slice(0, count);
    if (count > SCRATCH_KEPT) at.length = 0;
  }

  get(key: string): string | undefined {
    const i = this.last(key);
    return i < 0 ? undefined : this.value(i);
  }

  has(key: string): boolean {
    return this.last(key) >= 0;
  }

  /** Unique keys in order of first appearance, each with its last value (as a Map built pair by pair has them). */
  toMap(): Map<string, string> {
    const out = new Map<string, string>();
    for (let i = 0; i < this.at.length; i += STRIDE) out.set(this.text.slice(this.at[i], this.at[i + 1]), this.value(i));
    return out;
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return this.toMap()[Symbol.iterator]();
  }

  /** Index of the key's last pair, or -1. */
  private last(key: string): number {
    const at = this.at;
    for (let i = at.length - STRIDE; i >= 0; i -= STRIDE) {
      if (at[i + 1] - at[i] === key.length && this.text.startsWith(key, at[i])) return i;
    }
    return -1;
  }

  private value(i: number): string {
    const s = this.text.slice(this.at[i + 2], this.at[i + 3]);
    return this.at[i + 4] === 2 ? s.replace(/\\(.)/g, '$1') : s;
  }
}

/** Writes one pair's numbers at `i`; returns where the next pair goes. */
function put(at: number[], i: number, keyStart: number, eq: number, valueStart: number, valueEnd: number, kind: number): number {
  at[i] = keyStart;
  at[i + 1] = eq;
  at[i + 2] = valueStart;
  at[i + 3] = valueEnd;
  at[i + 4] = kind;
  return i + STRIDE;
}

export function parseLogfmt(text: string): Map<string, string> {
  return new LogfmtFields(text).toMap();
}

/** [\w.-] */
function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}

/** [A-Za-z_] */
function isKeyStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/** Line terminators: what '.' in a regular expression does not match. */
function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** Index of the '"' that closes a quoted value whose text starts at `i`, or -1 when it is not closed. */
function closingQuote(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) return i;
    if (c === 92 /* \ */) {
      if (i + 1 >= n || isLineTerminator(text.charCodeAt(i + 1))) return -1;
      i += 2;
    } else {
      i++;
    }
  }
  return -1;
}
