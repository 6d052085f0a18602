/**
 * LadderContext on synthetic traffic (real frame bytes, real decoder, real loop detector): ICMP time-exceeded
 * marks and the background band land on the right episode, the band is capped and evenly sampled, and the
 * candidates held stay bounded however long the capture is.
 */
import { strict as assert } from 'node:assert';
import { createDecodedPacket, decodeFrame } from '../../../src/core/decode/decoder';
import { LadderContext, MAX_BACKGROUND_PER_EPISODE } from '../../../src/core/detect/ladderContext';
import { LoopDetector } from '../../../src/core/detect/loops';
import type { LoopEpisode } from '../../../src/core/model/loops';
import { bytes, eth, icmp, ipv4, udp } from '../decode/frames';
import { ACCESS, CLIENT, CORE, T0, ipv4Frame, loopSightings, type TestFrame } from './traffic';

const ROUTER_MAC = [0x02, 0, 0, 0, 0, 0x09];

/** ICMP time-exceeded from `router` (sent from ROUTER_MAC to CLIENT) quoting a UDP packet to `quotedDst`. */
function timeExceeded(timeUs: number, router: number[], quotedDst: number[]): TestFrame {
  const quoted = [...ipv4({ src: [10, 0, 0, 9], dst: quotedDst, ttl: 1, proto: 17, payloadLen: 8 }), ...udp(4000, 53, 0)];
  const msg = icmp(11, 0);
  const ip = ipv4({ src: router, dst: [10, 0, 0, 9], ttl: 64, proto: 1, payloadLen: msg.length + quoted.length });
  return { timeUs, data: bytes(eth(0x0800, CLIENT, ROUTER_MAC), ip, msg, quoted) };
}

/** Ordinary UDP from the client towards `dst`, one every `gapUs`, TTL 64. */
function traffic(dst: number[], fromUs: number, toUs: number, gapUs: number, srcMac = CLIENT, dstMac = CORE): TestFrame[] {
  const out: TestFrame[] = [];
  for (let t = fromUs, i = 0; t < toUs; t += gapUs, i++) {
    out.push({ timeUs: t, data: ipv4Frame({ src: [10, 0, 0, 9], dst, id: i & 0xffff, proto: 17, payload: [i & 255, (i >> 8) & 255, (i >> 16) & 255] }, 64, srcMac, dstMac) });
  }
  return out;
}

function analyse(frames: TestFrame[], context = new LadderContext()): { episodes: LoopEpisode[]; context: LadderContext } {
  const sorted = [...frames].sort((a, b) => a.timeUs - b.timeUs);
  const detector = new LoopDetector('test.pcap');
  const pkt = createDecodedPacket();
  sorted.forEach((f, i) => {
    decodeFrame(f.data, 1, pkt);
    const kind = detector.observe({ number: i + 1, section: 0, interfaceId: 0 }, f.timeUs, pkt, f.data);
    context.observe(detector.facts, 0, kind);
  });
  const episodes = detector.finish();
  context.attach(episodes);
  return { episodes, context };
}

const B0 = T0 + 10_000_000;

describe('LadderContext', () => {
  it('attaches each time-exceeded message to the episode whose destination it quotes, within 1 s', () => {
    const { episodes } = analyse([
      ...loopSightings({ src: [10, 0, 0, 9], dst: [10, 244, 1, 10], id: 1 }, T0),
      ...loopSightings({ src: [10, 0, 0, 9], dst: [10, 244, 2, 20], id: 2 }, B0),
      timeExceeded(T0 + 6_400, [10, 0, 12, 2], [10, 244, 1, 10]),
      timeExceeded(T0 + 900_000, [10, 0, 12, 2], [10, 244, 1, 10]),
      timeExceeded(B0 + 6_400, [10, 0, 12, 3], [10, 244, 2, 20]),
      // Too late for A (5 s after), too early for B; and one quoting an unrelated destination during A.
      timeExceeded(T0 + 5_000_000, [10, 0, 12, 2], [10, 244, 1, 10]),
      timeExceeded(T0 + 3_000, [10, 0, 77, 7], [10, 99, 0, 1]),
    ]);
    assert.equal(episodes.length, 2);
    const [a, b] = episodes;
    assert.deepEqual(a!.icmpMarks, { timeUs: [T0 + 6_400, T0 + 900_000], router: ['10.0.12.2', '10.0.12.2'], truncated: false });
    assert.deepEqual(b!.icmpMarks, { timeUs: [B0 + 6_400], router: ['10.0.12.3'], truncated: false });
  });

  it('collects ordinary traffic to the episode destinations within 1 s of it, and nothing else', () => {
    const { episodes } = analyse([
      ...loopSightings({ src: [10, 0, 0, 9], dst: [10, 244, 1, 10], id: 1 }, T0),
      ...traffic([10, 244, 1, 10], T0 - 3_000_000, T0 + 3_000_000, 100_000),
      // Same time, another destination, another MAC pair: not the episode's traffic.
      ...traffic([10, 7, 7, 7], T0 - 500_000, T0 + 500_000, 50_000, CLIENT, ROUTER_MAC),
      // Another destination on the loop's own MAC pair: the same link direction, so it belongs to the band.
      ...traffic([10, 8, 8, 8], T0 + 200_000, T0 + 400_000, 100_000, CORE, ACCESS),
    ]);
    const [a] = episodes;
    const bg = a!.background!;
    const lo = a!.startUs - 1_000_000;
    const hi = a!.endUs + 1_000_000;
    const expected = [
      ...traffic([10, 244, 1, 10], T0 - 3_000_000, T0 + 3_000_000, 100_000).map((f) => f.timeUs),
      T0 + 200_000,
      T0 + 300_000,
      // The looped packet's first sighting: nothing yet marks it as looped when it goes by.
      T0,
    ]
      .filter((t) => t >= lo && t <= hi)
      .sort((x, y) => x - y);
    assert.deepEqual(bg.timeUs, expected);
    assert.deepEqual(bg.ttl.filter((t) => t !== 64), [63]);
    assert.equal(bg.truncated, false);
  });

  it('caps the band per episode, evenly over the episode', () => {
    const { episodes } = analyse([
      ...loopSightings({ src: [10, 0, 0, 9], dst: [10, 244, 1, 10], id: 1 }, T0),
      ...traffic([10, 244, 1, 10], T0 - 900_000, T0 + 900_000, 50),
    ]);
    const bg = episodes[0]!.background!;
    assert.equal(bg.truncated, true);
    assert.equal(bg.timeUs.length, MAX_BACKGROUND_PER_EPISODE);
    // Even: both ends covered and each half of the time span holds about half the points.
    assert.ok(bg.timeUs[0]! < T0 - 800_000, `${bg.timeUs[0]}`);
    assert.ok(bg.timeUs[bg.timeUs.length - 1]! > T0 + 800_000, `${bg.timeUs[bg.timeUs.length - 1]}`);
    const firstHalf = bg.timeUs.filter((t) => t < T0).length;
    assert.ok(firstHalf / bg.timeUs.length >= 0.45 && firstHalf / bg.timeUs.length <= 0.55, `${firstHalf / bg.timeUs.length}`);
  });

  it('holds a bounded number of candidates, and none far from any replica', () => {
    const quiet = new LadderContext({ ringSize: 64, maxKept: 256 });
    analyse(traffic([10, 244, 1, 10], T0, T0 + 20_000_000, 1_000), quiet);
    // attach() drained the ring; no replica anywhere, so nothing was kept.
    assert.equal(quiet.heldCandidates, 0);

    const busy = new LadderContext({ ringSize: 64, maxKept: 256 });
    const frames = [
      ...loopSightings({ src: [10, 0, 0, 9], dst: [10, 244, 1, 10], id: 1 }, T0),
      ...traffic([10, 244, 1, 10], T0 - 900_000, T0 + 900_000, 100),
    ];
    const { episodes } = analyse(frames, busy);
    assert.ok(busy.heldCandidates <= 256, `${busy.heldCandidates}`);
    const bg = episodes[0]!.background!;
    assert.equal(bg.truncated, true);
    assert.ok(bg.timeUs.length >= 128 && bg.timeUs.length <= 256, `${bg.timeUs.length}`);
    // A 64-packet ring spans 6.4 ms here, so only the second after the loop's replicas is kept, evenly thinned.
    const first = bg.timeUs[0]!;
    const last = bg.timeUs[bg.timeUs.length - 1]!;
    assert.ok(first < T0 + 100_000 && last > T0 + 800_000, `${first - T0} .. ${last - T0}`);
  });
});
