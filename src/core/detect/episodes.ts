/**
 * Loop streams -> loop episodes: merges streams that overlap in time and share a router pair or destination
 * prefix (a stream can bridge two drafts, which then become one), and renders finished drafts as the
 * Report's LoopEpisode records.
 */
import type { LadderColumns, LoopEpisode, MacPair, ReplicaStream } from '../model/loops';
import { isoOfCaptureTime } from './instant';
import type { DirectionTable } from './directions';
import { macText } from '../decode/text';
import { EpisodeDraft, type EpisodeLimits } from './episodeDraft';
import type { ReplicaStreamDraft } from './replicaStream';
import { summarisePrefixes } from './addressText';
import { grown } from './typedArrays';

/** An ICMP time-exceeded message seen in the capture (kept for attribution to episodes). */
export interface TimeExceededSighting {
  timeUs: number;
  /** The router that sent it. */
  router: string;
  routerMac: number;
  /** Destination of the packet it quotes, when the quote was captured. */
  quotedDst: string | null;
}

export interface EpisodeContext {
  capture: string;
  directions: Pick<DirectionTable, 'info'>;
  timeExceeded: readonly TimeExceededSighting[];
  /** MAC -> IP addresses that MAC's owner originated router traffic from (ICMP errors, BGP, OSPF). */
  routerAddressesByMac: ReadonlyMap<number, ReadonlySet<string>>;
  /** Slack used to attribute ICMP messages that arrive just before/after the replicas. */
  gapUs: number;
}

export interface EpisodeBuilderLimits extends EpisodeLimits {
  maxLadderSightings: number;
}

/** Destinations listed in an episode's lostByDestination. */
const MAX_LOSS_DESTINATIONS = 100;

/** How far back (in capture time) a new stream may reach to join an episode: streams finish within their gap. */
const LOOKBACK_US = 600_000_000;

export class EpisodeBuilder {
  private drafts: EpisodeDraft[] = [];
  /**
   * Each draft's start and end, beside it: every closed stream is tested against the drafts of the last ten
   * minutes, and a capture with thousands of small unrelated episodes (another MAC pair and prefix each) made
   * that test, through the draft objects, most of the analysis (bench/results.md, "Fourth round").
   */
  private startOf = new Float64Array(64);
  private endOf = new Float64Array(64);
  /**
   * The latest end among drafts 0..i. The search stops at the first i where even that is ten minutes old: stopping
   * at the first old draft instead cut a loop longer than that in two whenever a short one elsewhere had begun
   * after it (drafts are in order of creation, not of end).
   */
  private latestEndTo = new Float64Array(64);

  constructor(private readonly gapUs: number, private readonly limits: EpisodeBuilderLimits) {}

  add(stream: ReplicaStreamDraft, steps: Map<number, number>): void {
    let home = -1;
    const first = stream.timeUs[0]!;
    const last = stream.lastUs;
    const gap = this.gapUs;
    const prefix = stream.facts.dstPrefix;
    const dirs = [...new Set(stream.dir)];
    // Drafts are appended roughly in time order: scan from the newest and stop once far in the past. A draft takes
    // the stream when their times overlap (within the gap) and they share a destination prefix or a direction.
    for (let i = this.drafts.length - 1; i >= 0; i--) {
      if (this.latestEndTo[i]! < first - LOOKBACK_US) break;
      if (first > this.endOf[i]! + gap || last < this.startOf[i]! - gap) continue;
      const d = this.drafts[i]!;
      if (!d.sharesPlace(prefix, dirs)) continue;
      if (home < 0) {
        home = i;
        d.add(stream, steps);
      } else {
        this.drafts[home]!.absorb(d);
        this.remove(i);
        home--;
      }
      this.startOf[home] = this.drafts[home]!.startUs;
      this.endOf[home] = this.drafts[home]!.endUs;
      this.updateLatestEnd(home);
    }
    if (home < 0) this.push(new EpisodeDraft(stream, steps, this.limits));
  }

  finish(ctx: EpisodeContext): LoopEpisode[] {
    return this.drafts.sort((a, b) => a.startUs - b.startUs).map((d) => renderEpisode(d, ctx, this.limits));
  }

  private push(d: EpisodeDraft): void {
    const n = this.drafts.length;
    if (n === this.startOf.length) {
      this.startOf = grown(this.startOf, 2 * n);
      this.endOf = grown(this.endOf, 2 * n);
      this.latestEndTo = grown(this.latestEndTo, 2 * n);
    }
    this.drafts.push(d);
    this.startOf[n] = d.startUs;
    this.endOf[n] = d.endUs;
    this.updateLatestEnd(n);
  }

  private remove(i: number): void {
    const n = this.drafts.length;
    this.drafts.splice(i, 1);
    this.startOf.copyWithin(i, i + 1, n);
    this.endOf.copyWithin(i, i + 1, n);
    this.latestEndTo.copyWithin(i, i + 1, n);
    this.updateLatestEnd(i);
  }

  /** latestEndTo from draft i on, after draft i's end changed (or a draft below was removed). */
  private updateLatestEnd(i: number): void {
    let latest = i > 0 ? this.latestEndTo[i - 1]! : -Infinity;
    for (let j = i; j < this.drafts.length; j++) {
      latest = Math.max(latest, this.endOf[j]!);
      // Unchanged from here on: the later maxima already cover it.
      if (j > i && this.latestEndTo[j] === latest) break;
      this.latestEndTo[j] = latest;
    }
  }
}

function renderEpisode(d: EpisodeDraft, ctx: EpisodeContext, limits: EpisodeBuilderLimits): LoopEpisode {
  const dirIds = [...d.directions.entries()].sort((a, b) => b[1] - a[1]);
  const dirIndex = new Map<number, number>(dirIds.map(([id], i) => [id, i]));
  const macPairs: MacPair[] = dirIds.map(([id, sightings]) => {
    const info = ctx.directions.info[id]!;
    return { srcMac: info.srcMac < 0 ? '' : macText(info.srcMac), dstMac: info.dstMac < 0 ? '' : macText(info.dstMac), sightings };
  });
  const macs = new Set<number>();
  for (const [id] of dirIds) {
    const info = ctx.directions.info[id]!;
    if (info.srcMac >= 0) macs.add(info.srcMac);
    if (info.dstMac >= 0) macs.add(info.dstMac);
  }
  const destinations = new Set<string>();
  for (const hosts of d.destinationsByPrefix.values()) for (const h of hosts) destinations.add(h);

  const routers = new Set<string>();
  let icmpTimeExceeded = 0;
  for (const te of ctx.timeExceeded) {
    if (te.timeUs < d.startUs - ctx.gapUs || te.timeUs > d.endUs + ctx.gapUs) continue;
    if ((te.quotedDst !== null && destinations.has(te.quotedDst)) || macs.has(te.routerMac)) {
      icmpTimeExceeded++;
      routers.add(te.router);
    }
  }
  for (const mac of macs) for (const ip of ctx.routerAddressesByMac.get(mac) ?? []) routers.add(ip);

  const kept = [...d.streams].sort((a, b) => a.timeUs[0]! - b.timeUs[0]! || b.ttl.length - a.ttl.length);
  const ttlStep = d.ttlStep();
  return {
    id: '',
    capture: ctx.capture,
    start: isoOfCaptureTime(d.startUs),
    end: isoOfCaptureTime(d.endUs),
    startUs: d.startUs,
    endUs: d.endUs,
    durationMs: (d.endUs - d.startUs) / 1000,
    ttlStep,
    macPairs,
    routers: [...routers].sort(),
    vlan: d.vlan,
    destinationPrefixes: summarisePrefixes(d.destinationsByPrefix),
    destinations: d.destinationCount,
    sources: d.sources.size,
    loopedPackets: d.streamsTotal,
    sightings: d.sightings,
    maxReplicas: d.maxReplicas,
    icmpTimeExceeded,
    firstFrame: d.firstFrame,
    lastFrame: d.lastFrame,
    streams: kept.map(renderStream),
    streamsTotal: d.streamsTotal,
    ladder: renderLadder(kept, dirIndex, d.sightings, limits.maxLadderSightings),
    impact: { flowsHurt: 0, clientsHurt: 0, packetsLost: d.packetsLost(ttlStep), retransmissions: 0, stalls: 0, longestStallMs: 0 },
    lostByDestination: d.lostByDestination(ttlStep, MAX_LOSS_DESTINATIONS),
  };
}

function renderStream(s: ReplicaStreamDraft): ReplicaStream {
  const n = s.ttl.length;
  const f = s.facts;
  const out: ReplicaStream = {
    src: f.src,
    dst: f.dst,
    protocol: f.protocol,
    ipId: f.ipId,
    vlan: f.vlan,
    firstTtl: s.maxTtl,
    lastTtl: s.minTtl,
    sightings: n,
    firstFrame: s.frame[0]!,
    lastFrame: s.frame[n - 1]!,
    start: isoOfCaptureTime(s.timeUs[0]!),
    end: isoOfCaptureTime(s.lastUs),
  };
  if (f.srcPort !== undefined) out.srcPort = f.srcPort;
  if (f.dstPort !== undefined) out.dstPort = f.dstPort;
  return out;
}

/** The kept streams' sightings in time order, up to `cap`; `truncated` when any sighting is left out. */
function renderLadder(streams: ReplicaStreamDraft[], dirIndex: Map<number, number>, total: number, cap: number): LadderColumns {
  const rows: [number, number, number, number, number][] = [];
  streams.forEach((s, si) => {
    for (let i = 0; i < s.ttl.length; i++) rows.push([s.timeUs[i]!, s.ttl[i]!, s.frame[i]!, si, dirIndex.get(s.dir[i]!) ?? -1]);
  });
  rows.sort((a, b) => a[0] - b[0] || a[2] - b[2]);
  if (rows.length > cap) rows.length = cap;
  return {
    timeUs: rows.map((r) => r[0]),
    ttl: rows.map((r) => r[1]),
    frame: rows.map((r) => r[2]),
    stream: rows.map((r) => r[3]),
    direction: rows.map((r) => r[4]),
    truncated: rows.length < total,
  };
}
