/**
 * The TCP connections being followed, as seen from the capture point: what each side has sent (highest sequence
 * end) and had acknowledged, retransmissions (data at or below what was already sent) and stalls (data
 * outstanding with no acknowledgement moving for longer than the threshold).
 *
 * One 64-byte row of typed arrays per connection, found by its flow key (flowKey.ts) through an open-addressing
 * index, and nothing allocated per packet. Rows rather than an object per flow: an object's sequence numbers
 * (unsigned 32-bit) and microsecond times are doubles, each boxed in a heap object of its own, and the benchmark
 * measured following TCP that way at a sixth of the analysis's CPU time. Rows also keep the order in which their
 * connections were first seen, which is the order the impact tracker ends them in.
 */

import { grown } from './typedArrays';

const SYN = 0x02;
const FIN = 0x01;
const RST = 0x04;
const ACK = 0x10;

/** Bits of a row's state word. Per side (0, 1) the first three, shifted by 4 * side. */
const SENT_INIT = 1;
const SENT_ANY = 2;
const ACK_INIT = 4;
const WAITING = 1 << 8;
const CLOSED = 1 << 9;
const CLIENT_KNOWN = 1 << 10;
const CLIENT_IS_1 = 1 << 11;

// A row in 32-bit words: key (2), packets, retransmissions, highest sequence end sent and highest
// acknowledgement per side (4), state bits, stalls; float64 5-7: last packet, wait start, wait's first frame.
const ROW_WORDS = 16;
const W_H1 = 0;
const W_H2 = 1;
const W_PACKETS = 2;
const W_RETRANS = 3;
const W_SENT0 = 4;
const W_ACK0 = 6;
const W_BITS = 8;
const W_STALLS = 9;
const D_LAST_US = 5;
const D_WAIT_US = 6;
const D_WAIT_FRAME = 7;

const NONE = -1;

/** Sequence-space comparison (RFC 793 modular arithmetic): a after b. */
function seqAfter(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

export class TcpFlowTable {
  /** The stall the last `segment` or `end` call ended (valid while `stallEnded`), in µs. */
  stallEnded = false;
  stallStartUs = 0;
  stallEndUs = 0;
  stallFirstFrame = 0;
  /** The data was never acknowledged before the flow's packets stopped (`stallEndUs` is its last packet). */
  stallUnanswered = false;

  private rows = 0;
  private u32 = new Uint32Array(0);
  private i32 = new Int32Array(0);
  private f64 = new Float64Array(0);
  /** Creation order: a doubly linked list over rows, oldest first. */
  private older = new Int32Array(0);
  private newer = new Int32Array(0);
  private oldestRow = NONE;
  private newestRow = NONE;
  /** Rows not in use (a stack). */
  private free = new Int32Array(0);
  private freeCount = 0;
  /** Index: per slot the key's first lane and the row + 1 (0: empty); linear probing on the first lane. */
  private index = new Int32Array(0);
  private indexMask = 0;
  private live = 0;

  constructor(initialRows = 1024) {
    this.growRows(Math.max(16, initialRows));
    this.rehash(this.rows * 2);
  }

  /** Connections followed now. */
  get count(): number {
    return this.live;
  }

  /** The oldest row in use, or -1; `newerThan` walks on in the order connections were first seen. */
  get oldest(): number {
    return this.oldestRow;
  }

  newerThan(row: number): number {
    return this.newer[row]!;
  }

  /** The row of flow key (h1, h2), or -1. */
  find(h1: number, h2: number): number {
    const index = this.index;
    const mask = this.indexMask;
    for (let s = h1 & mask; ; s = (s + 1) & mask) {
      const row = index[2 * s + 1]! - 1;
      if (row < 0) return NONE;
      if (index[2 * s] === h1 && this.i32[row * ROW_WORDS + W_H2] === h2) return row;
    }
  }

  /** A new connection (the key must not be in the table): its row, all zero, the newest in creation order. */
  add(h1: number, h2: number): number {
    if (this.freeCount === 0) this.growRows(this.rows * 2);
    if (2 * (this.live + 1) > this.indexMask + 1) this.rehash(2 * (this.indexMask + 1));
    const row = this.free[--this.freeCount]!;
    const b = row * ROW_WORDS;
    this.u32.fill(0, b, b + ROW_WORDS);
    this.i32[b + W_H1] = h1;
    this.i32[b + W_H2] = h2;
    this.place(h1, row);
    this.older[row] = this.newestRow;
    this.newer[row] = NONE;
    if (this.newestRow !== NONE) this.newer[this.newestRow] = row;
    else this.oldestRow = row;
    this.newestRow = row;
    this.live++;
    return row;
  }

  /** Forgets the row's connection; the row may be reused by the next `add`. */
  remove(row: number): void {
    this.unplace(this.i32[row * ROW_WORDS + W_H1]!, row);
    const o = this.older[row]!;
    const n = this.newer[row]!;
    if (o !== NONE) this.newer[o] = n;
    else this.oldestRow = n;
    if (n !== NONE) this.older[n] = o;
    else this.newestRow = o;
    this.free[this.freeCount++] = row;
    this.live--;
  }

  packets(row: number): number {
    return this.u32[row * ROW_WORDS + W_PACKETS]!;
  }

  retransmissions(row: number): number {
    return this.u32[row * ROW_WORDS + W_RETRANS]!;
  }

  stalls(row: number): number {
    return this.u32[row * ROW_WORDS + W_STALLS]!;
  }

  countStall(row: number): void {
    this.u32[row * ROW_WORDS + W_STALLS]!++;
  }

  lastUs(row: number): number {
    return this.f64[row * (ROW_WORDS / 2) + D_LAST_US]!;
  }

  /** 0 or 1: the side that sent the SYN; -1 until known. */
  clientSide(row: number): number {
    const bits = this.u32[row * ROW_WORDS + W_BITS]!;
    return bits & CLIENT_KNOWN ? (bits & CLIENT_IS_1 ? 1 : 0) : -1;
  }

  /**
   * One segment of the row's connection: `side` 0/1 = which endpoint sent it; `payloadLen` from the IP length
   * fields. Returns whether it was a retransmission; `stallEnded` says whether it ended a stall.
   */
  segment(row: number, side: 0 | 1, timeUs: number, frame: number, seq: number, ack: number, flags: number, payloadLen: number, stallUs: number): boolean {
    const b = row * ROW_WORDS;
    const u32 = this.u32;
    const f = row * (ROW_WORDS / 2);
    u32[b + W_PACKETS]!++;
    this.f64[f + D_LAST_US] = timeUs;
    let bits = u32[b + W_BITS]!;
    const seqLen = payloadLen + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0);
    if (flags & SYN && !(flags & ACK)) bits = (bits & ~CLIENT_IS_1) | CLIENT_KNOWN | (side === 1 ? CLIENT_IS_1 : 0);
    const shift = 4 * side;
    let retransmission = false;
    if (seqLen > 0) {
      const end = (seq + seqLen) >>> 0;
      if (!(bits & (SENT_INIT << shift)) || seqAfter(end, u32[b + W_SENT0 + side]!)) u32[b + W_SENT0 + side] = end;
      else retransmission = true;
      bits |= (SENT_INIT | SENT_ANY) << shift;
    }
    if (retransmission) u32[b + W_RETRANS]!++;
    let progress = false;
    if (flags & ACK) {
      const ackMax = u32[b + W_ACK0 + side]!;
      const ackInit = (bits & (ACK_INIT << shift)) !== 0;
      if (ackInit && seqAfter(ack, ackMax)) progress = true;
      if (!ackInit || seqAfter(ack, ackMax)) u32[b + W_ACK0 + side] = ack;
      bits |= ACK_INIT << shift;
    }
    if (flags & RST) bits |= CLOSED;
    const nowWaiting = !(bits & CLOSED) && (outstanding(u32, b, bits, 0) || outstanding(u32, b, bits, 1));
    this.stallEnded = false;
    if (bits & WAITING && (progress || !nowWaiting)) {
      const since = this.f64[f + D_WAIT_US]!;
      if (timeUs - since > stallUs) this.ended(since, timeUs, this.f64[f + D_WAIT_FRAME]!, false);
      if (nowWaiting) this.beginWait(f, timeUs, frame);
    } else if (!(bits & WAITING) && nowWaiting) {
      this.beginWait(f, timeUs, frame);
    }
    u32[b + W_BITS] = nowWaiting ? bits | WAITING : bits & ~WAITING;
    return retransmission;
  }

  /**
   * The connection ends (capture over, idle, or evicted), `nowUs` being the capture's time then: a wait still open
   * is a stall when nothing moved for longer than the threshold since it began (`stallEnded`). Its end is the
   * flow's last packet: a SYN lost in a loop whose client gave up shows no packet after it, yet the connection was
   * dead from then on.
   */
  end(row: number, stallUs: number, nowUs: number): void {
    this.stallEnded = false;
    const b = row * ROW_WORDS;
    const bits = this.u32[b + W_BITS]!;
    if (!(bits & WAITING)) return;
    this.u32[b + W_BITS] = bits & ~WAITING;
    const f = row * (ROW_WORDS / 2);
    const since = this.f64[f + D_WAIT_US]!;
    if (nowUs - since > stallUs) this.ended(since, this.f64[f + D_LAST_US]!, this.f64[f + D_WAIT_FRAME]!, true);
  }

  private ended(startUs: number, endUs: number, firstFrame: number, unanswered: boolean): void {
    this.stallEnded = true;
    this.stallStartUs = startUs;
    this.stallEndUs = endUs;
    this.stallFirstFrame = firstFrame;
    this.stallUnanswered = unanswered;
  }

  private beginWait(f: number, timeUs: number, frame: number): void {
    this.f64[f + D_WAIT_US] = timeUs;
    this.f64[f + D_WAIT_FRAME] = frame;
  }

  private place(h1: number, row: number): void {
    const mask = this.indexMask;
    let s = h1 & mask;
    while (this.index[2 * s + 1] !== 0) s = (s + 1) & mask;
    this.index[2 * s] = h1;
    this.index[2 * s + 1] = row + 1;
  }

  /** Deletes the row's index slot, moving later slots of the same probe run back (no tombstones). */
  private unplace(h1: number, row: number): void {
    const index = this.index;
    const mask = this.indexMask;
    let hole = h1 & mask;
    while (index[2 * hole + 1] !== row + 1) hole = (hole + 1) & mask;
    for (let s = (hole + 1) & mask; index[2 * s + 1] !== 0; s = (s + 1) & mask) {
      const home = index[2 * s]! & mask;
      // The slot at s may move into the hole only if its home is not between the hole and s (cyclically).
      const between = hole <= s ? home > hole && home <= s : home > hole || home <= s;
      if (between) continue;
      index[2 * hole] = index[2 * s]!;
      index[2 * hole + 1] = index[2 * s + 1]!;
      hole = s;
    }
    index[2 * hole] = 0;
    index[2 * hole + 1] = 0;
  }

  private rehash(slots: number): void {
    this.index = new Int32Array(2 * slots);
    this.indexMask = slots - 1;
    for (let row = this.oldestRow; row !== NONE; row = this.newer[row]!) this.place(this.i32[row * ROW_WORDS + W_H1]!, row);
  }

  private growRows(rows: number): void {
    const buf = new ArrayBuffer(rows * ROW_WORDS * 4);
    new Uint32Array(buf).set(this.u32);
    this.u32 = new Uint32Array(buf);
    this.i32 = new Int32Array(buf);
    this.f64 = new Float64Array(buf);
    this.older = grown(this.older, rows);
    this.newer = grown(this.newer, rows);
    const free = grown(this.free, rows);
    // New rows are taken lowest first.
    for (let r = rows - 1; r >= this.rows; r--) free[this.freeCount++] = r;
    this.free = free;
    this.rows = rows;
  }
}

/** Whether `side` has data its peer has not acknowledged. */
function outstanding(u32: Uint32Array, b: number, bits: number, side: number): boolean {
  if (!(bits & (SENT_ANY << (4 * side)))) return false;
  return !(bits & (ACK_INIT << (4 * (1 - side)))) || seqAfter(u32[b + W_SENT0 + side]!, u32[b + W_ACK0 + 1 - side]!);
}
