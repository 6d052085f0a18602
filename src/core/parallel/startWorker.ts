/**
 * Starts a thread running the core's worker entry (coreWorker.ts) for one job, wherever the core runs from:
 * a bundle in dist/ (CLI, analysis worker, bench: dist/coreWorker.js sits beside them) or the TypeScript
 * sources under tsx (tests), where the thread registers tsx itself (worker threads do not inherit loader hooks).
 * Returns null when there is no entry to run: callers then do the job in their own thread.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, resourceLimits as ownLimits, isMainThread, type Transferable } from 'node:worker_threads';

/** A job for coreWorker.ts: its kind says which runner takes it; the rest is the runner's (structured-clonable). */
export interface CoreJob {
  kind: string;
}

/** `transfer`: what in the job moves to the thread instead of being copied (a MessagePort). */
export function startCoreWorker(job: CoreJob, transfer: Transferable[] = []): Worker | null {
  // A thread started from a thread with a heap limit (the extension's analysis worker) gets the same limit.
  const resourceLimits = !isMainThread && ownLimits.maxOldGenerationSizeMb ? { ...ownLimits } : undefined;
  const bundled = join(__dirname, 'coreWorker.js');
  if (__filename.endsWith('.js') && existsSync(bundled)) return new Worker(bundled, { workerData: job, transferList: transfer as never[], resourceLimits });
  const source = join(__dirname, 'coreWorker.ts');
  if (__filename.endsWith('.ts') && existsSync(source)) {
    const boot = `require('tsx/cjs'); require(${JSON.stringify(source)});`;
    return new Worker(boot, { eval: true, workerData: job, transferList: transfer as never[], resourceLimits });
  }
  return null;
}
