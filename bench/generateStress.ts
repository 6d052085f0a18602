/**
 * Captures that stress one part of the analysis at a time, for `npm run bench -- --stress`: a flood of distinct
 * TCP connections (the impact tracker's table), a storm of packets looping at once (the loop tracker's open
 * streams), and thousands of small unrelated loops (episodes and their ladder context). Each is a classic pcap on
 * one core<->access style link, written through the benchmark's record writer.
 */
import { closeSync, openSync } from 'node:fs';
import { RecordWriter } from './generateCapture';
import { MAC_ACCESS, MAC_CORE, writeIpv4Frame } from './packets';

const START_US = 1_764_000_000 * 1e6;
const SYN = 0x02;

export interface StressCapture {
  name: string;
  path: string;
  packets: number;
  /** What analyze must find: TCP connections, looped packets or loop episodes. */
  expect: { tcpFlows?: number; loopedPackets?: number; loops?: number };
  what: string;
}

function writePcap(path: string, frames: (w: RecordWriter, emit: (timeUs: number, write: (at: number) => number) => void) => void): number {
  const fd = openSync(path, 'w');
  const w = new RecordWriter(fd, 'pcap');
  let packets = 0;
  frames(w, (timeUs, write) => {
    const at = w.reserve(200);
    w.commit(write(at), timeUs);
    packets++;
  });
  w.flush();
  closeSync(fd);
  return packets;
}

/** `n` SYNs 10 µs apart, each from its own address, none answered. */
export function generateFlood(path: string, n: number): StressCapture {
  const packets = writePcap(path, (w, emit) => {
    for (let i = 0; i < n; i++) {
      emit(START_US + i * 10, (at) => writeIpv4Frame(w.buffer, at, {
        srcMac: MAC_CORE, dstMac: MAC_ACCESS, vlan: 0, src: (11 << 24) + i, dst: (10 << 24) | 5, proto: 6, id: i & 0xffff,
        ttl: 64, srcPort: 1024 + (i % 60000), dstPort: 80, seq: (i * 7919) >>> 0, payloadLen: 0, payloadSeed: i, tcpFlags: SYN,
      }));
    }
  });
  return { name: 'flood', path, packets, expect: { tcpFlows: n, loops: 0 }, what: `${n.toLocaleString('en')} unanswered SYNs from as many addresses` };
}

/** `n` packets looping at once: every packet passes `passes` times, TTL down by one per pass, directions alternating. */
export function generateStorm(path: string, n: number, passes: number): StressCapture {
  const packets = writePcap(path, (w, emit) => {
    let us = START_US;
    for (let r = 0; r < passes; r++) {
      const toAccess = (r & 1) === 0;
      for (let i = 0; i < n; i++) {
        emit(us++, (at) => writeIpv4Frame(w.buffer, at, {
          srcMac: toAccess ? MAC_CORE : MAC_ACCESS, dstMac: toAccess ? MAC_ACCESS : MAC_CORE, vlan: 0, src: (11 << 24) + i,
          dst: (10 << 24) | (244 << 16) | (i & 0xff), proto: 6, id: i & 0xffff, ttl: 64 - r, srcPort: 1024 + (i % 60000),
          dstPort: 80, seq: (i * 7919) >>> 0, payloadLen: 20, payloadSeed: i,
        }));
      }
    }
  });
  return { name: 'storm', path, packets, expect: { loops: 1, loopedPackets: n }, what: `${n.toLocaleString('en')} packets looping at once, ${passes} passes each` };
}

/** `n` packets 400 µs apart, each looping between a pair of MACs of its own towards a /24 of its own. */
export function generateManyLoops(path: string, n: number): StressCapture {
  const packets = writePcap(path, (w, emit) => {
    let us = START_US;
    for (let i = 0; i < n; i++) {
      const a = 0x02_00_00_00_00_00 + 2 * i;
      for (let pass = 0; pass < 4; pass++) {
        const forth = (pass & 1) === 0;
        emit((us += 100), (at) => writeIpv4Frame(w.buffer, at, {
          srcMac: forth ? a : a + 1, dstMac: forth ? a + 1 : a, vlan: 0, src: (11 << 24) + i, dst: (12 << 24) + (i << 8) + 1,
          proto: 17, id: i & 0xffff, ttl: 64 - pass, srcPort: 1000, dstPort: 53, seq: 0, payloadLen: 20, payloadSeed: i,
        }));
      }
    }
  });
  return { name: 'many loops', path, packets, expect: { loops: n }, what: `${n.toLocaleString('en')} small loops, each between MACs of its own` };
}
