/** Small mutators of a DecodedPacket shared by the layer decoders. */
import type { DecodedPacket, IpLayer, TransportFacts } from './types';
import { StopReason } from './types';

/** Records the first reason decoding stopped (at `offset` in the buffer); later calls keep the first (outermost) one. */
export function stopAt(out: DecodedPacket, reason: StopReason, offset: number, detail: string): void {
  if (out.stop !== StopReason.Complete) return;
  out.stop = reason;
  out.stopOffset = offset - out.frameStart;
  out.stopDetail = detail;
}

/** Stops as Truncated when the capture ended, Malformed when a length field cut the layer short. */
export function stopShort(out: DecodedPacket, offset: number, end: number, what: string): void {
  const captured = out.frameEnd;
  if (end >= captured) stopAt(out, StopReason.Truncated, offset, `${what} truncated: ${captured - offset} bytes captured`);
  else stopAt(out, StopReason.Malformed, offset, `${what} does not fit in the ${end - offset} bytes its outer length allows`);
}

export function pushProtocol(out: DecodedPacket, name: string): void {
  if (out.protocolCount < out.protocols.length) out.protocols[out.protocolCount++] = name;
}

/** Next free IP layer slot, or null when the limit is reached (the caller stops with LimitReached). */
export function nextIpLayer(out: DecodedPacket): IpLayer | null {
  if (out.ipCount >= out.ipLayers.length) return null;
  return out.ipLayers[out.ipCount++]!;
}

export function nextTransport(out: DecodedPacket): TransportFacts | null {
  if (out.transportCount >= out.transports.length) return null;
  const t = out.transports[out.transportCount++]!;
  t.srcPort = 0; t.dstPort = 0; t.seq = 0; t.ack = 0; t.flags = 0; t.window = 0; t.tcpHdrLen = 0;
  t.udpLength = 0; t.icmpType = 0; t.icmpCode = 0; t.payloadOffset = -1; t.payloadLength = 0; t.validBytes = 0;
  return t;
}
