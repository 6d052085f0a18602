/**
 * The host's handle on analysis workers. No `vscode` import: the extension wraps it, tests drive it directly.
 *
 * One worker thread per job. Starting a thread costs tens of milliseconds, which is nothing next to an
 * analysis, and it buys two things a shared worker cannot give: a job that ignores its abort signal can be
 * terminated without killing its neighbours, and a job that runs out of memory takes down only itself.
 *
 * Outcomes of a job, as the `result` promise reports them:
 *  - resolves with the Report (or CaptureSummary);
 *  - rejects with AnalysisCancelledError as soon as cancel() is called (the thread then stops by itself, or is
 *    terminated after a grace period);
 *  - rejects with AnalysisFailedError when the core threw (a bug or an unreadable input it could not turn into a problem);
 *  - rejects with WorkerCrashedError when the thread died: out of memory (resourceLimits) or an uncaught error.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { AnalyzeProgress, AnalyzeRequest, Report } from '../core/model';
import type { CaptureSummary } from '../core/capture/types';
import type { HostToWorker, WorkerFailure, WorkerToHost } from '../shared/protocol';

export class AnalysisCancelledError extends Error {
  override name = 'AnalysisCancelledError';
  constructor(readonly jobId: number) {
    super('The analysis was cancelled.');
  }
}

/** The core threw inside the worker. `failure` keeps the worker-side name, message and stack for the log. */
export class AnalysisFailedError extends Error {
  override name = 'AnalysisFailedError';
  constructor(readonly failure: WorkerFailure) {
    super(failure.message);
  }
}

export type CrashReason = 'out-of-memory' | 'uncaught-error' | 'unexpected-exit' | 'start-failed';

/** The worker thread died before answering. The extension host itself is unaffected. */
export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError';
  constructor(
    readonly reason: CrashReason,
    message: string,
    readonly exitCode: number | null,
    readonly detail?: string,
  ) {
    super(message);
  }
}

export interface WorkerClientOptions {
  /** Absolute path of the bundled worker (dist/worker.js). */
  workerPath: string;
  /** Heap caps for each worker; an analysis that exceeds them ends as WorkerCrashedError('out-of-memory'). */
  resourceLimits?: ResourceLimits;
  /** How long a cancelled job may take to stop by itself before its thread is terminated, ms. */
  cancelGraceMs?: number;
  /** Where lifecycle lines go (the extension's OutputChannel; a test's array). */
  log?: (line: string) => void;
}

export interface JobHandle<T> {
  readonly id: number;
  /** Settles once: with the result, or with one of the errors above. */
  readonly result: Promise<T>;
  /**
   * Stops the job: `result` rejects with AnalysisCancelledError at once; the returned promise resolves when the
   * thread is gone. Safe to call more than once or after the end.
   */
  cancel(): Promise<void>;
  readonly done: boolean;
}

export interface AnalyzeJobOptions {
  onProgress?: (p: AnalyzeProgress) => void;
}

const DEFAULT_CANCEL_GRACE_MS = 50;

/** `keepThread`: settle now but let the thread wind down by itself (cancel's grace period). */
type Settle<T> = { resolve: (v: T) => void; reject: (e: Error, keepThread?: boolean) => void };

export class AnalysisWorkerClient {
  private nextId = 1;
  private readonly jobs = new Map<number, { cancel(): Promise<void> }>();

  constructor(private readonly options: WorkerClientOptions) {}

  /** Jobs whose thread is still alive. */
  get running(): number {
    return this.jobs.size;
  }

  analyze(request: AnalyzeRequest, opts: AnalyzeJobOptions = {}): JobHandle<Report> {
    return this.start<Report>((jobId) => ({ type: 'analyze', jobId, request }), (msg, settle) => {
      if (msg.type === 'progress') opts.onProgress?.(msg.progress);
      else if (msg.type === 'report') {
        this.log(`job ${msg.jobId}: report ready in ${msg.elapsedMs.toFixed(0)} ms`);
        settle.resolve(msg.report);
      }
    });
  }

  /** Reads a capture's summary (format, interfaces, packets, time span, problems) in a worker. */
  summarizeCapture(path: string, opts: AnalyzeJobOptions = {}): JobHandle<CaptureSummary> {
    return this.start<CaptureSummary>((jobId) => ({ type: 'summarize-capture', jobId, path }), (msg, settle) => {
      if (msg.type === 'progress') opts.onProgress?.(msg.progress);
      else if (msg.type === 'capture-summary') {
        this.log(`job ${msg.jobId}: capture summary of ${path} in ${msg.elapsedMs.toFixed(0)} ms`);
        settle.resolve(msg.summary);
      }
    });
  }

  /** Terminates every running job (extension deactivation). */
  async dispose(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => j.cancel()));
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private start<T>(
    firstMessage: (jobId: number) => HostToWorker,
    onMessage: (msg: WorkerToHost, settle: Settle<T>) => void,
  ): JobHandle<T> {
    const id = this.nextId++;
    const t0 = performance.now();
    let settled = false;
    let cancelRequested = false;
    let threadExited = false;
    let worker: Worker | null = null;
    let exited: Promise<void> = Promise.resolve();
    let settle!: Settle<T>;

    const result = new Promise<T>((resolve, reject) => {
      settle = {
        resolve: (v) => {
          if (settled) return;
          settled = true;
          resolve(v);
          void stopThread();
        },
        reject: (e, keepThread = false) => {
          if (settled) return;
          settled = true;
          reject(e);
          if (!keepThread) void stopThread();
        },
      };
    });
    // A caller that only cancels must not see an unhandled rejection.
    result.catch(() => undefined);

    const stopThread = async (): Promise<void> => {
      if (worker) await worker.terminate().catch(() => undefined);
      await exited;
    };

    try {
      worker = new Worker(this.options.workerPath, {
        resourceLimits: this.options.resourceLimits,
        stderr: true,
        stdout: true,
      });
    } catch (err) {
      settle.reject(new WorkerCrashedError('start-failed', `The analysis worker could not start: ${(err as Error).message}`, null));
      return { id, result, cancel: async () => undefined, get done() { return true; } };
    }
    const w = worker;
    pipeLines(w.stdout, (l) => this.log(`job ${id} stdout: ${l}`));
    pipeLines(w.stderr, (l) => this.log(`job ${id} stderr: ${l}`));
    this.log(`job ${id}: worker started`);

    let lastError: Error | null = null;
    exited = new Promise<void>((resolveExit) => {
      w.on('exit', (code) => {
        threadExited = true;
        this.jobs.delete(id);
        this.log(`job ${id}: worker exited (code ${code}) after ${(performance.now() - t0).toFixed(0)} ms`);
        if (cancelRequested) settle.reject(new AnalysisCancelledError(id));
        else if (lastError) settle.reject(crashFromError(lastError, code));
        else
          settle.reject(
            new WorkerCrashedError('unexpected-exit', `The analysis worker stopped unexpectedly (exit code ${code}).`, code),
          );
        resolveExit();
      });
    });
    w.on('error', (err) => {
      lastError = err;
      this.log(`job ${id}: worker error: ${err.stack ?? err.message}`);
    });
    w.on('message', (msg: WorkerToHost) => {
      if (msg.jobId !== id) return;
      if (msg.type === 'cancelled') {
        settle.reject(new AnalysisCancelledError(id));
        void stopThread();
      } else if (msg.type === 'failed') {
        this.log(`job ${id}: failed: ${msg.error.stack ?? msg.error.message}`);
        settle.reject(new AnalysisFailedError(msg.error));
      } else onMessage(msg, settle);
    });

    /**
     * The job ends for the caller at once (the progress notification closes, a new analysis may start); the
     * thread gets the abort signal and `cancelGraceMs` to stop by itself, then is terminated.
     */
    const cancel = async (): Promise<void> => {
      if (settled && !cancelRequested) return stopThread();
      if (!cancelRequested) {
        cancelRequested = true;
        this.log(`job ${id}: cancel requested`);
        w.postMessage({ type: 'cancel', jobId: id } satisfies HostToWorker);
        settle.reject(new AnalysisCancelledError(id), true);
        const grace = this.options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
        const timer = setTimeout(() => {
          if (!threadExited) {
            this.log(`job ${id}: did not stop within ${grace} ms, terminating its worker`);
            void w.terminate();
          }
        }, grace);
        void exited.finally(() => clearTimeout(timer));
      }
      await exited;
    };

    this.jobs.set(id, { cancel });
    w.postMessage(firstMessage(id));
    return {
      id,
      result,
      cancel,
      get done() {
        return settled;
      },
    };
  }
}

function crashFromError(err: Error, code: number | null): WorkerCrashedError {
  const errCode = (err as NodeJS.ErrnoException).code;
  if (errCode === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new WorkerCrashedError(
      'out-of-memory',
      'The analysis ran out of memory and was stopped. Try fewer or smaller files, or raise "incidentLens.worker.maxMemoryMb".',
      code,
      err.message,
    );
  }
  return new WorkerCrashedError('uncaught-error', `The analysis worker crashed: ${err.message}`, code, err.stack);
}

const MAX_LOG_LINE = 16_384;

/** Splits a worker's stdout/stderr into lines for the log (partial last line flushed at end). */
function pipeLines(stream: NodeJS.ReadableStream | null | undefined, onLine: (line: string) => void): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    // A worker printing megabytes without a newline must not grow the host's memory: cut long lines.
    if (pending.length > MAX_LOG_LINE && pending.indexOf('\n') < 0) {
      onLine(`${pending.slice(0, MAX_LOG_LINE)}… (cut)`);
      pending = '';
    }
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
  });
}
