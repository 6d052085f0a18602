import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { bytes, eth, gre, icmp, ipv4, udp, vxlan } from '../decode/frames';
import { ACCESS, CLIENT, CORE, T0, background, ipv4Frame, ipv6Frame, loopSightings, run, type Ipv4Packet, type TestFrame } from './traffic';

const POD = (i: number): number[] => [10, 244, 1, 10 + (i % 50)];
const looped = (i: number): Ipv4Packet => ({ src: [10, 0, 0, 9], dst: POD(i), id: 0x1000 + i, srcPort: 40000 + i, payload: [i, 1, 2, 3] });

/** Wraps each frame in VXLAN from one mirror source to one collector: the outer MACs are always the same. */
function vxlanMirrored(frames: TestFrame[]): TestFrame[] {
  const mirror = [0x02, 0, 0, 0, 0, 0x70];
  const collector = [0x02, 0, 0, 0, 0, 0x71];
  return frames.map((f, i) => {
    const inner = [...f.data];
    const outerUdp = udp(49152, 4789, 8 + inner.length);
    const outer = ipv4({ src: [192, 0, 2, 1], dst: [192, 0, 2, 2], id: i & 0xffff, ttl: 64, proto: 17, payloadLen: outerUdp.length + 8 + inner.length });
    return { ...f, data: bytes(eth(0x0800, collector, mirror), outer, outerUdp, vxlan(77), inner) };
  });
}

/** `n` packets caught in one core<->access loop, a new one every `everyUs`, each looping until TTL 1. */
function loopEpisode(n: number, startUs: number, everyUs = 1000): TestFrame[] {
  return Array.from({ length: n }, (_, i) => loopSightings(looped(i), startUs + i * everyUs)).flat();
}

describe('loop detector: real loops', () => {
  it('finds one core<->access loop: TTL step 2, both directions, exact start and end, every packet', () => {
    const frames = [...background(300, T0, 10_000), ...loopEpisode(40, T0 + 1_000_000)];
    const { episodes } = run(frames);
    assert.equal(episodes.length, 1);
    const ep = episodes[0]!;
    assert.equal(ep.ttlStep, 2);
    assert.equal(ep.loopedPackets, 40);
    assert.equal(ep.sightings, 40 * 63);
    assert.equal(ep.maxReplicas, 63);
    assert.equal(ep.startUs, T0 + 1_000_000);
    // last packet starts at +39 ms and is seen 63 times 100 µs apart
    assert.equal(ep.endUs, T0 + 1_000_000 + 39_000 + 62 * 100);
    assert.equal(ep.start, '2026-11-24T10:00:01Z');
    assert.equal(ep.durationMs, 45.2);
    assert.deepEqual(ep.macPairs.map((m) => `${m.srcMac}>${m.dstMac}`).sort(), ['02:00:00:00:00:01>02:00:00:00:00:02', '02:00:00:00:00:02>02:00:00:00:00:01']);
    assert.deepEqual(ep.destinationPrefixes, ['10.244.1.0/24']);
    assert.equal(ep.destinations, 40);
    assert.equal(ep.sources, 1);
    assert.equal(ep.impact.packetsLost, 40, 'every packet looped until its TTL ran out');
    assert.equal(ep.lostByDestination!.length, 40);
    assert.deepEqual(ep.lostByDestination![0], { destination: '10.244.1.10', packetsLost: 1 });
    assert.equal(ep.streams.length, 40);
    assert.deepEqual([ep.streams[0]!.firstTtl, ep.streams[0]!.lastTtl, ep.streams[0]!.ipId, ep.streams[0]!.dstPort], [63, 1, 0x1000, 80]);
    assert.equal(ep.ladder.timeUs.length, 40 * 63);
    assert.equal(ep.ladder.truncated, false);
    assert.ok(ep.ladder.timeUs.every((t, i) => i === 0 || t >= ep.ladder.timeUs[i - 1]!), 'ladder in time order');
  });

  it('reads the hop count of a 3-router loop from one direction (TTL step 3)', () => {
    const frames = Array.from({ length: 10 }, (_, i) => loopSightings(looped(i), T0 + i * 500, { hops: 3, firstTtl: 62 })).flat();
    const { episodes } = run(frames);
    assert.equal(episodes.length, 1);
    assert.equal(episodes[0]!.ttlStep, 3);
    assert.equal(episodes[0]!.macPairs.length, 1);
  });

  it('keeps two loops 10 s apart as two episodes, and a loop that ends early (packets escape) is still found', () => {
    const first = loopEpisode(20, T0);
    // The loop heals after 5 passes: packets leave with TTL 58 instead of dying.
    const second = Array.from({ length: 20 }, (_, i) => loopSightings(looped(100 + i), T0 + 10_000_000 + i * 1000, { lastTtl: 58 })).flat();
    const { episodes } = run([...first, ...second]);
    assert.equal(episodes.length, 2);
    assert.equal(episodes[1]!.loopedPackets, 20);
    assert.equal(episodes[1]!.maxReplicas, 6);
    assert.equal(episodes[1]!.impact.packetsLost, 0, 'packets that escaped the loop are not lost');
    assert.deepEqual(episodes[1]!.lostByDestination, []);
  });

  it('finds an IPv6 loop by hop limit (no IP ID: identity is addresses, flow label and payload)', () => {
    const src = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9];
    const frames: TestFrame[] = [];
    for (let i = 0; i < 5; i++) {
      const dst = [0x20, 1, 0xd, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 10 + i];
      for (let hl = 63, t = T0 + i * 2000; hl >= 1; hl--, t += 100) {
        const toward = hl % 2 === 1;
        frames.push({ timeUs: t, data: ipv6Frame(src, dst, [i, 7, 7, 7], hl, toward ? CORE : ACCESS, toward ? ACCESS : CORE) });
      }
    }
    const { episodes } = run(frames);
    assert.equal(episodes.length, 1);
    assert.equal(episodes[0]!.ttlStep, 2);
    assert.deepEqual(episodes[0]!.destinationPrefixes, ['2001:db8:0:1::/64']);
    assert.equal(episodes[0]!.streams[0]!.ipId, null);
  });

  it('finds a loop in a tunnel underlay: the outer TTL steps down while the inner packet is unchanged', () => {
    const frames: TestFrame[] = [];
    for (let i = 0; i < 5; i++) {
      const inner = bytes(ipv4({ src: [192, 168, 0, 1], dst: [192, 168, 1, 1 + i], id: 500 + i, ttl: 60, proto: 17, payloadLen: 12 }), udp(1000, 2000, 4), [i, 1, 1, 1]);
      for (let ttl = 63, t = T0 + i * 3000; ttl >= 1; ttl--, t += 100) {
        const toward = ttl % 2 === 1;
        const outer = ipv4({ src: [172, 16, 0, 1], dst: [172, 16, 9, 9], id: 900 + i, ttl, proto: 47, payloadLen: 4 + inner.length });
        frames.push({ timeUs: t, data: bytes(eth(0x0800, toward ? ACCESS : CORE, toward ? CORE : ACCESS), outer, gre(0x0800), inner) });
      }
    }
    const { episodes } = run(frames);
    assert.equal(episodes.length, 1);
    assert.equal(episodes[0]!.ttlStep, 2);
    assert.equal(episodes[0]!.loopedPackets, 5);
    assert.deepEqual(episodes[0]!.destinationPrefixes, ['172.16.9.9/32']);
  });

  it('keeps one stream per packet when two capture interfaces (one per direction) merge slightly out of order', () => {
    // Access->core frames come from a second interface whose timestamps run 150 µs late: each lands after the
    // next core->access sighting, so TTLs arrive as 63, 61, 62, 59, 60...
    const frames = Array.from({ length: 8 }, (_, i) => loopSightings(looped(i), T0 + i * 10_000)).flat()
      .map((f) => (f.data[11] === 0x02 ? { ...f, timeUs: f.timeUs + 150, interfaceId: 1 } : f));
    const { episodes } = run(frames);
    assert.equal(episodes.length, 1);
    const ep = episodes[0]!;
    assert.deepEqual([ep.loopedPackets, ep.ttlStep, ep.maxReplicas, ep.sightings], [8, 2, 63, 8 * 63]);
    assert.deepEqual([ep.streams[0]!.firstTtl, ep.streams[0]!.lastTtl], [63, 1]);
    assert.equal(ep.impact.packetsLost, 8);
  });

  it('finds a loop inside a VXLAN overlay by the inner Ethernet hop, though every frame has the same outer MACs', () => {
    const { episodes } = run(vxlanMirrored(Array.from({ length: 5 }, (_, i) => loopSightings(looped(i), T0 + i * 3000)).flat()));
    assert.equal(episodes.length, 1);
    assert.equal(episodes[0]!.ttlStep, 2);
    assert.deepEqual(episodes[0]!.macPairs.map((m) => m.srcMac).sort(), ['02:00:00:00:00:01', '02:00:00:00:00:02']);
  });

  it('on a link without MAC addresses (raw IP) needs 4 sightings; TTL - 1 each time means a 2-hop loop seen both ways', () => {
    const LINKTYPE_RAW = 101;
    const raw = (frames: TestFrame[]) => frames.map((f) => ({ ...f, data: f.data.subarray(14), linkType: LINKTYPE_RAW }));
    const loop = raw(Array.from({ length: 5 }, (_, i) => loopSightings(looped(i), T0 + i * 10_000)).flat());
    const { episodes } = run(loop);
    assert.equal(episodes.length, 1);
    assert.deepEqual([episodes[0]!.ttlStep, episodes[0]!.loopedPackets], [2, 5]);
    assert.deepEqual(episodes[0]!.macPairs, [{ srcMac: '', dstMac: '', sightings: 5 * 63 }]);
    const threeEach = raw(Array.from({ length: 5 }, (_, i) => loopSightings(looped(i), T0 + i * 10_000, { lastTtl: 61 })).flat());
    assert.equal(run(threeEach).episodes.length, 0);
  });

  it('names the routers from ICMP time-exceeded messages and counts them', () => {
    const frames = loopEpisode(10, T0);
    // The access router (10.0.23.2, MAC ACCESS) reports a looped packet's death, quoting its header.
    const quoted = ipv4({ src: [10, 0, 0, 9], dst: POD(3), id: 0x1003, ttl: 0, proto: 6, payloadLen: 8 });
    const te = bytes(eth(0x0800, CORE, ACCESS), ipv4({ src: [10, 0, 23, 2], dst: [10, 0, 0, 9], id: 7, ttl: 64, proto: 1, payloadLen: 8 + 28 }), icmp(11, 0), quoted, [0, 1, 2, 3, 4, 5, 6, 7]);
    frames.push({ timeUs: T0 + 3000 + 6300, data: te });
    const { episodes } = run(frames);
    assert.equal(episodes.length, 1);
    assert.equal(episodes[0]!.icmpTimeExceeded, 1);
    assert.deepEqual(episodes[0]!.routers, ['10.0.23.2']);
  });

  it('finds the loop with a tiny packet table under pressure (bounded memory, time-based eviction)', () => {
    const frames = [...background(20_000, T0, 50), ...loopEpisode(10, T0 + 200_000)];
    const { episodes } = run(frames, { tableSlotsLog2: 8 });
    assert.equal(episodes.length, 1);
    assert.equal(episodes[0]!.ttlStep, 2);
  });

  it('follows a loop while more packets pass between two of its sightings than the table holds', () => {
    // One packet loops with a pass every 50 ms; after its third pass (its stream is open), 25,000 other packets go
    // by between two passes: more than the 2^14 the table holds. The open stream must stay in the table and come
    // out whole, not cut where its entry would have been overwritten.
    const slow = loopSightings(looped(0), T0, { gapUs: 50_000, lastTtl: 51 });
    const frames = [...background(270_000, T0 + 110_000, 2), ...slow];
    const { episodes } = run(frames, { tableSlotsLog2: 14 });
    assert.equal(episodes.length, 1);
    assert.deepEqual([episodes[0]!.loopedPackets, episodes[0]!.sightings, episodes[0]!.maxReplicas], [1, 13, 13]);
  });

  it('a storm of 3,000 packets looping at once: every one found, each stream ended by the sweep at its own time', () => {
    // Packets distinct by source address and ID (the helper's pod addresses repeat), 20 passes each, a new one every
    // 20 µs: about 1,400 streams are open at once, across many sweeps (one every 4,096 packets).
    const storm = Array.from({ length: 3000 }, (_, i) =>
      loopSightings({ src: [10, 1, i >> 8, i & 255], dst: POD(i), id: i, srcPort: 41000, payload: [7, 7, 7, 7] }, T0 + i * 20, { lastTtl: 24, gapUs: 700 })).flat();
    const later = loopSightings(looped(1), T0 + 3_000_000, { lastTtl: 40 });
    const { episodes } = run([...storm, ...later]);
    assert.equal(episodes.length, 2, 'the storm, and one packet looping 3 s later on its own');
    assert.deepEqual([episodes[0]!.loopedPackets, episodes[0]!.sightings], [3000, 3000 * 40]);
    assert.equal(episodes[0]!.endUs, T0 + 2999 * 20 + 39 * 700, 'the last sighting of the last packet');
    assert.equal(episodes[1]!.loopedPackets, 1);
  });

  it('a packet that loops, is sent again and loops again between two sweeps gives two streams in one slot', () => {
    // The resend (TTL back at 63, 5 ms later) ends the first stream and a second opens in the same table slot
    // before any sweep: the sweep must keep the second and not trip over the first.
    const first = loopSightings(looped(3), T0, { lastTtl: 50 });
    const again = loopSightings(looped(3), T0 + 5_000, { lastTtl: 50 });
    const { episodes } = run([...first, ...again, ...background(9000, T0 + 10_000, 100)]);
    assert.equal(episodes.length, 1);
    assert.deepEqual([episodes[0]!.loopedPackets, episodes[0]!.sightings], [2, 28]);
    assert.equal(episodes[0]!.endUs, T0 + 5_000 + 13 * 100);
  });

  it('keeps a loop that lasts 20 minutes one episode, though a short loop elsewhere began and ended after it started', () => {
    // A new packet enters the core<->access loop every 400 ms for 1,200 s; at 100 s another pair of routers loops
    // a packet towards another prefix for a few milliseconds. Drafts are searched newest first, and the search once
    // stopped at the first draft that ended more than ten minutes before: the short one, cutting the long loop in two.
    const long = Array.from({ length: 3000 }, (_, i) => loopSightings(looped(i), T0 + i * 400_000, { lastTtl: 55 })).flat();
    const [r1, r2] = [[0x02, 0, 0, 0, 0, 0x21], [0x02, 0, 0, 0, 0, 0x22]];
    const elsewhere = [0, 1, 2, 3].map((pass) => ({
      timeUs: T0 + 100_000_000 + pass * 100,
      data: ipv4Frame({ src: [10, 9, 9, 9], dst: [10, 77, 0, 1], id: 77 }, 64 - pass, pass % 2 ? r2 : r1, pass % 2 ? r1 : r2),
    }));
    const { episodes } = run([...long, ...elsewhere]);
    assert.deepEqual(episodes.map((e) => e.loopedPackets), [3000, 1]);
    assert.equal(episodes[0]!.endUs - episodes[0]!.startUs, 2999 * 400_000 + 8 * 100);
  });

  it('caps the ladder and says so', () => {
    const { episodes } = run(loopEpisode(30, T0), { maxLadderSightings: 100, maxStreamsPerEpisode: 5 });
    const ep = episodes[0]!;
    assert.equal(ep.ladder.timeUs.length, 100);
    assert.equal(ep.ladder.truncated, true);
    assert.equal(ep.streams.length, 5);
    assert.equal(ep.streamsTotal, 30);
    assert.equal(ep.loopedPackets, 30);
  });
});

describe('loop detector: look-alikes that are not loops', () => {
  it('a span port copying ingress and egress (TTL - 1 once, other direction) is not a loop', () => {
    const frames = background(500, T0, 1000).flatMap((f, i) => {
      const p: Ipv4Packet = { src: [10, 0, 0, 9], dst: [10, 244, 1, 10], id: i, srcPort: 40000, seq: 1000 + i * 8 };
      return [
        { timeUs: f.timeUs, data: ipv4Frame(p, 64, CLIENT, CORE) },
        { timeUs: f.timeUs + 20, data: ipv4Frame(p, 63, CORE, ACCESS) },
      ];
    });
    const { episodes, kinds } = run(frames);
    assert.equal(episodes.length, 0);
    assert.ok(kinds.includes(2), 'the copies were recognised as the same packet');
  });

  it('duplicate frames from the capture itself (same TTL) are not a loop', () => {
    const frames = background(500, T0, 1000).flatMap((f) => [f, { timeUs: f.timeUs + 1, data: f.data }, { timeUs: f.timeUs + 2, data: f.data }]);
    assert.equal(run(frames).episodes.length, 0);
  });

  it('TCP retransmissions (new IP ID, or the same ID and TTL) are not a loop', () => {
    const frames: TestFrame[] = [];
    for (let i = 0; i < 200; i++) {
      const p: Ipv4Packet = { src: [10, 0, 0, 9], dst: [10, 244, 1, 10], id: i, srcPort: 40000, seq: 5000 };
      frames.push({ timeUs: T0 + i * 200_000, data: ipv4Frame(p, 64, CLIENT, CORE) });
      frames.push({ timeUs: T0 + i * 200_000 + 50_000, data: ipv4Frame({ ...p, id: i % 2 === 0 ? i : 30_000 + i }, 64, CLIENT, CORE) });
    }
    assert.equal(run(frames).episodes.length, 0);
  });

  it('multicast and broadcast replicated hop by hop onto the same link are not a loop', () => {
    const frames: TestFrame[] = [];
    const group = [0x01, 0x00, 0x5e, 0x01, 0x02, 0x03];
    const bcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
    for (let i = 0; i < 20; i++) {
      for (let ttl = 30; ttl > 0; ttl -= 2) {
        frames.push({ timeUs: T0 + i * 10_000 + (30 - ttl) * 100, data: ipv4Frame({ src: [10, 0, 0, 9], dst: [239, 1, 2, 3], id: i, proto: 17 }, ttl, CORE, group) });
        frames.push({ timeUs: T0 + i * 10_000 + (30 - ttl) * 100 + 5, data: ipv4Frame({ src: [10, 0, 0, 9], dst: [10, 0, 0, 255], id: i, proto: 17 }, ttl, CORE, bcast) });
      }
    }
    assert.equal(run(frames).episodes.length, 0);
  });

  it('one packet seen once per hop along a path (capture on several links) is not a loop', () => {
    const hopMacs = [CLIENT, CORE, ACCESS, [0x02, 0, 0, 0, 0, 4], [0x02, 0, 0, 0, 0, 5], [0x02, 0, 0, 0, 0, 6]];
    const frames: TestFrame[] = [];
    for (let i = 0; i < 100; i++) {
      const p: Ipv4Packet = { src: [10, 0, 0, 9], dst: [10, 244, 1, 10], id: i, seq: 1000 + 8 * i };
      for (let h = 0; h + 1 < hopMacs.length; h++) frames.push({ timeUs: T0 + i * 1000 + h * 30, data: ipv4Frame(p, 64 - h, hopMacs[h]!, hopMacs[h + 1]!) });
    }
    assert.equal(run(frames).episodes.length, 0);
  });

  it('one packet mirrored (VXLAN/ERSPAN-style) from two routers two hops apart is not a loop', () => {
    const hop = (macs: number[][], ttl: number, i: number, dt: number): TestFrame => ({
      timeUs: T0 + i * 1000 + dt,
      data: ipv4Frame({ src: [10, 0, 0, 9], dst: [10, 244, 1, 10], id: i, seq: 1000 + 8 * i }, ttl, macs[0]!, macs[1]!),
    });
    const frames = Array.from({ length: 100 }, (_, i) => [hop([CLIENT, CORE], 64, i, 0), hop([ACCESS, [0x02, 0, 0, 0, 0, 9]], 62, i, 40)]).flat();
    assert.equal(run(vxlanMirrored(frames)).episodes.length, 0);
  });

  it('two sightings are one pass, too little for a loop; a third makes it one (the lab truth counts the same)', () => {
    const oneWay = (lastTtl: number) =>
      Array.from({ length: 10 }, (_, i) => loopSightings(looped(i), T0 + i * 1000, { hops: 3, firstTtl: 62, lastTtl })).flat();
    assert.equal(run(oneWay(59)).episodes.length, 0, '62, 59');
    assert.equal(run(oneWay(56)).episodes.length, 1, '62, 59, 56');
  });

  it('the same packet sent again much later with its TTL restarting is not a replica stream', () => {
    const p: Ipv4Packet = { src: [10, 0, 0, 9], dst: [10, 244, 1, 10], id: 0, proto: 17 };
    const frames = Array.from({ length: 50 }, (_, i) => ({ timeUs: T0 + i * 2_000_000, data: ipv4Frame(p, 64 - (i % 2) * 2, CORE, ACCESS) }));
    assert.equal(run(frames).episodes.length, 0);
  });
});

describe('loop detector on damaged packets', () => {
  it('writes valid instants even for timestamps no Date can hold (damaged record headers)', () => {
    const far = 2 ** 60;
    const { episodes } = run(loopSightings(looped(1), far));
    assert.equal(episodes.length, 1);
    assert.match(episodes[0]!.start, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it('never throws on cut or bit-flipped frames and still returns well-formed episodes', () => {
    const base = Array.from({ length: 6 }, (_, i) => loopSightings(looped(i), T0 + i * 700, { firstTtl: 20 })).flat();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.nat(200), fc.integer({ min: 0, max: 255 }), fc.boolean()), { maxLength: 60 }), (edits) => {
        const frames = base.map((f) => ({ timeUs: f.timeUs, data: f.data.slice() }));
        for (const [which, at, value, cut] of edits) {
          const f = frames[which]!;
          if (cut) f.data = f.data.subarray(0, Math.min(at, f.data.length));
          else if (at < f.data.length) f.data[at] = value;
        }
        const { episodes } = run(frames);
        for (const ep of episodes) {
          assert.ok(ep.ttlStep >= 1 && ep.sightings >= 2 && ep.endUs >= ep.startUs);
          assert.equal(ep.ladder.timeUs.length, ep.ladder.ttl.length);
        }
      }),
      { numRuns: 200 },
    );
  });
});
