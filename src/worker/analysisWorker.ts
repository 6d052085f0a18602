/**
 * The analysis worker (bundled to dist/worker.js): runs the same `core/analyze` as the CLI, off the extension
 * host's thread, so a 4 GB capture never blocks or bloats VS Code. The host starts one worker per job
 * (see client.ts), which lets it terminate a job that does not stop in time without touching the others.
 *
 * Progress is throttled to PROGRESS_INTERVAL_MS; phase changes always go through. Cancellation aborts the
 * signal handed to the core; the client terminates the thread if the core does not yield quickly enough.
 */
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { analyze } from '../core/analyze';
import { readCaptureFile } from '../core/capture/open';
import type { AnalyzeProgress, AnalyzeRequest } from '../core/model';
import { PROGRESS_INTERVAL_MS, type HostToWorker, type WorkerFailure, type WorkerToHost } from '../shared/protocol';

const port = parentPort;
if (!port) throw new Error('analysisWorker must run in a worker_threads Worker');

const controllers = new Map<number, AbortController>();

function post(message: WorkerToHost): void {
  port!.postMessage(message);
}

function failureOf(err: unknown): WorkerFailure {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return { name: err.name, message: err.message, stack: err.stack, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(err) };
}

function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (err instanceof Error && err.name === 'AbortError');
}

/** Forwards progress at most every PROGRESS_INTERVAL_MS, but every phase change at once. */
function throttledProgress(jobId: number): (p: AnalyzeProgress) => void {
  let last = 0;
  let lastPhase = '';
  return (p) => {
    const now = performance.now();
    if (p.phase === lastPhase && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    lastPhase = p.phase;
    post({ type: 'progress', jobId, progress: { ...p } });
  };
}

/**
 * Runs one job with its own abort signal and posts exactly one final message: the result `work` builds,
 * 'cancelled' when the signal fired, or 'failed' with the error flattened.
 */
async function runJob(
  jobId: number,
  work: (signal: AbortSignal, elapsedMs: () => number) => Promise<WorkerToHost>,
): Promise<void> {
  const controller = new AbortController();
  controllers.set(jobId, controller);
  const t0 = performance.now();
  try {
    const result = await work(controller.signal, () => performance.now() - t0);
    post(controller.signal.aborted ? { type: 'cancelled', jobId } : result);
  } catch (err) {
    if (isAbort(err, controller.signal)) post({ type: 'cancelled', jobId });
    else post({ type: 'failed', jobId, error: failureOf(err) });
  } finally {
    controllers.delete(jobId);
  }
}

function runAnalyze(jobId: number, request: AnalyzeRequest): Promise<void> {
  return runJob(jobId, async (signal, elapsedMs) => {
    const report = await analyze(request, { onProgress: throttledProgress(jobId), signal });
    return { type: 'report', jobId, report, elapsedMs: elapsedMs() };
  });
}

function runSummary(jobId: number, path: string): Promise<void> {
  const progress = throttledProgress(jobId);
  return runJob(jobId, async (signal, elapsedMs) => {
    // The summary needs no frame contents: the reader counts and checks records, the frames are ignored.
    const summary = await readCaptureFile(path, () => undefined, {
      signal,
      onProgress: (bytesDone, bytesTotal) => progress({ phase: 'captures', file: path, bytesDone, bytesTotal }),
    });
    return { type: 'capture-summary', jobId, summary, elapsedMs: elapsedMs() };
  });
}

port.on('message', (message: HostToWorker) => {
  switch (message.type) {
    case 'analyze':
      void runAnalyze(message.jobId, message.request);
      break;
    case 'summarize-capture':
      void runSummary(message.jobId, message.path);
      break;
    case 'cancel':
      controllers.get(message.jobId)?.abort();
      break;
  }
});
