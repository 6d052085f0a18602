/**
 * Writes reproducible synthetic log files of a requested total size, in the shapes the parsers meet in the field:
 * FRR bgpd, GoBGP (logrus text), kubelet klog, an application access log with response times and timeouts.
 * Most lines are ordinary chatter (not events), as in real logs; a few are BGP state changes and timeouts.
 */
import { openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom as mulberry32 } from '../src/core/correlate/random';

const START_MS = 1_764_000_000_000;

type LineMaker = (ms: number, rnd: () => number, i: number) => string;

function isoMicros(ms: number, extraUs: number): string {
  return new Date(ms).toISOString().replace('Z', `${String(extraUs).padStart(3, '0')}Z`);
}

function frrTime(ms: number): string {
  // FRR: "2025/11/24 16:00:00.123456" (local time written; the lab and the bench run in UTC)
  const d = new Date(ms).toISOString();
  return `${d.slice(0, 10).replace(/-/g, '/')} ${d.slice(11, 23)}456`;
}

function klogTime(ms: number): string {
  const d = new Date(ms).toISOString();
  return `${d.slice(5, 7)}${d.slice(8, 10)} ${d.slice(11, 23)}789`;
}

const makers: Record<string, LineMaker> = {
  'frr-bgpd.log': (ms, rnd, i) =>
    i % 500 === 0
      ? `${frrTime(ms)} BGP: [M59KS-A3ZXZ] %ADJCHANGE: neighbor 10.0.3.2(node-3) in vrf default ${rnd() < 0.5 ? 'Down Peer closed the session' : 'Up'}`
      : `${frrTime(ms)} BGP: [RZMGQ-A03CG] 10.0.3.2(node-3) rcvd UPDATE about 10.244.${i & 255}.0/24 IPv4 unicast -- DENIED due to: as-path contains our own AS;`,
  'gobgpd.log': (ms, _rnd, i) =>
    i % 400 === 0
      ? `time="${new Date(ms).toISOString()}" level=info msg="Peer Up" Key=10.0.2.1 State=BGP_FSM_OPENCONFIRM Topic=Peer`
      : `time="${new Date(ms).toISOString()}" level=debug msg="received update" Key=10.0.2.1 Topic=Peer attributes="[{Origin: i} 65000]" nlri="[10.${i & 255}.0.0/16]" withdrawals="[]"`,
  'kubelet.log': (ms, _rnd, i) =>
    i % 700 === 0
      ? `I${klogTime(ms)}    1234 kuberuntime_manager.go:1050] "Container kube-router failed liveness probe, will be restarted" pod="kube-system/kube-router-x7k2p"`
      : `I${klogTime(ms)}    1234 kubelet_node_status.go:${400 + (i % 90)}] "Fast updating node status as it just became ready" node="node-${i % 7}"`,
  'app.log': (ms, rnd, i) =>
    i % 300 === 0
      ? `${isoMicros(ms, i % 1000)} ERROR [http-nio-8080-exec-${i % 16}] c.e.api.Client - request GET /api/orders/${i} failed: java.net.SocketTimeoutException: Read timed out after 2000 ms`
      : `${isoMicros(ms, i % 1000)} INFO  [http-nio-8080-exec-${i % 16}] c.e.api.Client - GET /api/orders/${i} 200 ${Math.floor(5 + rnd() * 80)} ms`,
};

export interface GeneratedLogs {
  dir: string;
  files: string[];
  bytes: number;
  lines: number;
}

export function generateLogs(dir: string, targetBytes: number, seed: number): GeneratedLogs {
  const rnd = mulberry32(seed);
  const names = Object.keys(makers);
  const perFile = Math.ceil(targetBytes / names.length);
  const files: string[] = [];
  let bytes = 0;
  let lines = 0;
  for (const name of names) {
    const path = join(dir, name);
    files.push(path);
    const fd = openSync(path, 'w');
    const make = makers[name];
    let chunk: string[] = [];
    let chunkBytes = 0;
    let written = 0;
    let ms = START_MS;
    for (let i = 0; written + chunkBytes < perFile; i++) {
      const line = make(ms, rnd, i) + '\n';
      chunk.push(line);
      chunkBytes += line.length;
      lines++;
      ms += Math.floor(rnd() * 5);
      if (chunkBytes > 4 << 20) {
        written += writeSync(fd, chunk.join(''));
        chunk = [];
        chunkBytes = 0;
      }
    }
    if (chunk.length) written += writeSync(fd, chunk.join(''));
    closeSync(fd);
    bytes += written;
  }
  return { dir, files, bytes, lines };
}
