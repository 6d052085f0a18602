/**
 * Damaged input, generated: corpus captures with random bytes overwritten and random cuts. The reader must never
 * throw, keep every record that lies wholly before the first damaged byte exactly as in the intact file, hand out
 * frames whose data lies inside the input, stop at most once, and give the same answer whatever the chunking.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { readCaptureChunks } from '../../../src/core/capture/open';
import { writePcap, writePcapng } from '../../helpers/pcapWriter';
import { corpusAvailable, corpusEntries } from '../../helpers/corpus';
import { bytesSeq, readBytes } from './collect';

interface Damage {
  writes: Array<{ at: number; value: number }>;
  cutAt: number | null;
}

function damage(original: Uint8Array, d: Damage): { bytes: Uint8Array; firstDamaged: number } {
  const bytes = Uint8Array.from(original);
  let firstDamaged = original.length;
  for (const w of d.writes) {
    const at = w.at % Math.max(1, bytes.length);
    if (at < bytes.length && bytes[at] !== w.value) {
      bytes[at] = w.value;
      firstDamaged = Math.min(firstDamaged, at);
    }
  }
  if (d.cutAt === null) return { bytes, firstDamaged };
  const cut = d.cutAt % (bytes.length + 1);
  return { bytes: bytes.subarray(0, cut), firstDamaged: Math.min(firstDamaged, cut) };
}

const damageArb = fc.record({
  writes: fc.array(fc.record({ at: fc.nat(), value: fc.nat(255) }), { maxLength: 6 }),
  cutAt: fc.option(fc.nat(), { nil: null }),
});

function captures(): Array<{ name: string; bytes: Uint8Array }> {
  const synthetic = Array.from({ length: 8 }, (_, i) => ({ data: bytesSeq(30 + i * 7, i), sec: 1_700_000_000 + i, nsec: i }));
  const list = [
    { name: 'synthetic.pcap', bytes: writePcap(synthetic, { bigEndian: true, nanosecond: true }) },
    { name: 'synthetic.pcapng', bytes: writePcapng(synthetic.map((f, i) => ({ ...f, linkType: i % 2 ? 101 : 1 }))) },
  ];
  if (corpusAvailable()) {
    for (const e of corpusEntries()) if (e.size <= 64 * 1024) list.push({ name: e.file, bytes: readFileSync(e.path) });
  }
  return list;
}

describe('capture reader on randomly damaged input', function () {
  this.timeout(120_000);
  const inputs = captures();

  it('never throws, keeps every record before the damage, stays inside the input, is chunking-independent', () => {
    fc.assert(
      fc.property(fc.constantFrom(...inputs), damageArb, fc.array(fc.nat(), { maxLength: 8 }), (input, d, cuts) => {
        const intact = readBytes(input.bytes).frames;
        const { bytes, firstDamaged } = damage(input.bytes, d);
        const got = readBytes(bytes);

        // Records wholly before the first damaged byte (the next record starts at or before it) are unchanged.
        const kept = intact.filter((_f, i) => (intact[i + 1]?.fileOffset ?? Infinity) <= firstDamaged);
        assert.deepEqual(got.frames.slice(0, kept.length), kept);

        got.frames.forEach((f, i) => {
          assert.equal(f.number, i + 1);
          assert.equal(f.data.length, f.capLen);
          assert.ok(f.fileOffset + f.capLen <= bytes.length, 'frame data inside the input');
          assert.ok(i === 0 || f.fileOffset > got.frames[i - 1]!.fileOffset, 'offsets increase');
          assert.ok(f.timeNsec >= 0 && f.timeNsec < 1e9 && Number.isInteger(f.timeNsec));
        });
        assert.ok(got.fatal.length <= 1, 'stops at most once');
        for (const p of got.summary.problems) assert.ok(p.byteOffset >= 0 && p.byteOffset <= bytes.length);

        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [...points, bytes.length].map((p, i, all) => bytes.subarray(i ? all[i - 1]! : 0, p));
        const chunked = readCaptureChunks(chunks, 'mem.cap', bytes.length, () => {});
        assert.deepEqual(chunked.problems, got.summary.problems);
        assert.equal(chunked.packets, got.frames.length);
      }),
      { numRuns: 1500, seed: 99 },
    );
  });

  it('never throws on arbitrary bytes behind a valid magic', () => {
    const magics = [Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1), Uint8Array.of(0xa1, 0xb2, 0x3c, 0x4d), Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a)];
    fc.assert(
      fc.property(fc.constantFrom(...magics), fc.uint8Array({ maxLength: 600 }), (magic, rest) => {
        const bytes = Buffer.concat([magic, rest]);
        const got = readBytes(bytes);
        assert.ok(got.fatal.length <= 1);
        for (const f of got.frames) assert.ok(f.fileOffset + f.capLen <= bytes.length);
      }),
      { numRuns: 3000, seed: 5 },
    );
  });
});
