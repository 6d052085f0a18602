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

/** "INFO", "warn", "E", "<ERR>" -> severity; undefined for anything else. */
export function severityFromWord(word: string | undefined): Severity | undefined {
  if (!word) return undefined;
  // Most logs write the word plainly and in one case: look it up before normalising.
  if (Object.hasOwn(SEVERITY_WORDS, word)) return SEVERITY_WORDS[word];
  const w = word.replace(/[<>[\]]/g, '').toLowerCase();
  return Object.hasOwn(SEVERITY_WORDS, w) ? SEVERITY_WORDS[w] : undefined;
}

/** syslog severity number 0..7 (RFC 5424 table) -> severity. */
export function severityFromSyslog(n: number): Severity {
  return (['critical', 'critical', 'critical', 'error', 'warning', 'notice', 'info', 'debug'] as const)[n & 7];
}

/** logrus / logfmt: key=value and key="quoted \"value\"" pairs. Keys keep their case. */
export function parseLogfmt(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([A-Za-z_][\w.-]*)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const quoted = m[2];
    out.set(m[1], quoted === undefined ? m[3] : quoted.includes('\\') ? quoted.replace(/\\(.)/g, '$1') : quoted);
  }
  return out;
}

/** An IPv4 or IPv6 address as a regular-expression source (no anchors). */
export const IP_SRC = String.raw`(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%\w+)?)`;

/** Caps a message's length (the Report carries messages; a 1 MiB line must not become a 1 MiB event). */
export const MESSAGE_CAP = 2000;
export function capMessage(text: string): string {
  return text.length > MESSAGE_CAP ? `${text.slice(0, MESSAGE_CAP)}…` : text;
}
