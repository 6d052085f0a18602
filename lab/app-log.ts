/**
 * The client application's log line, logfmt as many Go and Node services write it:
 *   time=2026-11-25T08:31:02.123456Z level=info msg="request completed" method=GET url=... status=200 duration_ms=2.31 request_id=c-000123
 * One shape, shared by the client that writes it and the truth script that reads it back.
 */

/** Wall-clock now in epoch microseconds, finer than Date.now(): performance.timeOrigin is the epoch of performance.now()'s zero. */
export function nowUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/** 2026-11-25T08:31:02.123456Z from epoch microseconds. */
export function isoMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString(); // ...T08:31:02.123Z
  return `${iso.slice(0, 23)}${String(us % 1000).padStart(3, '0')}Z`;
}

export type Outcome = 'ok' | 'timeout' | 'error';

export interface AppLogRecord {
  timeUs: number;
  outcome: Outcome;
  requestId: string;
  url: string;
  durationMs: number;
  status?: number;
  error?: string;
  timeoutMs?: number;
}

export function formatAppLog(r: AppLogRecord): string {
  const head = `time=${isoMicros(r.timeUs)}`;
  const tail = `method=GET url=${r.url} duration_ms=${r.durationMs.toFixed(3)} request_id=${r.requestId}`;
  switch (r.outcome) {
    case 'ok':
      return `${head} level=info msg="request completed" ${tail} status=${r.status ?? 0}`;
    case 'timeout':
      return `${head} level=warn msg="request timed out" ${tail} timeout_ms=${r.timeoutMs ?? 0}`;
    case 'error':
      return `${head} level=error msg="request failed" ${tail} error="${(r.error ?? '').replace(/"/g, "'")}"`;
  }
}

const LINE = /^time=(\S+) level=(\w+) msg="([^"]*)" .*?duration_ms=([\d.]+)/;

/** Reads one line back: the instant and the outcome. undefined for anything else. */
export function parseAppLog(line: string): { timeUs: number; outcome: Outcome; durationMs: number } | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const [, iso, level, , duration] = m as unknown as [string, string, string, string, string];
  const ms = Date.parse(iso.slice(0, 23) + 'Z');
  if (Number.isNaN(ms)) return undefined;
  const us = ms * 1000 + Number(iso.slice(23, 26));
  const outcome: Outcome = level === 'info' ? 'ok' : level === 'warn' ? 'timeout' : 'error';
  return { timeUs: us, outcome, durationMs: Number(duration) };
}
