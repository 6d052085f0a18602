/**
 * Rules learned from the tshark corpus (see docs/conformance.md): each test builds the smallest frame that shows
 * the rule and checks the decoder (and the packet columns where the rule is about presentation).
 */
import { strict as assert } from 'node:assert';
import type { Frame } from '../../../src/core/capture/types';
import { createDecodedPacket, decodeFrame } from '../../../src/core/decode/decoder';
import { COLUMN_INDEX, PACKET_COLUMNS, fillPacketCells } from '../../../src/core/decode/packetColumns';
import type { DecodedPacket } from '../../../src/core/decode/types';
import { StopReason } from '../../../src/core/decode/types';
import { bytes, eth, icmp, ipv4, ipv6, mplsLabel, udp, vlanTag } from './frames';

function decode(data: Uint8Array, linkType = 1): DecodedPacket {
  const out = createDecodedPacket();
  decodeFrame(data, linkType, out);
  return out;
}

const chain = (p: DecodedPacket): string => p.protocols.slice(0, p.protocolCount).join(':');

/** The packet columns of one frame, by name. */
function columns(data: Uint8Array, linkType = 1): Record<string, string> {
  const frame: Frame = {
    number: 1, section: 0, interfaceId: 0, linkType, hasTime: true, timeSec: 1, timeNsec: 5, origLen: data.length,
    capLen: data.length, bytes: data, start: 0, data, fileOffset: 24,
  };
  const cells = new Array<string>(PACKET_COLUMNS.length).fill('');
  fillPacketCells(frame, decode(data, linkType), false, cells);
  return Object.fromEntries([...COLUMN_INDEX].map(([name, i]) => [name, cells[i]!]));
}

describe('decoder rules that match Wireshark', () => {
  it('vlan.id lists 802.1Q tags only; the 802.1ad S-tag is kept in the packet with its TPID', () => {
    const f = bytes(eth(0x88a8), vlanTag(30, 0x8100), vlanTag(100, 0x0800), ipv4({ proto: 17, payloadLen: 8 }), udp(1, 2, 0));
    const p = decode(f);
    assert.deepEqual(Array.from(p.vlanTpids.subarray(0, 2)), [0x88a8, 0x8100]);
    assert.equal(columns(f)['vlan.id@all'], '100');
  });

  it('ip.dst is the last hop of a strict source route option', () => {
    const ssrr = [0x01, 0x89, 0x07, 0x04, 192, 0, 2, 9]; // NOP, SSRR len 7 ptr 4, one address
    const f = bytes(eth(0x0800), ipv4({ proto: 1, payloadLen: 8, options: ssrr, dst: [10, 0, 0, 138] }), icmp(8, 0));
    const c = columns(f);
    assert.equal(c['ip.dst'], '192.0.2.9');
    assert.equal(decode(f).ipLayers[0]!.dst4, 0x0a00008a); // the header field itself is kept
  });

  it('no ip.dst when the capture ends before the options could be read', () => {
    const f = bytes(eth(0x0800), ipv4({ proto: 6, payloadLen: 0, options: new Array(40).fill(1) }));
    const c = columns(f.subarray(0, 14 + 20));
    assert.equal(c['ip.src'], '10.0.0.1');
    assert.equal(c['ip.dst'], '');
  });

  it('TCP sequence, acknowledgment and flags need the whole 20-byte header; ports do not', () => {
    const quoted = bytes(ipv4({ proto: 6, payloadLen: 20 }), [0, 80, 0x1f, 0x90, 0, 0, 0, 1]); // 8 bytes of TCP
    const f = bytes(eth(0x0800), ipv4({ proto: 1, payloadLen: 8 + quoted.length }), icmp(3, 3), quoted);
    const c = columns(f);
    assert.deepEqual([c['tcp.srcport'], c['tcp.dstport'], c['tcp.seq_raw'], c['tcp.flags']], ['80', '8080', '', '']);
  });

  it('only echo request/reply bodies become a data layer', () => {
    assert.equal(chain(decode(bytes(eth(0x0800), ipv4({ proto: 1, payloadLen: 12 }), icmp(8, 0), [1, 2, 3, 4]))), 'eth:ethertype:ip:icmp:data');
    assert.equal(chain(decode(bytes(eth(0x0800), ipv4({ proto: 1, payloadLen: 12 }), icmp(9, 0), [1, 2, 3, 4]))), 'eth:ethertype:ip:icmp');
  });

  it('a UDP length below 8 stops decoding (no tunnel behind it)', () => {
    const bad = [0x12, 0x34, 0x12, 0xb5, 0, 0, 0, 0]; // dst port 4789, length 0
    const p = decode(bytes(eth(0x0800), ipv4({ proto: 17, payloadLen: 30 }), bad, new Array(22).fill(0)));
    assert.equal(chain(p), 'eth:ethertype:ip:udp');
    assert.equal(p.stop, StopReason.Malformed);
  });

  it('an IPv6 option running past the packet is malformed; a short Home Address option is read as 16 bytes', () => {
    const overrun = [17, 0, 1, 2, 0, 0, 0xca, 0x90]; // dest opts: PadN, then an option of length 144 (past the 32-byte packet)
    assert.equal(decode(bytes(eth(0x86dd), ipv6(60, 16), overrun, udp(1, 2, 0))).stop, StopReason.Malformed);
    const hao = [17, 2, 1, 2, 0, 0, 0xc9, 0x01, ...new Array(16).fill(0)]; // HAO with length 1, 16 address bytes follow
    const p = decode(bytes(eth(0x86dd), ipv6(60, 32), hao, udp(1, 2, 0)));
    assert.equal(chain(p), 'eth:ethertype:ipv6:ipv6.dstopts:udp');
  });

  it('payload length 0 needs a Jumbo Payload option in the hop-by-hop header', () => {
    const noJumbo = [17, 0, 1, 4, 0, 0, 0, 0];
    assert.equal(decode(bytes(eth(0x86dd), ipv6(0, 0), noJumbo, udp(1, 2, 0))).transportCount, 0);
    const jumbo = [17, 0, 0xc2, 4, 0, 0, 0, 40];
    assert.equal(decode(bytes(eth(0x86dd), ipv6(0, 0), jumbo, udp(1, 2, 0))).transportCount, 1);
  });

  it('IPv4 AH is skipped to the protected protocol (here IP-in-IP)', () => {
    const inner = bytes(ipv4({ proto: 1, payloadLen: 8 }), icmp(8, 0));
    const ah = [4, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]; // next 4, length (4+2)*4
    const p = decode(bytes(eth(0x0800), ipv4({ proto: 51, payloadLen: ah.length + inner.length }), ah, inner));
    assert.equal(chain(p), 'eth:ethertype:ip:ah:ip:icmp');
  });

  it('an Ethernet pseudowire with a control word is found behind MPLS', () => {
    const inner = bytes(eth(0x0800), ipv4({ proto: 17, payloadLen: 8 }), udp(1, 2, 0));
    const p = decode(bytes(eth(0x8847), mplsLabel(18, true), [0, 0, 0, 0], inner));
    assert.equal(chain(p), 'eth:ethertype:mpls:pwethheuristic:pwethcw:eth:ethertype:ip:udp');
  });

  it('Teredo on UDP 3544 (with an origin indication) carries IPv6', () => {
    const inner = bytes(ipv6(59, 0));
    const origin = [0, 0, 0x12, 0x34, 1, 2, 3, 4];
    const u = bytes(udp(3797, 3544, origin.length + inner.length), origin, inner);
    const p = decode(bytes(eth(0x0800), ipv4({ proto: 17, payloadLen: u.length }), u));
    assert.equal(chain(p), 'eth:ethertype:ip:udp:teredo:ipv6');
  });

  it('VXLAN-GPE carrying NSH carrying IPv4 (UDP 4790)', () => {
    const inner = bytes(ipv4({ proto: 17, payloadLen: 8 }), udp(5, 6, 0));
    const nsh = [0x0f, 0xc2, 0x01, 0x01, 0, 0, 1, 0xff]; // length 2 words, next protocol IPv4
    const gpe = [0x0c, 0, 0, 0x04, 0, 0, 1, 0]; // next protocol NSH
    const u = bytes(udp(4790, 4790, 16 + inner.length), gpe, nsh, inner);
    const p = decode(bytes(eth(0x0800), ipv4({ proto: 17, payloadLen: u.length }), u));
    assert.equal(chain(p), 'eth:ethertype:ip:udp:nsh:ip:udp');
  });

  it('an IPv6 routing header can carry Ethernet (next header 143)', () => {
    const inner = bytes(eth(0x86dd), ipv6(59, 0));
    const srh = [143, 0, 4, 0, 0, 0, 0, 0];
    const p = decode(bytes(eth(0x86dd), ipv6(43, 8 + inner.length), srh, inner));
    assert.equal(chain(p), 'eth:ethertype:ipv6:ipv6.routing:eth:ethertype:ipv6');
  });

  it('IPv6 payload length 0 without a hop-by-hop header leaves the next header nothing (no UDP fields)', () => {
    const c = columns(bytes(eth(0x86dd), ipv6(17, 0), udp(1, 2, 4), [1, 2, 3, 4]));
    assert.equal(c['frame.protocols'], 'eth:ethertype:ipv6:udp');
    assert.equal(c['udp.srcport'], '');
  });

  it('behind a later IPv6 fragment the extension walk stops (its payload is data)', () => {
    const frag = [0, 0, 0x38, 0x00, 0, 0, 0, 9]; // next header hop-by-hop, offset 1792
    const p = decode(bytes(eth(0x86dd), ipv6(44, 16), frag, [17, 0, 1, 4, 0, 0, 0, 0]));
    assert.equal(chain(p), 'eth:ethertype:ipv6:ipv6.fraghdr:data');
    assert.equal(p.ipLayers[0]!.fragOffset, 1792);
  });

  it('GTP-U carries IPv4 only for a first byte 0x45..0x4e; other versions are not GTP-U', () => {
    const gtp = (first: number, version = 0x30): Uint8Array => {
      const inner = bytes(ipv4({ proto: 17, payloadLen: 8 }), udp(1, 2, 0));
      inner[0] = first;
      const u = bytes(udp(2152, 2152, 8 + inner.length), [version, 0xff, 0, inner.length, 0, 0, 0, 1], inner);
      return bytes(eth(0x0800), ipv4({ proto: 17, payloadLen: u.length }), u);
    };
    assert.equal(chain(decode(gtp(0x45))), 'eth:ethertype:ip:udp:gtp:ip:udp');
    assert.equal(chain(decode(gtp(0x40))), 'eth:ethertype:ip:udp:gtp');
    assert.equal(chain(decode(gtp(0x45, 0x80))), 'eth:ethertype:ip:udp');
  });

  it('ERSPAN: the header version decides type II or III, an unknown version stops', () => {
    const inner = bytes(eth(0x0800), ipv4({ proto: 17, payloadLen: 8 }), udp(1, 2, 0));
    const frame = (erspan: number[]): Uint8Array => {
      const g = bytes([0x10, 0x00, 0x88, 0xbe, 0, 0, 0, 1], erspan, inner);
      return bytes(eth(0x0800), ipv4({ proto: 47, payloadLen: g.length }), g);
    };
    assert.equal(chain(decode(frame([0x10, 7, 0, 1, 0, 0, 0, 0]))), 'eth:ethertype:ip:gre:erspan:eth:ethertype:ip:udp');
    assert.equal(chain(decode(frame([0x20, 7, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]))), 'eth:ethertype:ip:gre:erspan:eth:ethertype:ip:udp');
    assert.equal(chain(decode(frame([0xe0, 7, 0, 1, 0, 0, 0, 0]))), 'eth:ethertype:ip:gre:erspan');
  });

  it('a tunnel port needs a captured payload byte before its layer appears', () => {
    const f = bytes(eth(0x0800), ipv4({ proto: 17, payloadLen: 16 }), udp(40000, 4789, 8), [8, 0, 0, 0, 0, 0, 5, 0]);
    assert.equal(chain(decode(f.subarray(0, 42))), 'eth:ethertype:ip:udp');
    assert.equal(chain(decode(f.subarray(0, 43))), 'eth:ethertype:ip:udp:vxlan');
  });
});
