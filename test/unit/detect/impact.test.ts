import { strict as assert } from 'node:assert';
import { ACCESS, CORE, T0, ipv4Frame, loopSightings, run, type Ipv4Packet, type TestFrame } from './traffic';

const SYN = 0x02;
const ACK = 0x10;
const PSH_ACK = 0x18;
const client = { src: [10, 0, 0, 9], dst: [10, 244, 1, 10], srcPort: 45000, dstPort: 80 };
const server = { src: [10, 244, 1, 10], dst: [10, 0, 0, 9], srcPort: 80, dstPort: 45000 };

let ipId = 100;
/** One TCP segment at `ms` after T0; client side goes CORE->ACCESS, server side back. */
function seg(fromClient: boolean, ms: number, seq: number, ack: number, flags: number, payload: number[] = []): TestFrame {
  const p: Ipv4Packet = { ...(fromClient ? client : server), id: ipId++, seq, ack, tcpFlags: flags, payload };
  return { timeUs: T0 + ms * 1000, data: ipv4Frame(p, 64, fromClient ? CORE : ACCESS, fromClient ? ACCESS : CORE) };
}

/** Handshake at 0 ms, a 10-byte request at 10 ms, the server acknowledges and answers after `replyMs`. */
function exchange(replyMs: number, clientIsn = 1000): TestFrame[] {
  const c = clientIsn;
  return [
    seg(true, 0, c, 0, SYN),
    seg(false, 1, 5000, c + 1, SYN | ACK),
    seg(true, 2, c + 1, 5001, ACK),
    seg(true, 10, c + 1, 5001, PSH_ACK, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    seg(false, 10 + replyMs, 5001, c + 11, PSH_ACK, [9, 9]),
    seg(true, 11 + replyMs, c + 11, 5003, ACK),
  ];
}

describe('TCP impact: stalls and retransmissions', () => {
  it('a reply after 150 ms is no stall at the default 200 ms threshold, but is one at 100 ms', () => {
    assert.equal(run(exchange(150)).impact.stalls.length, 0);
    const { impact } = run(exchange(150), { stallThresholdMs: 100 });
    assert.equal(impact.stalls.length, 1);
    assert.equal(impact.stalls[0]!.durationMs, 150);
    assert.equal(impact.stalls[0]!.flow, '10.0.0.9:45000 -> 10.244.1.10:80', 'named from the SYN sender');
    assert.equal(impact.stalls[0]!.unanswered, false);
  });

  it('counts a resent segment as one retransmission, but not the copies of a packet going round a loop', () => {
    const frames = exchange(1500);
    frames.push(seg(true, 1010, 1001, 5001, PSH_ACK, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    const looped: Ipv4Packet = { ...client, id: 4242, seq: 1011, ack: 5001, tcpFlags: PSH_ACK, payload: [7] };
    frames.push(...loopSightings(looped, T0 + 20_000, { firstTtl: 63, lastTtl: 40 }));
    const { impact, episodes } = run(frames);
    assert.equal(episodes.length, 1);
    assert.equal(impact.retransmissions, 1);
    assert.equal(impact.flows.length, 1);
    assert.equal(impact.flows[0]!.retransmissions, 1);
    assert.equal(impact.flows[0]!.stalls, 1);
    assert.deepEqual(impact.flows[0]!.loopIndices, [0], 'the stall overlaps the loop');
  });

  it('follows sequence numbers across the 2^32 wrap without inventing retransmissions', () => {
    const { impact } = run(exchange(5, 0xfffffff8));
    assert.equal(impact.retransmissions, 0);
    assert.equal(impact.stalls.length, 0);
  });

  it('an idle connection with nothing outstanding never stalls', () => {
    const frames = exchange(5);
    frames.push(seg(true, 60_000, 1011, 5003, ACK), seg(false, 60_001, 5003, 1011, ACK));
    assert.equal(run(frames).impact.stalls.length, 0);
  });

  it('a SYN that is never answered is an unanswered stall once the capture runs past the threshold', () => {
    const frames = [seg(true, 0, 77, 0, SYN), seg(false, 500, 1, 1, ACK)];
    frames[1] = { ...frames[1]!, data: ipv4Frame({ src: [10, 9, 9, 9], dst: [10, 9, 9, 8], srcPort: 1, dstPort: 2, id: 1, seq: 1, ack: 1, tcpFlags: ACK }, 64, ACCESS, CORE) };
    const { impact } = run(frames);
    assert.equal(impact.stalls.length, 1);
    assert.equal(impact.stalls[0]!.unanswered, true);
    assert.equal(impact.stalls[0]!.durationMs, 0);
  });
});
