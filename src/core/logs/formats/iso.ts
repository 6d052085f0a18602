/**
 * Lines that start with an ISO-8601 time: plain application logs (logback / log4j / Python / Go: `2026-11-24
 * 10:00:01,123 ERROR [main] x.Y - msg`), and `kubectl logs --timestamps`, which puts an RFC 3339 time with
 * nanoseconds in front of whatever the container wrote (then the inner line's own severity and message are used).
 */
import type { FormatContext, LineFormat, LogRecord } from '../types';
import { ISO_STAMP_SRC, parseIsoStamp } from '../timestamps';
import { severityFromWord } from './common';

const ISO_LINE = new RegExp(`^\\[?(${ISO_STAMP_SRC})\\]?(?:\\s+|$)(.*)$`);
const LEVEL = /^\[?(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|SEVERE)\]?:?\s+(.*)$/i;
const RFC3339_T = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;

export function createIsoFormat(): LineFormat {
  return {
    name: 'iso',
    parse(line: string, ctx: FormatContext): LogRecord | undefined {
      const m = ISO_LINE.exec(line);
      if (!m) return undefined;
      const stamp = parseIsoStamp(m[1]);
      if (!stamp) return undefined;
      const rest = m[2];
      // kubectl logs --timestamps: RFC 3339 with 'T' and a zone, then the container's own line.
      if (RFC3339_T.test(m[1]) && rest) {
        const inner = ctx.parseInner(rest);
        if (inner) {
          const rec: LogRecord = { ...inner, stamp, timeText: m[1], format: 'kubectl-timestamps' };
          delete rec.lastStamp;
          return rec;
        }
      }
      const lv = LEVEL.exec(rest);
      return {
        stamp, timeText: m[1], format: 'iso',
        severity: lv ? severityFromWord(lv[1]) : undefined,
        message: lv ? lv[2] : rest,
      };
    },
  };
}
