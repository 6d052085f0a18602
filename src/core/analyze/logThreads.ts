/**
 * Several log files read at once: one thread per core (dist/coreWorker.js), each reading the files it is sent one
 * after the other. Log parsing is CPU-bound (regular expressions and strings per line, ~7x the cost of
 * splitting the lines) and files are independent until their events are merged, so this is where more cores pay
 * directly; the captures' analysis, in the calling thread meanwhile, overlaps with it too.
 *
 * Each result is what readLogFile returns in one thread (structured-cloned back); the caller merges them in file
 * order, so the Report does not depend on which thread finished first.
 */
import { availableParallelism } from 'node:os';
import { parentPort, type Worker } from 'node:worker_threads';
import { abortError, readLogFile, type LogReadOptions, type LogReadResult } from '../logs/read';
import { startCoreWorker } from '../parallel/startWorker';

/** Below this, in all, a thread's start-up (~50 ms) costs more than the parallel parsing saves. */
export const LOG_THREADS_MIN_BYTES = 8 << 20;
const PROGRESS_EVERY_BYTES = 1 << 20;

/** readLogFile's options without the callbacks, which cannot cross to a thread. */
export type PlainLogOptions = Omit<LogReadOptions, 'signal' | 'onProgress'>;

/** A thread that reads the log files it is sent, one after the other (a thread starts in ~50 ms: one per lane, not per file). */
export interface LogReaderJob {
  kind: 'log-reader';
}

interface LogFileTask {
  path: string;
  options: PlainLogOptions;
}

type LogThreadMessage =
  | { type: 'progress'; bytes: number }
  | { type: 'done'; result: LogReadResult }
  | { type: 'failed'; message: string; code?: string };

/** A file's outcome: its result, or the error readLogFile threw (cancellation is thrown, not returned). */
export type LogFileOutcome = { ok: true; result: LogReadResult } | { ok: false; error: Error };

/** In the thread: each file sent, progress every MiB, then its result. */
export function runLogReader(): void {
  const port = parentPort!;
  let queue = Promise.resolve();
  port.on('message', (task: LogFileTask) => {
    queue = queue.then(() => readOne(task));
  });
  const readOne = async (task: LogFileTask): Promise<void> => {
    let reported = 0;
    let message: LogThreadMessage;
    try {
      const result = await readLogFile(task.path, {
        ...task.options,
        onProgress: (bytes) => {
          if (bytes - reported < PROGRESS_EVERY_BYTES) return;
          reported = bytes;
          port.postMessage({ type: 'progress', bytes } satisfies LogThreadMessage);
        },
      });
      message = { type: 'done', result };
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      message = { type: 'failed', message: err?.message ?? String(e), ...(err?.code ? { code: err.code } : {}) };
    }
    port.postMessage(message);
  };
}

export interface LogFileRequest {
  path: string;
  sizeBytes: number;
  options: PlainLogOptions;
}

export interface LogFilesHooks {
  signal?: AbortSignal;
  /** Bytes of files[index] read so far. */
  onProgress?: (index: number, bytes: number) => void;
  /** Threads at most (default: the machine's cores); 1 or less: read here. */
  threads?: number;
  /** Total bytes below which the files are read here (default LOG_THREADS_MIN_BYTES). */
  minBytes?: number;
  /** Starts a lane's thread (default: a 'log-reader' core worker). Tests pass one that dies. */
  startThread?: () => Worker | null;
}

/** How many threads readLogFiles will use for these files; 0: it reads them in the calling thread. */
export function logThreadCount(files: LogFileRequest[], threads = availableParallelism(), minBytes = LOG_THREADS_MIN_BYTES): number {
  const total = files.reduce((n, f) => n + f.sizeBytes, 0);
  const n = Math.min(files.length, threads);
  return n <= 1 || total < minBytes ? 0 : n;
}

/**
 * Reads every file, `threads` at a time (default: the machine's cores), and returns the outcomes in file order.
 * Files are read in this thread instead when threads cannot be started or the logs are too small to gain.
 */
export async function readLogFiles(files: LogFileRequest[], hooks: LogFilesHooks): Promise<LogFileOutcome[]> {
  const threads = logThreadCount(files, hooks.threads, hooks.minBytes);
  const inThread = threads === 0;
  const outcomes: LogFileOutcome[] = new Array(files.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    const reader = inThread ? null : startReader(hooks.startThread ?? (() => startCoreWorker({ kind: 'log-reader' } satisfies LogReaderJob)));
    try {
      while (next < files.length) {
        const i = next++;
        hooks.signal?.throwIfAborted();
        const f = files[i]!;
        const onProgress = (bytes: number): void => hooks.onProgress?.(i, bytes);
        outcomes[i] = reader ? await reader.read(f.path, f.options, hooks.signal, onProgress) : await readHere(f.path, f.options, hooks.signal, onProgress);
      }
    } finally {
      reader?.stop();
    }
  };
  await Promise.all(Array.from({ length: inThread ? 1 : threads }, lane));
  return outcomes;
}

async function readHere(path: string, options: PlainLogOptions, signal: AbortSignal | undefined, onProgress: (bytes: number) => void): Promise<LogFileOutcome> {
  try {
    return { ok: true, result: await readLogFile(path, { ...options, ...(signal ? { signal } : {}), onProgress }) };
  } catch (e) {
    if (signal?.aborted || (e instanceof Error && e.name === 'AbortError')) throw e;
    return { ok: false, error: e instanceof Error ? e : new Error(String(e)) };
  }
}

interface Reader {
  read(path: string, options: PlainLogOptions, signal: AbortSignal | undefined, onProgress: (bytes: number) => void): Promise<LogFileOutcome>;
  stop(): void;
}

/** A lane's thread, or null when none can be started (the lane then reads here). */
function startReader(startThread: () => Worker | null): Reader | null {
  let worker: Worker | null;
  try {
    worker = startThread();
  } catch {
    worker = null;
  }
  if (!worker) return null;
  const w = worker;
  let dead: string | null = null;
  // The file being read: how its message, a failure or a cancellation ends it.
  let current: { onMessage: (m: LogThreadMessage) => void; onDeath: () => void } | null = null;
  w.on('message', (m: LogThreadMessage) => current?.onMessage(m));
  w.on('error', (e) => {
    dead ??= `its reading thread failed: ${e.message}`;
    current?.onDeath();
  });
  w.on('exit', (code) => {
    dead ??= `its reading thread stopped (exit code ${code})`;
    current?.onDeath();
  });
  return {
    read(path, options, signal, onProgress) {
      if (dead) return readHere(path, options, signal, onProgress);
      return new Promise<LogFileOutcome>((resolve, reject) => {
        const done = (f: () => void): void => {
          current = null;
          signal?.removeEventListener('abort', onAbort);
          f();
        };
        const onAbort = (): void => {
          void w.terminate();
          done(() => reject(abortError()));
        };
        current = {
          onMessage: (m) => {
            if (m.type === 'progress') onProgress(m.bytes);
            else if (m.type === 'done') done(() => resolve({ ok: true, result: m.result }));
            else done(() => resolve({ ok: false, error: Object.assign(new Error(m.message), m.code ? { code: m.code } : {}) }));
          },
          onDeath: () => done(() => resolve({ ok: false, error: new Error(dead ?? 'its reading thread stopped') })),
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        w.postMessage({ path, options } satisfies LogFileTask);
      });
    },
    stop() {
      void w.terminate();
    },
  };
}
