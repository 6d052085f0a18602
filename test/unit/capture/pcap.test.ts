/** Classic pcap: byte orders, resolutions, header checks, record checks and cut files, on files built byte by byte. */
import { strict as assert } from 'node:assert';
import { writePcap, type WriterFrame } from '../../helpers/pcapWriter';
import { bytesSeq, readBytes } from './collect';

const frames: WriterFrame[] = [
  { data: bytesSeq(60), sec: 1_700_000_000, nsec: 123_456_789 },
  { data: bytesSeq(14, 7), sec: 1_700_000_001, nsec: 999_999_999, origLen: 1514 },
  { data: new Uint8Array(0), sec: 4_294_967_295, nsec: 0 },
];

/** A mutable copy with a DataView, for hand-made damage. */
function edit(buf: Buffer, le = true): { buf: Buffer; set32: (at: number, v: number) => void } {
  const copy = Buffer.from(buf);
  const dv = new DataView(copy.buffer, copy.byteOffset, copy.byteLength);
  return { buf: copy, set32: (at, v) => dv.setUint32(at, v >>> 0, le) };
}

describe('pcap reader', () => {
  for (const bigEndian of [false, true]) {
    for (const nanosecond of [false, true]) {
      it(`reads ${bigEndian ? 'big' : 'little'}-endian ${nanosecond ? 'nanosecond' : 'microsecond'} files exactly`, () => {
        const { frames: got, summary, fatal, warnings } = readBytes(writePcap(frames, { bigEndian, nanosecond }));
        assert.deepEqual(fatal, []);
        assert.deepEqual(warnings, []);
        assert.equal(summary.format, 'pcap');
        assert.equal(summary.byteOrder, bigEndian ? 'be' : 'le');
        assert.equal(summary.version, '2.4');
        assert.equal(summary.interfaces[0]!.tsResolution, nanosecond ? '10^-9' : '10^-6');
        assert.deepEqual(got.map((f) => [f.number, f.timeSec, f.timeNsec, f.origLen, f.capLen, f.fileOffset, f.linkType]), [
          [1, 1_700_000_000, nanosecond ? 123_456_789 : 123_456_000, 60, 60, 24, 1],
          [2, 1_700_000_001, nanosecond ? 999_999_999 : 999_999_000, 1514, 14, 24 + 16 + 60, 1],
          // Seconds are unsigned 32-bit: 2^32 - 1 is 2106-02-07, not -1.
          [3, 4_294_967_295, 0, 0, 0, 24 + 16 + 60 + 16 + 14, 1],
        ]);
        assert.deepEqual(got[1]!.data, Buffer.from(bytesSeq(14, 7)));
        assert.deepEqual(summary.firstTime, { sec: 1_700_000_000, nsec: nanosecond ? 123_456_789 : 123_456_000 });
        assert.deepEqual(summary.lastTime, { sec: 4_294_967_295, nsec: 0 });
      });
    }
  }

  it('masks the FCS bits of the LinkType field and keeps the FCS length', () => {
    // 0x30000001: FCS length bits without the F bit (tcpdump corpus) -> Ethernet, no FCS announced.
    assert.equal(readBytes(writePcap(frames, { linkType: 0x30000001 })).frames[0]!.linkType, 1);
    // 0x24000001: F bit set, FCS length 2 sixteen-bit words = 4 bytes.
    const { frames: got, summary } = readBytes(writePcap(frames, { linkType: 0x24000001 }));
    assert.equal(got[0]!.linkType, 1);
    assert.equal(summary.interfaces[0]!.fcsBytes, 4);
  });

  it('refuses a LinkType field with reserved bits set, like tshark (corpus quirk 12)', () => {
    const { frames: got, fatal } = readBytes(writePcap(frames, { linkType: 0x00300001 }));
    assert.equal(got.length, 0);
    assert.equal(fatal[0]!.byteOffset, 20);
    assert.match(fatal[0]!.reason, /LinkType field 0x00300001 has reserved bits/);
  });

  it('refuses major versions other than 2 and reads 2.x with a warning', () => {
    const old = readBytes(writePcap(frames, { versionMajor: 1, versionMinor: 4 }));
    assert.equal(old.frames.length, 0);
    assert.deepEqual([old.fatal[0]!.byteOffset, old.fatal[0]!.reason], [4, 'unsupported pcap version 1.4 (only 2.x can be read)']);
    const newer = readBytes(writePcap(frames, { versionMinor: 5 }));
    assert.equal(newer.frames.length, 3);
    assert.deepEqual(newer.fatal, []);
    assert.match(newer.warnings[0]!.reason, /version 2\.5/);
  });

  it('reads the swapped length fields of versions before 2.3, and 2.3 files written either way', () => {
    const one = [{ data: bytesSeq(20), sec: 1, nsec: 0, origLen: 60 }];
    const old = edit(writePcap(one, { versionMinor: 2 }));
    old.set32(24 + 8, 60); // orig_len first...
    old.set32(24 + 12, 20); // ...then incl_len
    const a = readBytes(old.buf);
    assert.deepEqual([a.frames[0]!.capLen, a.frames[0]!.origLen, a.fatal], [20, 60, []]);
    assert.match(a.warnings[0]!.reason, /old pcap version 2\.2/);
    const v23 = edit(old.buf);
    v23.set32(4, 0x00030002); // version 2.3 (major 2, minor 3 as two little-endian 16-bit fields)
    assert.deepEqual([readBytes(v23.buf).frames[0]!.capLen, readBytes(writePcap(one, { versionMinor: 3 })).frames[0]!.capLen], [20, 20]);
  });

  it('stops at an implausible captured length, with the record offset, keeping the records before', () => {
    const { buf, set32 } = edit(writePcap(frames));
    const record2 = 24 + 16 + 60;
    set32(record2 + 8, 0x7fffffff);
    const { frames: got, fatal } = readBytes(buf);
    assert.equal(got.length, 1);
    assert.equal(fatal.length, 1);
    assert.equal(fatal[0]!.byteOffset, record2);
    assert.equal(fatal[0]!.reason, 'record 2: captured length 2147483647 is implausible (limit 262144 bytes for snap length 262144)');
  });

  it('allows records up to a snap length above 256 KiB (never above 16 MiB), and not beyond 256 KiB otherwise', () => {
    const big = { data: bytesSeq(300_000), sec: 1, nsec: 0 };
    assert.equal(readBytes(writePcap([big], { snapLen: 1 << 20 })).frames[0]!.capLen, 300_000);
    const { frames: got, fatal } = readBytes(writePcap([big], { snapLen: 65535 }));
    assert.equal(got.length, 0);
    assert.match(fatal[0]!.reason, /captured length 300000 is implausible \(limit 262144 bytes/);
    const huge = readBytes(writePcap([big], { snapLen: 0xffffffff }));
    assert.deepEqual([huge.frames.length, huge.fatal], [1, []]);
    const { buf, set32 } = edit(writePcap([big], { snapLen: 0xffffffff }));
    set32(24 + 8, 16 * 1024 * 1024 + 1);
    assert.equal(readBytes(buf).fatal[0]!.reason, 'record 1: captured length 16777217 is implausible (limit 16777216 bytes for snap length 4294967295)');
  });

  it('reads records longer than the snap length or the original length as stored, with warnings (corpus quirk 13)', () => {
    const { frames: got, warnings } = readBytes(writePcap([{ data: bytesSeq(40), sec: 1, nsec: 0, origLen: 30 }], { snapLen: 20 }));
    assert.equal(got[0]!.capLen, 40);
    assert.deepEqual(warnings.map((w) => [w.byteOffset, w.reason]), [
      [24, 'record 1: captured length 40 exceeds the file\'s snap length 20'],
      [24, 'record 1: captured length 40 exceeds the original length 30'],
    ]);
  });

  it('carries an out-of-range sub-second field into the seconds and warns (corpus quirk 3)', () => {
    const us = edit(writePcap([{ data: bytesSeq(4), sec: 1418145370, nsec: 0 }]));
    us.set32(24 + 4, 1_000_000);
    const a = readBytes(us.buf);
    assert.deepEqual([a.frames[0]!.timeSec, a.frames[0]!.timeNsec], [1418145371, 0]);
    assert.equal(a.warnings[0]!.reason, 'record 1: sub-second field 1000000 is out of range (must be below 1000000)');
    const ns = edit(writePcap([{ data: bytesSeq(4), sec: 1418145370, nsec: 0 }], { nanosecond: true }));
    ns.set32(24 + 4, 2147483648);
    const b = readBytes(ns.buf);
    assert.deepEqual([b.frames[0]!.timeSec, b.frames[0]!.timeNsec], [1418145372, 147483648]);
  });

  it('reports each kind of cut file with its offset and keeps the complete records', () => {
    const whole = writePcap(frames);
    const cut = (n: number) => readBytes(whole.subarray(0, n));
    const header = cut(16);
    assert.deepEqual([header.frames.length, header.fatal[0]!.byteOffset, header.fatal[0]!.reason], [0, 0, 'file header cut short: 16 of 24 bytes']);
    const recordHeader = cut(24 + 16 + 60 + 8);
    assert.deepEqual([recordHeader.frames.length, recordHeader.fatal[0]!.byteOffset, recordHeader.fatal[0]!.reason],
      [1, 100, 'record 2: header cut short: 8 of 16 bytes']);
    const data = cut(24 + 16 + 30);
    assert.deepEqual([data.frames.length, data.fatal[0]!.byteOffset, data.fatal[0]!.reason], [0, 24, 'record 1: data cut short: 30 of 60 bytes']);
    const exact = cut(24 + 16 + 60);
    assert.deepEqual([exact.frames.length, exact.summary.problems], [1, []]);
  });

  it('answers empty, tiny and foreign files with a problem, never an exception', () => {
    assert.equal(readBytes(new Uint8Array(0)).fatal[0]!.reason, 'empty file: no capture header');
    assert.equal(readBytes(Uint8Array.of(0xd4, 0xc3)).fatal[0]!.reason, 'file too short for a capture header: 2 bytes');
    assert.equal(readBytes(Buffer.from('GET / HTTP/1.1\r\n')).fatal[0]!.reason, 'not a pcap or pcapng file: magic 0x47455420');
  });

  it('lists the first 100 warnings and counts the rest, so a bad file cannot fill memory with them', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ data: bytesSeq(8), sec: i, nsec: 0, origLen: 4 }));
    const { frames: got, warnings } = readBytes(writePcap(many));
    assert.equal(got.length, 150);
    assert.equal(warnings.length, 101);
    assert.equal(warnings[100]!.reason, '50 more warnings not listed (only the first 100 are kept)');
  });
});
