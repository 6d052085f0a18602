/**
 * Lines that start with an ISO-8601 time: plain application logs (logback / log4j / Python / Go: `2026-11-24
 * 10:00:01,123 ERROR [main] x.Y - msg`), and `kubectl logs --timestamps`, which puts an RFC 3339 time with
 * nanoseconds in front of whatever the container wrote (then the inner line's own severity and message are used),
 * Go's `log` package shape `2026/11/24 10:00:01 message`, and time-of-day-only lines (logback / log4j defaults),
 * whose date is inferred like a missing year.
 */
import type { FormatContext, LineFormat, LogRecord } from '../types';
import { scanIsoStamp, stampOf } from '../timestamps';
import type { Stamp } from '../timestamps';
import { hasLineTerminator, isJsSpace, severityFromWord } from './common';

/**
 * A level word first: what /^\[?(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|SEVERE)\]?:?\s+(.*)$/i
 * matches, read by hand (it runs on every line of such logs): the words are letters and must be followed by ']',
 * ':' or a space, so the word is the whole run of ASCII letters (any case) after an optional '['; then an optional
 * ']', an optional ':', at least one space (what \s matches); the message is the rest after the spaces, which
 * holds no line terminator (what '.' does not match).
 */
const LEVEL_WORDS = ['TRACE', 'DEBUG', 'INFO', 'NOTICE', 'WARN', 'WARNING', 'ERROR', 'ERR', 'FATAL', 'CRITICAL', 'SEVERE'];
/** Go's standard `log` package and others: `2026/11/24 10:00:01[.123456] message`. */
const SLASHED = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? (.*)$/;
/** How the lines of the known formats begin: only such a rest is worth parsing again (the hot path of plain ISO logs). */
const INNER_START = /^(?:[IWEF]\d{4} |[{<[%]|(?:time|ts|level)=|\d{4}[-/]|\d\d-\d\d-\d{4} |[A-Z][a-z]{2} [ \d]\d |RP\/|LC\/|\d+: )/;
const RFC3339_T = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;

export function createIsoFormat(): LineFormat {
  return {
    name: 'iso',
    parse(line: string, ctx: FormatContext): LogRecord | undefined {
      const bracket = line.charCodeAt(0) === 91 /* [ */ ? 1 : 0;
      const scanned = scanIsoStamp(line, bracket);
      if (!scanned) return slashed(line) ?? timeOnly(line);
      const { stamp } = scanned;
      let p = scanned.end;
      if (bracket && line.charCodeAt(p) === 93 /* ] */) p++;
      const after = line.charCodeAt(p);
      if (p < line.length && after !== 32 && after !== 9) return undefined;
      const timeText = line.slice(bracket, scanned.end);
      while (line.charCodeAt(p) === 32 || line.charCodeAt(p) === 9) p++;
      const rest = line.slice(p);
      // kubectl logs --timestamps: RFC 3339 with 'T' and a zone, then the container's own line.
      if (INNER_START.test(rest) && RFC3339_T.test(timeText)) {
        const inner = ctx.parseInner(rest);
        if (inner) {
          const rec: LogRecord = { ...inner, stamp, timeText, format: 'kubectl-timestamps' };
          delete rec.lastStamp;
          return rec;
        }
      }
      return withLevel(stamp, timeText, 'iso', rest);
    },
  };
}

function withLevel(stamp: Stamp, timeText: string, format: string, rest: string): LogRecord {
  const lv = levelOf(rest);
  return { stamp, timeText, format, severity: lv ? severityFromWord(lv.level) : undefined, message: lv ? lv.message : rest };
}

/** The level (as listed in LEVEL_WORDS) and the message after it, as described there; undefined when the text does not start so. */
export function levelOf(text: string): { level: string; message: string } | undefined {
  const start = text.charCodeAt(0) === 91 /* [ */ ? 1 : 0;
  let p = start;
  while (isAsciiLetter(text.charCodeAt(p))) p++;
  const level = levelWordAt(text, start, p);
  if (!level) return undefined;
  if (text.charCodeAt(p) === 93 /* ] */) p++;
  if (text.charCodeAt(p) === 58 /* : */) p++;
  const spaces = p;
  while (p < text.length && isJsSpace(text.charCodeAt(p))) p++;
  if (p === spaces) return undefined;
  const message = text.slice(p);
  return hasLineTerminator(message) ? undefined : { level, message };
}

/** The word of LEVEL_WORDS that the ASCII letters text[start, end) spell in any case, if any. */
function levelWordAt(text: string, start: number, end: number): string | undefined {
  for (const w of LEVEL_WORDS) if (w.length === end - start && sameLetters(text, start, w)) return w;
  return undefined;
}

/** The ASCII letters at text[start...] are `upper`'s, in any case. */
function sameLetters(text: string, start: number, upper: string): boolean {
  for (let i = 0; i < upper.length; i++) if ((text.charCodeAt(start + i) & ~0x20) !== upper.charCodeAt(i)) return false;
  return true;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** logback's and log4j's defaults: `10:00:01.123 [main] ERROR c.e.Client - msg`, a time of day only (fraction required). */
const TIME_ONLY = /^(\d\d):(\d\d):(\d\d)[.,](\d{1,9}) +(.*)$/;

function timeOnly(line: string): LogRecord | undefined {
  const m = TIME_ONLY.exec(line);
  if (!m) return undefined;
  const stamp = stampOf(undefined, 1, 1, Number(m[1]), Number(m[2]), Number(m[3]), m[4]);
  if (!stamp) return undefined;
  stamp.dateless = true;
  const rec = withLevel(stamp, line.slice(0, 9 + m[4].length), 'time-only', m[5]);
  // "[main] ERROR logger - msg": the level after the thread.
  if (!rec.severity) {
    const lv = /^\[[^\]]*\]\s+(\w+)\s/.exec(m[5]);
    if (lv) rec.severity = severityFromWord(lv[1]);
  }
  return rec;
}

function slashed(line: string): LogRecord | undefined {
  const m = SLASHED.exec(line);
  if (!m) return undefined;
  const stamp = stampOf(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7]);
  return stamp ? withLevel(stamp, line.slice(0, 19 + (m[7] ? m[7].length + 1 : 0)), 'go-log', m[8]) : undefined;
}
