/**
 * The second stage of a capture analysed on two threads (see secondStage.ts), in its own thread: makes the same
 * parser calls as the reader of the detector's thread, on the same bytes (its buffers are shared), so it sees the
 * same frames without reading the file; takes each frame's SightingKind from the detector's thread (waiting for it
 * frame by frame) and feeds the ladder context and the TCP impact tracker as the one-thread run does. At the end it
 * takes the episodes and returns what it fills in of them, and the capture's impact.
 */
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { ParseContext } from '../capture/context';
import { CaptureParser } from '../capture/parser';
import type { Frame } from '../capture/types';
import { createDecodedPacket, decodeFrame } from '../decode/decoder';
import type { CaptureImpact } from '../detect/impact';
import { SightingKind } from '../detect/loops';
import { microsFromSecNsec } from '../model/time';
import { KindFollower, type KindRingBuffers } from './kindRing';
import { OpFollower, ParserOp, type OpRingBuffers } from './opRing';
import type { StageEpisodeResult } from './secondStage';
import { StageWork, type StageEpisode } from './stageWork';

export interface SecondStageJob {
  kind: 'second-stage';
  path: string;
  stallThresholdMs: number;
  ring: KindRingBuffers;
  ops: OpRingBuffers;
  /** Where the reader's shared buffers arrive ({ id, buffer }), each before the first call on it. */
  buffers: MessagePort;
}

/** A reader buffer, announced once. */
export interface SharedBufferMessage {
  id: number;
  buffer: SharedArrayBuffer;
}

/** How long a buffer may take to be announced before that counts as a bug (it is sent before any call on it). */
const BUFFER_WAIT_MS = 10_000;

/** Sent by the detector's thread once it has closed the ring. */
export interface SecondStageFinish {
  episodes: StageEpisode[];
}

export type SecondStageReply =
  | { ok: true; impact: CaptureImpact; episodes: StageEpisodeResult[]; frames: number }
  | { ok: false; message: string };

export async function runSecondStage(job: SecondStageJob): Promise<void> {
  const port = parentPort!;
  const finish = new Promise<SecondStageFinish>((resolve) => port.once('message', resolve));
  const follower = new KindFollower(job.ring);
  const work = new StageWork(job.path, job.stallThresholdMs);
  const pkt = createDecodedPacket();
  const ops = new OpFollower(job.ops);
  let frames = 0;
  let timeUs = 0;
  let reply: SecondStageReply;
  const onFrame = (f: Frame): void => {
    // The same rule as the detector's thread: frames without a timestamp take the last known time.
    if (f.hasTime) timeUs = microsFromSecNsec(f.timeSec, f.timeNsec);
    const kind = follower.kindOf(frames) as SightingKind | -1;
    if (kind === -1) throw new Error(`the detector's thread closed after ${frames} frames, this one has more`);
    frames++;
    // A capture's duplicate is ignored by the work: not worth decoding.
    if (kind !== SightingKind.Duplicate) decodeFrame(f.data, f.linkType, pkt);
    work.observe(f.number, timeUs, pkt, f.data, kind);
  };
  const parser = new CaptureParser(new ParseContext(job.path, 0, onFrame));
  const buffers: { bytes: Uint8Array; view: DataView }[] = [];
  const nap = new Int32Array(new SharedArrayBuffer(4));
  const bufferOf = (id: number): { bytes: Uint8Array; view: DataView } => {
    const started = Date.now();
    while (buffers[id] === undefined) {
      const m = receiveMessageOnPort(job.buffers)?.message as SharedBufferMessage | undefined;
      if (m) buffers[m.id] = { bytes: new Uint8Array(m.buffer), view: new DataView(m.buffer) };
      else if (Date.now() - started > BUFFER_WAIT_MS) throw new Error(`reader buffer ${id} never arrived`);
      else Atomics.wait(nap, 0, 0, 1);
    }
    return buffers[id]!;
  };
  try {
    for (let i = 0; ops.next(i); i++) {
      const op = ops.op;
      if (op === ParserOp.Discard) parser.discard(ops.start);
      else {
        const b = bufferOf(ops.buffer);
        if (op === ParserOp.Parse) parser.parse(b.bytes, b.view, ops.start, ops.end, ops.fileOffset);
        else parser.finish(b.bytes, b.view, ops.start, ops.end, ops.fileOffset);
      }
      ops.done(i + 1);
    }
    const { episodes } = await finish;
    const measured = work.finish(episodes);
    reply = {
      ok: true, impact: measured, frames,
      episodes: episodes.map((e) => ({ impact: e.impact, background: e.background, icmpMarks: e.icmpMarks })),
    };
  } catch (e) {
    // Whatever happens, the reader must not wait for this thread any longer.
    ops.done(0x7fffffff);
    reply = { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  job.buffers.close();
  port.postMessage(reply);
}
