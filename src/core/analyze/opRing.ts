/**
 * The calls the reader made to its parser (capture/mirror.ts), passed to the second-stage thread in a ring in
 * shared memory so that it makes the same calls on the same bytes (the reader's buffers are shared with it): one
 * entry of five numbers per call, a handful per chunk. The producer never blocks (the reader's `beforeRead` hook
 * checks hasRoom() asynchronously); the follower blocks with Atomics.wait until the next call is published.
 */
import { CONSUMED, close, createControl, publish, waitPublished } from './ringControl';

const FIELDS = 5;
const CAPACITY = 4096;
/** Calls the reader can make per chunk, at most: one parse, one finish, one discard, with a margin. */
const PER_CHUNK = 8;

export const ParserOp = { Parse: 1, Discard: 2, Finish: 3 } as const;
export type ParserOp = (typeof ParserOp)[keyof typeof ParserOp];

export interface OpRingBuffers {
  control: SharedArrayBuffer;
  ops: SharedArrayBuffer;
}

export function createOpRing(): OpRingBuffers {
  return { control: createControl(), ops: new SharedArrayBuffer(CAPACITY * FIELDS * 8) };
}

export class OpProducer {
  private readonly control: Int32Array;
  private readonly ops: Float64Array;
  private next = 0;

  constructor(buffers: OpRingBuffers) {
    this.control = new Int32Array(buffers.control);
    this.ops = new Float64Array(buffers.ops);
  }

  /** Calls pushed so far. */
  get produced(): number {
    return this.next;
  }

  /** Calls the follower has made. */
  get consumed(): number {
    return Atomics.load(this.control, CONSUMED);
  }

  /** Room for the calls of two more chunks. */
  hasRoom(): boolean {
    return this.next - this.consumed + 2 * PER_CHUNK <= CAPACITY;
  }

  push(op: ParserOp, buffer: number, start: number, end: number, fileOffset: number): void {
    if (this.next - this.consumed >= CAPACITY) throw new Error('parser call ring overrun');
    const at = (this.next % CAPACITY) * FIELDS;
    const o = this.ops;
    o[at] = op;
    o[at + 1] = buffer;
    o[at + 2] = start;
    o[at + 3] = end;
    o[at + 4] = fileOffset;
    this.next++;
    publish(this.control, this.next);
  }

  close(): void {
    close(this.control);
  }
}

export class OpFollower {
  private readonly control: Int32Array;
  private readonly ops: Float64Array;
  private at = 0;

  constructor(buffers: OpRingBuffers) {
    this.control = new Int32Array(buffers.control);
    this.ops = new Float64Array(buffers.ops);
  }

  /** Waits for call i; false when the producer closed before it. Its fields are then read with the getters. */
  next(i: number): boolean {
    if (waitPublished(this.control, i + 1) <= i) return false;
    this.at = (i % CAPACITY) * FIELDS;
    return true;
  }

  get op(): ParserOp {
    return this.ops[this.at]! as ParserOp;
  }
  get buffer(): number {
    return this.ops[this.at + 1]!;
  }
  get start(): number {
    return this.ops[this.at + 2]!;
  }
  get end(): number {
    return this.ops[this.at + 3]!;
  }
  get fileOffset(): number {
    return this.ops[this.at + 4]!;
  }

  /** Calls 0..n-1 are made: the buffers they read may be written again. */
  done(n: number): void {
    Atomics.store(this.control, CONSUMED, n);
  }
}
