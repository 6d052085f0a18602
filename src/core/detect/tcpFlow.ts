/**
 * One TCP connection's progress, as seen from the capture point: what each side has sent (highest sequence
 * end) and had acknowledged, retransmissions (data at or below what was already sent) and stalls (data
 * outstanding with no acknowledgement moving for longer than the threshold). One object per flow, never per packet.
 */

const SYN = 0x02;
const FIN = 0x01;
const RST = 0x04;
const ACK = 0x10;

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
  private readonly sentMax = [0, 0];
  private readonly sentAny = [false, false];
  private readonly sentInit = [false, false];
  private readonly ackMax = [0, 0];
  private readonly ackInit = [false, false];
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
    if (seqLen > 0) {
      const end = (seq + seqLen) >>> 0;
      if (!this.sentInit[side] || seqAfter(end, this.sentMax[side]!)) this.sentMax[side] = end;
      else retransmission = true;
      this.sentInit[side] = true;
      this.sentAny[side] = true;
    }
    if (retransmission) this.retransmissions++;
    let progress = false;
    if (flags & ACK) {
      if (this.ackInit[side] && seqAfter(ack, this.ackMax[side]!)) progress = true;
      if (!this.ackInit[side] || seqAfter(ack, this.ackMax[side]!)) this.ackMax[side] = ack >>> 0;
      this.ackInit[side] = true;
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
    if (!this.sentAny[side]) return false;
    const peer = 1 - side;
    return !this.ackInit[peer] || seqAfter(this.sentMax[side]!, this.ackMax[peer]!);
  }

  private beginWait(timeUs: number, frame: number): void {
    this.waitSinceUs = timeUs;
    this.waitFrame = frame;
  }

  private endWait(timeUs: number, stallUs: number): StallSpan | null {
    return timeUs - this.waitSinceUs > stallUs ? { startUs: this.waitSinceUs, endUs: timeUs, firstFrame: this.waitFrame, unanswered: false } : null;
  }
}
