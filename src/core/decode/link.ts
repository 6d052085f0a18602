/**
 * The first layer of a frame, chosen by its LINKTYPE. Each decoder checks its header length once, records its facts
 * and hands the rest on; layer names pushed to `protocols` follow Wireshark's dissector names so `frame.protocols`
 * can be compared with tshark.
 */
import type { DecodedPacket } from './types';
import { StopReason } from './types';
import { u16 } from './bytes';
import { pushProtocol, stopAt, stopShort } from './state';
import { decodeIpByVersion, decodeIpv4, decodeIpv6 } from './ip';
import { decodeEthernet, decodeEthertype, decodePpp } from './ethernet';
import {
  decodeArcnet, decodeCiscoHdlc, decodeFrameRelay, decodeIeee80211, decodeIpnet, decodeNflog, decodeNull, decodeRadiotap,
  decodeSll, decodeSll2,
} from './linkHeaders';

/** LINKTYPE_* values (tcpdump.org/linktypes.html) the decoder understands. */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  PPP: 9,
  RAW_BSD: 12,
  RAW_OPENBSD: 14,
  PPP_HDLC: 50,
  RAW: 101,
  C_HDLC: 104,
  IEEE802_11: 105,
  FRELAY: 107,
  RADIOTAP: 127,
  LOOP: 108,
  LINUX_SLL: 113,
  ARCNET_LINUX: 129,
  IPNET: 226,
  IPV4: 228,
  IPV6: 229,
  NFLOG: 239,
  IPOIB: 242,
  LINUX_SLL2: 276,
} as const;

/** The frame's captured bytes are d[s, end). */
export function decodeLinkLayer(d: Uint8Array, s: number, end: number, linkType: number, out: DecodedPacket): void {
  switch (linkType) {
    case LinkType.ETHERNET:
      decodeEthernet(d, s, end, out, 0);
      return;
    case LinkType.NULL:
    case LinkType.LOOP:
      decodeNull(d, s, end, out, linkType === LinkType.LOOP);
      return;
    case LinkType.LINUX_SLL:
      decodeSll(d, s, end, out);
      return;
    case LinkType.LINUX_SLL2:
      decodeSll2(d, s, end, out);
      return;
    case LinkType.RAW:
    case LinkType.RAW_BSD:
    case LinkType.RAW_OPENBSD:
      pushProtocol(out, 'raw');
      // Wireshark's raw-IP dissector looks at nothing shorter than 8 bytes.
      if (end - s < 8) return stopShort(out, s, end, 'raw IP packet');
      decodeIpByVersion(d, s, end, out, 0, false);
      return;
    case LinkType.IPV4:
      decodeIpv4(d, s, end, out, 0, false);
      return;
    case LinkType.IPV6:
      // A LINKTYPE_IPV6 frame that is not IPv6 is not dissected at all by tshark (corpus quirk 7).
      if (end > s && d[s]! >> 4 !== 6) {
        stopAt(out, StopReason.Malformed, s, `LINKTYPE_IPV6 frame holds IP version ${d[s]! >> 4}`);
        return;
      }
      decodeIpv6(d, s, end, out, 0, false);
      return;
    case LinkType.PPP:
    case LinkType.PPP_HDLC:
      decodePpp(d, s, end, out, 0);
      return;
    case LinkType.C_HDLC:
      decodeCiscoHdlc(d, s, end, out);
      return;
    case LinkType.NFLOG:
      decodeNflog(d, s, end, out);
      return;
    case LinkType.IPNET:
      decodeIpnet(d, s, end, out);
      return;
    case LinkType.IPOIB:
      // 20-byte destination and 20-byte source hardware addresses, the ethertype, 2 reserved bytes.
      pushProtocol(out, 'ipoib');
      if (end - s < 44) return stopShort(out, s, end, 'IPoIB header');
      decodeEthertype(d, u16(d, s + 40), s + 44, end, out, 0);
      return;
    case LinkType.FRELAY:
      decodeFrameRelay(d, s, end, out);
      return;
    case LinkType.IEEE802_11:
      decodeIeee80211(d, s, end, out);
      return;
    case LinkType.RADIOTAP:
      decodeRadiotap(d, s, end, out);
      return;
    case LinkType.ARCNET_LINUX:
      decodeArcnet(d, s, end, out);
      return;
    default:
      stopAt(out, StopReason.Unsupported, s, `link type ${linkType} not decoded`);
  }
}
