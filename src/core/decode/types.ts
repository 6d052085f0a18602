/**
 * What the decoder learns from one frame. Like `Frame`, a `DecodedPacket` is reused for every packet:
 * the decoder fills it in place (layer arrays are preallocated, with counts), so nothing is allocated per
 * packet. Offsets index the buffer the frame was decoded from (decodeFrame's `data`; the frame's own bytes
 * start at `frameStart`). Decoders never throw on packet bytes: they fill what they could read and say where
 * and why they stopped.
 */

export const enum StopReason {
  /** Every layer we know was decoded. */
  Complete = 0,
  /** The captured bytes ended inside a header. */
  Truncated = 1,
  /** A header's fields contradict themselves (e.g. IHL < 5, length below header size). */
  Malformed = 2,
  /** A layer we do not decode (link type, ethertype, tunnel...). Not an error. */
  Unsupported = 3,
  /** A safety limit was hit (too many VLAN tags, MPLS labels, nested tunnels, extension headers). */
  LimitReached = 4,
}

export interface IpLayer {
  version: 4 | 6;
  /** Offset of this IP header in the decoded buffer. */
  offset: number;
  /** Captured bytes available from `offset` to the end of the frame. */
  available: number;
  /** true for the packet quoted inside an ICMP/ICMPv6 error (not a tunnel layer). */
  quoted: boolean;
  /** IPv4 header length in bytes (IHL*4); 40 for IPv6 (fixed header). */
  hdrLen: number;
  /** IPv4 total length / IPv6 payload length, as the header field says. */
  lengthField: number;
  /** IPv4 identification (0 for IPv6 unless a fragment header gives one). */
  id: number;
  df: boolean;
  mf: boolean;
  /** Fragment offset in 8-byte units (IPv4 field, or IPv6 fragment header). */
  fragOffset: number;
  /** true when an IPv6 fragment header was present (then `id` is its identification). */
  v6Fragment: boolean;
  /** TTL / hop limit. */
  ttl: number;
  /** IPv4 protocol / IPv6 next header of the fixed header. */
  proto: number;
  /** Upper-layer protocol after IPv6 extension headers (= proto for IPv4). */
  upperProto: number;
  /** Offset of the upper-layer header (after options / extension headers), or -1 if not reached. */
  upperOffset: number;
  /**
   * IPv4 loose/strict source route option: offset of its last address (the packet's final destination, which
   * Wireshark shows as ip.dst), or -1.
   */
  routeDstOffset: number;
  /**
   * false when the IPv4 options could not be walked to their end (or to an end-of-list option) because the capture
   * stops inside them; Wireshark then shows no ip.dst, as it reads the options before the destination.
   */
  optionsReadable: boolean;
  /** Offsets of the source and destination addresses (4 or 16 bytes) in the decoded buffer. */
  srcOffset: number;
  dstOffset: number;
  /** IPv4 addresses as unsigned 32-bit numbers (0 for IPv6). */
  src4: number;
  dst4: number;
  /**
   * How much of the header could be read: the highest byte (relative to `offset`) that was captured and valid,
   * so a consumer can tell which fields exist in a cut header (a field exists iff it lies below this mark).
   */
  validBytes: number;
  /** End (exclusive, offset in the decoded buffer) of this IP packet's captured bytes, after trimming to its length field. */
  payloadEnd: number;
}

export interface TransportFacts {
  /** 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, 0 none. */
  proto: number;
  offset: number;
  /** Which IP layer (index into ipLayers) carries it. */
  ipIndex: number;
  srcPort: number;
  dstPort: number;
  /** TCP */
  seq: number;
  ack: number;
  flags: number;
  window: number;
  tcpHdrLen: number;
  /** UDP length field */
  udpLength: number;
  /** ICMP / ICMPv6 */
  icmpType: number;
  icmpCode: number;
  /** Offset and length of the transport payload within the captured bytes (-1 when not reached). */
  payloadOffset: number;
  payloadLength: number;
  /** Bytes of header that were captured (fields beyond are absent). */
  validBytes: number;
}

export interface DecodedPacket {
  linkType: number;
  /** Ethernet MACs as 48-bit numbers (exact in a double), -1 when the link has none. */
  srcMac: number;
  dstMac: number;
  /** 802.1Q/802.1ad VLAN ids, outermost first. */
  vlanIds: Uint16Array;
  /** The tag protocol id of each tag in `vlanIds` (0x8100 802.1Q, 0x88a8 802.1ad, 0x9100 old QinQ). */
  vlanTpids: Uint16Array;
  vlanCount: number;
  /** MPLS labels, top of stack first. */
  mplsLabels: Uint32Array;
  mplsCount: number;
  /** Every IP header in the frame, outermost first (tunnels and ICMP-quoted packets alike; see `quoted`). */
  ipLayers: IpLayer[];
  ipCount: number;
  /** Index of the innermost IP layer that is not quoted in an ICMP error, or -1. */
  innerIp: number;
  /** Transport headers in order of appearance (first = what tshark's first-occurrence columns show). */
  transports: TransportFacts[];
  transportCount: number;
  /**
   * The layers walked, as Wireshark dissector names (`eth`, `ethertype`, `vlan`, `ip`, `udp`, `vxlan`...), so
   * that `packets` can print a `frame.protocols` chain comparable with tshark's. Preallocated; `protocolCount` used.
   */
  protocols: string[];
  protocolCount: number;
  /**
   * Where the frame's captured bytes lie in the buffer decoded (decodeFrame's start and end). Every offset in
   * this packet indexes that buffer; for a frame decoded from its own view (start 0) they are frame offsets.
   */
  frameStart: number;
  frameEnd: number;
  stop: StopReason;
  /** Where decoding stopped (offset from the frame's first byte) and a short reason, when stop != Complete. */
  stopOffset: number;
  stopDetail: string;
}
