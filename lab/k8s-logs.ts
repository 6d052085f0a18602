/**
 * Writes the restarts of the node's BGP speaker as Kubernetes would have recorded them, from the driver's log:
 *   logs/kubelet.log   klog lines of the kubelet on node-1 (liveness kill, PLEG ContainerDied / ContainerStarted)
 *   logs/events.json   `kubectl get events -n kube-system -o json`: events folded by reason+message with a count,
 *                      first/last timestamps in whole seconds, eventTime null, as kubelet's core/v1 events are.
 * The kubelet sees a container die or start only at its next PLEG relist (every second), so those lines lag the
 * real instants by up to 1 s; truth.json keeps the real instants.
 *
 * Usage: node --import tsx lab/k8s-logs.ts <out-dir>
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findEvent, readDriverLog, restartsOf } from './driver-log';

const outDir = process.argv[2];
if (!outDir) throw new Error('usage: k8s-logs.ts <out-dir>');

const NODE = 'node-1';
const NAMESPACE = 'kube-system';
const POD = 'kube-router-x7k2p';
const CONTAINER = 'kube-router';
const IMAGE = 'docker.io/cloudnativelabs/kube-router:v2.2.1';
const KUBELET_PID = 1187;
const RELIST_US = 1_000_000;
const HEALTHZ = 'http://127.0.0.1:20244/healthz';

const hex = (seed: string, n: number): string => createHash('sha256').update(seed).digest('hex').slice(0, n);
const POD_UID = (() => {
  const h = hex(POD, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
})();
const containerId = (generation: number): string => hex(`${POD}/${CONTAINER}/${generation}`, 64);

const events = readDriverLog(outDir);
const restarts = restartsOf(events);
const firstStartUs = findEvent(events, 'start').timeUs;
// The relist grid: a fixed phase, as a kubelet started long before the incident would have.
const relistPhaseUs = (firstStartUs - 317_000) % RELIST_US;
const nextRelist = (us: number): number => us + RELIST_US - ((us - relistPhaseUs) % RELIST_US);

interface KlogLine {
  us: number;
  severity: 'I' | 'W' | 'E';
  file: string;
  text: string;
}
const lines: KlogLine[] = [];
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
/** klog header: Lmmdd hh:mm:ss.uuuuuu threadid file:line] (no year, no zone; UTC here). */
function klog(l: KlogLine): string {
  const d = new Date(Math.floor(l.us / 1000));
  const head =
    `${l.severity}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(l.us % 1_000_000, 6)}`;
  return `${head} ${String(KUBELET_PID).padStart(7)} ${l.file}] ${l.text}`;
}
const podRef = `pod="${NAMESPACE}/${POD}"`;
const pleg = (us: number, type: string, generation: number): KlogLine => ({
  us: nextRelist(us),
  severity: 'I',
  file: 'kubelet.go:2453',
  text: `"SyncLoop (PLEG): event for pod" ${podRef} event={"ID":"${POD_UID}","Type":"${type}","Data":"${containerId(generation)}"}`,
});

interface K8sEvent {
  us: number;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}
const k8sEvents: K8sEvent[] = [];
const started = (us: number): void => {
  k8sEvents.push(
    { us, type: 'Normal', reason: 'Pulled', message: `Container image "${IMAGE}" already present on machine` },
    { us, type: 'Normal', reason: 'Created', message: `Created container ${CONTAINER}` },
    { us, type: 'Normal', reason: 'Started', message: `Started container ${CONTAINER}` },
  );
};

lines.push(pleg(firstStartUs, 'ContainerStarted', 0));
started(firstStartUs);
for (const r of restarts) {
  if (r.signal === 'SIGTERM') {
    // A restart the kubelet decides on: the liveness probe failed, the container gets SIGTERM and a grace period.
    const probe = `Get "${HEALTHZ}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`;
    lines.push(
      {
        us: r.killUs - 2_150,
        severity: 'I',
        file: 'prober.go:107',
        text: `"Probe failed" probeType="Liveness" ${podRef} podUID="${POD_UID}" containerName="${CONTAINER}" probeResult="failure" output="${probe.replace(/"/g, '\\"')}"`,
      },
      {
        us: r.killUs - 1_020,
        severity: 'I',
        file: 'kuberuntime_manager.go:1010',
        text: `"Message for Container of pod" containerName="${CONTAINER}" containerStatusID={"Type":"containerd","ID":"${containerId(r.n - 1)}"} ${podRef} containerMessage="Container ${CONTAINER} failed liveness probe, will be restarted"`,
      },
      {
        us: r.killUs - 310,
        severity: 'I',
        file: 'kuberuntime_container.go:779',
        text: `"Killing container with a grace period" ${podRef} podUID="${POD_UID}" containerName="${CONTAINER}" containerID="containerd://${containerId(r.n - 1)}" gracePeriod=30`,
      },
    );
    k8sEvents.push(
      { us: r.killUs - 2_150, type: 'Warning', reason: 'Unhealthy', message: `Liveness probe failed: ${probe}` },
      { us: r.killUs, type: 'Normal', reason: 'Killing', message: `Container ${CONTAINER} failed liveness probe, will be restarted` },
    );
  }
  // SIGKILL stands for a crash (exit 137): nothing is logged before the container is seen dead.
  lines.push(pleg(r.exitUs, 'ContainerDied', r.n - 1), pleg(r.startUs, 'ContainerStarted', r.n));
  started(r.startUs);
}

lines.sort((a, b) => a.us - b.us);
writeFileSync(join(outDir, 'logs', 'kubelet.log'), lines.map(klog).join('\n') + '\n');

/** RFC 3339 in whole seconds, as core/v1 Event timestamps are serialised. */
const seconds = (us: number): string => new Date(Math.floor(us / 1_000_000) * 1000).toISOString().replace('.000Z', 'Z');
const folded = new Map<string, { first: K8sEvent; last: K8sEvent; count: number }>();
for (const e of k8sEvents.sort((a, b) => a.us - b.us)) {
  const key = `${e.reason}\u0000${e.message}`;
  const f = folded.get(key);
  if (f) {
    f.last = e;
    f.count++;
  } else folded.set(key, { first: e, last: e, count: 1 });
}
const items = [...folded.values()].map(({ first, last, count }) => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: {
    name: `${POD}.${hex(first.reason + first.message, 16)}`,
    namespace: NAMESPACE,
    uid: hex(`event/${first.reason}/${first.message}`, 32).replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-'),
    resourceVersion: String(41000 + count),
    creationTimestamp: seconds(first.us),
  },
  involvedObject: {
    kind: 'Pod',
    namespace: NAMESPACE,
    name: POD,
    uid: POD_UID,
    apiVersion: 'v1',
    resourceVersion: '40817',
    fieldPath: `spec.containers{${CONTAINER}}`,
  },
  reason: first.reason,
  message: first.message,
  source: { component: 'kubelet', host: NODE },
  firstTimestamp: seconds(first.us),
  lastTimestamp: seconds(last.us),
  count,
  type: first.type,
  eventTime: null,
  reportingComponent: 'kubelet',
  reportingInstance: NODE,
}));
const list = { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
writeFileSync(join(outDir, 'logs', 'events.json'), JSON.stringify(list, null, 4) + '\n');
