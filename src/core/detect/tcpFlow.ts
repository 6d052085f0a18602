/**
 * One TCP connection's progress, as seen from the capture point: what each side has sent (highest sequence
 * end) and had acknowledged, retransmissions (data at or below what was already sent) and stalls (data
 * outstanding with no acknowledgement moving for longer than the threshold). One object per flow, never per packet.
 */

const SYN = 0x02;
const FIN = 0x01;
const RST = 0x04;
const ACK = 0x10;

/** Bits of TcpFlowState.known (for side 1, times 16). */
const SENT_INIT = 1;
const SENT_ANY = 2;
const ACK_INIT = 4;

/** Sequence-space comparison (RFC 793 modular arithmetic): a after b. */
function seqAfter(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

/** A stall that ended (or was cut by the end of the flow), in µs. */
export interface StallSpan {
  startUs: number;
  endUs: number;
  firstFrame: number;
  /** The data was never acknowledged before the flow's packets stopped (`endUs` is its last packet). */
  unanswered: boolean;
}

export class TcpFlowState {
  packets = 0;
  retransmissions = 0;
  /** 0 or 1: the side that sent the SYN; -1 until known. */
  clientSide = -1;
  lastUs = 0;
  closed = false;
  /** Set by `segment` when that segment ended a stall longer than the threshold, else null. */
  endedStall: StallSpan | null = null;
  // Per side (0, 1) as plain fields rather than two-element arrays: one object per flow and no pointer to
  // follow on every segment (the benchmark's profile showed those loads as cache misses).
  private sentMax0 = 0;
  private sentMax1 = 0;
  private ackMax0 = 0;
  private ackMax1 = 0;
  /** Bits SENT_INIT/SENT_ANY/ACK_INIT shifted by 4 * side. */
  private known = 0;
  private waiting = false;
  private waitSinceUs = 0;
  private waitFrame = 0;

  /**
   * `side` 0/1 = which endpoint sent the segment; `seqLen` = payload length (from the IP length fields).
   * Returns whether it was a retransmission; `endedStall` is set when this segment ended a stall.
   */
  segment(side: 0 | 1, timeUs: number, frame: number, seq: number, ack: number, flags: number, payloadLen: number, stallUs: number): boolean {
    this.packets++;
    this.lastUs = timeUs;
    const seqLen = payloadLen + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0);
    if (flags & SYN && !(flags & ACK)) this.clientSide = side;
    let retransmission = false;
    const bit = side === 0 ? 1 : 16;
    if (seqLen > 0) {
      const end = (seq + seqLen) >>> 0;
      const sentMax = side === 0 ? this.sentMax0 : this.sentMax1;
      if (!(this.known & (bit * SENT_INIT)) || seqAfter(end, sentMax)) {
        if (side === 0) this.sentMax0 = end;
        else this.sentMax1 = end;
      } else retransmission = true;
      this.known |= bit * (SENT_INIT | SENT_ANY);
    }
    if (retransmission) this.retransmissions++;
    let progress = false;
    if (flags & ACK) {
      const ackMax = side === 0 ? this.ackMax0 : this.ackMax1;
      const ackInit = (this.known & (bit * ACK_INIT)) !== 0;
      if (ackInit && seqAfter(ack, ackMax)) progress = true;
      if (!ackInit || seqAfter(ack, ackMax)) {
        if (side === 0) this.ackMax0 = ack >>> 0;
        else this.ackMax1 = ack >>> 0;
      }
      this.known |= bit * ACK_INIT;
    }
    if (flags & RST) this.closed = true;
    const nowWaiting = !this.closed && (this.outstanding(0) || this.outstanding(1));
    this.endedStall = null;
    if (this.waiting && (progress || !nowWaiting)) {
      this.endedStall = this.endWait(timeUs, stallUs);
      if (nowWaiting) this.beginWait(timeUs, frame);
    } else if (!this.waiting && nowWaiting) {
      this.beginWait(timeUs, frame);
    }
    this.waiting = nowWaiting;
    return retransmission;
  }

  /**
   * At the end of the capture (or eviction), `nowUs` being the capture's time then: a wait still open is a stall
   * when nothing moved for longer than the threshold since it began. Its end is the flow's last packet: a SYN
   * lost in a loop whose client gave up shows no packet after it, yet the connection was dead from then on.
   */
  finish(stallUs: number, nowUs: number): StallSpan | null {
    if (!this.waiting) return null;
    this.waiting = false;
    if (nowUs - this.waitSinceUs <= stallUs) return null;
    return { startUs: this.waitSinceUs, endUs: this.lastUs, firstFrame: this.waitFrame, unanswered: true };
  }

  private outstanding(side: number): boolean {
    const mine = side === 0 ? 1 : 16;
    if (!(this.known & (mine * SENT_ANY))) return false;
    const peer = side === 0 ? 16 : 1;
    return !(this.known & (peer * ACK_INIT)) || seqAfter(side === 0 ? this.sentMax0 : this.sentMax1, side === 0 ? this.ackMax1 : this.ackMax0);
  }

  private beginWait(timeUs: number, frame: number): void {
    this.waitSinceUs = timeUs;
    this.waitFrame = frame;
  }

  private endWait(timeUs: number, stallUs: number): StallSpan | null {
    return timeUs - this.waitSinceUs > stallUs ? { startUs: this.waitSinceUs, endUs: timeUs, firstFrame: this.waitFrame, unanswered: false } : null;
  }
}
