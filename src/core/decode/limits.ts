/**
 * Safety limits of the decoder. Each bounds a loop driven by packet bytes, so that a hostile or broken frame
 * cannot make us walk forever or fill unbounded arrays. When one is hit the packet stops with LimitReached.
 * The values are far above what real networks use (and above every capture in the conformance corpus).
 */

/** 802.1Q/802.1ad tags per frame (all encapsulation levels together). */
export const MAX_VLAN_TAGS = 8;
/** MPLS labels per frame. */
export const MAX_MPLS_LABELS = 16;
/** IP headers per frame: tunnels plus the packet quoted in an ICMP error. */
export const MAX_IP_LAYERS = 16;
/** Transport headers per frame (one per IP layer at most). */
export const MAX_TRANSPORTS = MAX_IP_LAYERS;
/** IPv6 extension headers in one chain (the corpus has a 100-header chain that tshark walks). */
export const MAX_IPV6_EXT_HEADERS = 128;
/** Nested encapsulations (link layer inside a tunnel inside ...). */
export const MAX_NESTING = 16;
/** Protocol names recorded for the frame.protocols chain. */
export const MAX_PROTOCOL_TOKENS = 256;
