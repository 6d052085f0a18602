/**
 * A measurement, not a test (memory is never asserted in tests): the extension host's memory while the real analysis
 * worker (dist/worker.js, build it first) reads a capture of any size. The host thread's heap and ArrayBuffers are
 * sampled every 100 ms; the process RSS includes the worker thread's own memory.
 *   node --import tsx test/fuzz/hostMemory.ts [bytes, default 4.2e9]
 */
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCapture } from '../../bench/generateCapture';
import { AnalysisWorkerClient } from '../../src/worker/client';
import { repoRoot } from './seeds';

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 4.2e9);
  const path = join(tmpdir(), `il-host-memory-${process.pid}.pcap`);
  try {
    let t = Date.now();
    generateCapture(path, 'pcap', size, 7);
    process.stdout.write(`generated ${(statSync(path).size / 1e9).toFixed(2)} GB in ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
    const base = process.memoryUsage();
    const peak = { ...base };
    const timer = setInterval(() => {
      const m = process.memoryUsage();
      peak.rss = Math.max(peak.rss, m.rss);
      peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
      peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
    }, 100);
    const client = new AnalysisWorkerClient({ workerPath: join(repoRoot, 'dist', 'worker.js'), resourceLimits: { maxOldGenerationSizeMb: 4096 } });
    t = Date.now();
    const report = await client.analyze({ paths: [path] }).result;
    clearInterval(timer);
    await client.dispose();
    const mb = (x: number): string => `${(x / 1048576).toFixed(0)} MB`;
    const input = report.inputs[0];
    process.stdout.write(`analysed in ${((Date.now() - t) / 1000).toFixed(0)} s: ${input?.kind === 'capture' ? input.packets : 0} packets, ${report.loops.length} loops\n`);
    process.stdout.write(`host thread heap ${mb(base.heapUsed)} -> peak ${mb(peak.heapUsed)}, ArrayBuffers ${mb(base.arrayBuffers)} -> peak ${mb(peak.arrayBuffers)}; ` +
      `process RSS (worker included) ${mb(base.rss)} -> peak ${mb(peak.rss)}\n`);
  } finally {
    rmSync(path, { force: true });
  }
}

void main();
