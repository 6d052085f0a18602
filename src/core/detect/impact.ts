/**
 * What loops did to traffic, per capture: TCP flows with retransmissions and stalls, and which loop episodes
 * those overlap. Every frame's record comes here with the loop tracker's verdict (SightingKind); replica sightings
 * and capture duplicates are passed over (a looped packet seen ten times is one packet, not nine retransmissions).
 *
 * Bounded: at most MAX_OPEN_FLOWS flows are tracked at once (idle ones are finished first), and the hurt
 * events kept for the overlap computation are capped.
 */
import type { FlowImpact, LoopEpisode, TcpStall } from '../model/loops';
import { isoOfCaptureTime } from './instant';
import { ipv4Text, ipv6TextAt } from '../decode/text';
import { Fact, INNER, type FrameFacts } from './frameFacts';
import { SightingKind } from './loops';
import { TcpFlowState, type StallSpan } from './tcpFlow';

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

/**
 * One tracked flow: its TCP state and what the Report lists about it. It is the TCP state itself (a subclass, not
 * an object holding one) so that a packet's lookup follows one pointer, not two: the benchmark's profile showed
 * this lookup waiting on memory.
 */
class FlowEntry extends TcpFlowState {
  /** The next flow on the same table chain. */
  next: FlowEntry | null = null;
  /** Index in `hurt` once the flow retransmitted or stalled, else -1. */
  hurtIndex = -1;
  stalls = 0;
  longestStallMs = 0;

  constructor(
    /** Second hash lane of the flow key, cut to 30 bits (a small integer, stored unboxed); the first picks the chain. */
    readonly h2: number,
    /** Endpoint text of side 0 and side 1 ("10.0.0.1:5555", "[2001:db8::1]:80"). */
    readonly ends: [string, string],
    /** Their addresses. */
    readonly addrs: [string, string],
  ) {
    super();
  }
}

interface HurtFlow {
  label: string;
  client: string;
  entry: FlowEntry;
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
  /**
   * Open flows by the low 30 bits of the key's first hash lane (a small integer: no boxed number per lookup),
   * chained on collision and told apart by the second lane.
   */
  private readonly flows = new Map<number, FlowEntry>();
  private flowCount = 0;
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
    const v6 = facts.has(slot, Fact.V6);
    const src4 = facts.src4(slot, INNER);
    const dst4 = facts.dst4(slot, INNER);
    const srcOff = facts.src6Offset(slot, INNER);
    const dstOff = facts.dst6Offset(slot, INNER);
    const sp = facts.srcPort(slot);
    const dp = facts.dstPort(slot);
    const data = facts.u8;
    const side = facts.flowSide(slot);
    const key = facts.flowH1(slot) & 0x3fffffff;
    const h2 = facts.flowH2(slot) & 0x3fffffff;
    let entry = this.flows.get(key);
    while (entry !== undefined && entry.h2 !== h2) entry = entry.next ?? undefined;
    if (!entry) {
      if (this.flowCount >= MAX_OPEN_FLOWS) this.evictOldest();
      entry = this.newEntry(h2, v6, data, src4, dst4, srcOff, dstOff, sp, dp, side);
      entry.next = this.flows.get(key) ?? null;
      this.flows.set(key, entry);
      this.flowCount++;
      this.tcpFlows++;
    }
    const st = entry;
    if (st.segment(side, timeUs, facts.frame(slot), facts.seq(slot), facts.ack(slot), facts.tcpFlags(slot), facts.payloadLength(slot), this.stallUs)) {
      this.retransmissions++;
      const hurt = this.hurtIndexOf(entry);
      if (hurt >= 0 && this.retransTime.length < MAX_HURT_EVENTS) {
        this.retransTime.push(timeUs);
        this.retransFlow.push(hurt);
      }
    }
    if (st.endedStall) this.recordStall(entry, st.endedStall);
  }

  /**
   * Ends every flow and measures the overlap with `episodes` (this capture's): fills each episode's impact
   * and returns the flow and stall lists with `loopIndices` into `episodes`.
   */
  finish(episodes: EpisodeWindow[]): CaptureImpact {
    for (const head of this.flows.values()) for (let e: FlowEntry | null = head; e; e = e.next) this.endFlow(e);
    this.flows.clear();
    this.flowCount = 0;
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
      packets: h.entry.packets,
      retransmissions: h.entry.retransmissions,
      stalls: h.entry.stalls,
      longestStallMs: h.entry.longestStallMs,
      loops: [],
      loopIndices: [...flowLoops[f]!].sort((a, b) => a - b),
    }));
    // The worst first: flows hurt by loops, then by longest stall, then by retransmissions.
    flows.sort((a, b) => b.loopIndices.length - a.loopIndices.length || b.longestStallMs - a.longestStallMs || b.retransmissions - a.retransmissions);
    return { tcpFlows: this.tcpFlows, retransmissions: this.retransmissions, stalls, flows: flows.slice(0, MAX_FLOWS_LISTED), flowsTotal: flows.length, episodeFlows };
  }

  private newEntry(h2: number, v6: boolean, data: Uint8Array, src4: number, dst4: number, srcOff: number, dstOff: number, sp: number, dp: number, side: 0 | 1): FlowEntry {
    const src = v6 ? ipv6TextAt(data, srcOff) : ipv4Text(src4);
    const dst = v6 ? ipv6TextAt(data, dstOff) : ipv4Text(dst4);
    const endText = (a: string, p: number) => (v6 ? `[${a}]:${p}` : `${a}:${p}`);
    const me = endText(src, sp);
    const peer = endText(dst, dp);
    return new FlowEntry(h2, side === 0 ? [me, peer] : [peer, me], side === 0 ? [src, dst] : [dst, src]);
  }

  /** The flow's index among hurt flows, or -1 once MAX_HURT_FLOWS are listed (then its events are not kept). */
  private hurtIndexOf(entry: FlowEntry): number {
    if (entry.hurtIndex < 0 && this.hurt.length < MAX_HURT_FLOWS) {
      entry.hurtIndex = this.hurt.length;
      // The client is the side that sent the SYN; without one (flow began before the capture), the side with
      // the higher port, which is usually the ephemeral one.
      const [a, b] = entry.ends;
      const portOf = (s: string) => Number(s.slice(s.lastIndexOf(':') + 1));
      const client = entry.clientSide >= 0 ? entry.clientSide : portOf(a) >= portOf(b) ? 0 : 1;
      this.hurt.push({ label: `${entry.ends[client]} -> ${entry.ends[1 - client]}`, client: entry.addrs[client]!, entry });
    }
    return entry.hurtIndex;
  }

  private recordStall(entry: FlowEntry, s: StallSpan): void {
    const f = this.hurtIndexOf(entry);
    entry.stalls++;
    entry.longestStallMs = Math.max(entry.longestStallMs, (s.endUs - s.startUs) / 1000);
    if (f < 0 || this.stallStart.length >= MAX_HURT_EVENTS) return;
    this.stallStart.push(s.startUs);
    this.stallEnd.push(s.endUs);
    this.stallFlow.push(f);
    this.stallFrame.push(s.firstFrame);
    this.stallUnanswered.push(s.unanswered);
  }

  private endFlow(entry: FlowEntry): void {
    const s = entry.finish(this.stallUs, this.nowUs);
    if (s) this.recordStall(entry, s);
  }

  /** Finishes flows idle for longer than FLOW_IDLE_US. */
  private sweep(): void {
    for (const [key, head] of this.flows) {
      let keep: FlowEntry | null = null;
      for (let e: FlowEntry | null = head; e; ) {
        const next: FlowEntry | null = e.next;
        if (this.nowUs - e.lastUs > FLOW_IDLE_US) {
          this.endFlow(e);
          this.flowCount--;
        } else {
          e.next = keep;
          keep = e;
        }
        e = next;
      }
      if (keep) this.flows.set(key, keep);
      else this.flows.delete(key);
    }
  }

  /** At the flow cap: finishes the chain that was created first (Map order), usually one flow. */
  private evictOldest(): void {
    const first = this.flows.entries().next();
    if (first.done) return;
    for (let e: FlowEntry | null = first.value[1]; e; e = e.next) {
      this.endFlow(e);
      this.flowCount--;
    }
    this.flows.delete(first.value[0]);
  }
}
