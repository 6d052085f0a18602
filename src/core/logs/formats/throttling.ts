/**
 * CPU throttling evidence, as counters sampled over time:
 * - cgroup `cpu.stat` snapshots, each after a time line, as a loop like
 *   `while :; do date -Ins; cat /sys/fs/cgroup/.../cpu.stat; sleep 1; done` writes them:
 *     2026-11-24T10:00:01,123456789+00:00        (or `# <time>`, or `@<epoch seconds>`)
 *     nr_periods 1200 / nr_throttled 30 / throttled_usec 450000   (v2; v1 writes throttled_time in ns)
 *   A `==> path <==` (head/tail) or `# /sys/fs/cgroup/...` line names the cgroup: one series per cgroup.
 *   Lines that carry the time themselves (`<time> nr_throttled 30`) work too.
 * - Prometheus text samples: `container_cpu_cfs_throttled_periods_total{namespace="x",pod="y",container="z"} 30 1764000000000`
 *   (with container_cpu_cfs_periods_total / container_cpu_cfs_throttled_seconds_total of the same series when present);
 *   samples without their own timestamp take the last time line.
 *
 * Each series' consecutive samples become one cpu-throttled event for the interval between them, carrying the rises
 * (throttledPeriods may be 0: that interval is known to be unthrottled). A counter that falls (cgroup re-created,
 * exporter restarted) starts a new baseline with a warning.
 */
import type { FormatContext, LineFormat, LogRecord } from '../types';
import type { Stamp } from '../timestamps';
import { ISO_STAMP_SRC, parseIsoStamp, stampFromEpochDigits } from '../timestamps';

interface Sample {
  key: string;
  stamp: Stamp;
  /** Comparable time (ms, zone-less stamps compared as if UTC: only differences within one series matter). */
  ms: number;
  timeText: string;
  line: number;
  byteOffset: number;
  throttled?: number;
  periods?: number;
  throttledUs?: number;
  labels: Partial<Pick<LogRecord, 'pod' | 'namespace' | 'container'>>;
}

const TIME_LINE = new RegExp(String.raw`^(?:#\s*)?(?:(${ISO_STAMP_SRC})|@?(\d{10})(?:\.(\d{1,9}))?)\s*$`);
const STAT_KEYS = /^(?:(\S+)\s+)?(nr_periods|nr_throttled|throttled_time|throttled_usec|nr_bursts|burst_usec|burst_time|usage_usec|user_usec|system_usec|core_sched\.force_idle_usec|wait_sum)\s+(\d+)\s*$/;
const PATH_LINE = /^(?:==> (.+) <==|#\s*(\/\S*cgroup\S*))\s*$/;
const PROM = /^(container_cpu_cfs_(?:throttled_periods|periods|throttled_seconds)_total)(?:\{([^}]*)\})?\s+(\S+)(?:\s+(-?\d+))?\s*$/;

function msOf(s: Stamp): number {
  return Date.UTC(s.year ?? 2000, s.month - 1, s.day, s.hour, s.minute, s.second) - (s.offsetMin ?? 0) * 60_000 + s.nanos / 1e6;
}

function labelsOf(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!text) return out;
  const re = /(\w+)="((?:[^"\\]|\\.)*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) out.set(m[1], m[2]);
  return out;
}

/** Pod/container names in a kubepods cgroup path are UIDs and container ids: keep the path as the container. */
function labelsFromPath(path: string): Sample['labels'] {
  return { container: path.replace(/\/cpu\.stat$/, '') };
}

export function createThrottlingFormat(): LineFormat {
  let time: { stamp: Stamp; text: string; line: number; byteOffset: number } | undefined;
  let cgroupKey = 'cgroup';
  const open = new Map<string, Sample>();
  const previous = new Map<string, Sample>();

  function close(key: string, ctx: FormatContext): LogRecord | undefined {
    const s = open.get(key);
    open.delete(key);
    if (!s || s.throttled === undefined) return undefined;
    const prev = previous.get(key);
    previous.set(key, s);
    if (!prev || prev.throttled === undefined) return undefined;
    if (s.throttled < prev.throttled || (s.periods ?? 0) < (prev.periods ?? 0)) {
      ctx.warn(`throttling counters of ${key} fell at line ${s.line} (counter reset): new baseline`);
      return undefined;
    }
    const rec: LogRecord = {
      stamp: s.stamp, timeText: s.timeText, format: key.startsWith('prom:') ? 'prometheus' : 'cgroup-cpu-stat',
      kind: 'cpu-throttled', final: true, line: s.line, byteOffset: s.byteOffset, ...s.labels,
      throttledPeriods: s.throttled - prev.throttled, intervalMs: Math.round(s.ms - prev.ms),
      message: '',
    };
    if (s.periods !== undefined && prev.periods !== undefined) rec.periods = s.periods - prev.periods;
    if (s.throttledUs !== undefined && prev.throttledUs !== undefined) rec.throttledMs = (s.throttledUs - prev.throttledUs) / 1000;
    rec.severity = rec.throttledPeriods ? 'warning' : 'info';
    rec.message = `${key.replace(/^prom:/, '')}: ${rec.throttledPeriods} throttled periods` +
      (rec.periods !== undefined ? ` of ${rec.periods}` : '') +
      (rec.throttledMs !== undefined ? `, ${rec.throttledMs} ms throttled` : '') + ` in ${rec.intervalMs} ms`;
    return rec;
  }

  /** Adds a counter value to the series' sample at that time, closing the series' previous sample. */
  function add(key: string, stamp: Stamp, timeText: string, labels: Sample['labels'], ctx: FormatContext, at: { line: number; byteOffset: number }): { sample: Sample; done?: LogRecord } {
    const ms = msOf(stamp);
    let s = open.get(key);
    let done: LogRecord | undefined;
    if (s && s.ms !== ms) {
      done = close(key, ctx);
      s = undefined;
    }
    if (!s) {
      s = { key, stamp, ms, timeText, line: at.line, byteOffset: at.byteOffset, labels };
      open.set(key, s);
    }
    return { sample: s, done };
  }

  return {
    name: 'throttling',
    parse(line: string, ctx: FormatContext) {
      const t = TIME_LINE.exec(line);
      if (t) {
        const stamp = t[1] ? parseIsoStamp(t[1]) : stampFromEpochDigits(`${t[2]}${t[3] ? `.${t[3]}` : ''}`, 's');
        if (!stamp) return undefined;
        time = { stamp, text: t[1] ?? line.trim(), line: ctx.line, byteOffset: ctx.byteOffset };
        return 'consumed';
      }
      const p = PATH_LINE.exec(line);
      if (p) {
        const done = close(cgroupKey, ctx);
        cgroupKey = p[1] ?? p[2];
        return done ?? 'consumed';
      }
      const k = STAT_KEYS.exec(line);
      if (k) {
        const own = k[1] ? parseIsoStamp(k[1]) : undefined;
        if (k[1] && !own) return undefined;
        const at = own ? { stamp: own, text: k[1], line: ctx.line, byteOffset: ctx.byteOffset } : time;
        if (!at) return undefined;
        const { sample, done } = add(cgroupKey, at.stamp, at.text, labelsFromPath(cgroupKey), ctx, at);
        const v = Number(k[3]);
        if (k[2] === 'nr_throttled') sample.throttled = v;
        else if (k[2] === 'nr_periods') sample.periods = v;
        else if (k[2] === 'throttled_usec') sample.throttledUs = v;
        else if (k[2] === 'throttled_time') sample.throttledUs = v / 1000;
        return done ?? 'consumed';
      }
      const pm = PROM.exec(line);
      if (pm) {
        const value = Number(pm[3]);
        if (!Number.isFinite(value)) return 'consumed';
        const stamp = pm[4] ? stampFromEpochDigits(pm[4], 'ms') : time?.stamp;
        if (!stamp) {
          ctx.warn(`Prometheus sample without a timestamp and no time line before it (line ${ctx.line})`);
          return 'consumed';
        }
        const labels = labelsOf(pm[2]);
        const key = `prom:${[...labels].filter(([n]) => n !== '__name__').map(([n, v]) => `${n}=${v}`).sort().join(',')}`;
        const lab: Sample['labels'] = {};
        if (labels.get('pod')) lab.pod = labels.get('pod');
        if (labels.get('namespace')) lab.namespace = labels.get('namespace');
        if (labels.get('container')) lab.container = labels.get('container');
        const at = pm[4] ? { line: ctx.line, byteOffset: ctx.byteOffset } : time ?? { line: ctx.line, byteOffset: ctx.byteOffset };
        const { sample, done } = add(key, stamp, pm[4] ?? time?.text ?? '', lab, ctx, at);
        if (pm[1].endsWith('throttled_periods_total')) sample.throttled = value;
        else if (pm[1].endsWith('_periods_total')) sample.periods = value;
        else sample.throttledUs = value * 1e6;
        return done ?? 'consumed';
      }
      if (/^# (?:HELP|TYPE) container_cpu_cfs_/.test(line)) return 'consumed';
      return undefined;
    },
    finish(ctx: FormatContext) {
      const out: LogRecord[] = [];
      for (const key of [...open.keys()]) {
        const r = close(key, ctx);
        if (r) out.push(r);
      }
      return out;
    },
  };
}
