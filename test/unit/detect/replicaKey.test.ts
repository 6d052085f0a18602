import { strict as assert } from 'node:assert';
import { createDecodedPacket, decodeFrame } from '../../../src/core/decode/decoder';
import { createReplicaKey, isGroupAddressed, replicaKeyOf } from '../../../src/core/detect/replicaKey';
import { bytes, eth, ipv4, ipv6, tcp, udp, vlanTag, V6_A, V6_B } from '../decode/frames';

/** Identity of the innermost IP layer of an Ethernet frame, as "h1:h2". */
function keyOf(frame: Uint8Array): string {
  const pkt = createDecodedPacket();
  decodeFrame(frame, 1, pkt);
  const k = createReplicaKey();
  assert.ok(replicaKeyOf(pkt, frame, pkt.innerIp, k));
  return `${k.h1}:${k.h2}`;
}

const payload = [1, 2, 3, 4, 5, 6, 7, 8];
function v4(o: { ttl?: number; id?: number; tos?: number; checksum?: number; payload?: number[]; seq?: number; options?: number[] } = {}): Uint8Array {
  const p = o.payload ?? payload;
  const ip = ipv4({ proto: 6, payloadLen: 20 + p.length, ttl: o.ttl ?? 64, id: o.id ?? 7, df: true, options: o.options ?? [] });
  ip[1] = o.tos ?? 0;
  ip[10] = (o.checksum ?? 0) >> 8;
  ip[11] = (o.checksum ?? 0) & 255;
  return bytes(eth(0x0800), ip, tcp(40000, 80, o.seq ?? 1000, 1, 0x18), p);
}

describe('replica identity: what makes two frames the same packet', () => {
  it('ignores what routers change: TTL, header checksum, DSCP/ECN, record-route style options', () => {
    const base = keyOf(v4());
    assert.equal(keyOf(v4({ ttl: 3 })), base);
    assert.equal(keyOf(v4({ checksum: 0xbeef })), base);
    assert.equal(keyOf(v4({ tos: 0xb8 })), base);
    // A record-route option before and after a router wrote its address into it (pointer moved, slot filled).
    assert.equal(keyOf(v4({ options: [7, 7, 8, 10, 0, 0, 1, 0] })), keyOf(v4({ options: [7, 7, 4, 0, 0, 0, 0, 0] })));
  });

  it('tells apart a new IP ID, other payload bytes, another sequence number', () => {
    const base = keyOf(v4());
    assert.notEqual(keyOf(v4({ id: 8 })), base);
    assert.notEqual(keyOf(v4({ payload: [1, 2, 3, 4, 5, 6, 7, 9] })), base);
    assert.notEqual(keyOf(v4({ seq: 1001 })), base);
  });

  it('puts the VLAN in the identity', () => {
    const untagged = v4();
    const tagged = bytes(eth(0x8100), vlanTag(10, 0x0800), untagged.subarray(14));
    const other = bytes(eth(0x8100), vlanTag(20, 0x0800), untagged.subarray(14));
    assert.notEqual(keyOf(tagged), keyOf(untagged));
    assert.notEqual(keyOf(tagged), keyOf(other));
  });

  it('IPv6: hop limit ignored, flow label and payload count', () => {
    const frame = (hlim: number, flow: number, p: number[]) => {
      const ip = ipv6(17, 8 + p.length, hlim, V6_A, V6_B);
      ip[1] = (flow >> 16) & 0x0f;
      ip[2] = (flow >> 8) & 255;
      ip[3] = flow & 255;
      return bytes(eth(0x86dd), ip, udp(1, 2, p.length), p);
    };
    const base = keyOf(frame(64, 5, payload));
    assert.equal(keyOf(frame(9, 5, payload)), base);
    assert.notEqual(keyOf(frame(64, 6, payload)), base);
    assert.notEqual(keyOf(frame(64, 5, [9, 9])), base);
  });

  it('treats group-addressed packets as never looping: IPv4 multicast and broadcast, IPv6 multicast, group MACs', () => {
    const check = (frame: Uint8Array) => {
      const pkt = createDecodedPacket();
      decodeFrame(frame, 1, pkt);
      return isGroupAddressed(pkt, frame, pkt.ipLayers[pkt.innerIp]!);
    };
    const v4To = (dst: number[], mac = [2, 0, 0, 0, 0, 2]) => bytes(eth(0x0800, mac), ipv4({ proto: 17, payloadLen: 8, dst }), udp(1, 2, 0));
    assert.equal(check(v4To([10, 0, 0, 2])), false);
    assert.equal(check(v4To([239, 1, 2, 3])), true);
    assert.equal(check(v4To([255, 255, 255, 255])), true);
    assert.equal(check(v4To([10, 0, 0, 2], [1, 0, 0x5e, 0, 0, 1])), true);
    const ff02 = [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    assert.equal(check(bytes(eth(0x86dd), ipv6(17, 8, 1, V6_A, ff02), udp(1, 2, 0))), true);
  });
});
