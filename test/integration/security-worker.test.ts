/**
 * The host survives its workers: a job whose thread runs out of memory or throws ends as a typed error, a job
 * running beside it finishes, and the same client analyses again afterwards. And the host never holds a file's
 * bytes: with the real worker (dist/worker.js + core) on a generated 60 MB capture, every message the host
 * receives is a protocol message without a binary buffer in it, the only large one being the Report.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { generateCapture } from '../../bench/generateCapture';
import { AnalysisWorkerClient, WorkerCrashedError } from '../../src/worker/client';

const root = join(__dirname, '..', '..');

/** Every ArrayBuffer / typed array / Buffer reachable from `v` (a structured-clone message). */
function binaries(v: unknown, path = '$', out: string[] = []): string[] {
  if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) out.push(`${path}: ${(v as ArrayBuffer).byteLength} bytes`);
  else if (Array.isArray(v)) v.forEach((x, i) => typeof x === 'object' && x !== null && binaries(x, `${path}[${i}]`, out));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) binaries(x, `${path}.${k}`, out);
  return out;
}

describe('security: the worker boundary', function () {
  this.timeout(120_000);
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'il-sec-worker-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a thread that runs out of memory or throws takes down only its job: the neighbour finishes, the next job runs', async () => {
    // One script, three behaviours chosen by the request's path: exhaust the heap, throw, or answer after 200 ms.
    const workerPath = join(dir, 'moody.js');
    writeFileSync(workerPath, `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.type !== 'analyze') return;
  const p = m.request.paths[0];
  if (p === '/oom') { const keep = []; for (;;) keep.push(new Array(1e5).fill({ x: Math.random() })); }
  if (p === '/throw') setTimeout(() => { throw new Error('a bug in the core'); }, 10);
  else setTimeout(() => parentPort.postMessage({ type: 'report', jobId: m.jobId, report: { paths: m.request.paths }, elapsedMs: 1 }), 200);
});`);
    const lines: string[] = [];
    const client = new AnalysisWorkerClient({ workerPath, resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 }, log: (l) => lines.push(l) });
    const neighbour = client.analyze({ paths: ['/ok-1'] });
    const oom = client.analyze({ paths: ['/oom'] });
    const thrower = client.analyze({ paths: ['/throw'] });
    const [n, o, t] = await Promise.allSettled([neighbour.result, oom.result, thrower.result]);
    assert.deepEqual(n, { status: 'fulfilled', value: { paths: ['/ok-1'] } });
    assert.ok(o.status === 'rejected' && o.reason instanceof WorkerCrashedError && o.reason.reason === 'out-of-memory', String((o as PromiseRejectedResult).reason));
    assert.match((o as PromiseRejectedResult).reason.message, /ran out of memory/, 'says so');
    assert.ok(t.status === 'rejected' && t.reason instanceof WorkerCrashedError && t.reason.reason === 'uncaught-error');
    assert.match(t.reason.message, /a bug in the core/);
    // The same client, after both crashes:
    assert.deepEqual(await client.analyze({ paths: ['/ok-2'] }).result, { paths: ['/ok-2'] });
    await client.dispose();
  });

  it('the host receives no file bytes: progress and one Report, no binary buffer, whatever the capture size', async () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--only=worker'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const capture = generateCapture(join(dir, 'big.pcapng'), 'pcapng', 60e6, 5).path;
    const size = statSync(capture).size;
    // Every message a worker thread delivers to this (host) thread passes through Worker#emit('message', ...).
    const received: unknown[] = [];
    const emit = Worker.prototype.emit;
    Worker.prototype.emit = function (this: Worker, event: string | symbol, ...args: unknown[]) {
      if (event === 'message') received.push(args[0]);
      return emit.call(this, event, ...args);
    } as typeof emit;
    const client = new AnalysisWorkerClient({ workerPath: join(root, 'dist', 'worker.js') });
    try {
      const report = await client.analyze({ paths: [capture] }).result;
      assert.ok(report.loops.length > 0, 'the capture was analysed');
    } finally {
      Worker.prototype.emit = emit;
      await client.dispose();
    }
    const types = received.map((m) => (m as { type: string }).type);
    assert.deepEqual([...new Set(types)].sort(), ['progress', 'report']);
    assert.deepEqual(received.flatMap((m) => binaries(m)), []);
    const progressChars = received.filter((m) => (m as { type: string }).type === 'progress').reduce((n: number, m) => n + JSON.stringify(m).length, 0);
    const reportChars = JSON.stringify(received.find((m) => (m as { type: string }).type === 'report')).length;
    console.log(`      ${(size / 1e6).toFixed(0)} MB capture: the host received ${types.length} messages, ${(progressChars / 1e3).toFixed(1)} kB of progress and a ${(reportChars / 1e6).toFixed(2)} MB Report`);
    assert.ok(reportChars + progressChars < size / 4, 'what crosses to the host is a summary, not the file');
  });
});
