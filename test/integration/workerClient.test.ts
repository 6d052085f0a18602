/**
 * The worker client against real worker threads that misbehave on purpose: one throws, one runs out of
 * memory under the client's resourceLimits, one ignores cancellation, one is not there. Each must end as a
 * typed error (never a hang, never an exception in the host), and the client must keep working afterwards.
 * The real analysis worker (dist/worker.js + the core) is tested in worker.test.ts.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  AnalysisCancelledError,
  AnalysisFailedError,
  AnalysisWorkerClient,
  WorkerCrashedError,
} from '../../src/worker/client';

let dir: string;

/** A worker script in CommonJS that answers the protocol as `body` says. */
function workerFile(name: string, body: string): string {
  const file = join(dir, `${name}.js`);
  writeFileSync(file, `const { parentPort } = require('node:worker_threads');\n${body}\n`);
  return file;
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  assert.fail('expected a rejection');
}

const request = { paths: ['/nowhere.pcap'] };

describe('worker client: misbehaving workers', function () {
  this.timeout(30_000);
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'il-worker-client-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('turns a worker that throws into WorkerCrashedError("uncaught-error") and logs the stack', async () => {
    const lines: string[] = [];
    const client = new AnalysisWorkerClient({
      workerPath: workerFile('throws', `parentPort.on('message', () => { throw new Error('boom in the core'); });`),
      log: (l) => lines.push(l),
    });
    const err = await rejection(client.analyze(request).result);
    assert.ok(err instanceof WorkerCrashedError, String(err));
    assert.equal(err.reason, 'uncaught-error');
    assert.match(err.message, /crashed: boom in the core/);
    assert.ok(lines.some((l) => l.includes('worker error: Error: boom in the core')), lines.join('\n'));
    assert.equal(client.running, 0);
  });

  it('turns an out-of-memory worker into WorkerCrashedError("out-of-memory") under its heap limit', async () => {
    const client = new AnalysisWorkerClient({
      workerPath: workerFile('oom', `parentPort.on('message', () => { const keep = []; for (;;) keep.push(new Array(1e5).fill({ x: Math.random() })); });`),
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 },
    });
    const err = await rejection(client.analyze(request).result);
    assert.ok(err instanceof WorkerCrashedError, String(err));
    assert.equal(err.reason, 'out-of-memory');
    assert.match(err.message, /ran out of memory/);
  });

  it('passes a core failure through as AnalysisFailedError with the worker-side message', async () => {
    const client = new AnalysisWorkerClient({
      workerPath: workerFile(
        'fails',
        `parentPort.on('message', (m) => parentPort.postMessage({ type: 'failed', jobId: m.jobId, error: { name: 'Error', message: "EACCES: permission denied, open '/c/x.pcap'", code: 'EACCES' } }));`,
      ),
    });
    const err = await rejection(client.analyze(request).result);
    assert.ok(err instanceof AnalysisFailedError);
    assert.equal(err.failure.code, 'EACCES');
    assert.match(err.message, /\/c\/x\.pcap/);
  });

  it('terminates a worker that ignores cancel after the grace period, and reports the time taken', async () => {
    const client = new AnalysisWorkerClient({
      workerPath: workerFile(
        'stubborn',
        `parentPort.on('message', (m) => { if (m.type !== 'analyze') return;
           parentPort.postMessage({ type: 'progress', jobId: m.jobId, progress: { phase: 'captures', bytesDone: 1, bytesTotal: 10 } });
           for (;;) {} });`,
      ),
      cancelGraceMs: 50,
    });
    const progress: number[] = [];
    const job = client.analyze(request, { onProgress: (p) => progress.push(p.bytesDone) });
    while (progress.length === 0) await new Promise((r) => setTimeout(r, 5));
    const t0 = performance.now();
    await job.cancel();
    const ms = performance.now() - t0;
    console.log(`      cancel of a busy-looping worker: thread gone after ${ms.toFixed(1)} ms (grace 50 ms)`);
    const err = await rejection(job.result);
    assert.ok(err instanceof AnalysisCancelledError);
    assert.equal(client.running, 0);
    assert.ok(job.done);
  });

  it('reports a worker file that cannot be loaded as a crash, not an exception in the host', async () => {
    const client = new AnalysisWorkerClient({ workerPath: join(dir, 'missing.js') });
    const err = await rejection(client.analyze(request).result);
    assert.ok(err instanceof WorkerCrashedError, String(err));
    assert.match(err.message, /missing\.js|Cannot find module/);
  });

  it('runs several jobs at once, each in its own thread, and cancelling one leaves the others', async () => {
    const client = new AnalysisWorkerClient({
      workerPath: workerFile(
        'echo',
        `parentPort.on('message', (m) => { if (m.type === 'analyze') setTimeout(() => parentPort.postMessage({ type: 'report', jobId: m.jobId, report: { paths: m.request.paths }, elapsedMs: 1 }), 150);
           if (m.type === 'cancel') parentPort.postMessage({ type: 'cancelled', jobId: m.jobId }); });`,
      ),
    });
    const a = client.analyze({ paths: ['/a'] });
    const b = client.analyze({ paths: ['/b'] });
    const c = client.analyze({ paths: ['/c'] });
    assert.equal(client.running, 3);
    await b.cancel();
    const [ra, rb, rc] = await Promise.allSettled([a.result, b.result, c.result]);
    assert.deepEqual(ra, { status: 'fulfilled', value: { paths: ['/a'] } });
    assert.ok(rb.status === 'rejected' && rb.reason instanceof AnalysisCancelledError);
    assert.deepEqual(rc, { status: 'fulfilled', value: { paths: ['/c'] } });
    // Threads end shortly after their job settles (terminate is asynchronous; slower on a loaded machine).
    for (let waited = 0; client.running > 0 && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    assert.equal(client.running, 0, 'every thread ends with its job');
  });
});
