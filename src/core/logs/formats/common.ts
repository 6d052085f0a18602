/** Small pieces several format families share: severity words, syslog PRI, logfmt fields, addresses. */
import type { Severity } from '../../model/events';

const SEVERITY_WORDS: Record<string, Severity> = {
  trace: 'debug', debug: 'debug', dbg: 'debug', d: 'debug',
  info: 'info', information: 'info', informational: 'info', inf: 'info', i: 'info',
  notice: 'notice', n: 'notice',
  warn: 'warning', warning: 'warning', wrn: 'warning', w: 'warning', rmt: 'warning',
  error: 'error', err: 'error', e: 'error', bug: 'error',
  crit: 'critical', critical: 'critical', fatal: 'critical', f: 'critical', alert: 'critical', emerg: 'critical', panic: 'critical',
  severe: 'error',
};

/**
 * Results by word as written: a log repeats a handful of words (INFO, info, E...), so the normalisation below runs
 * once per distinct word instead of once per line. Bounded in words and length, so a file of odd words cannot grow it.
 */
const severityByWord = new Map<string, Severity | undefined>();
const SEVERITY_CACHE_SIZE = 256;

/** "INFO", "warn", "E", "<ERR>" -> severity; undefined for anything else. */
export function severityFromWord(word: string | undefined): Severity | undefined {
  if (!word) return undefined;
  const known = severityByWord.get(word);
  if (known !== undefined || severityByWord.has(word)) return known;
  const w = word.replace(/[<>[\]]/g, '').toLowerCase();
  const severity = Object.hasOwn(SEVERITY_WORDS, w) ? SEVERITY_WORDS[w] : undefined;
  if (severityByWord.size < SEVERITY_CACHE_SIZE && word.length <= 16) severityByWord.set(word, severity);
  return severity;
}

/** syslog severity number 0..7 (RFC 5424 table) -> severity. */
export function severityFromSyslog(n: number): Severity {
  return (['critical', 'critical', 'critical', 'error', 'warning', 'notice', 'info', 'debug'] as const)[n & 7];
}

/**
 * logrus / logfmt: key=value and key="quoted \"value\"" pairs, left to right. Keys keep their case; a later key
 * replaces an earlier one's value (the Map keeps the first position).
 *
 * Hand-written because it runs on every line of a GoBGP/logrus text log (the regular expression with its match
 * arrays was the largest cost of such a file). It reads exactly what
 * /([A-Za-z_][\w.-]*)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/g would: a key is the longest run of [\w.-] before an '=' from
 * its first [A-Za-z_]; a quoted value ends at the first unescaped '"' (an escape is a backslash and any character
 * but a line terminator), else the value is the run of non-space characters from the '"' on.
 */
export function parseLogfmt(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const n = text.length;
  let from = 0;
  while (from < n) {
    const eq = text.indexOf('=', from);
    if (eq < 0) break;
    let start = eq;
    while (start > from && isKeyChar(text.charCodeAt(start - 1))) start--;
    while (start < eq && !isKeyStart(text.charCodeAt(start))) start++;
    if (start === eq) {
      // No key before this '=': the next match starts after it.
      from = eq + 1;
      continue;
    }
    const key = text.slice(start, eq);
    const v = eq + 1;
    let end = -1;
    if (text.charCodeAt(v) === 34 /* " */) end = closingQuote(text, v + 1);
    if (end >= 0) {
      const quoted = text.slice(v + 1, end);
      out.set(key, quoted.includes('\\') ? quoted.replace(/\\(.)/g, '$1') : quoted);
      from = end + 1;
    } else {
      let j = v;
      while (j < n && !isJsSpace(text.charCodeAt(j))) j++;
      out.set(key, text.slice(v, j));
      from = j;
    }
  }
  return out;
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

/** What \s matches in a JavaScript regular expression. */
function isJsSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f ||
    c === 0x205f || c === 0x3000 || c === 0xfeff;
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

/** A literal string as a regular-expression source. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An IPv4 or IPv6 address as a regular-expression source (no anchors). */
export const IP_SRC = String.raw`(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%\w+)?)`;

/** Caps a message's length (the Report carries messages; a 1 MiB line must not become a 1 MiB event). */
export const MESSAGE_CAP = 2000;
export function capMessage(text: string): string {
  return text.length > MESSAGE_CAP ? `${text.slice(0, MESSAGE_CAP)}…` : text;
}
