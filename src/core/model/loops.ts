/**
 * Loop episodes and their impact, as the Report carries them. Produced by core/detect (see docs/report-schema.md
 * for how a loop is recognised). Change additively only: the host, the webview and the correlator read these.
 */
import type { EpochMicros, IsoInstant } from './time';

/** One direction of travel on the captured link: frames from srcMac to dstMac. */
export interface MacPair {
  /** Sender's Ethernet address "aa:bb:cc:dd:ee:ff"; "" when the link type carries none. */
  srcMac: string;
  /** Receiver's Ethernet address; "" when the link type carries none. */
  dstMac: string;
  /** Sightings of the episode's looped packets in this direction. */
  sightings: number;
}

/**
 * The sightings of an episode in columnar form, so a million points stay a few arrays (webview ladder).
 * All arrays have the same length; index i is one sighting, in time order.
 */
export interface LadderColumns {
  /** When the sighting was captured. */
  timeUs: EpochMicros[];
  /** Its TTL / hop limit. */
  ttl: number[];
  /** Its 1-based frame number in the capture. */
  frame: number[];
  /** Index into LoopEpisode.streams: which looped packet it was. */
  stream: number[];
  /** Index into LoopEpisode.macPairs: which direction the sighting travelled. */
  direction: number[];
  /** true when sightings were left out: the per-episode cap (200,000) or streams beyond those listed. */
  truncated: boolean;
}

/** One looped packet: the same IP packet seen again and again with its TTL stepping down. */
export interface ReplicaStream {
  /** Source and destination IP addresses (IPv6 in RFC 5952 text). */
  src: string;
  dst: string;
  /** IP protocol / IPv6 upper-layer next header. */
  protocol: number;
  /** IPv4 identification; null for IPv6 without a fragment header. */
  ipId: number | null;
  /** Innermost 802.1Q VLAN id it was seen on, or null when untagged. */
  vlan: number | null;
  /** TTL at the first and at the last sighting (firstTtl > lastTtl). */
  firstTtl: number;
  lastTtl: number;
  /** How many times it was seen (>= 2). */
  sightings: number;
  /** Frame numbers of the first and last sighting. */
  firstFrame: number;
  lastFrame: number;
  /** Times of the first and last sighting. */
  start: IsoInstant;
  end: IsoInstant;
  /** Ports when the packet is TCP/UDP. */
  srcPort?: number;
  dstPort?: number;
}

export interface LoopEpisode {
  /** Stable within a Report: "loop-1", "loop-2"... in start order. */
  id: string;
  /** Path of the capture it was seen in. */
  capture: string;
  /** First and last sighting of any looped packet of the episode. */
  start: IsoInstant;
  end: IsoInstant;
  startUs: EpochMicros;
  endUs: EpochMicros;
  /** end - start, ms. */
  durationMs: number;
  /** TTL decrease per pass in one direction = the loop's hop count. */
  ttlStep: number;
  /** Directions the looped packets travelled on the link, most sightings first. */
  macPairs: MacPair[];
  /** Router addresses known from ICMP time-exceeded sources (and their MACs' IPs where seen). */
  routers: string[];
  /** Innermost VLAN id of the first looped packet, or null. */
  vlan: number | null;
  /** Affected destinations summarised as prefixes (e.g. "10.244.1.0/24"; a lone address as /32 or /128). */
  destinationPrefixes: string[];
  /** Distinct destination / source addresses of the looped packets (counting stops at 65,536). */
  destinations: number;
  sources: number;
  /** Distinct packets caught in the loop (= replica streams). */
  loopedPackets: number;
  /** Frames of looped packets, all streams together. */
  sightings: number;
  /** Highest number of sightings of one packet. */
  maxReplicas: number;
  /** ICMP time-exceeded messages attributed to the episode (its time ±1 s, its destinations or MACs). */
  icmpTimeExceeded: number;
  /** Frame numbers of the first and last sighting. */
  firstFrame: number;
  lastFrame: number;
  /** The streams (capped to the longest N when huge; `streamsTotal` tells how many there were). */
  streams: ReplicaStream[];
  streamsTotal: number;
  /** Every sighting of the listed streams, for the TTL ladder. */
  ladder: LadderColumns;
  /** How the episode's impact looked: flows hurt, clients hurt, time lost. */
  impact: EpisodeImpact;
  /**
   * Looped packets whose TTL ran out, per destination address, most first (at most 100 destinations).
   * Optional for readers of older Reports; analyze() always fills it (empty when nothing was lost).
   */
  lostByDestination?: DestinationLoss[];
  /**
   * ICMP / ICMPv6 time-exceeded messages around the episode (its time ±1 s) whose quoted packet went to one of
   * its destination prefixes or whose sender is one of its `routers`: marks on the TTL ladder. Evenly sampled to
   * at most 5,000. Optional for readers of older Reports; analyze() fills it.
   */
  icmpMarks?: IcmpMarks;
  /**
   * Ordinary traffic around the episode (its time ±1 s): packets that were not replicas, towards its destination
   * prefixes or on one of its MAC pairs, drawn as a faint band behind the staircases. Evenly sampled to at most
   * 20,000. Optional for readers of older Reports; analyze() fills it.
   */
  background?: LadderBackground;
}

/** Columns of ICMP time-exceeded marks; index i is one message, in capture order. */
export interface IcmpMarks {
  timeUs: EpochMicros[];
  /** The message's sender (the router whose TTL ran out). */
  router: string[];
  /** true when more matched than are listed. */
  truncated: boolean;
}

/** Columns of background packets; index i is one packet, in capture order. */
export interface LadderBackground {
  timeUs: EpochMicros[];
  /** TTL / hop limit of the innermost IP header. */
  ttl: number[];
  /**
   * true when packets were left out: the per-episode cap, or the capture's kept sample being thinned (long
   * loop-heavy captures). Traffic so dense that 65,536 packets span under 1 s starts the band later than 1 s
   * before the episode without setting this.
   */
  truncated: boolean;
}

export interface DestinationLoss {
  /** A destination IP address. */
  destination: string;
  /** Looped packets to it whose TTL ran out in the loop. */
  packetsLost: number;
}

export interface EpisodeImpact {
  /** TCP flows with a stall overlapping the episode, or a retransmission in it or up to 3 s after. */
  flowsHurt: number;
  /** Distinct client addresses of those flows. */
  clientsHurt: number;
  /** Packets whose TTL ran out in the loop (last seen with a TTL no higher than the TTL step). */
  packetsLost: number;
  /** Retransmissions counted for the episode. */
  retransmissions: number;
  /** Stalls overlapping the episode. */
  stalls: number;
  /** Longest stall overlapping the episode, in ms (0 when none had a measured end). */
  longestStallMs: number;
}

export interface TcpStall {
  /** "client:port -> server:port" ("[addr]:port" for IPv6). */
  flow: string;
  /** Path of the capture it was seen in. */
  capture: string;
  /** When the wait began (data outstanding) and when progress resumed (or the flow's last packet). */
  start: IsoInstant;
  end: IsoInstant;
  startUs: EpochMicros;
  durationMs: number;
  /** Loop episode ids that overlap the stall (in any capture). */
  loops: string[];
  /** Frame where the wait began. */
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
  /** Path of the capture it was seen in. */
  capture: string;
  /** Segments of the flow seen (looped copies not counted). */
  packets: number;
  /** Segments carrying sequence space already sent. */
  retransmissions: number;
  /** Stalls of the flow and the longest, ms. */
  stalls: number;
  longestStallMs: number;
  /** Loop episode ids the flow's stalls or retransmissions overlap. */
  loops: string[];
}

export interface Impact {
  /** TCP connections seen, both directions together. */
  tcpFlows: number;
  /** Retransmissions in all flows. */
  retransmissions: number;
  /** Stalls, in start order (at most 10,000). */
  stalls: TcpStall[];
  /** Flows with retransmissions or stalls (capped; `flowsTotal` tells how many). */
  flows: FlowImpact[];
  flowsTotal: number;
  /** ICMP / ICMPv6 time-exceeded messages in all captures. */
  icmpTimeExceeded: number;
  /** Stall threshold used, in ms. */
  stallThresholdMs: number;
}
