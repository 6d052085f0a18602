/**
 * Entry of the core's helper threads (bundled as dist/coreWorker.js; started by startWorker.ts). The job comes in
 * workerData; the thread ends when its job is done.
 */
import { workerData } from 'node:worker_threads';
import { runSecondStage, type SecondStageJob } from '../analyze/secondStageThread';

const job = workerData as SecondStageJob;
if (job?.kind === 'second-stage') void runSecondStage(job);
else throw new Error(`core worker: unknown job ${String((job as { kind?: unknown })?.kind)}`);
