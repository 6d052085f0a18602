/**
 * Application-side evidence: timeouts and slow responses.
 *
 * Framings:
 * - nginx error log: `2026/11/24 10:00:01 [error] 31#31: *5 upstream timed out (110: Connection timed out) while
 *   reading response header from upstream, client: ..., request: "GET /x HTTP/1.1", upstream: "http://..."`
 * - Common/combined access log (nginx, Apache): `10.0.0.1 - - [24/Nov/2026:10:00:01 +0000] "GET /x HTTP/1.1" 504 ...`,
 *   with the request time when the log format appends one (`rt=0.123`, `request_time=`, or a last bare number).
 * - Envoy's default access log: `[2026-11-24T10:00:01.123Z] "GET /x HTTP/1.1" 504 UT 0 24 15000 - ...`:
 *   status, response flags, bytes received, bytes sent, duration (ms).
 * Messages (any framing): Java SocketTimeoutException, Go `context deadline exceeded` / `i/o timeout` /
 * `Client.Timeout exceeded`, and latencies written next to them.
 */
import type { Classification, Classifier, LineFormat, LogRecord } from '../types';
import { monthFromName, parseIsoStamp, stampOf } from '../timestamps';
import { severityFromWord } from './common';

const NGINX_ERROR = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d) \[(\w+)\] (\d+)#\d+: (?:\*\d+ )?(.*)$/;
const CLF = /^(\S+) \S+ \S+ \[(\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d):(\d\d):(\d\d)(?:\.(\d+))? ([+-]\d{4})\] "([^"]*)" (\d{3}) (.*)$/;
const ENVOY = /^\[(\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)\] "([^"]*)" (\d{3}) (\S+) (\d+|-) (\d+|-) (\d+|-) (\S+)(.*)$/;

/** Envoy response flags that mean the request ran out of time (or out of retries after timeouts). */
const ENVOY_TIMEOUT_FLAGS = new Set(['UT', 'SI', 'DT', 'UMSDR', 'UF', 'URX']);

/** Latency at or above this (ms) makes an access-log line a slow-response event. */
export const DEFAULT_SLOW_RESPONSE_MS = 1000;

export function createAppFormat(slowMs = DEFAULT_SLOW_RESPONSE_MS): LineFormat {
  return {
    name: 'app',
    parse(line: string): LogRecord | undefined {
      const c = line.charCodeAt(0);
      if (c === 91 /* [ */) return envoy(line, slowMs);
      const n = NGINX_ERROR.exec(line);
      if (n) {
        const stamp = stampOf(Number(n[1]), Number(n[2]), Number(n[3]), Number(n[4]), Number(n[5]), Number(n[6]));
        if (!stamp) return undefined;
        return { stamp, timeText: line.slice(0, 19), format: 'nginx-error', process: 'nginx', severity: severityFromWord(n[7]), message: n[9] };
      }
      return clf(line, slowMs);
    },
  };
}

function envoy(line: string, slowMs: number): LogRecord | undefined {
  const m = ENVOY.exec(line);
  if (!m) return undefined;
  const stamp = parseIsoStamp(m[1]);
  if (!stamp) return undefined;
  const [, time, request, status, flags, , , duration] = m;
  const rec: LogRecord = {
    stamp, timeText: time, format: 'envoy', process: 'envoy', message: line.slice(time.length + 3), httpStatus: Number(status), final: true,
  };
  if (duration !== '-') rec.latencyMs = Number(duration);
  const flagList = flags === '-' ? [] : flags.split(',');
  if (flagList.some((f) => ENVOY_TIMEOUT_FLAGS.has(f)) || status === '504' || status === '408') {
    rec.kind = 'request-timeout';
    rec.severity = 'error';
  } else if (rec.latencyMs !== undefined && rec.latencyMs >= slowMs) {
    rec.kind = 'slow-response';
    rec.severity = 'warning';
  }
  rec.message = `${request} ${status} ${flags}${rec.latencyMs !== undefined ? ` ${rec.latencyMs} ms` : ''}`;
  return rec;
}

function clf(line: string, slowMs: number): LogRecord | undefined {
  const m = CLF.exec(line);
  if (!m) return undefined;
  const [, client, day, mon, year, hh, mi, ss, frac, zone, request, status, rest] = m;
  const stamp = stampOf(Number(year), monthFromName(mon), Number(day), Number(hh), Number(mi), Number(ss), frac, zone);
  if (!stamp) return undefined;
  const rec: LogRecord = {
    stamp, timeText: line.slice(line.indexOf('[') + 1, line.indexOf(']')), format: 'access-log',
    message: `${client} "${request}" ${status}`, httpStatus: Number(status), final: true,
  };
  const rt = /\b(?:rt|request_time|upstream_response_time|urt)=([\d.]+)/.exec(rest) ?? /\s([\d]+\.\d{3})\s*$/.exec(rest);
  if (rt) rec.latencyMs = Math.round(Number(rt[1]) * 1e6) / 1e3;
  if (status === '504' || status === '408') {
    rec.kind = 'request-timeout';
    rec.severity = 'error';
  } else if (rec.latencyMs !== undefined && rec.latencyMs >= slowMs) {
    rec.kind = 'slow-response';
    rec.severity = 'warning';
  }
  if (rec.latencyMs !== undefined) rec.message += ` ${rec.latencyMs} ms`;
  return rec;
}

const TIMEOUT_PATTERNS = [
  /upstream timed out/,
  /\bjava\.net\.SocketTimeoutException\b|\bSocketTimeoutException\b/,
  /\bjava\.net\.http\.HttpTimeoutException\b|\bConnectTimeoutException\b|\bReadTimeoutException\b/,
  /\bcontext deadline exceeded\b/,
  /\bClient\.Timeout exceeded\b/,
  /\bi\/o timeout\b/,
  /\b(?:Read|Connect|Request) timed out\b/,
];

const LATENCY = /(?:after|elapsed|took|timeout(?: of| after)?|duration)[=: ]+(\d+(?:\.\d+)?) ?(ms|s|µs|us)\b/i;

export const appClassifier: Classifier = (message) => {
  if (!TIMEOUT_PATTERNS.some((re) => re.test(message))) return undefined;
  const c: Classification = { kind: 'request-timeout' };
  const l = LATENCY.exec(message) ?? /(\d+(?:\.\d+)?) ?(ms)\b/.exec(message);
  if (l) {
    const v = Number(l[1]);
    c.latencyMs = l[2] === 's' ? v * 1000 : l[2] === 'ms' ? v : v / 1000;
  }
  return c;
};
