/**
 * The `packets` command's columns: named and formatted exactly like the tshark fields in the conformance
 * corpus (`../shared/corpus/README.md`), so a row can be compared cell by cell with `*.expected.tsv`.
 * First-occurrence columns take the first layer of their kind in the frame; `@all` columns list every one,
 * outermost first, comma-separated. A field is printed only if its bytes were captured (validBytes).
 */
import type { Frame } from '../capture/types';
import type { DecodedPacket, IpLayer, TransportFacts } from './types';
import { ipv4Text, ipv4TextAt, ipv6TextAt } from './text';
import { wtapEncap } from './wtapEncap';

export const PACKET_COLUMNS = [
  'frame.number', 'frame.section_number', 'frame.interface_id', 'frame.encap_type', 'frame.cb_pen',
  'frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.protocols',
  'ip.src', 'ip.dst', 'ip.hdr_len', 'ip.len', 'ip.id', 'ip.flags.df', 'ip.flags.mf', 'ip.frag_offset', 'ip.ttl', 'ip.proto',
  'ipv6.src', 'ipv6.dst', 'ipv6.plen', 'ipv6.hlim', 'ipv6.nxt',
  'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.flags',
  'udp.srcport', 'udp.dstport', 'udp.length',
  'icmp.type', 'icmp.code', 'icmpv6.type', 'icmpv6.code',
  'ip.src@all', 'ip.dst@all', 'ip.proto@all', 'ipv6.src@all', 'ipv6.dst@all', 'ipv6.nxt@all', 'vlan.id@all', 'mpls.label@all',
] as const;

export type PacketColumn = (typeof PACKET_COLUMNS)[number];

/** Column index by name, for callers that pick cells out of a row. */
export const COLUMN_INDEX: ReadonlyMap<string, number> = new Map(PACKET_COLUMNS.map((c, i) => [c, i]));

/** Where each field ends in its header: the field exists when `validBytes` reaches this. */
const ICMP_FIELDS_END = 6;
const IP4_END = { hdrLen: 1, len: 4, id: 6, flags: 8, ttl: 9, proto: 10, src: 16, dst: 20 };
/** Payload length is shown together with next header (Wireshark reads both first). */
const IP6_END = { plen: 7, nxt: 7, hlim: 8, src: 24, dst: 40 };

function firstIp(p: DecodedPacket, version: 4 | 6): IpLayer | null {
  for (let i = 0; i < p.ipCount; i++) if (p.ipLayers[i]!.version === version) return p.ipLayers[i]!;
  return null;
}

function firstTransport(p: DecodedPacket, proto: number): TransportFacts | null {
  for (let i = 0; i < p.transportCount; i++) if (p.transports[i]!.proto === proto) return p.transports[i]!;
  return null;
}

function protocolChain(p: DecodedPacket): string {
  let s = '';
  for (let i = 0; i < p.protocolCount; i++) s += i === 0 ? p.protocols[i] : `:${p.protocols[i]}`;
  return s;
}

/** The `@all` columns: one field of every IP header of one version, outermost first. */
const enum IpField { Src4, Dst4, Proto4, Src6, Dst6, Nxt6 }

function ipFieldText(d: Uint8Array, l: IpLayer, field: IpField): string | null {
  switch (field) {
    case IpField.Src4: return l.validBytes >= IP4_END.src ? ipv4Text(l.src4) : null;
    case IpField.Dst4: return l.validBytes >= IP4_END.dst && l.optionsReadable ? ip4Dst(d, l) : null;
    case IpField.Proto4: return l.validBytes >= IP4_END.proto ? String(l.proto) : null;
    case IpField.Src6: return l.validBytes >= IP6_END.src ? ipv6TextAt(d, l.offset + 8) : null;
    case IpField.Dst6: return l.validBytes >= IP6_END.dst ? ipv6TextAt(d, l.offset + 24) : null;
    case IpField.Nxt6: return l.validBytes >= IP6_END.nxt ? String(l.proto) : null;
  }
}

function joinIp(p: DecodedPacket, d: Uint8Array, field: IpField): string {
  const version = field <= IpField.Proto4 ? 4 : 6;
  let s = '';
  for (let i = 0; i < p.ipCount; i++) {
    const l = p.ipLayers[i]!;
    if (l.version !== version) continue;
    const v = ipFieldText(d, l, field);
    if (v !== null) s += s === '' ? v : `,${v}`;
  }
  return s;
}

/**
 * With a source route option, Wireshark's ip.dst is the route's final destination; it reads the options first, so
 * when they are cut by the capture there is no ip.dst at all (see IpLayer.optionsReadable).
 */
function ip4Dst(d: Uint8Array, l: IpLayer): string {
  return l.routeDstOffset >= 0 ? ipv4TextAt(d, l.routeDstOffset) : ipv4Text(l.dst4);
}

/** vlan.id covers 802.1Q tags only: Wireshark names 802.1ad (S-tag) ids ieee8021ad.id. */
function vlanIds(p: DecodedPacket): string {
  let s = '';
  for (let i = 0; i < p.vlanCount; i++) {
    if (p.vlanTpids[i] === 0x88a8) continue;
    s += (s === '' ? '' : ',') + String(p.vlanIds[i]);
  }
  return s;
}

function joinNumbers(arr: ArrayLike<number>, count: number): string {
  let s = '';
  for (let i = 0; i < count; i++) s += (i === 0 ? '' : ',') + String(arr[i]);
  return s;
}

/** seconds.nanoseconds with 9 decimals, as tshark prints frame.time_epoch. */
export function epochText(sec: number, nsec: number): string {
  return `${sec}.${String(nsec).padStart(9, '0')}`;
}

/**
 * Fills `cells` (length PACKET_COLUMNS.length) for one frame. `pcapng` tells whether section/interface columns
 * apply (tshark leaves them empty for classic pcap).
 */
export function fillPacketCells(frame: Frame, p: DecodedPacket, pcapng: boolean, cells: string[]): void {
  // Hot path (one call per packet in `packets`): plain conditionals, no closures or temporary arrays.
  const d = frame.data;
  let k = 0;
  cells[k++] = String(frame.number);
  cells[k++] = pcapng ? String(frame.section) : '';
  cells[k++] = pcapng ? String(frame.interfaceId) : '';
  const encap = wtapEncap(frame.linkType);
  cells[k++] = encap === undefined ? '' : String(encap);
  cells[k++] = '';
  cells[k++] = frame.hasTime ? epochText(frame.timeSec, frame.timeNsec) : '';
  cells[k++] = String(frame.origLen);
  cells[k++] = String(frame.capLen);
  cells[k++] = protocolChain(p);

  const v4 = firstIp(p, 4);
  const b4 = v4 === null ? -1 : v4.validBytes;
  cells[k++] = b4 >= IP4_END.src ? ipv4Text(v4!.src4) : '';
  cells[k++] = b4 >= IP4_END.dst && v4!.optionsReadable ? ip4Dst(d, v4!) : '';
  cells[k++] = b4 >= IP4_END.hdrLen ? String(v4!.hdrLen) : '';
  // Total length 0 (TSO / BIG TCP): tshark shows the length of the data it was handed (corpus quirk 5).
  cells[k++] = b4 >= IP4_END.len ? String(v4!.lengthField !== 0 ? v4!.lengthField : frame.origLen - v4!.offset) : '';
  cells[k++] = b4 >= IP4_END.id ? String(v4!.id) : '';
  cells[k++] = b4 >= IP4_END.flags ? (v4!.df ? '1' : '0') : '';
  cells[k++] = b4 >= IP4_END.flags ? (v4!.mf ? '1' : '0') : '';
  cells[k++] = b4 >= IP4_END.flags ? String(v4!.fragOffset) : '';
  cells[k++] = b4 >= IP4_END.ttl ? String(v4!.ttl) : '';
  cells[k++] = b4 >= IP4_END.proto ? String(v4!.proto) : '';

  const v6 = firstIp(p, 6);
  const b6 = v6 === null ? -1 : v6.validBytes;
  cells[k++] = b6 >= IP6_END.src ? ipv6TextAt(d, v6!.offset + 8) : '';
  cells[k++] = b6 >= IP6_END.dst ? ipv6TextAt(d, v6!.offset + 24) : '';
  cells[k++] = b6 >= IP6_END.plen ? String(v6!.lengthField) : '';
  cells[k++] = b6 >= IP6_END.hlim ? String(v6!.ttl) : '';
  cells[k++] = b6 >= IP6_END.nxt ? String(v6!.proto) : '';

  const tcp = firstTransport(p, 6);
  const bt = tcp === null ? -1 : tcp.validBytes;
  // Wireshark reads both ports before showing either, and sequence to window (16 bytes) before those fields.
  cells[k++] = bt >= 4 ? String(tcp!.srcPort) : '';
  cells[k++] = bt >= 4 ? String(tcp!.dstPort) : '';
  // Inside an ICMP error's quoted packet Wireshark omits the raw sequence number (it shows ack and flags).
  cells[k++] = bt >= 16 && !p.ipLayers[tcp!.ipIndex]!.quoted ? String(tcp!.seq) : '';
  // A header length below 20 is bogus: Wireshark stops after the sequence number.
  cells[k++] = bt >= 16 && tcp!.tcpHdrLen >= 20 ? String(tcp!.ack) : '';
  cells[k++] = bt >= 16 && tcp!.tcpHdrLen >= 20 ? String(tcp!.flags) : '';

  const udp = firstTransport(p, 17);
  const bu = udp === null ? -1 : udp.validBytes;
  cells[k++] = bu >= 4 ? String(udp!.srcPort) : '';
  cells[k++] = bu >= 4 ? String(udp!.dstPort) : '';
  cells[k++] = bu >= 6 ? String(udp!.udpLength) : '';

  // ICMP: Wireshark reads type, code and checksum and 2 more bytes before showing type and code.
  const icmp = firstTransport(p, 1);
  const bi = icmp === null ? -1 : icmp.validBytes;
  cells[k++] = bi >= ICMP_FIELDS_END ? String(icmp!.icmpType) : '';
  cells[k++] = bi >= ICMP_FIELDS_END ? String(icmp!.icmpCode) : '';
  // ICMPv6 shows each field as soon as its byte is there.
  const icmp6 = firstTransport(p, 58);
  const bi6 = icmp6 === null ? -1 : icmp6.validBytes;
  cells[k++] = bi6 >= 1 ? String(icmp6!.icmpType) : '';
  cells[k++] = bi6 >= 2 ? String(icmp6!.icmpCode) : '';

  cells[k++] = joinIp(p, d, IpField.Src4);
  cells[k++] = joinIp(p, d, IpField.Dst4);
  cells[k++] = joinIp(p, d, IpField.Proto4);
  cells[k++] = joinIp(p, d, IpField.Src6);
  cells[k++] = joinIp(p, d, IpField.Dst6);
  cells[k++] = joinIp(p, d, IpField.Nxt6);
  cells[k++] = vlanIds(p);
  cells[k++] = joinNumbers(p.mplsLabels, p.mplsCount);
}
