/**
 * Frame records (detect/frameFacts.ts) crossing from the thread that reads and decodes a capture to the thread
 * that tracks loops, ladder context and TCP impact (secondStage.ts), in a ring of RING_SLOTS records in shared
 * memory with the counters of ringControl.ts. The producer publishes every PUBLISH_EVERY records; the consumer
 * sleeps when it has caught up and reports how far it got every REPORT_EVERY records. Beside each record the
 * consumer writes its verdict (the loop tracker's SightingKind) for the producer, which reads it when the slot
 * comes round again (the ladder context runs there).
 *
 * A full ring makes the producer wait (Atomics.wait, allowed in Node's main thread and in workers), but never for
 * a consumer that is gone: the consumer's thread marks GONE when it fails or exits, and a consumer that makes no
 * progress for STALL_MS counts as gone too (a thread killed outright marks nothing). The reader's `beforeRead`
 * hook also waits, asynchronously, for half the ring to be free before each chunk, so the producer seldom blocks.
 */
import { createFrameFactsBuffers, FrameFacts, type FrameFactsBuffers } from '../detect/frameFacts';
import { CONSUMED, GONE, PRODUCER_WAITING, close, createControl, publish, waitPublished } from './ringControl';

/** 2^15 records of ~200 bytes: 7 MB, about four 4 MB reader chunks of average-sized frames. */
export const RING_SLOTS = 1 << 15;
const PUBLISH_EVERY = 1024;
const REPORT_EVERY = 256;
/** A consumer this long without taking a record is dead (its longest honest pause is a GC or a sweep, well under 1 s). */
const STALL_MS = 10_000;
const WAIT_SLICE_MS = 100;

export interface FactRingBuffers {
  control: SharedArrayBuffer;
  facts: FrameFactsBuffers;
  /** The consumer's verdict on each slot's record (a SightingKind), written before it reports the record done. */
  kinds: SharedArrayBuffer;
}

/** `slots`: a power of two. */
export function createFactRing(slots = RING_SLOTS): FactRingBuffers {
  if (slots < 2 || (slots & (slots - 1)) !== 0) throw new Error(`fact ring: ${slots} slots is not a power of two`);
  return { control: createControl(), facts: createFrameFactsBuffers(slots, true), kinds: new SharedArrayBuffer(slots) };
}

export class FactProducer {
  readonly facts: FrameFacts;
  /** The consumer's verdicts: that of a slot's record is final once the producer may write the slot again. */
  readonly kinds: Uint8Array;
  private readonly control: Int32Array;
  private readonly mask: number;
  private next = 0;
  /** Records below this may be written without asking the consumer again. */
  private limit: number;

  constructor(buffers: FactRingBuffers) {
    this.facts = new FrameFacts(buffers.facts);
    this.kinds = new Uint8Array(buffers.kinds);
    this.control = new Int32Array(buffers.control);
    this.mask = this.facts.slots - 1;
    this.limit = this.facts.slots;
  }

  /** Records the consumer has reported done (all of them once it has finished). */
  get consumed(): number {
    return Atomics.load(this.control, CONSUMED);
  }

  /** Records committed so far. */
  get produced(): number {
    return this.next;
  }

  /** Records that can be written now without waiting. */
  free(): number {
    return Atomics.load(this.control, CONSUMED) + this.facts.slots - this.next;
  }

  get consumerGone(): boolean {
    return Atomics.load(this.control, GONE) !== 0;
  }

  /** The slot of the next record, waiting while the ring is full; -1 when the consumer is gone. */
  claim(): number {
    const n = this.next;
    if (n >= this.limit) {
      if (Atomics.load(this.control, GONE) !== 0) return -1;
      this.limit = Atomics.load(this.control, CONSUMED) + this.facts.slots;
      if (n >= this.limit && !this.waitForRoom(n)) return -1;
    }
    return n & this.mask;
  }

  /** The claimed record is written. */
  commit(): void {
    const n = ++this.next;
    if ((n & (PUBLISH_EVERY - 1)) === 0) publish(this.control, n);
  }

  /** Shows the consumer every record committed so far. */
  flush(): void {
    publish(this.control, this.next);
  }

  /** Every record has been committed: the consumer may finish. */
  close(): void {
    publish(this.control, this.next);
    close(this.control);
  }

  private waitForRoom(n: number): boolean {
    publish(this.control, n);
    let seen = Atomics.load(this.control, CONSUMED);
    let progressAt = Date.now();
    for (;;) {
      if (Atomics.load(this.control, GONE) !== 0) return false;
      // The flag is set before CONSUMED is read again: a report either shows in that read or sees the flag and wakes us.
      Atomics.store(this.control, PRODUCER_WAITING, 1);
      const c = Atomics.load(this.control, CONSUMED);
      if (c + this.facts.slots > n) {
        Atomics.store(this.control, PRODUCER_WAITING, 0);
        this.limit = c + this.facts.slots;
        return true;
      }
      Atomics.wait(this.control, CONSUMED, c, WAIT_SLICE_MS);
      Atomics.store(this.control, PRODUCER_WAITING, 0);
      const now = Date.now();
      if (c !== seen) {
        seen = c;
        progressAt = now;
      } else if (now - progressAt > STALL_MS) return false;
    }
  }
}

export class FactConsumer {
  readonly facts: FrameFacts;
  /** Where the consumer writes its verdict on each record, before it reports the record done. */
  readonly kinds: Uint8Array;
  private readonly control: Int32Array;
  private readonly mask: number;
  private available = 0;

  constructor(buffers: FactRingBuffers) {
    this.facts = new FrameFacts(buffers.facts);
    this.kinds = new Uint8Array(buffers.kinds);
    this.control = new Int32Array(buffers.control);
    this.mask = this.facts.slots - 1;
  }

  /** The slot of record n (taken in order from 0), waiting until it is published; -1 once the producer closed before it. */
  slotOf(n: number): number {
    if (n >= this.available) {
      this.available = waitPublished(this.control, n + 1);
      if (this.available <= n) return -1;
    }
    if ((n & (REPORT_EVERY - 1)) === 0) {
      Atomics.store(this.control, CONSUMED, n);
      if (Atomics.load(this.control, PRODUCER_WAITING) !== 0) Atomics.notify(this.control, CONSUMED);
    }
    return n & this.mask;
  }

  /** Every one of the n records is done (their verdicts written); the consumer stops. */
  finished(n: number): void {
    Atomics.store(this.control, CONSUMED, n);
    this.gone();
  }

  /** This consumer stops (failed, or its thread exits): the producer must not wait for it. */
  gone(): void {
    Atomics.store(this.control, GONE, 1);
    Atomics.notify(this.control, CONSUMED);
  }
}
