/**
 * What loops did to traffic, per capture: TCP flows with retransmissions and stalls, and which loop episodes
 * those overlap. Every frame's record comes here with the loop tracker's verdict (SightingKind); replica sightings
 * and capture duplicates are passed over (a looped packet seen ten times is one packet, not nine retransmissions).
 *
 * Bounded: at most MAX_OPEN_FLOWS flows are tracked at once (flows idle for FLOW_IDLE_US are finished by a sweep;
 * at the cap, the flow first seen is finished to make room), and the hurt events kept for the overlap computation
 * are capped.
 */
import type { FlowImpact, LoopEpisode, TcpStall } from '../model/loops';
import { isoOfCaptureTime } from './instant';
import { ipv4Text, ipv6TextAt } from '../decode/text';
import { Fact, INNER, type FrameFacts } from './frameFacts';
import { SightingKind } from './loops';
import { TcpFlowTable } from './tcpFlow';
import { grown } from './typedArrays';

export interface ImpactOptions {
  /** No acknowledgement progress for longer than this, with data outstanding, is a stall (ms, default 200). */
  stallThresholdMs?: number;
  /**
   * A retransmission this long after a loop ended still counts against it (ms, default 3000): TCP resends a
   * lost segment after its retransmission timeout (1 s initially, doubling), so it trails the loss.
   */
  retransmissionGraceMs?: number;
}

const MAX_OPEN_FLOWS = 200_000;
/** Idle flows are finished after this long without a packet (µs). */
const FLOW_IDLE_US = 120_000_000;
const SWEEP_EVERY_PACKETS = 65_536;
const MAX_HURT_EVENTS = 1_000_000;
const MAX_HURT_FLOWS = 200_000;
/** Caps of the Report's impact lists (per capture here, and for the whole Report in analyze/assemble.ts). */
export const MAX_FLOWS_LISTED = 2000;
export const MAX_STALLS_LISTED = 10_000;

/** A flow that retransmitted or stalled: what the Report lists about it (counts taken when the flow ends). */
interface HurtFlow {
  label: string;
  client: string;
  packets: number;
  retransmissions: number;
  stalls: number;
  longestStallMs: number;
}

/** What `finish` needs of an episode: its window, and its impact to fill in. */
export type EpisodeWindow = Pick<LoopEpisode, 'startUs' | 'endUs' | 'impact'>;

/** Per-capture result before loop ids are final: `loops` hold indices into the episodes passed to `finish`. */
export interface CaptureImpact {
  tcpFlows: number;
  retransmissions: number;
  stalls: (TcpStall & { loopIndices: number[] })[];
  flows: (FlowImpact & { loopIndices: number[] })[];
  flowsTotal: number;
  /** Per episode (same order as given to `finish`): the hurt flows' labels and their clients' addresses. */
  episodeFlows: { flows: Set<string>; clients: Set<string> }[];
}

export class ImpactTracker {
  private readonly stallUs: number;
  private readonly graceUs: number;
  /** Open flows by their flow key (flowKey.ts), in the order they were first seen. */
  private readonly flows = new TcpFlowTable();
  // Per row of `flows`, what only the Report needs: the endpoints' text, and the flow's place among hurt flows.
  private endText: [string, string][] = [];
  private endAddress: [string, string][] = [];
  private hurtOfRow = new Int32Array(0);
  private longestStallMsOfRow = new Float64Array(0);
  private readonly hurt: HurtFlow[] = [];
  // Hurt events, columnar: stalls (start, end, flow, first frame) and retransmissions (time, flow).
  private stallStart: number[] = [];
  private stallEnd: number[] = [];
  private stallFlow: number[] = [];
  private stallFrame: number[] = [];
  private stallUnanswered: boolean[] = [];
  private retransTime: number[] = [];
  private retransFlow: number[] = [];
  private packets = 0;
  private nowUs = 0;
  tcpFlows = 0;
  retransmissions = 0;

  constructor(private readonly capture: string, opts: ImpactOptions = {}) {
    this.stallUs = (opts.stallThresholdMs ?? 200) * 1000;
    this.graceUs = (opts.retransmissionGraceMs ?? 3000) * 1000;
  }

  /**
   * Feeds one frame's record (frameFacts.ts) and the loop tracker's verdict on it. Replicas and capture duplicates
   * are passed over: a looped packet seen ten times is one packet, not nine retransmissions.
   */
  observe(facts: FrameFacts, slot: number, kind: SightingKind): void {
    if (kind === SightingKind.Replica || kind === SightingKind.Duplicate) return;
    const timeUs = facts.timeUs(slot);
    this.nowUs = timeUs;
    if (++this.packets % SWEEP_EVERY_PACKETS === 0) this.sweep();
    if (!facts.has(slot, Fact.Tcp)) return;
    const side = facts.flowSide(slot);
    const h1 = facts.flowH1(slot);
    const h2 = facts.flowH2(slot);
    const flows = this.flows;
    let row = flows.find(h1, h2);
    if (row < 0) {
      if (flows.count >= MAX_OPEN_FLOWS) this.endFlow(flows.oldest);
      row = this.newFlow(facts, slot, h1, h2, side);
    }
    if (flows.segment(row, side, timeUs, facts.frame(slot), facts.seq(slot), facts.ack(slot), facts.tcpFlags(slot), facts.payloadLength(slot), this.stallUs)) {
      this.retransmissions++;
      const hurt = this.hurtIndexOf(row);
      if (hurt >= 0 && this.retransTime.length < MAX_HURT_EVENTS) {
        this.retransTime.push(timeUs);
        this.retransFlow.push(hurt);
      }
    }
    if (flows.stallEnded) this.recordStall(row);
  }

  /**
   * Ends every flow and measures the overlap with `episodes` (this capture's): fills each episode's impact
   * and returns the flow and stall lists with `loopIndices` into `episodes`.
   */
  finish(episodes: EpisodeWindow[]): CaptureImpact {
    while (this.flows.oldest >= 0) this.endFlow(this.flows.oldest);
    const flowLoops = this.hurt.map(() => new Set<number>());
    const perEpisodeFlows = episodes.map(() => new Set<number>());
    const stalls: CaptureImpact['stalls'] = [];
    for (let i = 0; i < this.stallStart.length; i++) {
      const s = this.stallStart[i]!;
      const e = this.stallEnd[i]!;
      const f = this.stallFlow[i]!;
      const loopIndices: number[] = [];
      episodes.forEach((ep, k) => {
        if (s > ep.endUs || e < ep.startUs) return;
        loopIndices.push(k);
        flowLoops[f]!.add(k);
        perEpisodeFlows[k]!.add(f);
        ep.impact.stalls++;
        ep.impact.longestStallMs = Math.max(ep.impact.longestStallMs, (e - s) / 1000);
      });
      if (stalls.length < MAX_STALLS_LISTED) {
        stalls.push({
          flow: this.hurt[f]!.label,
          capture: this.capture,
          start: isoOfCaptureTime(s),
          end: isoOfCaptureTime(e),
          startUs: s,
          durationMs: (e - s) / 1000,
          loops: [],
          firstFrame: this.stallFrame[i]!,
          unanswered: this.stallUnanswered[i]!,
          loopIndices,
        });
      }
    }
    for (let i = 0; i < this.retransTime.length; i++) {
      const t = this.retransTime[i]!;
      const f = this.retransFlow[i]!;
      episodes.forEach((ep, k) => {
        if (t < ep.startUs || t > ep.endUs + this.graceUs) return;
        flowLoops[f]!.add(k);
        perEpisodeFlows[k]!.add(f);
        ep.impact.retransmissions++;
      });
    }
    const episodeFlows = episodes.map((ep, k) => {
      const hurt = [...perEpisodeFlows[k]!].map((f) => this.hurt[f]!);
      const out = { flows: new Set(hurt.map((h) => h.label)), clients: new Set(hurt.map((h) => h.client)) };
      ep.impact.flowsHurt = out.flows.size;
      ep.impact.clientsHurt = out.clients.size;
      return out;
    });
    const flows = this.hurt.map((h, f) => ({
      flow: h.label,
      capture: this.capture,
      packets: h.packets,
      retransmissions: h.retransmissions,
      stalls: h.stalls,
      longestStallMs: h.longestStallMs,
      loops: [],
      loopIndices: [...flowLoops[f]!].sort((a, b) => a - b),
    }));
    // The worst first: flows hurt by loops, then by longest stall, then by retransmissions.
    flows.sort((a, b) => b.loopIndices.length - a.loopIndices.length || b.longestStallMs - a.longestStallMs || b.retransmissions - a.retransmissions);
    return { tcpFlows: this.tcpFlows, retransmissions: this.retransmissions, stalls, flows: flows.slice(0, MAX_FLOWS_LISTED), flowsTotal: flows.length, episodeFlows };
  }

  private newFlow(facts: FrameFacts, slot: number, h1: number, h2: number, side: 0 | 1): number {
    const row = this.flows.add(h1, h2);
    if (row >= this.hurtOfRow.length) {
      const length = Math.max(1024, 2 * row);
      this.hurtOfRow = grown(this.hurtOfRow, length);
      this.longestStallMsOfRow = grown(this.longestStallMsOfRow, length);
    }
    this.hurtOfRow[row] = -1;
    this.longestStallMsOfRow[row] = 0;
    const v6 = facts.has(slot, Fact.V6);
    const src = v6 ? ipv6TextAt(facts.u8, facts.src6Offset(slot, INNER)) : ipv4Text(facts.src4(slot, INNER));
    const dst = v6 ? ipv6TextAt(facts.u8, facts.dst6Offset(slot, INNER)) : ipv4Text(facts.dst4(slot, INNER));
    const endText = (a: string, p: number) => (v6 ? `[${a}]:${p}` : `${a}:${p}`);
    const me = endText(src, facts.srcPort(slot));
    const peer = endText(dst, facts.dstPort(slot));
    this.endText[row] = side === 0 ? [me, peer] : [peer, me];
    this.endAddress[row] = side === 0 ? [src, dst] : [dst, src];
    this.tcpFlows++;
    return row;
  }

  /** The flow's index among hurt flows, or -1 once MAX_HURT_FLOWS are listed (then its events are not kept). */
  private hurtIndexOf(row: number): number {
    if (this.hurtOfRow[row]! < 0 && this.hurt.length < MAX_HURT_FLOWS) {
      this.hurtOfRow[row] = this.hurt.length;
      // The client is the side that sent the SYN; without one (flow began before the capture), the side with
      // the higher port, which is usually the ephemeral one.
      const [a, b] = this.endText[row]!;
      const portOf = (s: string) => Number(s.slice(s.lastIndexOf(':') + 1));
      const known = this.flows.clientSide(row);
      const client = known >= 0 ? known : portOf(a) >= portOf(b) ? 0 : 1;
      this.hurt.push({
        label: `${this.endText[row]![client]} -> ${this.endText[row]![1 - client]}`, client: this.endAddress[row]![client]!,
        packets: 0, retransmissions: 0, stalls: 0, longestStallMs: 0,
      });
    }
    return this.hurtOfRow[row]!;
  }

  /** The stall the flow table just reported ended (flows.stall*). */
  private recordStall(row: number): void {
    const flows = this.flows;
    const f = this.hurtIndexOf(row);
    flows.countStall(row);
    this.longestStallMsOfRow[row] = Math.max(this.longestStallMsOfRow[row]!, (flows.stallEndUs - flows.stallStartUs) / 1000);
    if (f < 0 || this.stallStart.length >= MAX_HURT_EVENTS) return;
    this.stallStart.push(flows.stallStartUs);
    this.stallEnd.push(flows.stallEndUs);
    this.stallFlow.push(f);
    this.stallFrame.push(flows.stallFirstFrame);
    this.stallUnanswered.push(flows.stallUnanswered);
  }

  /** Ends the row's flow (a stall still open counts), keeps what the Report says of it, and frees the row. */
  private endFlow(row: number): void {
    const flows = this.flows;
    flows.end(row, this.stallUs, this.nowUs);
    if (flows.stallEnded) this.recordStall(row);
    const h = this.hurtOfRow[row]!;
    if (h >= 0) {
      const hurt = this.hurt[h]!;
      hurt.packets = flows.packets(row);
      hurt.retransmissions = flows.retransmissions(row);
      hurt.stalls = flows.stalls(row);
      hurt.longestStallMs = this.longestStallMsOfRow[row]!;
    }
    flows.remove(row);
  }

  /** Ends the flows idle for longer than FLOW_IDLE_US, in the order they were first seen. */
  private sweep(): void {
    const flows = this.flows;
    for (let row = flows.oldest; row >= 0; ) {
      const next = flows.newerThan(row);
      if (this.nowUs - flows.lastUs(row) > FLOW_IDLE_US) this.endFlow(row);
      row = next;
    }
  }
}
