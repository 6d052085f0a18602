/** Loop episodes and their impact, as the Report carries them. Produced by core/detect. */
import type { EpochMicros, IsoInstant } from './time';

/** One direction of travel on the captured link: frames from srcMac to dstMac. */
export interface MacPair {
  srcMac: string;
  dstMac: string;
  sightings: number;
}

/**
 * The sightings of an episode in columnar form, so a million points stay a few arrays (webview ladder).
 * All arrays have the same length; index i is one sighting. `stream[i]` indexes `LoopEpisode.streams`.
 */
export interface LadderColumns {
  timeUs: EpochMicros[];
  ttl: number[];
  frame: number[];
  stream: number[];
  /** Index into LoopEpisode.macPairs: which direction the sighting travelled. */
  direction: number[];
  /** true when the per-episode cap was hit and only the first sightings are listed. */
  truncated: boolean;
}

/** One looped packet: the same IP packet seen again and again with its TTL stepping down. */
export interface ReplicaStream {
  src: string;
  dst: string;
  /** IP protocol / IPv6 upper-layer next header. */
  protocol: number;
  /** IPv4 identification; null for IPv6 without a fragment header. */
  ipId: number | null;
  vlan: number | null;
  firstTtl: number;
  lastTtl: number;
  sightings: number;
  firstFrame: number;
  lastFrame: number;
  start: IsoInstant;
  end: IsoInstant;
  /** Ports when the packet is TCP/UDP. */
  srcPort?: number;
  dstPort?: number;
}

export interface LoopEpisode {
  /** Stable within a Report: "loop-1", "loop-2"... in start order. */
  id: string;
  capture: string;
  start: IsoInstant;
  end: IsoInstant;
  startUs: EpochMicros;
  endUs: EpochMicros;
  durationMs: number;
  /** TTL decrease per pass in one direction = the loop's hop count. */
  ttlStep: number;
  macPairs: MacPair[];
  /** Router addresses known from ICMP time-exceeded sources (and their MACs' IPs where seen). */
  routers: string[];
  vlan: number | null;
  /** Affected destinations summarised as prefixes (e.g. "10.244.1.0/24"). */
  destinationPrefixes: string[];
  destinations: number;
  sources: number;
  loopedPackets: number;
  sightings: number;
  /** Highest number of sightings of one packet. */
  maxReplicas: number;
  icmpTimeExceeded: number;
  firstFrame: number;
  lastFrame: number;
  /** The streams (capped to the longest N when huge; `streamsTotal` tells how many there were). */
  streams: ReplicaStream[];
  streamsTotal: number;
  ladder: LadderColumns;
  /** How the episode's impact looked: flows hurt, clients hurt, time lost. */
  impact: EpisodeImpact;
  /**
   * Looped packets whose TTL ran out, per destination address, most first (at most 100 destinations).
   * Optional for readers of older Reports; analyze() always fills it (empty when nothing was lost).
   */
  lostByDestination?: DestinationLoss[];
}

export interface DestinationLoss {
  destination: string;
  packetsLost: number;
}

export interface EpisodeImpact {
  flowsHurt: number;
  clientsHurt: number;
  /** Packets whose TTL ran out in the loop (seen with the lowest TTLs, or reported by ICMP time-exceeded). */
  packetsLost: number;
  retransmissions: number;
  stalls: number;
  /** Longest stall overlapping the episode, in ms. */
  longestStallMs: number;
}

export interface TcpStall {
  flow: string;
  capture: string;
  start: IsoInstant;
  end: IsoInstant;
  startUs: EpochMicros;
  durationMs: number;
  /** Loop episode ids that overlap the stall. */
  loops: string[];
  firstFrame: number;
  /**
   * true when the flow's data was never acknowledged before its packets stopped (e.g. a SYN lost in a loop and
   * the client gave up): `end` is then the flow's last packet, so the wait lasted at least `durationMs` (may be 0).
   */
  unanswered?: boolean;
}

export interface FlowImpact {
  /** "10.0.0.1:5555 -> 10.244.1.10:80" */
  flow: string;
  capture: string;
  packets: number;
  retransmissions: number;
  stalls: number;
  longestStallMs: number;
  loops: string[];
}

export interface Impact {
  tcpFlows: number;
  retransmissions: number;
  stalls: TcpStall[];
  /** Flows with retransmissions or stalls (capped; `flowsTotal` tells how many). */
  flows: FlowImpact[];
  flowsTotal: number;
  icmpTimeExceeded: number;
  /** Stall threshold used, in ms. */
  stallThresholdMs: number;
}
