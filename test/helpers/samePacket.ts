/**
 * Test helper: whether two decodings of one frame agree, the second made `shift` bytes further into its buffer
 * (decodeFrame's start). Offsets must differ by exactly `shift` (-1, "not reached", stays -1); every other fact,
 * the stop offset (relative to the frame) included, must be equal. Returns the first difference, or null.
 */
import type { DecodedPacket } from '../../src/core/decode/types';

const IP_OFFSETS = new Set(['offset', 'upperOffset', 'srcOffset', 'dstOffset', 'routeDstOffset', 'payloadEnd']);
const TRANSPORT_OFFSETS = new Set(['offset', 'payloadOffset']);

function sameFields(what: string, a: object, b: object, offsets: Set<string>, shift: number): string | null {
  for (const [k, v] of Object.entries(a)) {
    const w = (b as Record<string, unknown>)[k];
    const want = offsets.has(k) && typeof v === 'number' && v >= 0 ? v + shift : v;
    if (w !== want) return `${what}.${k}: ${String(w)}, expected ${String(want)}`;
  }
  return null;
}

export function packetDifference(own: DecodedPacket, inPlace: DecodedPacket, shift: number): string | null {
  const scalar = ['linkType', 'srcMac', 'dstMac', 'vlanCount', 'mplsCount', 'ipCount', 'innerIp', 'transportCount', 'protocolCount', 'stop', 'stopOffset', 'stopDetail'] as const;
  for (const k of scalar) if (own[k] !== inPlace[k]) return `${k}: ${String(inPlace[k])}, expected ${String(own[k])}`;
  for (let i = 0; i < own.vlanCount; i++) if (own.vlanIds[i] !== inPlace.vlanIds[i] || own.vlanTpids[i] !== inPlace.vlanTpids[i]) return `vlan ${i}`;
  for (let i = 0; i < own.mplsCount; i++) if (own.mplsLabels[i] !== inPlace.mplsLabels[i]) return `mpls ${i}`;
  for (let i = 0; i < own.protocolCount; i++) if (own.protocols[i] !== inPlace.protocols[i]) return `protocol ${i}`;
  for (let i = 0; i < own.ipCount; i++) {
    const d = sameFields(`ip[${i}]`, own.ipLayers[i]!, inPlace.ipLayers[i]!, IP_OFFSETS, shift);
    if (d) return d;
  }
  for (let i = 0; i < own.transportCount; i++) {
    const d = sameFields(`transport[${i}]`, own.transports[i]!, inPlace.transports[i]!, TRANSPORT_OFFSETS, shift);
    if (d) return d;
  }
  return null;
}
