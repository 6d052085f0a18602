/**
 * A decoded capture's way to its findings. The thread that reads and decodes writes one record per frame
 * (detect/frameFacts.ts: replica keys, directions, addresses, TCP and ICMP fields; SightingFront); the loop tracker,
 * the ladder context and the TCP impact tracker read only those records. For a large capture the tracker and the
 * impact run in a second thread, fed through a ring in shared memory (factRing.ts), so that both cores work and
 * nothing is parsed twice; the ladder context stays in the decoding thread and reads each record, with the second
 * thread's verdict on it, just before the record's slot is written again (that balances the two threads: the
 * benchmark measured the context at a quarter of a second per gigabyte). Otherwise all runs in the same thread, one
 * record at a time. The results are the same either way (the tests compare the two on real captures). If the
 * second thread fails, the caller analyses the capture again in one thread.
 */
import type { Worker } from 'node:worker_threads';
import type { Frame } from '../capture/types';
import type { DecodedPacket } from '../decode/types';
import type { CaptureImpact } from '../detect/impact';
import { LadderContext } from '../detect/ladderContext';
import { LoopDetector, type SightingKind } from '../detect/loops';
import { SightingFront } from '../detect/sightingFront';
import type { LoopDetectionSettings } from '../model/analysis';
import type { LoopEpisode } from '../model/loops';
import { startCoreWorker } from '../parallel/startWorker';
import { FactProducer, createFactRing } from './factRing';
import type { SecondStageFinish, SecondStageJob, SecondStageReply } from './secondStageThread';
import { StageWork } from './stageWork';

/** 'auto': a second thread for plain (not gzip) captures of at least SECOND_THREAD_MIN_BYTES; 'on': for any plain capture. */
export type SecondStageThreading = 'auto' | 'on' | 'off';

/** Below this a second thread's start-up (~50 ms) costs more than it saves. */
export const SECOND_THREAD_MIN_BYTES = 32 << 20;
const ROOM_POLL_MS = 1;

export interface StageSettings {
  stallThresholdMs: number;
  loopDetection: LoopDetectionSettings;
  /** Records the ring between the threads holds (default RING_SLOTS; tests make it small so that it fills). */
  ringSlots?: number;
}

/** What a capture's frames came to. */
export type StagesOutcome =
  | { ok: true; episodes: LoopEpisode[]; impact: CaptureImpact; icmpTimeExceeded: number }
  | { ok: false; reason: string };

export interface CaptureStages {
  /** One frame, decoded into `pkt` from its reader's buffer (f.bytes: pkt's offsets index it), at `timeUs`. */
  frame(f: Frame, timeUs: number, pkt: DecodedPacket): void;
  /** Awaited by the reader before each chunk it reads. */
  beforeRead(): Promise<void> | void;
  /** Every frame was seen. */
  finish(): Promise<StagesOutcome>;
  /** The run is abandoned (cancelled or failed): stops any thread. */
  dispose(): void;
}

/** How to start the second thread (tests supply one that fails). */
export type StartSecondStage = (job: SecondStageJob) => Worker | null;

export function captureStagesFor(path: string, format: string, sizeBytes: number, settings: StageSettings, threading: SecondStageThreading,
  start: StartSecondStage = (job) => startCoreWorker(job)): CaptureStages {
  const follow = threading === 'on' || (threading === 'auto' && sizeBytes >= SECOND_THREAD_MIN_BYTES);
  // The gzip reader inflates chunk by chunk in one thread; a second one would mostly wait for it.
  if (follow && !format.endsWith('.gz')) {
    const ring = createFactRing(settings.ringSlots);
    const job: SecondStageJob = { kind: 'second-stage', path, stallThresholdMs: settings.stallThresholdMs, loopDetection: settings.loopDetection, ring };
    let worker: Worker | null = null;
    try {
      worker = start(job);
    } catch {
      worker = null;
    }
    if (worker) return new ThreadStages(worker, new FactProducer(ring));
  }
  return new InThreadStages(path, settings);
}

class InThreadStages implements CaptureStages {
  private readonly detector: LoopDetector;
  private readonly work: StageWork;

  constructor(path: string, settings: StageSettings) {
    this.detector = new LoopDetector(path, settings.loopDetection);
    this.work = new StageWork(path, settings.stallThresholdMs);
  }

  frame(f: Frame, timeUs: number, pkt: DecodedPacket): void {
    const kind = this.detector.observe(f, timeUs, pkt, f.bytes);
    this.work.observe(this.detector.facts, 0, kind);
  }

  beforeRead(): void {}

  async finish(): Promise<StagesOutcome> {
    const episodes = this.detector.finish();
    const impact = this.work.finish(episodes);
    return { ok: true, episodes, impact, icmpTimeExceeded: this.detector.timeExceededTotal };
  }

  dispose(): void {}
}

/** Exported for tests (a thread that dies); use captureStagesFor. */
export class ThreadStages implements CaptureStages {
  private readonly front = new SightingFront();
  private readonly context = new LadderContext();
  private failure: string | null = null;
  private reply: SecondStageReply | null = null;
  private readonly ended: Promise<void>;

  constructor(private readonly worker: Worker, private readonly producer: FactProducer) {
    this.ended = new Promise<void>((resolve) => {
      worker.once('message', (m: SecondStageReply) => {
        this.reply = m;
        resolve();
      });
      worker.once('error', (e) => {
        this.failure ??= e.message;
        resolve();
      });
      worker.once('exit', (code) => {
        this.failure ??= this.reply ? null : `the thread stopped (exit code ${code})`;
        resolve();
      });
    });
  }

  frame(f: Frame, timeUs: number, pkt: DecodedPacket): void {
    if (this.failure !== null) return;
    const slot = this.producer.claim();
    if (slot < 0) {
      this.failure = 'the thread stopped taking frames';
      return;
    }
    const facts = this.producer.facts;
    // The slot's previous record is done with in the second thread (or the producer could not have claimed it).
    if (this.producer.produced >= facts.slots) this.context.observe(facts, slot, this.producer.kinds[slot] as SightingKind);
    this.front.describe(f, timeUs, pkt, f.bytes, facts, slot);
    this.producer.commit();
  }

  beforeRead(): Promise<void> | void {
    const room = (): boolean => this.producer.free() >= this.producer.facts.slots / 2;
    if (this.failure !== null || room()) return;
    // The thread is half a ring behind: wait for it (asynchronously, so that its failure is heard).
    this.producer.flush();
    return new Promise<void>((resolve) => {
      const poll = (): void => {
        if (this.failure === null && this.producer.consumerGone) this.failure = 'the thread stopped taking frames';
        if (this.failure !== null || room()) resolve();
        else setTimeout(poll, ROOM_POLL_MS);
      };
      poll();
    });
  }

  async finish(): Promise<StagesOutcome> {
    this.producer.close();
    const front = this.front.state();
    if (this.failure === null) this.worker.postMessage({ front } satisfies SecondStageFinish);
    // A thread that stopped taking frames may still be running: it is not waited for.
    else void this.worker.terminate();
    await this.ended;
    const reply = this.reply;
    // Any other record count than the one sent is a failure, not a result.
    if (this.failure === null && reply?.ok && reply.frames === this.producer.produced && this.producer.consumed === reply.frames) {
      this.contextOfLastRecords();
      this.context.attach(reply.episodes);
      return { ok: true, episodes: reply.episodes, impact: reply.impact, icmpTimeExceeded: front.timeExceededTotal };
    }
    const reason = this.failure ?? (reply?.ok ? `it took ${reply.frames} frames of ${this.producer.produced}` : reply ? reply.message : 'no result');
    return { ok: false, reason };
  }

  dispose(): void {
    this.producer.close();
    void this.worker.terminate();
  }

  /** The records still in the ring, oldest first, to the ladder context (no later frame overwrote their slots). */
  private contextOfLastRecords(): void {
    const facts = this.producer.facts;
    const n = this.producer.produced;
    for (let m = Math.max(0, n - facts.slots); m < n; m++) {
      const slot = m & (facts.slots - 1);
      this.context.observe(facts, slot, this.producer.kinds[slot] as SightingKind);
    }
  }
}
