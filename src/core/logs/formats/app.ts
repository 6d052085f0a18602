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
 * `Client.Timeout exceeded` (request-timeout); EHOSTUNREACH / ECONNREFUSED / "no route to host"... (request-failed);
 * and latencies written next to them (`after 300 ms`, `duration_ms=12.5`, `elapsed=5.002s`).
 */
import type { Classification, Classifier, ClassifierAnchors, LineFormat, LogRecord } from '../types';
import { monthFromName, parseIsoStamp, stampOf } from '../timestamps';
import { escapeRegExp, severityFromWord } from './common';

const NGINX_ERROR = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d) \[(\w+)\] (\d+)#\d+: (?:\*\d+ )?(.*)$/;
const CLF = /^(\S+) \S+ \S+ \[(\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d):(\d\d):(\d\d)(?:\.(\d+))? ([+-]\d{4})\] "([^"]*)" (\d{3}) (.*)$/;
// Istio's proxies add %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%" after the flags.
const ENVOY = /^\[(\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)\] "([^"]*)" (\d{3}) (\S+)(?: \S+ \S+ "[^"]*")? (\d+|-) (\d+|-) (\d+|-) (\S+)(.*)$/;

/** Envoy response flags: the request ran out of time / failed otherwise upstream (connect failure, retries exhausted, no healthy host, reset). */
const ENVOY_TIMEOUT_FLAGS = new Set(['UT', 'SI', 'DT', 'UMSDR']);
const ENVOY_FAILURE_FLAGS = new Set(['UF', 'URX', 'UH', 'UC', 'NR', 'UO', 'UPE']);

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
  } else if (flagList.some((f) => ENVOY_FAILURE_FLAGS.has(f)) || status === '502' || status === '503') {
    rec.kind = 'request-failed';
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
  } else if (status === '502' || status === '503') {
    rec.kind = 'request-failed';
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
  /\b(?:read|connect|request|connection) timed out\b|\bETIMEDOUT\b/i,
];

/** Network-level failures that are not timeouts (during a routing loop: ICMP time exceeded / unreachable). */
const FAILURE_PATTERNS = /\b(?:EHOSTUNREACH|ENETUNREACH|ECONNREFUSED|ECONNRESET|EPIPE)\b|\b(?:no route to host|network is unreachable|connection refused|connection reset by peer|no healthy upstream)\b/i;

const LATENCY_VALUE = /(?:after|elapsed|took|timeout(?: of| after)?|duration|latency)[=: ]+(\d+(?:\.\d+)?) ?(ms|s|µs|us)\b/i;
/** logfmt / JSON style: duration_ms=12.3, request_time=0.5 (seconds), elapsed=5.002s, took=120ms. */
const LATENCY_FIELD = /\b(?:duration|elapsed|latency|took|request_time|response_time)(?:_(ms|s|us|seconds))?[=:]"?(\d+(?:\.\d+)?)(ms|s|µs|us)?\b/i;

function toMs(v: number, unit: string | undefined): number {
  switch ((unit ?? 'ms').toLowerCase()) {
    case 's':
    case 'seconds':
      return v * 1000;
    case 'us':
    case 'µs':
      return v / 1000;
    default:
      return v;
  }
}

/** A word LATENCY_FIELD or LATENCY_VALUE needs (both ignore case): one scan rules out the many messages without. */
const LATENCY_WORD = /after|elapsed|took|timeout|duration|latency|request_time|response_time/i;

/** False when latencyOf(message) is surely undefined. */
export function mayStateLatency(message: string): boolean {
  return LATENCY_WORD.test(message);
}

/** The latency a message reports for a request (ms), if it says one. */
export function latencyOf(message: string): number | undefined {
  if (!LATENCY_WORD.test(message)) return undefined;
  const f = LATENCY_FIELD.exec(message);
  if (f) {
    // request_time without a unit is nginx's, in seconds.
    const unit = f[1] ?? f[3] ?? (/^request_time/i.test(f[0]) ? 's' : 'ms');
    return toMs(Number(f[2]), unit);
  }
  const l = LATENCY_VALUE.exec(message);
  return l ? toMs(Number(l[1]), l[2]) : undefined;
}

/**
 * Words the patterns above contain (case-sensitive, as written): one scan rules out most lines before the precise
 * patterns run. The classifier returns nothing for a message without one of them.
 */
const SYMPTOM_WORDS = ['time', 'Time', 'TIME', 'deadline', 'UNREACH', 'ECONN', 'EPIPE', 'route to host', 'unreachable', 'refused', 'reset', 'healthy upstream'];
const SYMPTOM_SOURCES = SYMPTOM_WORDS.map(escapeRegExp);
const SYMPTOM = new RegExp(SYMPTOM_SOURCES.join('|'));

export const appAnchors: ClassifierAnchors = { anywhere: SYMPTOM_SOURCES };

/**
 * Routing daemons, by the format of their own files or by their process name in syslog. Their socket errors
 * ("bgp_read_packet error: Connection reset by peer") are BGP session trouble, which their FSM lines report as
 * peer-down events: not a request that failed.
 */
const ROUTER_FORMATS = /^(?:frr|bird|gobgp|openbgpd|junos|cisco|arista|huawei|h3c|netiron|nokia)/;
const ROUTER_PROCESSES = new Set(['bgpd', 'zebra', 'bfdd', 'ospfd', 'bird', 'bird6', 'gobgpd', 'rpd']);

export const appClassifier: Classifier = (message, rec) => {
  if (!SYMPTOM.test(message)) return undefined;
  if (ROUTER_FORMATS.test(rec.format) || (rec.process !== undefined && ROUTER_PROCESSES.has(rec.process))) return undefined;
  const timeout = TIMEOUT_PATTERNS.some((re) => re.test(message));
  if (!timeout && !FAILURE_PATTERNS.test(message)) return undefined;
  const c: Classification = { kind: timeout ? 'request-timeout' : 'request-failed' };
  const latency = latencyOf(message) ?? (timeout ? Number(/(\d+(?:\.\d+)?) ?ms\b/.exec(message)?.[1] ?? NaN) : NaN);
  if (Number.isFinite(latency)) c.latencyMs = latency;
  return c;
};
