/** The file reader: opening errors, cancellation, gzip, progress, files that change while read, offsets past 4 GB. */
import { strict as assert } from 'node:assert';
import { appendFileSync, closeSync, mkdtempSync, openSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ParseContext } from '../../../src/core/capture/context';
import { readCaptureFile, sniffCaptureFormat } from '../../../src/core/capture/open';
import { CaptureParser } from '../../../src/core/capture/parser';
import type { Frame } from '../../../src/core/capture/types';
import { ParserWindow } from '../../../src/core/capture/window';
import { epb, idb, shb, writePcap, writePcapng, type WriterFrame } from '../../helpers/pcapWriter';
import { bytesSeq, copyFrame, readBytes, type FrameCopy } from './collect';

const frames: WriterFrame[] = Array.from({ length: 50 }, (_, i) => ({ data: bytesSeq(100 + i, i), sec: 1_700_000_000 + i, nsec: i * 1000 }));

describe('readCaptureFile', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'capture-open-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, bytes: Uint8Array): string => {
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const readFile = async (p: string, opts = {}) => {
    const got: FrameCopy[] = [];
    const summary = await readCaptureFile(p, (f: Frame) => got.push(copyFrame(f)), opts);
    return { frames: got, summary };
  };

  it('gives the same frames as the in-memory parser, and says the format by content whatever the extension', async () => {
    const bytes = writePcapng(frames);
    const { frames: got, summary } = await readFile(file('really-pcapng.pcap', bytes), { chunkSize: 1000 });
    assert.deepEqual(got, readBytes(bytes).frames);
    assert.equal(summary.format, 'pcapng');
    assert.deepEqual([summary.bytesRead, summary.fileSize], [bytes.length, bytes.length]);
  });

  it('rejects files it cannot open with an error naming the file', async () => {
    const missing = path.join(dir, 'nope.pcap');
    await assert.rejects(readCaptureFile(missing, () => {}),
      { code: 'ENOENT', message: `cannot read capture file ${missing}: no such file or directory (ENOENT)` });
    await assert.rejects(readCaptureFile(dir, () => {}), { code: 'EISDIR', message: `cannot read capture file ${dir}: is a directory (EISDIR)` });
  });

  it('rejects with AbortError when cancelled before or during the read, after delivering what it had', async () => {
    const p = file('abort.pcap', writePcap(frames));
    const pre = new AbortController();
    pre.abort();
    await assert.rejects(readCaptureFile(p, () => {}, { signal: pre.signal }), { name: 'AbortError' });
    const during = new AbortController();
    let seen = 0;
    await assert.rejects(
      readCaptureFile(p, () => {
        if (++seen === 3) during.abort();
      }, { signal: during.signal, chunkSize: 200 }),
      { name: 'AbortError' },
    );
    assert.ok(seen >= 3 && seen < frames.length, `stopped early (saw ${seen})`);
  });

  it('reports progress up to the file size', async () => {
    const bytes = writePcap(frames);
    const calls: Array<[number, number]> = [];
    await readCaptureFile(file('progress.pcap', bytes), () => {}, { chunkSize: 1024, onProgress: (r, s) => calls.push([r, s]) });
    assert.ok(calls.length >= Math.floor(bytes.length / 1024));
    assert.ok(calls.every(([, s]) => s === bytes.length));
    assert.ok(calls.every(([r], i) => i === 0 || r >= calls[i - 1]![0]));
    assert.deepEqual(calls[calls.length - 1], [bytes.length, bytes.length]);
  });

  it('reads gzip-compressed captures (magic 1f8b) like the plain file', async () => {
    for (const [name, bytes] of [['a.pcap.gz', writePcap(frames)], ['b.bin', writePcapng(frames, { bigEndian: true })]] as const) {
      const gz = gzipSync(bytes);
      const { frames: got, summary } = await readFile(file(name, gz), { chunkSize: 100 });
      assert.deepEqual(got, readBytes(bytes).frames, name);
      assert.deepEqual(summary.problems, []);
      assert.deepEqual([summary.bytesRead, summary.fileSize], [gz.length, gz.length]);
      assert.deepEqual(readBytes(gz).frames, got, `${name} in memory`);
    }
  });

  it('a cut gzip file keeps the frames before the cut and reports it', async () => {
    const gz = gzipSync(writePcap(frames), { level: 0 });
    const { frames: got, summary } = await readFile(file('cut.pcap.gz', gz.subarray(0, Math.floor(gz.length / 2))));
    assert.ok(got.length > 10 && got.length < frames.length, `${got.length} frames`);
    assert.deepEqual(got, readBytes(writePcap(frames)).frames.slice(0, got.length));
    assert.equal(summary.problems.filter((p) => p.fatal).length, 1, JSON.stringify(summary.problems));
    assert.ok(summary.problems.some((p) => /gzip data damaged after \d+ decompressed bytes/.test(p.reason)));
  });

  it('lets a consumer\'s exception through, plain or gzip (it is not damage in the file)', async () => {
    for (const bytes of [writePcap(frames), gzipSync(writePcap(frames))]) {
      await assert.rejects(readCaptureFile(file('throws.cap', bytes), () => {
        throw new Error('consumer bug');
      }), { message: 'consumer bug' });
    }
  });

  it('awaits beforeRead before every read (backpressure for slow consumers)', async () => {
    const bytes = writePcap(frames);
    let waits = 0;
    let reads = 0;
    await readCaptureFile(file('backpressure.pcap', bytes), () => {}, {
      chunkSize: 512,
      beforeRead: () => new Promise<void>((resolve) => setImmediate(() => resolve(void waits++))),
      onProgress: () => reads++,
    });
    // onProgress runs once per read plus once at the end.
    assert.equal(waits, reads - 1);
    assert.ok(waits >= Math.ceil(bytes.length / 512));
  });

  it('sniffs formats from the first bytes only', () => {
    assert.equal(sniffCaptureFormat(writePcap(frames).subarray(0, 4)), 'pcap');
    assert.equal(sniffCaptureFormat(writePcap(frames, { bigEndian: true, nanosecond: true }).subarray(0, 24)), 'pcap');
    assert.equal(sniffCaptureFormat(writePcapng(frames, { bigEndian: true }).subarray(0, 12)), 'pcapng');
    // gzip: the head must reach past deflate's Huffman tables to show the capture magic (512 bytes are plenty).
    assert.equal(sniffCaptureFormat(gzipSync(writePcapng(frames)).subarray(0, 512)), 'pcapng.gz');
    assert.equal(sniffCaptureFormat(gzipSync(writePcap(frames))), 'pcap.gz');
    assert.equal(sniffCaptureFormat(gzipSync(Buffer.from('just text, compressed'))), null);
    assert.equal(sniffCaptureFormat(Buffer.from('<html>')), null);
    assert.equal(sniffCaptureFormat(Uint8Array.of(0xa1)), null);
  });

  it('reads a growing file up to its size at open (a snapshot)', async () => {
    const p = file('growing.pcap', writePcap(frames.slice(0, 10)));
    const { frames: got, summary } = await readFile(p, {
      chunkSize: 256,
      onProgress: () => appendFileSync(p, writePcap(frames.slice(10, 11)).subarray(24)),
    });
    assert.equal(got.length, 10);
    assert.deepEqual(summary.problems, []);
  });

  it('says "file shrank while reading" when the file gets shorter, keeping what was read', async () => {
    const bytes = writePcap(frames);
    const p = file('shrinking.pcap', bytes);
    let cut = false;
    const { frames: got, summary } = await readFile(p, {
      chunkSize: 1000,
      // Cut beyond the second chunk: that one may already be read (the reader reads a chunk ahead).
      onProgress: () => {
        if (!cut) truncateSync(p, 2500);
        cut = true;
      },
    });
    assert.ok(got.length >= 1 && got.length < frames.length);
    assert.deepEqual(got, readBytes(bytes).frames.slice(0, got.length));
    const reasons = summary.problems.map((x) => x.reason);
    assert.ok(reasons.some((r) => r === `file shrank while reading: it was ${bytes.length} bytes when opened but ends at byte 2500`), reasons.join('; '));
    assert.ok(summary.problems.some((x) => x.fatal && /cut short/.test(x.reason)));
  });
});

describe('offsets beyond 4 GB', () => {
  it('frames and problems carry exact 64-bit offsets (window fed as if the bytes started past 2^32)', () => {
    const base = 2 ** 32 + 3 * 2 ** 20 + 12;
    const head = Buffer.concat([shb(), idb({ linkType: 1 })]);
    const bad = Buffer.from(epb(0, 0n, bytesSeq(60)));
    bad.writeUInt32LE(12345, bad.length - 4);
    const bytes = Buffer.concat([head, epb(0, 5n, bytesSeq(60)), epb(0, 6n, bytesSeq(61)), bad]);
    const offsets: number[] = [];
    const ctx = new ParseContext('big.pcapng', base + bytes.length, (f) => offsets.push(f.fileOffset));
    const window = new ParserWindow(new CaptureParser(ctx), 64, base);
    for (let i = 0; i < bytes.length; i += 37) window.push(bytes.subarray(i, i + 37));
    window.close();
    const epbLen = epb(0, 5n, bytesSeq(60)).length;
    assert.deepEqual(offsets, [base + head.length, base + head.length + epbLen]);
    assert.deepEqual(ctx.summary.problems.map((p) => [p.byteOffset, p.reason]), [
      [base + head.length + epbLen + epb(0, 6n, bytesSeq(61)).length, `EPB: trailing block length 12345 != leading block length ${bad.length}`],
    ]);
  });

  // A real 5 GiB file that costs no disk: sparse, made of skipped 1 GiB blocks (only their lengths written), then
  // a packet past 2^32 and a damaged block. The reader seeks past skipped blocks, so this reads a few KB.
  it('a sparse 5 GiB pcapng file: a packet and a damaged block past 4 GiB, with exact offsets', async function () {
    const dir = mkdtempSync(path.join(tmpdir(), 'capture-big-'));
    const p = path.join(dir, 'sparse.pcapng');
    try {
      if (!sparseFilesWork(dir)) {
        console.log(`      ${dir} cannot hold sparse files: skipped`);
        this.skip();
      }
      const fd = openSync(p, 'w');
      const put = (b: Uint8Array, pos: number) => writeSync(fd, b, 0, b.length, pos);
      const head = Buffer.concat([shb(), idb({ linkType: 1, tsresol: 9 })]);
      put(head, 0);
      const size = 2 ** 30;
      const lengthField = Buffer.alloc(4);
      lengthField.writeUInt32LE(size);
      let at = head.length;
      let skipped = 0;
      for (; at < 2 ** 32; at += size, skipped++) {
        put(Buffer.concat([Buffer.from([0xfe, 0xca, 0xad, 0x0b]), lengthField]), at); // type 0x0badcafe, length
        put(lengthField, at + size - 4); // trailing length
      }
      const packetAt = at;
      const packet = epb(0, 7n, bytesSeq(60));
      put(packet, at);
      at += packet.length;
      const bad = Buffer.from(packet);
      bad.writeUInt32LE(4, bad.length - 4);
      put(bad, at);
      closeSync(fd);
      const seen: number[] = [];
      const summary = await readCaptureFile(p, (f) => seen.push(f.fileOffset));
      assert.deepEqual(seen, [packetAt]);
      assert.ok(packetAt > 2 ** 32);
      assert.equal(summary.skippedBlocks, skipped);
      assert.deepEqual(summary.problems.map((x) => [x.byteOffset, x.fatal, x.reason]),
        [[at, true, `EPB: trailing block length 4 != leading block length ${bad.length}`]]);
      assert.ok(summary.bytesRead === summary.fileSize && summary.fileSize === at + bad.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** True when a file with a 1 GiB hole takes (almost) no disk here. */
function sparseFilesWork(dir: string): boolean {
  const probe = path.join(dir, 'probe');
  const fd = openSync(probe, 'w');
  try {
    writeSync(fd, Uint8Array.of(1), 0, 1, 2 ** 30);
  } finally {
    closeSync(fd);
  }
  const used = statSync(probe).blocks * 512;
  rmSync(probe);
  return used < 1024 * 1024;
}
