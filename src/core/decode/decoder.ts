/**
 * Frame bytes -> packet facts. The decoder is a lax slicer (after etherparse's LaxSlicedPacket): it keeps every
 * layer it decoded and, when it stops early, records where and why (truncated / malformed / unsupported /
 * limit), like gopacket's three outcomes. One `DecodedPacket` is reused for every frame (gopacket's
 * DecodingLayerParser idea): all layer slots are preallocated here and only counts are reset per packet.
 */
import type { DecodedPacket, IpLayer, TransportFacts } from './types';
import { StopReason } from './types';
import { MAX_IP_LAYERS, MAX_MPLS_LABELS, MAX_PROTOCOL_TOKENS, MAX_TRANSPORTS, MAX_VLAN_TAGS } from './limits';
import { decodeLinkLayer } from './link';

function newIpLayer(): IpLayer {
  return {
    version: 4, offset: 0, available: 0, quoted: false, hdrLen: 0, lengthField: 0, id: 0, df: false, mf: false,
    fragOffset: 0, v6Fragment: false, ttl: 0, proto: 0, upperProto: 0, upperOffset: -1, srcOffset: -1,
    dstOffset: -1, routeDstOffset: -1, optionsReadable: true, src4: 0, dst4: 0, validBytes: 0, payloadEnd: 0,
  };
}

function newTransport(): TransportFacts {
  return {
    proto: 0, offset: 0, ipIndex: -1, srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, window: 0, tcpHdrLen: 0,
    udpLength: 0, icmpType: 0, icmpCode: 0, payloadOffset: -1, payloadLength: 0, validBytes: 0,
  };
}

export function createDecodedPacket(): DecodedPacket {
  return {
    linkType: -1,
    srcMac: -1,
    dstMac: -1,
    vlanIds: new Uint16Array(MAX_VLAN_TAGS),
    vlanTpids: new Uint16Array(MAX_VLAN_TAGS),
    vlanCount: 0,
    mplsLabels: new Uint32Array(MAX_MPLS_LABELS),
    mplsCount: 0,
    ipLayers: Array.from({ length: MAX_IP_LAYERS }, newIpLayer),
    ipCount: 0,
    innerIp: -1,
    transports: Array.from({ length: MAX_TRANSPORTS }, newTransport),
    transportCount: 0,
    protocols: new Array<string>(MAX_PROTOCOL_TOKENS).fill(''),
    protocolCount: 0,
    frameStart: 0,
    frameEnd: 0,
    stop: StopReason.Complete,
    stopOffset: -1,
    stopDetail: '',
  };
}

/**
 * Decodes one frame of the given LINKTYPE_* into `out` (which is overwritten): its captured bytes are
 * data[start, end), by default the whole of `data`. Offsets in `out` index `data`. Never throws on packet bytes:
 * whatever could be read is kept and `out.stop` says why decoding ended.
 */
export function decodeFrame(data: Uint8Array, linkType: number, out: DecodedPacket, start = 0, end = data.length): void {
  out.linkType = linkType;
  out.frameStart = start;
  out.frameEnd = end;
  out.srcMac = -1;
  out.dstMac = -1;
  out.vlanCount = 0;
  out.mplsCount = 0;
  out.ipCount = 0;
  out.innerIp = -1;
  out.transportCount = 0;
  out.protocolCount = 0;
  out.stop = StopReason.Complete;
  out.stopOffset = -1;
  out.stopDetail = '';
  try {
    decodeLinkLayer(data, start, end, linkType, out);
  } catch (err) {
    // Every read is preceded by a length check, so this is a decoder bug, not bad input. Keep the layers decoded
    // so far and say so instead of letting one packet abort a whole capture.
    out.stop = StopReason.Malformed;
    out.stopDetail = `decoder error: ${err instanceof Error ? err.message : String(err)}`;
  }
  let inner = -1;
  for (let i = 0; i < out.ipCount; i++) if (!out.ipLayers[i]!.quoted) inner = i;
  out.innerIp = inner;
}
