/**
 * Kubernetes line formats:
 * - klog (kubelet, kube-router, most control-plane components): `I1124 10:00:01.123456    1234 file.go:42] msg`
 *   (severity letter, month+day, no year, no zone; structured messages carry pod="ns/name" containerName="x").
 * - CRI container log files (/var/log/pods/...): `2026-11-24T10:00:01.123456789Z stdout F text`; `P` marks a
 *   partial line continued by the next line of the same stream, `F` the end of it.
 * And the classifier for what kubelet and kube-router say (probes, kills, restarts, start-up).
 */
import type { EventKind, Severity } from '../../model/events';
import type { Classification, Classifier, ClassifierAnchors, FormatContext, LineFormat, LogRecord } from '../types';
import { digits2, nanosAt, parseIsoStamp, stampOfNanos } from '../timestamps';

const KLOG_SEVERITY: Record<string, Severity> = { I: 'info', W: 'warning', E: 'error', F: 'critical' };
// Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg
const KLOG = /^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d{6}\s+\d+ [^\s\]]+:\d+\] ?.*$/;

export function createKlogFormat(): LineFormat {
  return {
    name: 'klog',
    parse(line: string): LogRecord | undefined {
      // The pattern checks the shape; the fields are then read at their fixed places (no match array, no
      // substrings per field: this runs on every line of a kubelet log).
      if (!KLOG.test(line)) return undefined;
      const stamp = stampOfNanos(undefined, digits2(line, 1), digits2(line, 3), digits2(line, 6), digits2(line, 9), digits2(line, 12), nanosAt(line, 15, 21));
      if (!stamp) return undefined;
      // No character between the fraction and the header's ']' can be a ']' (see KLOG); one space may follow it.
      let start = line.indexOf(']', 21) + 1;
      if (line.charCodeAt(start) === 32) start++;
      const message = line.slice(start);
      const rec: LogRecord = { stamp, timeText: line.slice(1, 21), format: 'klog', severity: KLOG_SEVERITY[line[0]], message };
      kubeObjectFields(message, rec);
      return rec;
    },
  };
}

/** pod="ns/name", containerName="x" / container="x" in klog structured messages, set on `out`. */
export function kubeObjectFields(msg: string, out: Partial<LogRecord> = {}): Partial<LogRecord> {
  // older kubelet: "kube-router-x7k2p_kube-system(6f1c...):kube-router"
  const legacy = msg.includes('):') ? /"([a-z0-9][-a-z0-9.]*)_([a-z0-9][-a-z0-9]*)\([0-9a-f-]+\):([a-z0-9][-a-z0-9]*)"/.exec(msg) : null;
  if (legacy) {
    out.pod = legacy[1];
    out.namespace = legacy[2];
    out.container = legacy[3];
  }
  // (Substring tests first: most klog messages name no pod, and a substring search is cheaper than a pattern.)
  const pod = msg.includes('pod="') ? /\bpod="([^"/]+)\/([^"]+)"/.exec(msg) : null;
  if (pod) {
    out.namespace = pod[1];
    out.pod = pod[2];
  }
  const container = msg.includes('container') ? /\b(?:containerName|container)="([^"]+)"/.exec(msg) : null;
  if (container) out.container = container[1];
  return out;
}

const CRI = /^(\d{4}-\d\d-\d\dT\S+) (stdout|stderr) ([PF])(?: (.*))?$/;

export function createCriFormat(): LineFormat {
  const partial = new Map<string, { text: string; line: number; byteOffset: number; time: string }>();
  return {
    name: 'cri',
    parse(line: string, ctx: FormatContext) {
      const m = CRI.exec(line);
      if (!m) return undefined;
      const stamp = parseIsoStamp(m[1]);
      if (!stamp) return undefined;
      const [, time, stream, tag, text = ''] = m;
      const prev = partial.get(stream);
      if (tag === 'P') {
        if (prev) prev.text += text;
        else partial.set(stream, { text, line: ctx.line, byteOffset: ctx.byteOffset, time });
        return 'consumed';
      }
      partial.delete(stream);
      const full = prev ? prev.text + text : text;
      const inner = ctx.parseInner(full);
      // The CRI time of the first piece is when the container wrote the line; it has a year and a zone, the inner one may not.
      const first = prev ? parseIsoStamp(prev.time) ?? stamp : stamp;
      const rec: LogRecord = { ...(inner ?? {}), stamp: first, timeText: prev ? prev.time : time, format: 'cri', message: inner?.message ?? full };
      if (!rec.severity && stream === 'stderr') rec.severity = 'warning';
      if (prev) {
        rec.line = prev.line;
        rec.byteOffset = prev.byteOffset;
      }
      return rec;
    },
    finish(ctx: FormatContext) {
      const out: LogRecord[] = [];
      for (const [, p] of partial) {
        const stamp = parseIsoStamp(p.time);
        if (!stamp) continue;
        ctx.warn(`partial (P) line at line ${p.line} never completed by an F line`);
        out.push({ stamp, timeText: p.time, format: 'cri', message: p.text, line: p.line, byteOffset: p.byteOffset });
      }
      partial.clear();
      return out;
    },
  };
}

/** Kubernetes Event reasons (kubectl get events, describe) -> kinds. */
export function kindFromReason(reason: string, message: string, count: number): EventKind {
  switch (reason) {
    case 'Unhealthy':
      return 'probe-failed';
    case 'Killing':
      return /will be restarted/.test(message) ? 'container-restart' : 'pod-killed';
    case 'BackOff':
    case 'CrashLoopBackOff':
      return /restarting/i.test(message) || reason === 'CrashLoopBackOff' ? 'container-restart' : 'other';
    case 'OOMKilling':
    case 'Evicted':
    case 'Evicting':
    case 'Preempting':
    case 'TaintManagerEviction':
      return 'pod-killed';
    case 'Started':
      // A container started more than once has restarted; a single start is not a restart.
      return count > 1 ? 'container-restart' : 'other';
    default:
      return 'other';
  }
}

interface KubeRule {
  re: RegExp;
  kind: EventKind;
  toState?: string;
}

const KUBE_RULES: KubeRule[] = [
  // structured kubelet ("Probe failed" probeType=...) and older kubelet (Liveness probe for "pod_ns(uid):c" failed (failure): ...)
  { re: /"Probe failed"|\bProbe failed\b|probe failed:|\b(?:Liveness|Readiness|Startup) probe for "[^"]*" failed\b/, kind: 'probe-failed' },
  { re: /failed (?:liveness|startup) probe, will be restarted/, kind: 'container-restart' },
  // "Back-off restarting failed container" (event text) and "back-off 5m0s restarting failed container=x pod=..." (kubelet)
  { re: /[Bb]ack-off(?: \S+)? restarting failed container/, kind: 'container-restart' },
  { re: /Killing container with (?:a grace period|id)\b/, kind: 'container-restart' },
  { re: /"Killing unwanted pod"|"SyncLoop DELETE"|Evicted pod|"Evicting pod"/, kind: 'pod-killed' },
  { re: /"Type":"ContainerDied"/, kind: 'container-restart', toState: 'exited' },
  { re: /"Type":"ContainerStarted"/, kind: 'container-restart', toState: 'running' },
  // kube-router at start-up (its version line) and on SIGTERM. Its GoBGP logs through logrus in the same stream
  // (time="..." level=... msg="Peer Down" Key=...): the logfmt format reads those lines.
  { re: /^Running \S*kube-router\b|^Starting kube-router\b|kube-router version/, kind: 'process-restart', toState: 'started' },
  { re: /^Shutting down (?:the controllers|kube-router|all controllers)|Received signal terminated|"Shutting down"/, kind: 'process-restart', toState: 'stopping' },
];

/** Words every rule above contains: one scan rules out the chatter before the rules run. */
const ANY_KUBE = /[Pp]robe|[Bb]ack-off|Killing|SyncLoop|Evict|Container(?:Died|Started)|kube-router|Shutting down|signal terminated/;

/** The classifier returns nothing unless ANY_KUBE matches. */
export const kubeAnchors: ClassifierAnchors = { anywhere: [ANY_KUBE.source] };

export const kubeClassifier: Classifier = (message, rec) => {
  if (rec.format !== 'klog' && rec.format !== 'cri' && rec.format !== 'docker-json' && !message.includes('pod=')) {
    // Kubelet messages are klog; elsewhere only the unmistakable ones count.
    if (!/[Bb]ack-off(?: \S+)? restarting failed container|failed (?:liveness|startup) probe, will be restarted/.test(message)) return undefined;
  }
  if (!ANY_KUBE.test(message)) return undefined;
  for (const r of KUBE_RULES) {
    if (!r.re.test(message)) continue;
    const c: Classification = { kind: r.kind, ...kubeObjectFields(message) };
    if (r.toState) c.toState = r.toState;
    if (r.kind === 'process-restart' && /kube-router|the controllers/.test(message)) c.process = 'kube-router';
    return c;
  }
  return undefined;
};
