/**
 * Entry of the core's helper threads (bundled as dist/coreWorker.js; started by startWorker.ts). The job comes in
 * workerData; the thread ends when its job is done.
 */
import { workerData } from 'node:worker_threads';
import { runLogReader, type LogReaderJob } from '../analyze/logThreads';
import { runSecondStage, type SecondStageJob } from '../analyze/secondStageThread';

const job = workerData as SecondStageJob | LogReaderJob;
if (job?.kind === 'second-stage') void runSecondStage(job);
else if (job?.kind === 'log-reader') runLogReader();
else throw new Error(`core worker: unknown job ${String((job as { kind?: unknown })?.kind)}`);
