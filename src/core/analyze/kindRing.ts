/**
 * The channel between the loop detector's thread and the thread that follows it over the same capture (see
 * secondStage.ts): one byte per frame, the detector's SightingKind, in a ring in shared memory, and a few
 * counters. The producer publishes every PUBLISH_EVERY frames (waking the follower only if it sleeps: a wake-up
 * is a system call); the follower blocks (Atomics.wait, allowed in a worker) until the frame it needs is
 * published, and reports how far it got so that the producer never overwrites a byte not yet read.
 *
 * The producer never blocks: it may only run ahead by RING - room(), which the reader's `beforeRead` hook
 * checks asynchronously before every chunk (so a follower that died cannot hang the producer's thread).
 */
import { CONSUMED, PRODUCED, close, createControl, publish, waitPublished } from './ringControl';

const PUBLISH_EVERY = 8192;
const REPORT_EVERY = 1024;

export interface KindRingBuffers {
  control: SharedArrayBuffer;
  kinds: SharedArrayBuffer;
}

/** Smallest power of two >= n. */
function pow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

export function createKindRing(maxFramesPerChunk: number): KindRingBuffers {
  // Room for four chunks of the smallest possible records: the producer reads one chunk ahead of the one it parses.
  // At least two publications, so that the check in push() (one publication at a time) can hold.
  return { control: createControl(), kinds: new SharedArrayBuffer(pow2(Math.max(4 * maxFramesPerChunk, 2 * PUBLISH_EVERY))) };
}

export class KindProducer {
  private readonly control: Int32Array;
  private readonly kinds: Uint8Array;
  private readonly mask: number;
  private next = 0;

  constructor(buffers: KindRingBuffers, private readonly maxFramesPerChunk: number) {
    this.control = new Int32Array(buffers.control);
    this.kinds = new Uint8Array(buffers.kinds);
    this.mask = this.kinds.length - 1;
  }

  get frames(): number {
    return this.next;
  }

  /** The next frame's kind (0-255). */
  push(kind: number): void {
    const i = this.next;
    if ((i & (PUBLISH_EVERY - 1)) === 0) {
      if (i > 0) this.publish();
      // A broken promise of hasRoom() would make the follower read overwritten kinds: an internal error, not a wrong result.
      if (i + PUBLISH_EVERY - Atomics.load(this.control, CONSUMED) > this.kinds.length) throw new Error('kind ring overrun');
    }
    this.kinds[i & this.mask] = kind;
    this.next = i + 1;
  }

  /** True when two more chunks fit without overwriting kinds the follower has not read yet. */
  hasRoom(): boolean {
    return this.next - Atomics.load(this.control, CONSUMED) + 2 * this.maxFramesPerChunk + PUBLISH_EVERY <= this.kinds.length;
  }

  /** Shows the follower every kind pushed so far (before waiting for it to catch up). */
  flush(): void {
    this.publish();
  }

  /** Every frame has been pushed: the follower may finish. */
  close(): void {
    this.publish();
    close(this.control);
  }

  private publish(): void {
    publish(this.control, this.next);
  }
}

export class KindFollower {
  private readonly control: Int32Array;
  private readonly kinds: Uint8Array;
  private readonly mask: number;
  private available = 0;

  constructor(buffers: KindRingBuffers) {
    this.control = new Int32Array(buffers.control);
    this.kinds = new Uint8Array(buffers.kinds);
    this.mask = this.kinds.length - 1;
  }

  /** Frame i's kind, blocking until it is published; -1 when the producer closed with fewer frames. */
  kindOf(i: number): number {
    if (i >= this.available && !this.waitFor(i + 1)) return -1;
    if ((i & (REPORT_EVERY - 1)) === 0) Atomics.store(this.control, CONSUMED, i);
    return this.kinds[i & this.mask]!;
  }

  /** Frames the producer pushed in all (valid once it closed). */
  get produced(): number {
    return Atomics.load(this.control, PRODUCED);
  }

  private waitFor(n: number): boolean {
    this.available = waitPublished(this.control, n);
    return this.available >= n;
  }
}
