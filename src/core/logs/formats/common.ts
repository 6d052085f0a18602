/** Small pieces several format families share: severity words, syslog PRI, addresses. */
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

/** What \s matches in a JavaScript regular expression. */
export function isJsSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f ||
    c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Holds a character that '.' in a regular expression does not match (four substring searches beat one pattern). */
export function hasLineTerminator(text: string): boolean {
  return text.includes('\n') || text.includes('\r') || text.includes('\u2028') || text.includes('\u2029');
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
