/**
 * What happens to a frame after the loop detector's verdict: the ladder context (ordinary traffic and ICMP
 * around loops) and the TCP impact tracker. Done in the detector's own thread, or, for a large capture, in a
 * second thread that follows it. The detector and those two are the big costs of analyze (the benchmark's
 * profile), and they depend on one another only through one fact per frame, its SightingKind, which the detector
 * knows first. So the reader reads into buffers shared with the second thread and mirrors its parser calls to it
 * (opRing.ts): that thread parses the same bytes again, without reading the file, and gets each frame's kind as one
 * byte in a second ring (kindRing.ts). Both cores work, and the results are those of one thread (the tests compare
 * the two on real captures).
 */
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import type { ReadFollower } from '../capture/open';
import type { Frame } from '../capture/types';
import { DEFAULT_CHUNK_BYTES, MAX_RECORD_STANDARD } from '../capture/limits';
import type { DecodedPacket } from '../decode/types';
import type { CaptureImpact } from '../detect/impact';
import type { SightingKind } from '../detect/loops';
import type { LoopEpisode } from '../model/loops';
import type { InputProblem } from '../model/report';
import { startCoreWorker } from '../parallel/startWorker';
import type { SecondStageFinish, SecondStageJob, SecondStageReply, SharedBufferMessage } from './secondStageThread';
import { KindProducer, createKindRing } from './kindRing';
import { OpProducer, ParserOp, createOpRing } from './opRing';
import { StageWork } from './stageWork';

/** 'auto': a second thread for plain (not gzip) captures of at least SECOND_THREAD_MIN_BYTES; 'on': for any plain capture. */
export type SecondStageThreading = 'auto' | 'on' | 'off';

/** Below this a second thread's start-up (~50 ms) costs more than it saves. */
export const SECOND_THREAD_MIN_BYTES = 32 << 20;
/** Frames the reader can deliver from one chunk: the chunk plus the unfinished record carried in front of it, 16-byte records at the least. */
const MAX_FRAMES_PER_CHUNK = Math.ceil((DEFAULT_CHUNK_BYTES + MAX_RECORD_STANDARD) / 16) + 1;
const ROOM_POLL_MS = 1;
/** Buffer ids go through a float64 field; the reader needs a handful (its pool, a window grown for a huge record). */
const MAX_SHARED_BUFFERS = 1024;

/** What the second stage fills in of an episode. */
export type StageEpisodeResult = Pick<LoopEpisode, 'impact' | 'background' | 'icmpMarks'>;

export interface SecondStage {
  /** The second thread, when there is one: the reader reads into its buffers and tells it its parser calls. */
  readonly follower?: ReadFollower;
  /** The detector's verdict on one decoded frame. */
  frame(f: Frame, timeUs: number, pkt: DecodedPacket, kind: SightingKind): void;
  /** Awaited by the reader before each chunk it reads. */
  beforeRead(): Promise<void> | void;
  /** Every frame was seen: fills in the episodes' impact and ladder context, returns the capture's impact. */
  finish(episodes: LoopEpisode[]): Promise<{ impact: CaptureImpact; problems: InputProblem[] }>;
  /** The run is abandoned (cancelled or failed): stops any thread. */
  dispose(): void;
}

export function secondStageFor(path: string, format: string, sizeBytes: number, stallThresholdMs: number, threading: SecondStageThreading): SecondStage {
  const follow = threading === 'on' || (threading === 'auto' && sizeBytes >= SECOND_THREAD_MIN_BYTES);
  // The gzip reader refills its window in place chunk by chunk, so it would wait for the second thread at every
  // chunk: one thread does it all.
  if (follow && !format.endsWith('.gz')) {
    const ring = createKindRing(MAX_FRAMES_PER_CHUNK);
    const ops = createOpRing();
    const channel = new MessageChannel();
    const job: SecondStageJob = { kind: 'second-stage', path, stallThresholdMs, ring, ops, buffers: channel.port2 };
    let worker: Worker | null = null;
    try {
      worker = startCoreWorker(job, [channel.port2]);
    } catch {
      worker = null;
    }
    if (worker) return new ThreadStage(worker, new KindProducer(ring, MAX_FRAMES_PER_CHUNK), new OpProducer(ops), channel.port1);
    channel.port1.close();
  }
  return new InThreadStage(new StageWork(path, stallThresholdMs));
}

class InThreadStage implements SecondStage {
  constructor(private readonly work: StageWork) {}

  frame(f: Frame, timeUs: number, pkt: DecodedPacket, kind: SightingKind): void {
    this.work.observe(f.number, timeUs, pkt, f.data, kind);
  }

  beforeRead(): void {}

  async finish(episodes: LoopEpisode[]): Promise<{ impact: CaptureImpact; problems: InputProblem[] }> {
    return { impact: this.work.finish(episodes), problems: [] };
  }

  dispose(): void {}
}

/** Exported for tests (a thread that dies); use secondStageFor. */
export class ThreadStage implements SecondStage, ReadFollower {
  private failure: string | null = null;
  private reply: SecondStageReply | null = null;
  private readonly ended: Promise<void>;
  /** Shared buffers by their memory, and for each the parser calls made when it was last read (free once made there too). */
  private readonly ids = new Map<ArrayBufferLike, number>();
  private readonly lastCalls: number[] = [];

  constructor(private readonly worker: Worker, private readonly producer: KindProducer, private readonly ops: OpProducer,
    private readonly port: MessagePort) {
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

  get follower(): ReadFollower {
    return this;
  }

  alloc(bytes: number): Uint8Array {
    if (this.ids.size >= MAX_SHARED_BUFFERS) throw new Error(`more than ${MAX_SHARED_BUFFERS} reader buffers`);
    const buffer = new SharedArrayBuffer(bytes);
    const id = this.ids.size;
    this.ids.set(buffer, id);
    this.lastCalls[id] = 0;
    // Announced before any call on it is pushed, so the thread always finds it.
    this.port.postMessage({ id, buffer } satisfies SharedBufferMessage);
    return new Uint8Array(buffer);
  }

  isFree(buffer: Uint8Array): boolean {
    const id = this.ids.get(buffer.buffer);
    return this.failure !== null || id === undefined || this.ops.consumed >= this.lastCalls[id]!;
  }

  whenFree(buffer: Uint8Array): Promise<void> | void {
    if (this.isFree(buffer)) return;
    // The thread can only finish a call once it has been shown the kinds of its frames.
    this.producer.flush();
    return this.until(() => this.isFree(buffer));
  }

  parsing(bytes: Uint8Array, start: number, end: number, fileOffset: number): void {
    this.call(ParserOp.Parse, bytes, start, end, fileOffset);
  }

  finishing(bytes: Uint8Array, start: number, end: number, fileOffset: number): void {
    this.call(ParserOp.Finish, bytes, start, end, fileOffset);
  }

  discarding(n: number): void {
    if (this.failure === null) this.ops.push(ParserOp.Discard, 0, n, 0, 0);
  }

  private call(op: ParserOp, bytes: Uint8Array, start: number, end: number, fileOffset: number): void {
    if (this.failure !== null) return;
    const id = this.ids.get(bytes.buffer);
    // Every buffer the reader parses comes from alloc(); anything else is a bug here.
    if (id === undefined) throw new Error('a parser call outside the shared reader buffers');
    this.ops.push(op, id, start, end, fileOffset);
    this.lastCalls[id] = this.ops.produced;
  }

  frame(_f: Frame, _timeUs: number, _pkt: DecodedPacket, kind: SightingKind): void {
    if (this.failure === null) this.producer.push(kind);
  }

  beforeRead(): Promise<void> | void {
    const room = (): boolean => this.producer.hasRoom() && this.ops.hasRoom();
    if (this.failure !== null || room()) return;
    // The thread is two chunks behind: wait for it (asynchronously, so that its failure is heard).
    this.producer.flush();
    return this.until(room);
  }

  /** Polls `ready` until it holds or the thread has failed (never waits on a dead thread). */
  private until(ready: () => boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      const poll = (): void => {
        if (this.failure !== null || ready()) resolve();
        else setTimeout(poll, ROOM_POLL_MS);
      };
      poll();
    });
  }

  async finish(episodes: LoopEpisode[]): Promise<{ impact: CaptureImpact; problems: InputProblem[] }> {
    this.producer.close();
    this.ops.close();
    if (this.failure === null) {
      const message: SecondStageFinish = {
        episodes: episodes.map((e) => ({
          startUs: e.startUs, endUs: e.endUs, destinationPrefixes: e.destinationPrefixes, macPairs: e.macPairs, routers: e.routers, impact: e.impact,
        })),
      };
      this.worker.postMessage(message);
    }
    await this.ended;
    this.port.close();
    const reply = this.reply;
    // Both threads parse the same bytes: any other frame count than the detector's is a failure, not a result.
    if (reply?.ok && reply.frames === this.producer.frames) {
      reply.episodes.forEach((r, i) => {
        const e = episodes[i]!;
        e.impact = r.impact;
        if (r.background !== undefined) e.background = r.background;
        if (r.icmpMarks !== undefined) e.icmpMarks = r.icmpMarks;
      });
      return { impact: reply.impact, problems: [] };
    }
    const reason = reply?.ok
      ? `it saw ${reply.frames} frames of ${this.producer.frames}`
      : reply ? reply.message : (this.failure ?? 'no result');
    return {
      impact: emptyImpact(episodes.length),
      problems: [{ severity: 'error', fatal: false, message: `TCP impact and ladder context not measured: their thread failed (${reason}); the loops are complete` }],
    };
  }

  dispose(): void {
    this.producer.close();
    this.ops.close();
    this.port.close();
    void this.worker.terminate();
  }
}

function emptyImpact(episodes: number): CaptureImpact {
  return {
    tcpFlows: 0, retransmissions: 0, stalls: [], flows: [], flowsTotal: 0,
    episodeFlows: Array.from({ length: episodes }, () => ({ flows: new Set<string>(), clients: new Set<string>() })),
  };
}
