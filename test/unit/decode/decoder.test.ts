import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { createDecodedPacket, decodeFrame } from '../../../src/core/decode/decoder';
import type { DecodedPacket } from '../../../src/core/decode/types';
import { StopReason } from '../../../src/core/decode/types';
import { ipv4Text } from '../../../src/core/decode/text';
import { bytes, eth, gre, icmp, ipv4, ipv6, mplsLabel, tcp, udp, vlanTag, vxlan, V6_A } from './frames';

const ETHERNET = 1;

function decode(data: Uint8Array, linkType = ETHERNET): DecodedPacket {
  const out = createDecodedPacket();
  decodeFrame(data, linkType, out);
  return out;
}

const chain = (p: DecodedPacket): string => p.protocols.slice(0, p.protocolCount).join(':');

describe('decodeFrame: Ethernet, VLAN, IPv4, TCP', () => {
  it('reads MACs, IPv4 header fields and the TCP header of a plain frame', () => {
    const payload = [1, 2, 3, 4];
    const f = bytes(eth(0x0800), ipv4({ proto: 6, payloadLen: 24, ttl: 61, id: 0xbeef, df: true }), tcp(443, 50000, 0xfffffff0, 7, 0x018), payload);
    const p = decode(f);
    assert.equal(p.stop, StopReason.Complete, p.stopDetail);
    assert.equal(chain(p), 'eth:ethertype:ip:tcp');
    assert.equal(p.srcMac, 0x02000000000a);
    assert.equal(p.dstMac, 0x02000000000b);
    assert.equal(p.ipCount, 1);
    const ip = p.ipLayers[0]!;
    assert.deepEqual(
      [ip.version, ip.offset, ip.hdrLen, ip.lengthField, ip.id, ip.df, ip.mf, ip.ttl, ip.proto, ipv4Text(ip.src4), ipv4Text(ip.dst4)],
      [4, 14, 20, 44, 0xbeef, true, false, 61, 6, '10.0.0.1', '10.0.0.2'],
    );
    assert.equal(p.innerIp, 0);
    const t = p.transports[0]!;
    assert.deepEqual([t.proto, t.srcPort, t.dstPort, t.seq, t.ack, t.flags, t.ipIndex], [6, 443, 50000, 0xfffffff0, 7, 0x018, 0]);
    assert.deepEqual([t.payloadOffset, t.payloadLength], [54, 4]);
  });

  it('collects an 802.1ad + 802.1Q stack outermost first', () => {
    const f = bytes(eth(0x88a8), vlanTag(100, 0x8100), vlanTag(200, 0x0800), ipv4({ proto: 17, payloadLen: 8 }), udp(1, 2, 0));
    const p = decode(f);
    assert.equal(chain(p), 'eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:ip:udp');
    assert.deepEqual(Array.from(p.vlanIds.subarray(0, p.vlanCount)), [100, 200]);
    assert.equal(p.ipLayers[0]!.offset, 22);
  });

  it('stops with LimitReached after 8 VLAN tags instead of walking on', () => {
    const tags = Array.from({ length: 9 }, () => vlanTag(7, 0x8100)).flat();
    const p = decode(bytes(eth(0x8100), tags, [0, 0, 0, 0]));
    assert.equal(p.stop, StopReason.LimitReached);
    assert.equal(p.vlanCount, 8);
  });

  it('trims the IP packet to its total length, ignoring Ethernet padding', () => {
    const f = bytes(eth(0x0800), ipv4({ proto: 17, payloadLen: 8 }), udp(53, 53, 0), new Array(18).fill(0));
    const p = decode(f);
    assert.equal(p.ipLayers[0]!.payloadEnd, 14 + 28);
    assert.equal(p.transports[0]!.payloadLength, 0);
  });
});

describe('decodeFrame: cut and broken IPv4 headers keep the fields that were captured', () => {
  it('6 captured bytes of IPv4 yield header length, total length and id only', () => {
    const full = bytes(eth(0x0800), ipv4({ proto: 6, payloadLen: 20, id: 1 }));
    const p = decode(full.subarray(0, 20));
    const ip = p.ipLayers[0]!;
    assert.equal(p.stop, StopReason.Truncated);
    assert.deepEqual([ip.validBytes, ip.hdrLen, ip.lengthField, ip.id, ip.srcOffset], [6, 20, 40, 1, -1]);
  });

  it('19 captured bytes give the source address but not the destination', () => {
    const full = bytes(eth(0x0800), ipv4({ proto: 17, payloadLen: 8 }));
    const p = decode(full.subarray(0, 14 + 19));
    const ip = p.ipLayers[0]!;
    assert.equal(ip.validBytes, 19);
    assert.equal(ip.srcOffset, 26);
    assert.equal(ip.dstOffset, -1);
    assert.equal(ip.proto, 17);
  });

  it('IHL below 5 is malformed and only the header length is known', () => {
    const h = ipv4({ proto: 6, payloadLen: 0 });
    h[0] = 0x44;
    const p = decode(bytes(eth(0x0800), h));
    assert.equal(p.stop, StopReason.Malformed);
    assert.equal(p.ipLayers[0]!.validBytes, 1);
    assert.equal(p.ipLayers[0]!.hdrLen, 16);
  });

  it('total length 0 (TSO) runs to the end of the captured bytes', () => {
    const f = bytes(eth(0x0800), ipv4({ proto: 6, payloadLen: 20, totalLength: 0 }), tcp(1, 2, 3, 4, 0x10), [9, 9, 9]);
    const p = decode(f);
    assert.equal(p.stop, StopReason.Complete);
    assert.equal(p.ipLayers[0]!.payloadEnd, f.length);
    assert.equal(p.transports[0]!.payloadLength, 3);
  });

  it('a later fragment carries no transport header; the first one does', () => {
    const later = decode(bytes(eth(0x0800), ipv4({ proto: 17, payloadLen: 8, fragOffset: 185 }), udp(1, 2, 0)));
    assert.equal(later.transportCount, 0);
    assert.equal(later.ipLayers[0]!.fragOffset, 185);
    assert.equal(chain(later), 'eth:ethertype:ip:data');
    const first = decode(bytes(eth(0x0800), ipv4({ proto: 17, payloadLen: 8, mf: true }), udp(1, 2, 0)));
    assert.equal(first.transportCount, 1);
    assert.equal(first.ipLayers[0]!.mf, true);
  });

  it('skips IPv4 options to reach the transport header', () => {
    const f = bytes(eth(0x0800), ipv4({ proto: 17, payloadLen: 8, options: [0x94, 4, 0, 0] }), udp(7, 9, 0));
    const p = decode(f);
    assert.equal(p.ipLayers[0]!.hdrLen, 24);
    assert.equal(p.transports[0]!.offset, 38);
    assert.equal(p.transports[0]!.dstPort, 9);
  });
});

describe('decodeFrame: IPv6 extension headers', () => {
  it('walks hop-by-hop, routing and a first fragment header to UDP', () => {
    const hbh = [43, 0, 1, 4, 0, 0, 0, 0];
    const routing = [44, 0, 0, 0, 0, 0, 0, 0];
    const frag = [17, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef]; // offset 0, M=1
    const f = bytes(eth(0x86dd), ipv6(0, 24 + 8), hbh, routing, frag, udp(5353, 5353, 0));
    const p = decode(f);
    assert.equal(chain(p), 'eth:ethertype:ipv6:ipv6.hopopts:ipv6.routing:ipv6.fraghdr:udp');
    const ip = p.ipLayers[0]!;
    assert.deepEqual([ip.proto, ip.upperProto, ip.upperOffset, ip.v6Fragment, ip.mf, ip.fragOffset, ip.id], [0, 17, 14 + 64, true, true, 0, 0xdeadbeef]);
    assert.equal(p.transports[0]!.srcPort, 5353);
  });

  it('stops at an extension header that runs past the packet', () => {
    const f = bytes(eth(0x86dd), ipv6(60, 8), [17, 5, 0, 0, 0, 0, 0, 0]);
    const p = decode(f);
    assert.equal(p.transportCount, 0);
    assert.notEqual(p.stop, StopReason.Complete);
  });
});

describe('decodeFrame: ICMP errors quote a packet, tunnels add layers', () => {
  it('marks the IPv4 packet quoted in a time-exceeded message, so innerIp stays the outer header', () => {
    const quoted = bytes(ipv4({ proto: 17, payloadLen: 8, ttl: 1, src: [192, 168, 1, 1], dst: [8, 8, 8, 8] }), udp(40000, 53, 0));
    const f = bytes(eth(0x0800), ipv4({ proto: 1, payloadLen: 8 + quoted.length }), icmp(11, 0), quoted);
    const p = decode(f);
    assert.equal(chain(p), 'eth:ethertype:ip:icmp:ip:udp');
    assert.equal(p.ipCount, 2);
    assert.equal(p.ipLayers[1]!.quoted, true);
    assert.equal(p.innerIp, 0);
    assert.deepEqual([p.transports[0]!.icmpType, p.transports[1]!.dstPort, p.transports[1]!.ipIndex], [11, 53, 1]);
  });

  it('quotes IPv6 in an ICMPv6 destination unreachable', () => {
    const quoted = bytes(ipv6(17, 8), udp(1, 2, 0));
    const p = decode(bytes(eth(0x86dd), ipv6(58, 8 + quoted.length), icmp(1, 4), quoted));
    assert.equal(chain(p), 'eth:ethertype:ipv6:icmpv6:ipv6:udp');
    assert.equal(p.ipLayers[1]!.quoted, true);
  });

  for (const [outer, inner] of [[4, 4], [4, 6], [6, 4], [6, 6]] as const) {
    it(`decodes IPv${inner}-in-IPv${outer} as a tunnel (innerIp = 1)`, () => {
      const innerBytes = inner === 4 ? bytes(ipv4({ proto: 6, payloadLen: 20 }), tcp(1, 2, 3, 4, 2)) : bytes(ipv6(6, 20), tcp(1, 2, 3, 4, 2));
      const nxt = inner === 4 ? 4 : 41;
      const outerBytes = outer === 4 ? ipv4({ proto: nxt, payloadLen: innerBytes.length }) : ipv6(nxt, innerBytes.length);
      const p = decode(bytes(eth(outer === 4 ? 0x0800 : 0x86dd), outerBytes, innerBytes));
      assert.equal(p.ipCount, 2);
      assert.deepEqual([p.ipLayers[0]!.version, p.ipLayers[1]!.version, p.ipLayers[1]!.quoted, p.innerIp], [outer, inner, false, 1]);
      assert.equal(p.transports[0]!.ipIndex, 1);
    });
  }

  it('follows GRE to the inner IPv4 packet, and GRE keys/sequence numbers are skipped', () => {
    const inner = bytes(ipv4({ proto: 1, payloadLen: 8, src: [172, 16, 0, 1] }), icmp(8, 0));
    const greHdr = [...gre(0x0800, 0x3000), 0, 0, 0, 1, 0, 0, 0, 2]; // K and S set
    const p = decode(bytes(eth(0x0800), ipv4({ proto: 47, payloadLen: greHdr.length + inner.length }), greHdr, inner));
    assert.equal(chain(p), 'eth:ethertype:ip:gre:ip:icmp');
    assert.equal(ipv4Text(p.ipLayers[1]!.src4), '172.16.0.1');
  });

  it('follows VXLAN to the inner Ethernet frame; the packet keeps the outer MACs', () => {
    const inner = bytes(eth(0x8100, [0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 2]), vlanTag(30, 0x0800), ipv4({ proto: 6, payloadLen: 20 }), tcp(22, 1000, 1, 2, 0x12));
    const outerUdp = bytes(udp(39924, 4789, 8 + inner.length), vxlan(42), inner);
    const p = decode(bytes(eth(0x0800), ipv4({ proto: 17, payloadLen: outerUdp.length }), outerUdp));
    assert.equal(chain(p), 'eth:ethertype:ip:udp:vxlan:eth:ethertype:vlan:ethertype:ip:tcp');
    assert.equal(p.srcMac, 0x02000000000a);
    assert.deepEqual(Array.from(p.vlanIds.subarray(0, p.vlanCount)), [30]);
    assert.deepEqual([p.transports[0]!.proto, p.transports[1]!.proto, p.innerIp], [17, 6, 1]);
  });

  it('follows Geneve (with options) to the inner Ethernet frame', () => {
    const inner = bytes(eth(0x0800), ipv4({ proto: 17, payloadLen: 8 }), udp(1, 2, 0));
    const geneve = [0x01, 0, 0x65, 0x58, 0, 0, 1, 0, 0, 0, 0, 0]; // one 4-byte option word
    const outerUdp = bytes(udp(1234, 6081, geneve.length + inner.length), geneve, inner);
    const p = decode(bytes(eth(0x0800), ipv4({ proto: 17, payloadLen: outerUdp.length }), outerUdp));
    assert.equal(chain(p), 'eth:ethertype:ip:udp:geneve:eth:ethertype:ip:udp');
    assert.equal(p.ipCount, 2);
  });

  it('reads an MPLS stack and guesses IPv6 from the version nibble after the bottom label', () => {
    const p = decode(bytes(eth(0x8847), mplsLabel(16, false), mplsLabel(1000, true), ipv6(59, 0)));
    assert.equal(chain(p), 'eth:ethertype:mpls:ipv6');
    assert.deepEqual(Array.from(p.mplsLabels.subarray(0, p.mplsCount)), [16, 1000]);
    assert.equal(p.ipLayers[0]!.version, 6);
  });

  it('stops with LimitReached on an MPLS stack that never ends', () => {
    const labels = Array.from({ length: 40 }, (_, i) => mplsLabel(i, false)).flat();
    const p = decode(bytes(eth(0x8847), labels));
    assert.equal(p.stop, StopReason.LimitReached);
  });

  it('decodes PPPoE session -> PPP -> IPv6', () => {
    const inner = ipv6(59, 0);
    const pppoe = [0x11, 0x00, 0x00, 0x01, 0, inner.length + 2, 0x00, 0x57];
    const p = decode(bytes(eth(0x8864), pppoe, inner));
    assert.equal(chain(p), 'eth:ethertype:pppoes:ppp:ipv6');
    assert.equal(p.ipCount, 1);
  });
});

describe('decodeFrame: other link layers', () => {
  const ip = (): Uint8Array => bytes(ipv4({ proto: 17, payloadLen: 8, src: [1, 2, 3, 4] }), udp(1, 2, 0));
  const cases: [string, number, number[], string][] = [
    ['NULL, little-endian family', 0, [2, 0, 0, 0], 'null:ip:udp'],
    ['NULL, big-endian family', 0, [0, 0, 0, 2], 'null:ip:udp'],
    ['LINUX_SLL', 113, [0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00], 'sll:ethertype:ip:udp'],
    ['LINUX_SLL2', 276, [0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0], 'sll:ethertype:ip:udp'],
    ['RAW', 101, [], 'raw:ip:udp'],
    ['BSD raw (12)', 12, [], 'raw:ip:udp'],
    ['IPV4', 228, [], 'ip:udp'],
    ['PPP with HDLC framing', 50, [0xff, 0x03, 0x00, 0x21], 'ppp:ip:udp'],
    ['PPP', 9, [0x00, 0x21], 'ppp:ip:udp'],
    ['Cisco HDLC', 104, [0x0f, 0x00, 0x08, 0x00], 'chdlc:ip:udp'],
    ['IPNET', 226, [2, 2, 0, 0, 0, 0, 0, 28, ...new Array(16).fill(0)], 'ipnet:ip:udp'],
    ['IPoIB', 242, [...new Array(40).fill(0x11), 0x08, 0x00, 0, 0], 'ipoib:ip:udp'],
    ['Frame Relay, Cisco encapsulation', 107, [0x80, 0xeb, 0x08, 0x00], 'fr:ip:udp'],
    ['Frame Relay, Q.933 NLPID', 107, [0x80, 0xeb, 0x03, 0xcc], 'fr:ip:udp'],
    ['802.11 QoS data', 105, [0x88, 0x01, 0, 0, ...new Array(20).fill(0), 0, 0, 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00], 'wlan:llc:ip:udp'],
    ['radiotap + 802.11 data', 127, [0, 0, 8, 0, 0, 0, 0, 0, 0x08, 0x02, 0, 0, ...new Array(20).fill(0), 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00], 'radiotap:wlan_radio:wlan:llc:ip:udp'],
  ];
  for (const [name, lt, header, expected] of cases) {
    it(`${name} (${lt}) leads to the IPv4 packet`, () => {
      const p = decode(bytes(header, ip()), lt);
      assert.equal(chain(p), expected);
      assert.equal(ipv4Text(p.ipLayers[0]!.src4), '1.2.3.4');
      assert.equal(p.ipLayers[0]!.offset, header.length);
    });
  }

  it('LINUX_SLL gives the source MAC', () => {
    const p = decode(bytes([0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00], ip()), 113);
    assert.equal(p.srcMac, 0x010203040506);
  });

  it('NFLOG: skips TLVs (little-endian lengths, padded to 4) to the payload TLV', () => {
    const payload = ip();
    const prefix = [8, 0, 10, 0, 0x61, 0x62, 0x63, 0x64]; // NFULA_PREFIX "abcd", length 8
    const hwaddr = [6, 0, 1, 0, 0, 0, 0, 0]; // NFULA_HWTYPE-sized TLV: length 6, type 1, padded to 8
    const tlv = [(payload.length + 4) & 255, (payload.length + 4) >> 8, 9, 0];
    const p = decode(bytes([2, 0, 0, 0], prefix, hwaddr, tlv, payload), 239);
    assert.equal(chain(p), 'nflog:ip:udp');
    assert.equal(p.ipLayers[0]!.offset, 4 + 8 + 8 + 4);
  });

  it('LINKTYPE_IPV6 holding IPv4 decodes nothing (as tshark)', () => {
    const p = decode(ip(), 229);
    assert.equal(p.ipCount, 0);
    assert.equal(p.protocolCount, 0);
    assert.equal(p.stop, StopReason.Malformed);
  });

  it('LINKTYPE_IPV4 holding IPv6 hands it to IPv6 (ip:ipv6)', () => {
    const p = decode(bytes(ipv6(59, 0, 64, V6_A)), 228);
    assert.equal(chain(p), 'ip:ipv6');
    assert.equal(p.ipLayers[0]!.version, 6);
  });

  it('an unknown link type is Unsupported, not an error', () => {
    const p = decode(new Uint8Array(40), 147);
    assert.equal(p.stop, StopReason.Unsupported);
    assert.equal(p.stopDetail, 'link type 147 not decoded');
  });
});

describe('decodeFrame never throws and stays in bounds', () => {
  const linkTypes = [0, 1, 9, 12, 50, 101, 104, 113, 129, 226, 228, 229, 239, 242, 276];
  it('on random bytes for every supported link type', () => {
    const out = createDecodedPacket();
    fc.assert(
      fc.property(fc.constantFrom(...linkTypes), fc.uint8Array({ maxLength: 200 }), (lt, data) => {
        decodeFrame(data, lt, out);
        assert.ok(!out.stopDetail.startsWith('decoder error'), out.stopDetail);
        for (let i = 0; i < out.ipCount; i++) assert.ok(out.ipLayers[i]!.offset + out.ipLayers[i]!.validBytes <= data.length);
        for (let i = 0; i < out.transportCount; i++) {
          const t = out.transports[i]!;
          assert.ok(t.offset + t.validBytes <= data.length);
          if (t.payloadOffset >= 0) assert.ok(t.payloadOffset + t.payloadLength <= data.length);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('on mutated valid tunnel frames (bytes flipped and cut anywhere)', () => {
    const inner = bytes(eth(0x0800), ipv4({ proto: 47, payloadLen: 4 + 28 }), gre(0x0800), ipv4({ proto: 1, payloadLen: 8 }), icmp(3, 1));
    const base = bytes(eth(0x8100), vlanTag(5, 0x0800), ipv4({ proto: 17, payloadLen: 16 + inner.length }), udp(1, 4789, 8 + inner.length), vxlan(1), inner);
    const out = createDecodedPacket();
    fc.assert(
      fc.property(fc.nat(base.length), fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), (cut, flips) => {
        const d = base.slice(0, cut);
        for (const [at, v] of flips) if (at < d.length) d[at] = v;
        decodeFrame(d, 1, out);
        assert.ok(!out.stopDetail.startsWith('decoder error'), out.stopDetail);
      }),
      { numRuns: 3000 },
    );
  });
});
