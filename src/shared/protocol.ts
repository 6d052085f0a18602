/**
 * Messages between the extension host and the analysis worker (worker_threads).
 * Both sides import these types; the worker runs `core/analyze` and the capture summary, the host only
 * forwards requests and renders what comes back. Every message carries the job id it belongs to, so one
 * worker protocol serves any number of concurrent jobs and stale replies can be recognised and dropped.
 */
import type { AnalyzeProgress, AnalyzeRequest, Report } from '../core/model';
import type { CaptureSummary } from '../core/capture/types';

/** host -> worker */
export type HostToWorker =
  | { type: 'analyze'; jobId: number; request: AnalyzeRequest }
  | { type: 'summarize-capture'; jobId: number; path: string }
  | { type: 'cancel'; jobId: number };

/** A failure inside the worker, flattened for structured clone (Error objects lose their class on the way). */
export interface WorkerFailure {
  name: string;
  message: string;
  stack?: string;
  /** Node error code when there is one (ENOENT, EACCES...). */
  code?: string;
}

/** worker -> host */
export type WorkerToHost =
  | { type: 'progress'; jobId: number; progress: AnalyzeProgress }
  | { type: 'report'; jobId: number; report: Report; elapsedMs: number }
  | { type: 'capture-summary'; jobId: number; summary: CaptureSummary; elapsedMs: number }
  | { type: 'cancelled'; jobId: number }
  | { type: 'failed'; jobId: number; error: WorkerFailure };

/** The smallest gap between two progress messages from the worker, ms: enough for a smooth bar, no flood. */
export const PROGRESS_INTERVAL_MS = 100;
