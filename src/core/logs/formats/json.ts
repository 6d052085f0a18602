/**
 * One JSON object per line:
 * - Docker's json-file driver: {"log":"text\n","stream":"stdout","time":"2026-...Z"}; lines over 16 KiB are split
 *   into pieces without the trailing "\n", joined here.
 * - journald: `journalctl -o json` ({"__REALTIME_TIMESTAMP":"<µs>","MESSAGE":...,"PRIORITY":"6","_HOSTNAME":...}).
 * - logrus / GoBGP JSON and other structured loggers (time|ts|timestamp|@timestamp + msg|message + level), the
 *   time as an ISO string or, as zap writes it, epoch seconds with a fraction (or integer ms/µs/ns).
 */
import type { FormatContext, LineFormat, LogRecord } from '../types';
import { isoOf, parseIsoStamp, stampFromEpochDigits } from '../timestamps';
import type { Stamp } from '../timestamps';
import { severityFromSyslog } from './common';
import { logrusRecord } from './gobgp';

type Json = Record<string, unknown>;

const TIME_KEYS = ['time', 'ts', 'timestamp', '@timestamp', 'T', 'datetime'];

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function createJsonFormat(): LineFormat {
  // Docker pieces of one long line, per stream, with the time and place of the first piece.
  const pending = new Map<string, { text: string; time: string; line: number; byteOffset: number }>();

  function docker(o: Json, ctx: FormatContext): LogRecord | 'consumed' | undefined {
    const text = str(o.log) ?? '';
    const time = str(o.time) ?? '';
    const stream = str(o.stream) ?? 'stdout';
    const prev = pending.get(stream);
    if (!text.endsWith('\n')) {
      if (prev) prev.text += text;
      else pending.set(stream, { text, time, line: ctx.line, byteOffset: ctx.byteOffset });
      if ((pending.get(stream)?.text.length ?? 0) > (1 << 20)) return flushDocker(stream, ctx);
      return 'consumed';
    }
    if (prev) {
      prev.text += text;
      return flushDocker(stream, ctx);
    }
    return dockerRecord(text, time, stream, ctx);
  }

  function flushDocker(stream: string, ctx: FormatContext): LogRecord | undefined {
    const p = pending.get(stream);
    pending.delete(stream);
    if (!p) return undefined;
    const rec = dockerRecord(p.text, p.time, stream, ctx);
    if (rec) {
      rec.line = p.line;
      rec.byteOffset = p.byteOffset;
    }
    return rec;
  }

  function dockerRecord(text: string, time: string, stream: string, ctx: FormatContext): LogRecord | undefined {
    const stamp = parseIsoStamp(time);
    if (!stamp) return undefined;
    const content = text.replace(/\r?\n$/, '');
    const inner = ctx.parseInner(content);
    const rec: LogRecord = { ...(inner ?? {}), stamp, timeText: time, format: 'docker-json', message: inner?.message ?? content };
    delete rec.lastStamp;
    if (!rec.severity && stream === 'stderr') rec.severity = 'warning';
    return rec;
  }

  return {
    name: 'json',
    parse(line: string, ctx: FormatContext) {
      if (line.charCodeAt(0) !== 123 /* { */ || line.charCodeAt(line.length - 1) !== 125 /* } */) return undefined;
      let o: unknown;
      try {
        o = JSON.parse(line);
      } catch {
        return undefined;
      }
      if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
      const obj = o as Json;
      if ('log' in obj && 'time' in obj) return docker(obj, ctx);
      if ('__REALTIME_TIMESTAMP' in obj) return journald(obj);
      const timeKey = TIME_KEYS.find((k) => typeof obj[k] === 'string' || typeof obj[k] === 'number');
      if (!timeKey) return undefined;
      const fields = new Map<string, string>();
      for (const [k, v] of Object.entries(obj)) {
        const s = str(v) ?? (v !== null && typeof v === 'object' ? JSON.stringify(v) : undefined);
        if (s !== undefined) fields.set(k, s);
      }
      const t = obj[timeKey];
      if (typeof t === 'number') {
        // zap / bunyan-style epoch numbers: seconds with a fraction, or integer ms / µs / ns by magnitude.
        const stamp = epochNumberStamp(t);
        if (!stamp) return undefined;
        fields.set(timeKey, isoOf({ sec: Date.UTC(stamp.year ?? 1970, stamp.month - 1, stamp.day, stamp.hour, stamp.minute, stamp.second) / 1000, nanos: stamp.nanos }));
      }
      const rec = logrusRecord(fields, timeKey, false);
      if (rec && typeof t === 'number') rec.timeText = String(t);
      return rec;
    },
    finish(ctx: FormatContext) {
      const out: LogRecord[] = [];
      for (const stream of [...pending.keys()]) {
        const r = flushDocker(stream, ctx);
        if (r) out.push(r);
      }
      return out;
    },
  };
}

function epochNumberStamp(t: number): Stamp | undefined {
  if (!Number.isFinite(t) || t <= 0) return undefined;
  const unit = t >= 1e17 ? 'ns' : t >= 1e14 ? 'us' : t >= 1e11 ? 'ms' : 's';
  const text = Number.isInteger(t) ? t.toFixed(0) : String(t);
  return /e/i.test(text) ? undefined : stampFromEpochDigits(text, unit);
}

function journald(o: Json): LogRecord | undefined {
  const us = str(o.__REALTIME_TIMESTAMP);
  const stamp = us ? stampFromEpochDigits(us, 'us') : undefined;
  if (!stamp || !us) return undefined;
  let message = o.MESSAGE;
  // journald stores non-UTF-8 messages as arrays of bytes.
  if (Array.isArray(message)) message = Buffer.from(message.filter((b): b is number => typeof b === 'number')).toString('utf8');
  const rec: LogRecord = { stamp, timeText: us, format: 'journald-json', message: str(message) ?? '' };
  const pri = str(o.PRIORITY);
  if (pri && /^[0-7]$/.test(pri)) rec.severity = severityFromSyslog(Number(pri));
  const host = str(o._HOSTNAME);
  if (host) rec.host = host;
  const proc = str(o.SYSLOG_IDENTIFIER) ?? str(o._COMM);
  if (proc) rec.process = proc;
  const container = str(o.CONTAINER_NAME);
  if (container) rec.container = container;
  return rec;
}

