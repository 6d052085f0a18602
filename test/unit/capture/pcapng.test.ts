/** pcapng: sections, interfaces, timestamp resolutions, packet block kinds, skipped blocks and damage, on hand-built files. */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  customBlock, encodeOptions, epb, idb, obsoletePacketBlock, pcapngBlock, shb, spb, ticksPerSecond,
} from '../../helpers/pcapWriter';
import { readCaptureChunks } from '../../../src/core/capture/open';
import { bytesSeq, readBytes } from './collect';

const cat = (...parts: Uint8Array[]): Buffer => Buffer.concat(parts);
const pkt = bytesSeq(42);

/** The exact time a tick count means: seconds and truncated nanoseconds, computed in BigInt as the reference. */
function referenceTime(ticks: bigint, tsresol: number | undefined): [number, number] {
  const units = ticksPerSecond(tsresol);
  return [Number(ticks / units), Number(((ticks % units) * 1_000_000_000n) / units)];
}

describe('pcapng reader', () => {
  it('keeps byte order, interfaces and numbering per section (mixed-endian sections)', () => {
    const file = cat(
      shb(), idb({ linkType: 1, tsresol: 9 }), idb({ linkType: 101 }),
      epb(1, 1_000_000n, pkt), epb(0, 2_000_000_123n, pkt),
      shb({ bigEndian: true }), idb({ linkType: 113, tsresol: 3 }, true), epb(0, 5_001n, pkt, 100, true),
    );
    const { frames, summary, fatal } = readBytes(file);
    assert.deepEqual(fatal, []);
    assert.deepEqual(frames.map((f) => [f.number, f.section, f.interfaceId, f.linkType, f.timeSec, f.timeNsec, f.origLen]), [
      [1, 1, 1, 101, 1, 0, 42],
      [2, 1, 0, 1, 2, 123, 42],
      [3, 2, 0, 113, 5, 1_000_000, 100],
    ]);
    assert.equal(summary.sections, 2);
    assert.equal(summary.byteOrder, 'le');
    assert.deepEqual(summary.interfaces.map((i) => [i.section, i.interfaceId, i.linkType, i.tsResolution]),
      [[1, 0, 1, '10^-9'], [1, 1, 101, '10^-6'], [2, 0, 113, '10^-3']]);
  });

  it('forgets the previous section\'s interfaces at a new SHB', () => {
    const file = cat(shb(), idb({ linkType: 1 }), idb({ linkType: 1 }), epb(1, 0n, pkt), shb(), idb({ linkType: 1 }), epb(1, 0n, pkt));
    const { frames, fatal } = readBytes(file);
    assert.equal(frames.length, 1);
    const secondSectionEpb = file.length - epb(1, 0n, pkt).length;
    assert.deepEqual([fatal[0]!.byteOffset, fatal[0]!.reason],
      [secondSectionEpb, 'EPB: interface id 1 does not exist (section 2 has 1 interfaces)']);
  });

  it('converts every if_tsresol exactly (powers of 10 and 2, beyond 2^53 ticks), matching a BigInt reference', () => {
    const resolutions = [undefined, 0, 3, 6, 9, 12, 15, 19, 0x80, 0x88, 0x8a, 0x94, 0x9e, 0xa0, 0xa8, 0xbf];
    fc.assert(
      fc.property(fc.constantFrom(...resolutions), fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 53n + 4096n })), (tsresol, ticks) => {
        const { frames, fatal } = readBytes(cat(shb(), idb({ linkType: 1, ...(tsresol === undefined ? {} : { tsresol }) }), epb(0, ticks, pkt)));
        assert.deepEqual(fatal, []);
        assert.deepEqual([frames[0]!.timeSec, frames[0]!.timeNsec], referenceTime(ticks, tsresol));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('gives the exact binary fractions tshark prints for 2^-8 (gopacket test902)', () => {
    // 1519128000 s + 50/256 s = .1953125 s
    const { frames } = readBytes(cat(shb(), idb({ linkType: 1, tsresol: 0x88 }), epb(0, 1519128000n * 256n + 50n, pkt)));
    assert.deepEqual([frames[0]!.timeSec, frames[0]!.timeNsec], [1519128000, 195312500]);
  });

  it('adds if_tsoffset seconds and keeps if_name / if_description', () => {
    const { frames, summary } = readBytes(cat(shb(), idb({ linkType: 1, tsOffset: -3600, name: 'eth0', description: 'core uplink' }), epb(0, 7_200_000_001n, pkt)));
    assert.deepEqual([frames[0]!.timeSec, frames[0]!.timeNsec], [3600, 1000]);
    assert.deepEqual([summary.interfaces[0]!.name, summary.interfaces[0]!.description, summary.interfaces[0]!.tsOffsetSec], ['eth0', 'core uplink', -3600]);
  });

  it('reads Simple Packet Blocks: interface 0, no time, captured length = min(original, snap length)', () => {
    const file = cat(shb(), idb({ linkType: 1, snapLen: 20 }), spb(pkt.subarray(0, 20), 42), spb(pkt.subarray(0, 10), 10));
    const { frames, fatal } = readBytes(file);
    assert.deepEqual(fatal, []);
    assert.deepEqual(frames.map((f) => [f.interfaceId, f.hasTime, f.origLen, f.capLen, f.data.length]), [[0, false, 42, 20, 20], [0, false, 10, 10, 10]]);
    const noSnap = readBytes(cat(shb(), idb({ linkType: 1 }), spb(pkt, 42)));
    assert.equal(noSnap.frames[0]!.capLen, 42);
  });

  it('reads obsolete Packet Blocks like EPBs', () => {
    const { frames, fatal } = readBytes(cat(shb(), idb({ linkType: 1 }), idb({ linkType: 0 }), obsoletePacketBlock(1, 3_000_001n, pkt, 60)));
    assert.deepEqual(fatal, []);
    assert.deepEqual([frames[0]!.interfaceId, frames[0]!.linkType, frames[0]!.timeSec, frames[0]!.timeNsec, frames[0]!.origLen], [1, 0, 3, 1000, 60]);
  });

  it('skips NRB, ISB, DSB, custom and unknown blocks by their length, counting them, not as packets (corpus quirk 1)', () => {
    const file = cat(
      shb(), pcapngBlock(0x0a, bytesSeq(13)), idb({ linkType: 1 }), pcapngBlock(4, new Uint8Array(4)), epb(0, 0n, pkt),
      customBlock(32473, bytesSeq(5)), customBlock(32473, bytesSeq(3), false), pcapngBlock(5, new Uint8Array(12)),
      pcapngBlock(0x12345678, bytesSeq(40)), epb(0, 1n, pkt),
    );
    const { frames, summary, fatal } = readBytes(file);
    assert.deepEqual(fatal, []);
    assert.deepEqual(frames.map((f) => f.number), [1, 2]);
    assert.equal(summary.skippedBlocks, 6);
  });

  it('passes over skipped blocks of any size as they stream by, with the same checks in any chunking', () => {
    const big = pcapngBlock(0x0badcafe, new Uint8Array(20 * 1024 * 1024)); // above the 16 MiB limit for read blocks
    const file = cat(shb(), idb({ linkType: 1 }), big, epb(0, 0n, pkt));
    const pieces = (b: Uint8Array, n: number) => Array.from({ length: Math.ceil(b.length / n) }, (_, i) => b.subarray(i * n, i * n + n));
    for (const chunks of [[file], pieces(file, 4096), pieces(file, 1 << 20)]) {
      const r = readCaptureChunks(chunks, 'big.pcapng', file.length, () => {});
      assert.deepEqual([r.packets, r.skippedBlocks, r.problems], [1, 1, []]);
    }
    const head = cat(shb(), idb({ linkType: 1 }));
    const bad = Buffer.from(big);
    bad.writeUInt32LE(16, bad.length - 4);
    const damagedFile = cat(head, bad, epb(0, 0n, pkt));
    const expected = [[head.length, `block type 0x0badcafe: trailing block length 16 != leading block length ${big.length}`]];
    for (const chunks of [[damagedFile], pieces(damagedFile, 65536)]) {
      const r = readCaptureChunks(chunks, 'bad.pcapng', damagedFile.length, () => {});
      assert.deepEqual(r.problems.map((p) => [p.byteOffset, p.reason]), expected);
    }
    // All of it at once (the block fits, so it is checked whole): the same answer.
    assert.deepEqual(readBytes(damagedFile).fatal.map((p) => [p.byteOffset, p.reason]), expected);
    const cut = cat(head, big).subarray(0, head.length + 5000);
    for (const chunks of [[cut], pieces(cut, 1000)]) {
      const r = readCaptureChunks(chunks, 'cut.pcapng', cut.length, () => {});
      assert.deepEqual(r.problems.map((p) => [p.byteOffset, p.reason]),
        [[head.length, `block type 0x0badcafe cut short: block length ${big.length} but only 5000 bytes remain in the file`]]);
    }
  });

  it('accepts SHB version 1.2, stops at any other version keeping the earlier sections (corpus quirk 10)', () => {
    assert.equal(readBytes(cat(shb({ minor: 2 }), idb({ linkType: 1 }), epb(0, 0n, pkt))).frames.length, 1);
    const head = cat(shb(), idb({ linkType: 1 }), epb(0, 0n, pkt));
    const { frames, fatal, summary } = readBytes(cat(head, shb({ major: 2 }), idb({ linkType: 1 }), epb(0, 0n, pkt)));
    assert.equal(frames.length, 1);
    assert.deepEqual([fatal[0]!.byteOffset, fatal[0]!.reason], [head.length, 'SHB: unsupported pcapng version 2.0 in section 2 (1.0 and 1.2 can be read)']);
    assert.equal(summary.version, '1.0,2.0');
  });

  it('bounds the interface tables: lists 4096 interfaces, reads more, refuses more than 65536 in a section', () => {
    const one = idb({ linkType: 1 });
    const many = (n: number) => Buffer.concat(Array.from({ length: n }, () => one));
    const listed = readBytes(cat(shb(), many(5000), epb(4999, 0n, pkt)));
    assert.deepEqual([listed.frames[0]!.interfaceId, listed.summary.interfaces.length, listed.fatal], [4999, 4096, []]);
    assert.match(listed.warnings[0]!.reason, /more than 4096 interfaces in the file/);
    const tooMany = readBytes(cat(shb(), many(65537)));
    assert.deepEqual(tooMany.fatal.map((p) => [p.byteOffset, p.reason]),
      [[28 + 65536 * one.length, 'IDB: section 1 declares more than 65536 interfaces']]);
  });

  describe('damage', () => {
    const good = cat(shb(), idb({ linkType: 1 }), epb(0, 0n, pkt));
    const damaged = (block: Uint8Array) => readBytes(cat(good, block, epb(0, 0n, pkt)));
    /** A block whose leading length is `length` (the bytes after it may not match). */
    const withLength = (length: number) => {
      const b = Buffer.from(epb(0, 0n, pkt));
      b.writeUInt32LE(length, 4);
      return b;
    };
    const expectStop = (r: ReturnType<typeof readBytes>, offset: number, reason: string) => {
      assert.equal(r.frames.length, 1, 'the packet before the damage is kept');
      assert.deepEqual(r.fatal.map((p) => [p.byteOffset, p.reason]), [[offset, reason]]);
    };

    it('block length not a multiple of 4, below 12, below the type minimum, above the limit', () => {
      expectStop(damaged(withLength(70)), good.length, 'EPB: block length 70 is not a multiple of 4');
      expectStop(damaged(withLength(8)), good.length, 'EPB: block length 8 is below the minimum of 12');
      expectStop(damaged(withLength(28)), good.length, 'EPB: block length 28 is below the minimum of 32 for this block type');
      // Refused from the 8 header bytes alone: the reader never waits for (or allocates) 2 GB.
      expectStop(damaged(withLength(0x7ffffffc)), good.length, 'EPB: block length 2147483644 exceeds the reader\'s limit of 16842752 bytes');
    });

    it('trailing length different from the leading one', () => {
      const b = Buffer.from(epb(0, 0n, pkt));
      b.writeUInt32LE(b.length + 8, b.length - 4);
      expectStop(damaged(b), good.length, `EPB: trailing block length ${b.length + 8} != leading block length ${b.length}`);
    });

    it('EPB captured length beyond its block, unknown interface, SPB without an interface', () => {
      const b = Buffer.from(epb(0, 0n, pkt));
      b.writeUInt32LE(200, 20);
      expectStop(damaged(b), good.length, 'EPB: captured length 200 exceeds block body (a block of length 76 holds at most 44 bytes of packet data)');
      expectStop(damaged(epb(3, 0n, pkt)), good.length, 'EPB: interface id 3 does not exist (section 1 has 1 interfaces)');
      const r = readBytes(cat(shb(), spb(pkt)));
      assert.deepEqual(r.fatal.map((p) => p.reason), ['SPB: section 1 has no interface for it (SPBs belong to interface 0)']);
    });

    it('a byte-order magic that is neither order', () => {
      const s = Buffer.from(shb());
      s.writeUInt32BE(0x01020304, 8);
      const r = readBytes(cat(good, s));
      assert.deepEqual(r.fatal.map((p) => [p.byteOffset, p.reason]), [[good.length, 'SHB: byte-order magic 0x01020304 is neither 1a2b3c4d nor 4d3c2b1a']]);
    });

    it('files cut in the SHB, in a block header and in a block', () => {
      const whole = cat(good, epb(0, 0n, pkt));
      const cut = (n: number) => readBytes(whole.subarray(0, n)).fatal.map((p) => [p.byteOffset, p.reason]);
      assert.deepEqual(cut(20), [[0, 'SHB cut short: block length 28 but only 20 bytes remain in the file']]);
      assert.deepEqual(cut(10), [[0, 'SHB header cut short: 10 of 12 bytes']]);
      assert.deepEqual(cut(good.length + 6), [[good.length, 'block header cut short: 6 of 8 bytes']]);
      assert.deepEqual(cut(good.length + 40), [[good.length, 'EPB cut short: block length 76 but only 40 bytes remain in the file']]);
      assert.deepEqual(cut(whole.length), []);
    });

    it('an IDB option running past its block is a warning; the interface still works', () => {
      const opts = Buffer.from(encodeOptions([{ code: 2, value: Buffer.from('eth0') }]));
      opts.writeUInt16LE(200, 2);
      const body = Buffer.alloc(8 + opts.length);
      body.writeUInt16LE(1, 0);
      opts.copy(body, 8);
      const r = readBytes(cat(shb(), pcapngBlock(1, body), epb(0, 0n, pkt)));
      assert.equal(r.frames.length, 1);
      assert.deepEqual(r.fatal, []);
      assert.match(r.warnings[0]!.reason, /IDB: option 2 of length 200 runs past the end of the block/);
    });
  });
});
